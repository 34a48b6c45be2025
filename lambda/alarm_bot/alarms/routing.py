"""Which subscribed spaces get a notification: pure, so the rules are easy to read and test.

A space receives an alarm when it is subscribed, not muted, and either has no filters or has a
glob pattern matching the alarm name (case-sensitive, as CloudWatch alarm names are). Notifications
that are not alarms have no alarm name to match, so they go only to spaces without filters.
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
        return True
    if not isinstance(notification, Alarm):
        return False
    return any(fnmatchcase(notification.name, pattern) for pattern in space.filters)


def recipients(spaces: Iterable[SpaceRecord], notification: Notification, now: float) -> list[SpaceRecord]:
    return [space for space in spaces if wants(space, notification, now)]
