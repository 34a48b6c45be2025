"""Posted digests and their lines, so a digest can be edited as its alarms change.

A digest (``digest#<id>`` in the space's delivery partition) is one Chat message standing for many
notifications in a storm. The item keeps the message and thread names and, compressed, every line:
one alarm (or one other notification) with each transition the digest has shown for it. Later
transitions of that alarm are added to its line (``history``) and announced in the digest's thread,
at most once per ``groupIntervalSeconds`` (``updates`` counts those announcements: it is part of
their requestId). One item per digest, because a digest is always read and written whole: to edit
it, to redraw it on a click. It stays small (a digest shows at most about fifty alarms: a few
kilobytes compressed). Kept 30 days past the last change, like cards.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from alarm_bot.alarms.model import Notification
from alarm_bot.alarms.model_codec import CodecError, decode, encode
from alarm_bot.store.delivery_keys import (
    DIGEST_PREFIX,
    EXPIRES_AT,
    DynamoTable,
    dynamo_number,
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
    lines: tuple[DigestLine, ...] = field(default=(), hash=False)
    part: int = 1  # this message's number among the messages the digest was posted in
    parts: int = 1
    mentioned: bool = False  # posted with ``<users/all>`` (mention on): its redraws keep it


class DynamoDigests(DynamoTable):
    def _key(self, space: str, digest_id: str) -> dict[str, Any]:
        return self._space_key(space, DIGEST_PREFIX + digest_id)

    def get_many(self, space: str, digest_ids: Sequence[str]) -> dict[str, Digest]:
        keys = [self._key(space, digest_id) for digest_id in dict.fromkeys(digest_ids)]
        digests = (_digest(space, item) for item in self._get_all(keys))
        return {digest.digest_id: digest for digest in digests}

    def get(self, space: str, digest_id: str) -> Digest | None:
        return self.get_many(space, [digest_id]).get(digest_id)

    def put_request(self, digest: Digest, now: float) -> dict[str, Any]:
        item = {
            **self._key(digest.space, digest.digest_id),
            "message_name": {"S": digest.message_name},
            "thread_name": {"S": digest.thread_name},
            "posted_at": dynamo_number(digest.posted_at),
            "patched_at": dynamo_number(digest.patched_at),
            "updates": {"N": str(digest.updates)},
            "part": {"N": str(digest.part)},
            "parts": {"N": str(digest.parts)},
            "mentioned": {"BOOL": digest.mentioned},
            "lines": {"B": _pack(digest.lines)},
            EXPIRES_AT: {"N": str(int(now) + DIGEST_TTL_SECONDS)},
        }
        return {"Put": {"TableName": self._table, "Item": item}}


def _pack(lines: Sequence[DigestLine]) -> bytes:
    plain = [
        {
            "key": line.line_key,
            "n": encode(line.notification),
            "history": [[state, at] for state, at in line.history],
            "announced": line.announced,
            "late": line.late,
        }
        for line in lines
    ]
    return zlib.compress(json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def _unpack(data: bytes) -> tuple[DigestLine, ...]:
    """The lines; one that cannot be read is left out, so the rest of the digest still shows."""
    try:
        plain = json.loads(zlib.decompress(data))
    except (zlib.error, ValueError):
        return ()
    lines = []
    for raw in plain if isinstance(plain, list) else ():
        try:
            history = tuple((str(state), float(at)) for state, at in raw["history"])
            lines.append(
                DigestLine(
                    str(raw["key"]), decode(raw["n"]), history, int(raw["announced"]), bool(raw["late"])
                )
            )
        except (CodecError, KeyError, TypeError, ValueError):
            continue
    return tuple(lines)


def _digest(space: str, item: dict[str, Any]) -> Digest:
    return Digest(
        space=space,
        digest_id=read_text(item, "space_id").removeprefix(DIGEST_PREFIX),
        message_name=read_text(item, "message_name"),
        thread_name=read_text(item, "thread_name"),
        posted_at=read_number(item, "posted_at") or 0.0,
        patched_at=read_number(item, "patched_at") or 0.0,
        updates=int(read_number(item, "updates") or 0),
        part=int(read_number(item, "part") or 1),
        parts=int(read_number(item, "parts") or 1),
        mentioned=bool(item.get("mentioned", {}).get("BOOL", False)),
        lines=_unpack(bytes(item["lines"]["B"])) if "lines" in item else (),
    )
