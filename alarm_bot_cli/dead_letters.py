"""What a message in the dead-letter queue holds, and the work to give the delivery pipeline again.

Several things write to the queue (see ``chatbot_stack/dead_letter_queue.py``), each its own way;
:mod:`alarm_bot.delivery.queue_records` reads them all:

* the delivery queue's redrive policy: the message as it was (an SNS envelope, an EventBridge
  event, the function's wrapper of a direct event, or a ``flush`` of one space that kept failing);
* delivery itself: ``undelivered`` notifications for one space that Chat refused or that waited too
  long;
* the fan-out function of earlier versions: its asynchronous on-failure record (``requestContext``,
  ``requestPayload``…), the SNS subscription's and EventBridge target's dead letters;
* a Lambda event (``Records``) put there by hand.

Anything else cannot be redriven and stays in the queue for a person to read. Pure functions.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from alarm_bot.alarms.model import Alarm, Notification
from alarm_bot.alarms.parse import parse_lambda_event
from alarm_bot.delivery.queue_records import Origin, QueuedWork, queued_event, read_body

_REASON_ATTRIBUTES: Final = ("ERROR_MESSAGE", "ErrorMessage", "ERROR_CODE", "ErrorCode")
_REDRIVABLE: Final = (Origin.FLUSH, Origin.UNDELIVERED)

__all__ = ["DeadLetter", "Origin", "read_dead_letter"]


@dataclass(frozen=True)
class DeadLetter:
    """One received SQS message: where it came from and the work to redo (``None``: cannot)."""

    message_id: str
    receipt_handle: str
    origin: Origin
    event: dict[str, Any] | None
    failed_at: str
    reason: str
    work: QueuedWork | None = field(default=None, hash=False)
    sent_at: float = 0.0  # epoch seconds

    def notifications(self) -> list[str]:
        """Each notification in the letter as "STATE name (time)" or its title, for people."""
        if self.work is None:
            return []
        if self.work.origin is Origin.FLUSH:
            return [f"waiting notifications of {self.work.space}"]
        described = [_describe(notification) for notification in self.work.notifications]
        if self.work.origin is Origin.UNDELIVERED:
            return [f"{line} for {self.work.space}" for line in described]
        return described


def _describe(notification: Notification) -> str:
    if isinstance(notification, Alarm):
        when = notification.changed_at.isoformat(timespec="seconds") if notification.changed_at else "?"
        return f"{notification.state} {notification.name} ({when})"
    return notification.title


def read_dead_letter(message: Mapping[str, Any]) -> DeadLetter:
    """A ``ReceiveMessage`` entry (with ``Attributes`` and ``MessageAttributes``) as a DeadLetter."""
    text = str(message.get("Body", ""))
    body = _json(text)
    origin, event = queued_event(body) if isinstance(body, dict) else (Origin.UNKNOWN, None)
    work = None
    if event is not None:
        work = QueuedWork(origin, tuple(parse_lambda_event(event)), event=event)
    elif isinstance(body, dict):
        read = read_body(text)
        if read.origin in _REDRIVABLE:
            origin, work = read.origin, read
    attributes = message.get("Attributes") or {}
    sent = str(attributes.get("SentTimestamp", ""))
    return DeadLetter(
        message_id=str(message.get("MessageId", "")),
        receipt_handle=str(message.get("ReceiptHandle", "")),
        origin=origin,
        event=event,
        failed_at=_failed_at(body, attributes),
        reason=_reason(body, message.get("MessageAttributes") or {}),
        work=work,
        sent_at=int(sent) / 1000 if sent.isdigit() else 0.0,
    )


def _failed_at(body: object, attributes: Mapping[str, Any]) -> str:
    """The record's own timestamp, else when SQS received the message."""
    if isinstance(body, dict) and isinstance(body.get("timestamp"), str) and "requestContext" in body:
        return str(body["timestamp"])
    if isinstance(body, dict) and isinstance(body.get("failedAt"), str):
        return str(body["failedAt"])
    sent = str(attributes.get("SentTimestamp", ""))
    if sent.isdigit():
        moment = datetime.datetime.fromtimestamp(int(sent) / 1000, datetime.UTC)
        return moment.isoformat(timespec="seconds").replace("+00:00", "Z")
    return ""


def _reason(body: object, message_attributes: Mapping[str, Any]) -> str:
    if isinstance(body, dict) and isinstance(body.get("reason"), str):
        return str(body["reason"])
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
