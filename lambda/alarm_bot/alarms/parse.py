"""Turn whatever the fan-out Lambda (or the CLI) receives into :mod:`alarm_bot.alarms.model` objects.

Pure functions, no I/O. The shapes, and where each is read:

* an SNS Lambda event (``Records[].Sns``): one notification per record, the ``Message`` read by
  :func:`parse_message_body`;
* an SNS message body: a CloudWatch alarm or the old bot's JSON (:mod:`.parse_sns`), an
  EventBridge event forwarded through SNS, other JSON, or plain text;
* an EventBridge event: ``CloudWatch Alarm State Change`` (:mod:`.parse_eventbridge`), any other
  event as key facts (:mod:`.parse_generic`);
* the Lambda alarm-action payload (``alarmData``, :mod:`.parse_eventbridge`).

Nothing here raises: content that fits no known shape becomes a :class:`GenericNotification`, so
an odd message is still delivered for a person to read rather than lost in a retry loop.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from alarm_bot.alarms.model import Notification
from alarm_bot.alarms.parse_eventbridge import (
    is_alarm_action,
    is_eventbridge_alarm,
    parse_alarm_action,
    parse_eventbridge_alarm,
)
from alarm_bot.alarms.parse_generic import is_eventbridge_event, parse_generic_event, parse_json, parse_text
from alarm_bot.alarms.parse_sns import is_sns_alarm, parse_sns_alarm
from alarm_bot.alarms.parse_values import Envelope, mapping, safe_json, text
from alarm_bot.keep_warm import is_keep_warm
from alarm_bot.whole_text import whole_characters

__all__ = ["parse_lambda_event", "parse_message_body", "parse_notification"]

_NOT_JSON = object()


def parse_lambda_event(event: Mapping[str, Any]) -> list[Notification]:
    """What the fan-out Lambda receives: SNS records, an EventBridge event or an alarm action.

    The keep-warm ping (:mod:`alarm_bot.keep_warm`) is no notification: a ping that went to the
    dead-letter queue and is redriven must not reach Chat.
    """
    if is_keep_warm(event):
        return []
    return parse_notification(event)


def parse_notification(payload: object) -> list[Notification]:
    """Any payload (decoded JSON, raw text or bytes) to one or more notifications, never none.

    A string is decoded as JSON when it is JSON; an SNS event gives one notification per record.
    """
    payload = whole_characters(payload)  # a lone surrogate could be neither stored nor sent
    try:
        return _parse_payload(payload)
    except Exception:  # a last guard: a parsing bug must not lose the message
        return [parse_text(_last_resort_text(payload), Envelope())]


def parse_message_body(
    body: str,
    *,
    message_id: str | None = None,
    subject: str | None = None,
    timestamp: str | None = None,
    topic_arn: str | None = None,
) -> Notification:
    """An SNS ``Message`` string; the other arguments are the SNS fields around it."""
    fields = whole_characters([message_id, subject, timestamp, topic_arn, body])
    envelope = Envelope(message_id=fields[0], subject=fields[1], timestamp=fields[2], topic_arn=fields[3])
    body = fields[4]
    try:
        return _parse_body(body, envelope, json_source="sns")
    except Exception:  # a last guard: a parsing bug must not lose the message
        return parse_text(_last_resort_text(body), envelope)


def _parse_payload(payload: object) -> list[Notification]:
    if isinstance(payload, bytes | bytearray):
        payload = bytes(payload).decode("utf-8", "replace")
    if isinstance(payload, str):
        decoded = _loads(payload)
        if not isinstance(decoded, Mapping):
            return [_parse_body(payload, Envelope(), json_source="json")]
        payload = decoded
    records = mapping(payload).get("Records")
    if isinstance(records, list) and records:
        return [_parse_record(record) for record in records]
    return [_parse_object(payload, Envelope(), json_source="json")]


def _parse_record(record: object) -> Notification:
    sns = mapping(mapping(record).get("Sns"))
    if not sns:
        return parse_json(record, Envelope(), source="json")
    envelope = Envelope(
        message_id=text(sns.get("MessageId")),
        subject=text(sns.get("Subject")),
        timestamp=text(sns.get("Timestamp")),
        topic_arn=text(sns.get("TopicArn")),
    )
    message = sns.get("Message")
    if isinstance(message, str):
        return _parse_body(message, envelope, json_source="sns")
    if message is None:
        return parse_json(sns, envelope, source="sns")
    return _parse_object(message, envelope, json_source="sns")


def _parse_body(body: str, envelope: Envelope, *, json_source: str) -> Notification:
    decoded = _loads(body)
    if isinstance(decoded, Mapping | list):
        return _parse_object(decoded, envelope, json_source=json_source)
    return parse_text(body, envelope)


def _parse_object(value: object, envelope: Envelope, *, json_source: str) -> Notification:
    if not isinstance(value, Mapping):
        return parse_json(value, envelope, source=json_source)
    if is_alarm_action(value):
        return parse_alarm_action(value)
    if is_eventbridge_alarm(value):
        return parse_eventbridge_alarm(value)
    if is_eventbridge_event(value):
        return parse_generic_event(value, envelope)
    if is_sns_alarm(value):
        return parse_sns_alarm(value, envelope)
    return parse_json(value, envelope, source=json_source)


def _loads(body: str) -> object:
    """Decoded JSON; its escapes may spell lone surrogates, made whole here."""
    try:
        return whole_characters(json.loads(body))
    except (ValueError, RecursionError):
        return _NOT_JSON


def _last_resort_text(payload: object) -> str:
    if isinstance(payload, str):
        return payload
    return safe_json(payload)
