"""A space's outbox (notifications waiting to be shown) and its record of what was shown.

An entry is written when a notification cannot be shown at once: the space is collecting a
digest, its budget is spent, Google answered 429 or failed, or another consumer holds the space.
Entries sort by the time of the state change (``out#<ms>#<transition>``), so the space's holder
shows them in the order they happened, whatever order they arrived in. Writing an entry twice
(SNS and EventBridge, a redelivered queue message) leaves one entry: the key is the transition.

Once shown, an entry becomes a ``sent#<transition>`` record, kept 15 days (longer than a message
can wait in either queue), so a late duplicate finds it and shows nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from alarm_bot.alarms.model import Alarm, Notification
from alarm_bot.alarms.model_codec import CodecError, pack, unpack
from alarm_bot.store.delivery_keys import (
    BATCH_WRITE_LIMIT,
    EXPIRES_AT,
    OUTBOX_PREFIX,
    SENT_PREFIX,
    DynamoTable,
    dynamo_number,
    key,
    outbox_partition,
    read_number,
    read_text,
)

SENT_TTL_SECONDS = 15 * 86400
_MAX_MILLIS = 10**13 - 1  # 13 digits keep the sort order until the year 2286


def change_time(notification: Notification, arrived: float) -> float:
    """When it happened: the alarm's state change, the event's time, else when it arrived."""
    moment: datetime | None = (
        notification.changed_at if isinstance(notification, Alarm) else notification.time
    )
    return moment.timestamp() if moment is not None else arrived


@dataclass(frozen=True)
class OutboxEntry:
    """One notification waiting for one space."""

    notification: Notification
    at: float  # change_time(notification, …)
    first_seen: float
    attempts: int = 0  # failed writes so far
    announce: bool = True  # False: the space only needs its card resolved (it does not receive this)
    # Its own message was sent and failed without a clear "no" (a 5xx, a dropped connection): Google
    # may have created it. It is only ever retried as that message (same requestId), never digested.
    alone: bool = False

    @property
    def tid(self) -> str:
        return self.notification.transition_id

    @property
    def sort_key(self) -> str:
        millis = min(max(int(self.at * 1000), 0), _MAX_MILLIS)
        return f"{OUTBOX_PREFIX}{millis:013d}#{self.tid}"


class DynamoOutbox(DynamoTable):
    """Outbox entries and ``sent`` records in the spaces' delivery partitions."""

    def pending(self, space: str) -> tuple[list[OutboxEntry], list[str]]:
        """The space's entries in order, and the sort keys of entries that cannot be read."""
        entries: list[OutboxEntry] = []
        unreadable: list[str] = []
        for item in self._query_partition(outbox_partition(self._bot_id, space)):
            try:
                entries.append(_entry(item))
            except (CodecError, KeyError, ValueError):
                unreadable.append(read_text(item, "space_id"))
        return entries, unreadable

    def store(self, entries: Iterable[tuple[str, OutboxEntry]]) -> int:
        """Write ``(space, entry)`` pairs (25 a call); returns how many were written."""
        requests = [{"PutRequest": {"Item": self.item(space, entry)}} for space, entry in entries]
        for start in range(0, len(requests), BATCH_WRITE_LIMIT):
            self._batch_write(requests[start : start + BATCH_WRITE_LIMIT])
        return len(requests)

    def item(self, space: str, entry: OutboxEntry) -> dict[str, Any]:
        return {
            **key(outbox_partition(self._bot_id, space), entry.sort_key),
            "n": {"B": pack(entry.notification)},
            "at": dynamo_number(entry.at),
            "first_seen": dynamo_number(entry.first_seen),
            "attempts": {"N": str(entry.attempts)},
            "announce": {"BOOL": entry.announce},
            "alone": {"BOOL": entry.alone},
        }

    def put_request(self, space: str, entry: OutboxEntry) -> dict[str, Any]:
        return {"Put": {"TableName": self._table, "Item": self.item(space, entry)}}

    def delete_request(self, space: str, sort_key: str) -> dict[str, Any]:
        return {
            "Delete": {"TableName": self._table, "Key": key(outbox_partition(self._bot_id, space), sort_key)}
        }

    def sent_request(self, space: str, tid: str, now: float) -> dict[str, Any]:
        item = {
            **self._space_key(space, SENT_PREFIX + tid),
            "at": dynamo_number(now),
            EXPIRES_AT: {"N": str(int(now) + SENT_TTL_SECONDS)},
        }
        return {"Put": {"TableName": self._table, "Item": item}}

    def sent(self, space: str, tids: Sequence[str]) -> set[str]:
        """Which of ``tids`` were already shown in ``space``."""
        keys = [self._space_key(space, SENT_PREFIX + tid) for tid in dict.fromkeys(tids)]
        return {read_text(item, "space_id").removeprefix(SENT_PREFIX) for item in self._get_all(keys)}


def _entry(item: dict[str, Any]) -> OutboxEntry:
    return OutboxEntry(
        notification=unpack(bytes(item["n"]["B"])),
        at=read_number(item, "at") or 0.0,
        first_seen=read_number(item, "first_seen") or 0.0,
        attempts=int(read_number(item, "attempts") or 0),
        announce=bool(item.get("announce", {}).get("BOOL", True)),
        alone=bool(item.get("alone", {}).get("BOOL", False)),
    )
