"""From waiting notifications to the lines of a digest (pure).

A digest has one line per alarm (per other notification): several transitions of one alarm that
waited together, or that come after the digest was posted, add to the line's ``history`` instead of
adding lines, so the digest keeps showing each alarm once, in its latest state. What a line then
shows (with its acknowledgements and mutes) is :mod:`alarm_bot.store.digest_view`'s, because the Chat
function redraws digests too and may not import ``delivery``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from alarm_bot.alarms.model import Alarm, Notification
from alarm_bot.delivery.plan_steps import Show
from alarm_bot.store.digests import DigestLine
from alarm_bot.store.outbox import OutboxEntry


def line_key(notification: Notification) -> str:
    """The alarm's key, or one of its own for a notification that is no alarm."""
    return notification.key if isinstance(notification, Alarm) else "n" + notification.transition_id[:39]


def new_lines(entries: Iterable[tuple[OutboxEntry, Show]]) -> list[DigestLine]:
    """The lines of a new digest, in the order their first transition happened."""
    lines: dict[str, DigestLine] = {}
    for entry, show in sorted(entries, key=lambda pair: (pair[0].at, pair[0].tid)):
        key = line_key(entry.notification)
        previous = lines.get(key)
        history = (*(previous.history if previous else ()), (_state(entry.notification), entry.at))
        lines[key] = DigestLine(
            line_key=key,
            notification=entry.notification,
            history=history,
            announced=len(history),
            late=show is Show.LATE,
        )
    return list(lines.values())


def updated_lines(
    lines: Sequence[DigestLine], entries: Iterable[OutboxEntry]
) -> tuple[list[DigestLine], list[DigestLine]]:
    """All lines after ``entries`` (later transitions of their alarms), and the lines that changed."""
    by_key = {line.line_key: line for line in lines}
    changed: dict[str, DigestLine] = {}
    for entry in sorted(entries, key=lambda item: (item.at, item.tid)):
        key = line_key(entry.notification)
        line = by_key.get(key)
        history = (*(line.history if line else ()), (_state(entry.notification), entry.at))
        fresh = DigestLine(key, entry.notification, history, announced=len(history), late=False)
        by_key[key] = changed[key] = fresh
    return list(by_key.values()), list(changed.values())


def _state(notification: Notification) -> str:
    return notification.state.value if isinstance(notification, Alarm) else ""
