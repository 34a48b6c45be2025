"""Who receives what: subscription, mute and glob filters."""

from __future__ import annotations

import pytest

from alarm_bot.alarms.model import Alarm, AlarmState, GenericNotification
from alarm_bot.alarms.routing import recipients, wants
from alarm_bot.alarms.space_record import SpaceRecord

NOW = 1_800_000_000.0
ALARM = Alarm(name="prod-api/5xx 비율", state=AlarmState.ALARM, source="sns")
HEALTH = GenericNotification(title="AWS Health Event", source="eventbridge", dedup_id="e1")


@pytest.mark.parametrize(
    ("space", "expected"),
    [
        (SpaceRecord("spaces/all"), True),
        (SpaceRecord("spaces/off", subscribed=False), False),
        (SpaceRecord("spaces/muted", muted_until=int(NOW) + 60), False),
        (SpaceRecord("spaces/mute-over", muted_until=int(NOW)), True),
        (SpaceRecord("spaces/prod", filters=("prod-*",)), True),
        (SpaceRecord("spaces/korean", filters=("*비율",)), True),
        (SpaceRecord("spaces/dev", filters=("dev-*",)), False),
        (SpaceRecord("spaces/case", filters=("PROD-*",)), False),
        (SpaceRecord("spaces/any-of", filters=("dev-*", "prod-api/*")), True),
        (SpaceRecord("spaces/question", filters=("prod-ap?/5xx*",)), True),
    ],
)
def test_alarm_routing(space: SpaceRecord, expected: bool) -> None:
    assert wants(space, ALARM, NOW) is expected


def test_non_alarm_notifications_go_only_to_unfiltered_spaces() -> None:
    spaces = [SpaceRecord("spaces/all"), SpaceRecord("spaces/prod", filters=("prod-*",))]
    assert [s.space for s in recipients(spaces, HEALTH, NOW)] == ["spaces/all"]
    assert [s.space for s in recipients(spaces, ALARM, NOW)] == ["spaces/all", "spaces/prod"]


def test_an_alarm_muted_here_skips_only_this_space_and_only_this_alarm() -> None:
    other = Alarm(name="prod-db/latency", state=AlarmState.ALARM, source="sns")
    muted = SpaceRecord("spaces/muted-one", alarm_mutes={ALARM.key: int(NOW) + 3600})
    filtered = SpaceRecord("spaces/filtered", filters=("prod-*",), alarm_mutes={ALARM.key: int(NOW) + 60})
    spaces = [SpaceRecord("spaces/all"), muted, filtered]
    assert [s.space for s in recipients(spaces, ALARM, NOW)] == ["spaces/all"]
    assert [s.space for s in recipients(spaces, other, NOW)] == [
        "spaces/all",
        "spaces/muted-one",
        "spaces/filtered",
    ]
    assert [s.space for s in recipients(spaces, HEALTH, NOW)] == ["spaces/all", "spaces/muted-one"]


def test_a_per_alarm_mute_ends_on_time() -> None:
    space = SpaceRecord("spaces/A", alarm_mutes={ALARM.key: int(NOW)})
    assert wants(space, ALARM, NOW - 1) is False
    assert wants(space, ALARM, NOW) is True


def test_the_alarm_key_names_the_alarm_not_the_transition() -> None:
    ok = Alarm(name=ALARM.name, state=AlarmState.OK, source="eventbridge")
    assert ok.key == ALARM.key and len(ALARM.key) == 40
    assert ALARM.thread_key == f"alarm-{ALARM.key}"
