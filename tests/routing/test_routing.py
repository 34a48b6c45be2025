"""Who receives what: subscription, mute and glob filters."""

from __future__ import annotations

import pytest

from alarm_bot.alarms.model import Alarm, AlarmState, GenericNotification
from alarm_bot.alarms.routing import recipients, wants
from alarm_bot.store.spaces import SpaceRecord

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
