"""The delivery queue as delivery uses it: intake, scheduled flushes, returns and dead letters.

Everything that waits, waits in SQS, never in a sleeping function:

* **intake**: SNS, the EventBridge rule and (through the function) CloudWatch's Lambda alarm action
  put notifications on the queue; the event source mapping hands them to the consumer in batches;
* **flush** messages (``{"alarmChatBot": "flush", "space": …}``), sent with a delay, are the timers
  of a space: a digest that is due, a write budget that frees up, a retry after a failure;
* a flush that fails is **returned** with a visibility delay (the message's receive count grows, so a
  space that keeps failing ends in the dead-letter queue after the documented number of receives);
* a notification that can never be shown (Chat refused it, or it waited six hours) is put in the
  **dead-letter queue** itself, as ``{"alarmChatBot": "undelivered", …}``, for ``alarm-bot redrive``.

SQS counts delays in whole seconds (at most 900 for a delay, 12 hours for visibility); this rounds up.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, Final, Protocol

import boto3

from alarm_bot.alarms.model import Notification
from alarm_bot.alarms.model_codec import encode

if TYPE_CHECKING:
    from mypy_boto3_sqs.client import SQSClient

MARKER: Final = "alarmChatBot"
EVENT: Final = "event"
FLUSH: Final = "flush"
UNDELIVERED: Final = "undelivered"
MAX_DELAY_SECONDS: Final = 900
MAX_VISIBILITY_SECONDS: Final = 43_200


class WorkQueue(Protocol):
    def send(self, body: str, delay: float = 0.0) -> None: ...
    def return_later(self, receipt_handle: str, delay: float) -> None: ...
    def dead_letter(self, body: str) -> None: ...


def event_body(event: dict[str, Any]) -> str:
    """A notification event that reached the function directly (a Lambda alarm action)."""
    return json.dumps({MARKER: EVENT, EVENT: event}, ensure_ascii=False, separators=(",", ":"))


def flush_body(space: str) -> str:
    return json.dumps({MARKER: FLUSH, "space": space}, separators=(",", ":"))


def undelivered_body(space: str, notification: Notification, reason: str, failed_at: str) -> str:
    return json.dumps(
        {
            MARKER: UNDELIVERED,
            "space": space,
            "notification": encode(notification),
            "reason": reason,
            "failedAt": failed_at,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


class SqsWorkQueue:
    """:class:`WorkQueue` on the delivery queue and its dead-letter queue."""

    def __init__(self, queue_url: str, dead_letter_url: str, client: SQSClient | None = None) -> None:
        self._queue_url = queue_url
        self._dead_letter_url = dead_letter_url
        self._client_instance = client

    @property
    def _client(self) -> SQSClient:
        if self._client_instance is None:
            self._client_instance = boto3.client("sqs")
        return self._client_instance

    def send(self, body: str, delay: float = 0.0) -> None:
        seconds = min(max(math.ceil(delay), 0), MAX_DELAY_SECONDS)
        self._client.send_message(QueueUrl=self._queue_url, MessageBody=body, DelaySeconds=seconds)

    def return_later(self, receipt_handle: str, delay: float) -> None:
        seconds = min(max(math.ceil(delay), 0), MAX_VISIBILITY_SECONDS)
        self._client.change_message_visibility(
            QueueUrl=self._queue_url, ReceiptHandle=receipt_handle, VisibilityTimeout=seconds
        )

    def dead_letter(self, body: str) -> None:
        self._client.send_message(QueueUrl=self._dead_letter_url, MessageBody=body)
