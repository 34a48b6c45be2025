"""Posted digests and their lines, so a digest can be edited as its alarms change.

A digest (``digest#<id>`` in the space's delivery partition) is one Chat message standing for many
notifications in a storm. Each of its lines (``digest#<id>#<line>``) shows one alarm (or one other
notification) with every transition the digest has shown for it; later transitions of that alarm
are added to its line (``history``) and announced in the digest's thread, at most once per
``groupIntervalSeconds`` (``updates`` counts those announcements: it is part of their requestId).
Kept 30 days past the last change, like cards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alarm_bot.alarms.model import Notification
from alarm_bot.alarms.model_codec import CodecError, pack, unpack
from alarm_bot.store.delivery_keys import (
    DIGEST_PREFIX,
    EXPIRES_AT,
    SEPARATOR,
    DynamoTable,
    number,
    read_number,
    read_text,
)

DIGEST_TTL_SECONDS = 30 * 86400


@dataclass(frozen=True)
class DigestLine:
    """One alarm (or other notification) of a digest, with the transitions shown for it."""

    line_key: str  # the alarm key, or "n" + the transition for a notification that is no alarm
    notification: Notification  # the latest one shown on the line
    history: tuple[tuple[str, float], ...]  # (state, change time) of each transition, oldest first
    announced: int  # how many of ``history`` were announced (in the digest or a thread reply)
    late: bool = False  # the newest transition arrived after a newer one was shown


@dataclass(frozen=True)
class Digest:
    space: str
    digest_id: str
    message_name: str
    thread_name: str
    posted_at: float
    patched_at: float
    updates: int = 0


class DynamoDigests(DynamoTable):
    def _header_key(self, space: str, digest_id: str) -> dict[str, Any]:
        return self._space_key(space, DIGEST_PREFIX + digest_id)

    def get_many(self, space: str, digest_ids: Sequence[str]) -> dict[str, Digest]:
        keys = [self._header_key(space, digest_id) for digest_id in dict.fromkeys(digest_ids)]
        digests = (_digest(space, item) for item in self._get_all(keys))
        return {digest.digest_id: digest for digest in digests}

    def lines(self, space: str, digest_id: str) -> list[DigestLine]:
        """The digest's lines (unreadable ones are left out: the rest of the digest still shows)."""
        found = []
        for item in self._query_space(space, f"{DIGEST_PREFIX}{digest_id}{SEPARATOR}"):
            try:
                found.append(_line(item))
            except (CodecError, KeyError, ValueError):
                continue
        return found

    def header_request(self, digest: Digest, now: float) -> dict[str, Any]:
        item = {
            **self._header_key(digest.space, digest.digest_id),
            "message_name": {"S": digest.message_name},
            "thread_name": {"S": digest.thread_name},
            "posted_at": number(digest.posted_at),
            "patched_at": number(digest.patched_at),
            "updates": {"N": str(digest.updates)},
            EXPIRES_AT: {"N": str(int(now) + DIGEST_TTL_SECONDS)},
        }
        return {"Put": {"TableName": self._table, "Item": item}}

    def line_request(self, space: str, digest_id: str, line: DigestLine, now: float) -> dict[str, Any]:
        item = {
            **self._space_key(space, f"{DIGEST_PREFIX}{digest_id}{SEPARATOR}{line.line_key}"),
            "n": {"B": pack(line.notification)},
            "history": {"L": [{"M": {"s": {"S": state}, "at": number(at)}} for state, at in line.history]},
            "announced": {"N": str(line.announced)},
            "late": {"BOOL": line.late},
            EXPIRES_AT: {"N": str(int(now) + DIGEST_TTL_SECONDS)},
        }
        return {"Put": {"TableName": self._table, "Item": item}}


def _digest(space: str, item: dict[str, Any]) -> Digest:
    return Digest(
        space=space,
        digest_id=read_text(item, "space_id").removeprefix(DIGEST_PREFIX),
        message_name=read_text(item, "message_name"),
        thread_name=read_text(item, "thread_name"),
        posted_at=read_number(item, "posted_at") or 0.0,
        patched_at=read_number(item, "patched_at") or 0.0,
        updates=int(read_number(item, "updates") or 0),
    )


def _line(item: dict[str, Any]) -> DigestLine:
    history = tuple(
        (str(entry["M"]["s"]["S"]), float(entry["M"]["at"]["N"])) for entry in item["history"]["L"]
    )
    return DigestLine(
        line_key=read_text(item, "space_id").rpartition(SEPARATOR)[2],
        notification=unpack(bytes(item["n"]["B"])),
        history=history,
        announced=int(read_number(item, "announced") or 0),
        late=bool(item.get("late", {}).get("BOOL", False)),
    )
