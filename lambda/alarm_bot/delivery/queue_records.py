"""What a message of the delivery queue (or its dead-letter queue) holds, as work for delivery.

The queue is written by several hands, each its own way (pure functions, no AWS calls):

* the SNS subscription: the SNS envelope (``Type: Notification``, ``Message``…), rebuilt here into
  the SNS event Lambda would have received;
* the EventBridge rule: the event itself;
* the function, for events it received directly (CloudWatch's Lambda alarm action):
  ``{"alarmChatBot": "event", "event": …}``;
* delivery itself: ``flush`` timers and, in the dead-letter queue, ``undelivered`` notifications;
* the fan-out function of earlier versions, in the dead-letter queue: its asynchronous on-failure
  record (``requestContext``, ``requestPayload``…); and a Lambda event (``Records``) put there by hand.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alarm_bot.alarms.model import Notification
from alarm_bot.alarms.model_codec import CodecError, decode
from alarm_bot.alarms.parse import parse_lambda_event, parse_notification
from alarm_bot.delivery.work_queue import EVENT, FLUSH, MARKER, UNDELIVERED


class Origin(enum.StrEnum):
    SNS = "sns-subscription"
    EVENTBRIDGE = "eventbridge"
    DIRECT = "direct-invocation"
    FLUSH = "scheduled-flush"
    UNDELIVERED = "undelivered"
    LAMBDA_DESTINATION = "lambda-destination"
    LAMBDA_EVENT = "lambda-event"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class QueuedWork:
    """One queue message as work: notifications to route, or one space to flush or redeliver to."""

    origin: Origin
    notifications: tuple[Notification, ...] = ()
    space: str | None = None  # FLUSH and UNDELIVERED concern one space only
    event: dict[str, Any] | None = None  # the notification event, when the message held one


def read_body(text: str) -> QueuedWork:
    """The work in a message body; a body that fits no shape is a notification of its own text."""
    body = _json(text)
    if isinstance(body, dict):
        work = _known(body)
        if work is not None:
            return work
    return QueuedWork(Origin.UNKNOWN, tuple(parse_notification(text)))


def _known(body: dict[str, Any]) -> QueuedWork | None:
    marker = body.get(MARKER)
    if marker == FLUSH and isinstance(body.get("space"), str):
        return QueuedWork(Origin.FLUSH, space=body["space"])
    if (
        marker == UNDELIVERED
        and isinstance(body.get("space"), str)
        and isinstance(body.get("notification"), dict)
    ):
        try:
            notification = decode(body["notification"])
        except (CodecError, KeyError, TypeError, ValueError):
            return None
        return QueuedWork(Origin.UNDELIVERED, (notification,), space=body["space"])
    origin, event = queued_event(body)
    if event is None:
        return None
    return QueuedWork(origin, tuple(parse_lambda_event(event)), event=event)


def queued_event(body: Mapping[str, Any]) -> tuple[Origin, dict[str, Any] | None]:
    """The Lambda-style event a message holds, and who put it there (``None``: no event)."""
    payload = body.get("requestPayload")
    if isinstance(body.get("requestContext"), dict) and isinstance(payload, dict):
        return Origin.LAMBDA_DESTINATION, payload
    if body.get(MARKER) == EVENT and isinstance(body.get(EVENT), dict):
        return Origin.DIRECT, body[EVENT]
    if body.get("Type") == "Notification" and isinstance(body.get("Message"), str):
        record = {"EventSource": "aws:sns", "EventVersion": "1.0", "Sns": dict(body)}
        return Origin.SNS, {"Records": [record]}
    if isinstance(body.get("detail-type"), str) and "source" in body:
        return Origin.EVENTBRIDGE, dict(body)
    if isinstance(body.get("Records"), list) and body["Records"]:
        return Origin.LAMBDA_EVENT, dict(body)
    return Origin.UNKNOWN, None


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None
