"""Which subscribed spaces get a notification: pure, so the rules are easy to read and test.

A space receives an alarm when it is subscribed, not muted (as a whole, or for this one alarm from
the alarm's card), and either has no filters or has a glob pattern matching the alarm name
(case-sensitive, as CloudWatch alarm names are). Per-alarm mutes live on the space record, which the
fan-out already has, so this costs no read. Notifications that are not alarms have no alarm name to
match, so they go only to spaces without filters.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase

from alarm_bot.alarms.model import Alarm, Notification
from alarm_bot.store.spaces import SpaceRecord


def wants(space: SpaceRecord, notification: Notification, now: float) -> bool:
    if not space.subscribed or space.is_muted(now):
        return False
    if not space.filters:
        return not _muted_here(space, notification, now)
    if not isinstance(notification, Alarm):
        return False
    return matches_filters(space, notification.name) and not _muted_here(space, notification, now)


def matches_filters(space: SpaceRecord, alarm_name: str) -> bool:
    """No filters means every alarm; otherwise any glob pattern must match the name."""
    return not space.filters or any(fnmatchcase(alarm_name, pattern) for pattern in space.filters)


def recipients(spaces: Iterable[SpaceRecord], notification: Notification, now: float) -> list[SpaceRecord]:
    return [space for space in spaces if wants(space, notification, now)]


def _muted_here(space: SpaceRecord, notification: Notification, now: float) -> bool:
    return isinstance(notification, Alarm) and space.alarm_muted_until(notification.key, now) is not None
