"""Which subscribed spaces get a notification: pure, so the rules are easy to read and test.

A space receives a notification when it is subscribed, not muted (as a whole, or for this one alarm
from the alarm's card), and has no filters or filters that match it
(:class:`~alarm_bot.alarms.filters.Filters`: alarm-name globs, accounts, regions; all kinds given
must match, any term of one kind). Per-alarm mutes live on the space record, which the fan-out
already has, so this costs no read. A notification that is not an alarm has no name to match: it
goes to spaces without name patterns whose account and region terms (if any) match where it is from.
"""

from __future__ import annotations

from collections.abc import Iterable

from alarm_bot.alarms.filters import Filters
from alarm_bot.alarms.model import Alarm, Notification
from alarm_bot.alarms.places import Place
from alarm_bot.alarms.space_record import SpaceRecord


def wants(space: SpaceRecord, notification: Notification, now: float) -> bool:
    if not space.subscribed or space.is_muted(now):
        return False
    if space.filters and not Filters.of(space.filters).matches(notification):
        return False
    return not _muted_here(space, notification, now)


def matches_filters(space: SpaceRecord, alarm_name: str, place: Place | None = None) -> bool:
    """No filters means every alarm; otherwise the alarm's name and place must match them."""
    return not space.filters or Filters.of(space.filters).matches_alarm(alarm_name, place or Place())


def recipients(spaces: Iterable[SpaceRecord], notification: Notification, now: float) -> list[SpaceRecord]:
    return [space for space in spaces if wants(space, notification, now)]


def _muted_here(space: SpaceRecord, notification: Notification, now: float) -> bool:
    return isinstance(notification, Alarm) and space.alarm_muted_until(notification.key, now) is not None
