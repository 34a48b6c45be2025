"""Alarms in ALARM cut to one space: its filters, newest first, and a cut list stays cut (pure)."""

from __future__ import annotations

import pytest

from alarm_bot.alarms.firing import FiringAlarm, FiringList, for_space
from alarm_bot.alarms.space_record import SpaceRecord


@pytest.mark.parametrize(
    ("space", "expected"),
    [
        (SpaceRecord("spaces/all"), ["prod-new", "dev-x", "prod-old", "unknown-time"]),
        (SpaceRecord("spaces/prod", filters=("prod-*",)), ["prod-new", "prod-old"]),
        (SpaceRecord("spaces/off", subscribed=False), []),
    ],
)
def test_a_space_sees_what_its_filters_match_newest_first(space: SpaceRecord, expected: list[str]) -> None:
    alarms = [
        FiringAlarm("prod-old", "eu-west-1", 100.0),
        FiringAlarm("unknown-time", "eu-west-1", None),
        FiringAlarm("prod-new", "eu-west-1", 300.0),
        FiringAlarm("dev-x", "eu-west-1", 200.0),
    ]
    assert [alarm.name for alarm in for_space(space, FiringList(tuple(alarms))).alarms] == expected


def test_a_space_keeps_knowing_that_the_list_was_cut() -> None:
    cut = FiringList((FiringAlarm("dev-x", None, 1.0), FiringAlarm("prod-a", None, 2.0)), complete=False)
    space = SpaceRecord("spaces/prod", filters=("prod-*",))
    assert for_space(space, cut) == FiringList((FiringAlarm("prod-a", None, 2.0),), complete=False)
    assert for_space(space, FiringList(cut.alarms[:1], complete=False)) == FiringList(complete=False)
    assert for_space(SpaceRecord("spaces/off", subscribed=False), cut) == FiringList()
