"""What a message in the dead-letter queue holds, and the event to give the fan-out code again.

Three things write to the queue (see ``chatbot_stack/dead_letter_queue.py``), each its own way:

* the fan-out function's asynchronous on-failure destination: an invocation record, ``{"version",
  "timestamp", "requestContext": {"condition", "approximateInvokeCount", …}, "requestPayload": <the
  event>, "responseContext", "responsePayload": {"errorMessage", …}}``;
* the SNS subscription's redrive policy: the SNS message envelope (``Type``, ``MessageId``,
  ``TopicArn``, ``Message``…), rebuilt here into the SNS event Lambda would have received;
* the EventBridge target's dead-letter queue: the event itself, with ``ERROR_CODE`` /
  ``ERROR_MESSAGE`` message attributes.

A Lambda event (``Records``) put there by hand is taken as it is. Anything else cannot be
redriven and stays in the queue for a person to read. Pure functions, no AWS calls.
"""

from __future__ import annotations

import datetime
import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from alarm_bot.alarms.model import Alarm
from alarm_bot.alarms.parse import parse_lambda_event

_REASON_ATTRIBUTES: Final = ("ERROR_MESSAGE", "ErrorMessage", "ERROR_CODE", "ErrorCode")


class Origin(enum.StrEnum):
    LAMBDA_DESTINATION = "lambda-destination"
    SNS = "sns-subscription"
    EVENTBRIDGE = "eventbridge"
    LAMBDA_EVENT = "lambda-event"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class DeadLetter:
    """One received SQS message: where it came from and the event to redeliver (``None``: cannot)."""

    message_id: str
    receipt_handle: str
    origin: Origin
    event: dict[str, Any] | None
    failed_at: str
    reason: str

    def notifications(self) -> list[str]:
        """Each notification in the event as "STATE name (time)" or its title, for people."""
        if self.event is None:
            return []
        described = []
        for notification in parse_lambda_event(self.event):
            if isinstance(notification, Alarm):
                when = (
                    notification.changed_at.isoformat(timespec="seconds") if notification.changed_at else "?"
                )
                described.append(f"{notification.state} {notification.name} ({when})")
            else:
                described.append(notification.title)
        return described


def read_dead_letter(message: Mapping[str, Any]) -> DeadLetter:
    """A ``ReceiveMessage`` entry (with ``Attributes`` and ``MessageAttributes``) as a DeadLetter."""
    body = _json(str(message.get("Body", "")))
    origin, event = _event(body)
    attributes = message.get("Attributes") or {}
    return DeadLetter(
        message_id=str(message.get("MessageId", "")),
        receipt_handle=str(message.get("ReceiptHandle", "")),
        origin=origin,
        event=event,
        failed_at=_failed_at(body, attributes),
        reason=_reason(body, message.get("MessageAttributes") or {}),
    )


def _event(body: object) -> tuple[Origin, dict[str, Any] | None]:
    if not isinstance(body, dict):
        return Origin.UNKNOWN, None
    payload = body.get("requestPayload")
    if isinstance(body.get("requestContext"), dict) and isinstance(payload, dict):
        return Origin.LAMBDA_DESTINATION, payload
    if body.get("Type") == "Notification" and isinstance(body.get("Message"), str):
        record = {"EventSource": "aws:sns", "EventVersion": "1.0", "Sns": body}
        return Origin.SNS, {"Records": [record]}
    if isinstance(body.get("detail-type"), str) and "source" in body:
        return Origin.EVENTBRIDGE, body
    if isinstance(body.get("Records"), list) and body["Records"]:
        return Origin.LAMBDA_EVENT, body
    return Origin.UNKNOWN, None


def _failed_at(body: object, attributes: Mapping[str, Any]) -> str:
    """The record's own timestamp, else when SQS received the message."""
    if isinstance(body, dict) and isinstance(body.get("timestamp"), str) and "requestContext" in body:
        return str(body["timestamp"])
    sent = str(attributes.get("SentTimestamp", ""))
    if sent.isdigit():
        moment = datetime.datetime.fromtimestamp(int(sent) / 1000, datetime.UTC)
        return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
    return ""


def _reason(body: object, message_attributes: Mapping[str, Any]) -> str:
    if isinstance(body, dict) and isinstance(body.get("requestContext"), dict):
        response = body.get("responsePayload")
        error = response.get("errorMessage") if isinstance(response, dict) else None
        condition = body["requestContext"].get("condition", "")
        return " — ".join(str(part) for part in (condition, error) if part)
    for name in _REASON_ATTRIBUTES:
        attribute = message_attributes.get(name)
        if isinstance(attribute, dict) and attribute.get("StringValue"):
            return str(attribute["StringValue"])
    return ""


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
