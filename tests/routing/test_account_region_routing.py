"""Routing by account and region: AND across kinds of term, OR within one kind, unknown matches none.

The alarms are the adapted real EventBridge samples from two other accounts and regions
(tests/fixtures/adapted), a real SNS alarm, the old bot's JSON and a real AWS Health event.
"""

from __future__ import annotations

import pytest

from alarm_bot.alarms.filters import Filters, display_term, ordered, reads_as_term
from alarm_bot.alarms.firing import FiringAlarm, FiringList, for_space
from alarm_bot.alarms.model import Notification
from alarm_bot.alarms.parse import parse_message_body
from alarm_bot.alarms.routing import recipients, wants
from alarm_bot.alarms.space_record import SpaceRecord
from tests.alarms.alarm_samples import only, sample_text

NOW = 1_800_000_000.0
EU = "account:912397435824"  # eventbridge_math_eu: "Test alert", eu-west-1
US = "account:444455556666"  # eventbridge_metric_us: "lambda-demo-metric-alarm", us-east-1
TOPIC = "arn:aws:sns:ap-northeast-2:111122223333:AlarmChatBot-Alarms"


def space(*terms: str) -> SpaceRecord:
    return SpaceRecord("spaces/A", filters=tuple(sorted(terms)))


def routed(notification: Notification, *terms: str) -> bool:
    return wants(space(*terms), notification, NOW)


@pytest.mark.parametrize(
    ("terms", "eu", "us"),
    [
        ((), True, True),
        ((EU,), True, False),
        ((EU, US), True, True),  # two accounts: either
        (("region:eu-west-1",), True, False),
        (("region:eu-west-1", "region:us-east-1"), True, True),  # two regions: either
        ((EU, "region:us-east-1"), False, False),  # account AND region
        ((US, "region:us-east-1"), False, True),
        ((EU, US, "region:eu-west-1"), True, False),
        (("Test*", EU), True, False),  # name AND account
        (("Test*", US), False, False),
        (("lambda-*", "Test*", "region:us-east-1"), False, True),
        (("region:ap-northeast-2",), False, False),
    ],
)
def test_terms_combine(terms: tuple[str, ...], eu: bool, us: bool) -> None:
    assert routed(only("eventbridge_math_eu"), *terms) is eu
    assert routed(only("eventbridge_metric_us"), *terms) is us


def test_an_alarm_whose_place_is_unknown_matches_no_account_or_region_term() -> None:
    legacy = only("legacy_missing_fields")
    assert routed(legacy, "batch-*")
    assert not routed(legacy, "batch-*", "account:111122223333")
    assert not routed(legacy, "region:ap-northeast-2")


def test_the_old_bots_json_through_the_topic_is_filed_under_the_topics_place() -> None:
    legacy = parse_message_body(sample_text("legacy_missing_fields"), topic_arn=TOPIC)
    assert routed(legacy, "account:111122223333", "region:ap-northeast-2")
    assert not routed(legacy, "region:eu-west-1")


def test_other_notifications_follow_place_terms_but_never_name_patterns() -> None:
    health = only("event_health")  # account 123456789012, us-west-2
    assert routed(health, "account:123456789012")
    assert routed(health, "region:us-west-2", "region:eu-west-1")
    assert not routed(health, "region:eu-west-1")
    assert not routed(health, "account:123456789012", "AWS*"), "a pattern names alarms only"


def test_stored_records_of_earlier_versions_read_as_name_patterns() -> None:
    old = SpaceRecord("spaces/old", filters=("DB*", "ECS:High*"))
    assert Filters.of(old.filters) == Filters(names=("DB*", "ECS:High*"))
    assert [s.space for s in recipients([old], only("sns_ok"), NOW)] == ["spaces/old"]  # DBMigrationRequired


def test_filters_are_listed_as_typed_patterns_first() -> None:
    stored = ("region:us-east-1", "account:444455556666", "pay-*", "ECS:High*", "account:999988887777")
    names = {"444455556666": "staging"}
    assert [display_term(term, names) for term in ordered(stored)] == [
        "name:ECS:High*",  # typed that way, or it would read as an unknown ECS: term
        "pay-*",
        "account:staging",
        "account:999988887777",
        "region:us-east-1",
    ]
    assert reads_as_term("ECS:High*") and not reads_as_term("prod-api:5xx") and not reads_as_term("a*")


def test_the_firing_list_of_status_applies_account_and_region_terms() -> None:
    alarms = FiringList(
        (
            FiringAlarm("prod-api", "ap-northeast-2", 300.0, account="111122223333"),
            FiringAlarm("prod-db", "ap-northeast-2", 200.0, account="111122223333"),
        )
    )
    listed = [alarm.name for alarm in for_space(space("account:111122223333"), alarms).alarms]
    assert listed == ["prod-api", "prod-db"]
    assert for_space(space("account:444455556666"), alarms).alarms == ()
    assert for_space(space("region:us-east-1", "prod-*"), alarms).alarms == ()
    named = for_space(space("prod-d*", "region:ap-northeast-2"), alarms).alarms
    assert [alarm.name for alarm in named] == ["prod-db"]


def test_an_account_is_listed_by_a_name_only_when_typing_it_gives_the_same_account() -> None:
    names = {"111122223333": "Production EU", "444455556666": "dev", "777788889999": "DEV"}
    listed = [display_term(term, names) for term in ("account:111122223333", "account:444455556666")]
    assert listed == ["account:111122223333", "account:dev"]
    assert display_term("account:777788889999", names) == "account:DEV"
    id_like = {"111122223333": "444455556666"}
    assert display_term("account:111122223333", id_like) == "account:111122223333"
