"""Which alarms are in ALARM right now, for ``status``: the list, its deadline, and its cut to one space.

The bot only sees transitions; what is still firing is CloudWatch's to say, and asking it is I/O,
so that lives at the edge (:mod:`alarm_bot.cloudwatch.firing_alarms`, a :class:`FiringSource`).
What the answer is, how long asking may take and which alarms one space would receive are plain
values and rules, kept here so ``chat`` and the tests use them without CloudWatch. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Protocol

from alarm_bot.alarms.places import Place
from alarm_bot.alarms.routing import matches_filters
from alarm_bot.alarms.space_record import SpaceRecord


@dataclass(frozen=True)
class Limits:
    """Seconds the lookup may take: with the token check before it (Google's certificates) and the
    reply after it (``reserve``), within the Chat function's timeout (tests/infra checks the template)."""

    budget: float = 4.0
    connect: float = 1.0
    read: float = 2.0
    reserve: float = 2.0

    @property
    def per_call(self) -> float:
        """One DescribeAlarms call at worst: a single attempt's connect and read timeouts."""
        return self.connect + self.read


DEFAULT_LIMITS: Final = Limits()


@dataclass(frozen=True)
class FiringAlarm:
    name: str
    region: str | None
    since: float | None  # StateUpdatedTimestamp, epoch seconds
    account: str | None = None  # from the ARN: the function's own account


@dataclass(frozen=True)
class FiringList:
    """Alarms in ALARM; ``complete=False`` when the deadline cut CloudWatch's answer short."""

    alarms: tuple[FiringAlarm, ...] = ()
    complete: bool = True


class FiringUnavailable(Exception):
    """Not a single page of CloudWatch's answer could be read in time."""


class FiringSource(Protocol):
    def firing(self) -> FiringList: ...


def for_space(space: SpaceRecord, listed: FiringList) -> FiringList:
    """The firing alarms this space would receive, the most recent first (a cut list stays cut)."""
    if not space.subscribed:
        return FiringList()
    matching = [
        alarm
        for alarm in listed.alarms
        if matches_filters(space, alarm.name, Place(alarm.account, alarm.region))
    ]
    ordered = sorted(matching, key=lambda alarm: (-(alarm.since or 0), alarm.name))
    return FiringList(tuple(ordered), listed.complete)
