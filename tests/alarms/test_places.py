"""Where a notification comes from: the shapes accepted, the SNS topic's place for old JSON, names."""

from __future__ import annotations

import json

import pytest

from alarm_bot.alarms.model import Alarm, AlarmState, GenericNotification
from alarm_bot.alarms.model_codec import decode, encode
from alarm_bot.alarms.parse import parse_message_body
from alarm_bot.alarms.places import (
    Place,
    account_detail,
    account_label,
    alarm_sources,
    is_account_id,
    is_region_code,
    place_of,
    resolve_account,
)
from tests.alarms.alarm_samples import only, sample_text

TOPIC = "arn:aws:sns:ap-northeast-2:111122223333:AlarmChatBot-Alarms"
NAMES = {"111122223333": "prod", "444455556666": "Staging"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("111122223333", True),
        ("11112222333", False),
        ("1111222233334", False),
        ("111122223333\n", False),  # ``$`` alone would let a trailing newline through
        ("١١١١٢٢٢٢٣٣٣٣", False),  # Arabic-Indic digits are ``\d`` too
        ("prod", False),
        (111122223333, False),
        (None, False),
    ],
)
def test_account_ids_are_twelve_ascii_digits(value: object, expected: bool) -> None:
    assert is_account_id(value) is expected


@pytest.mark.parametrize(
    "code", ["ap-northeast-2", "us-east-1", "us-gov-west-1", "cn-north-1", "us-iso-east-1", "us-isob-east-1"]
)
def test_every_kind_of_region_code_is_accepted(code: str) -> None:
    assert is_region_code(code)


@pytest.mark.parametrize(
    "value", ["Seoul", "AP-NORTHEAST-2", "ap-northeast", "ap-northeast-22", "eu-west-1\n", "", "x" * 300]
)
def test_anything_else_is_no_region_code(value: str) -> None:
    assert not is_region_code(value)


def test_an_alarm_is_filed_under_its_own_account_and_region() -> None:
    assert place_of(only("eventbridge_math_eu")) == Place("912397435824", "eu-west-1")
    assert place_of(only("sns_ok")) == Place("735598076380", "us-east-1")
    assert place_of(only("sns_single_metric")) == Place("123456789012", None), "Region: EXAMPLE"


def test_old_json_without_account_or_region_takes_the_topics() -> None:
    legacy = parse_message_body(sample_text("legacy_missing_fields"), topic_arn=TOPIC)
    assert isinstance(legacy, Alarm) and legacy.source == "legacy"
    assert (legacy.account, legacy.region) == (None, None), "the card shows only what the alarm says"
    assert place_of(legacy) == Place("111122223333", "ap-northeast-2")
    assert place_of(only("legacy_missing_fields")) == Place(), "no topic, nothing to assume"


def test_the_topic_is_kept_with_the_alarm_but_not_in_its_identity() -> None:
    legacy = parse_message_body(sample_text("legacy_missing_fields"), topic_arn=TOPIC)
    bare = only("legacy_missing_fields")
    assert isinstance(legacy, Alarm) and isinstance(bare, Alarm)
    assert legacy.key == bare.key and legacy.transition_id == bare.transition_id
    assert decode(json.loads(json.dumps(encode(legacy)))) == legacy


def test_malformed_places_are_unknown() -> None:
    hostile = Alarm(name="x", state=AlarmState.ALARM, source="legacy", account="<users/all>", region="Seoul")
    assert place_of(hostile) == Place()
    notice = GenericNotification(title="t", source="text", dedup_id="d", account="1" * 12, region="eu-west-1")
    assert place_of(notice) == Place("1" * 12, "eu-west-1")


def test_accounts_are_shown_by_name_and_resolved_in_any_capitalisation() -> None:
    assert account_label("111122223333", NAMES) == "prod"
    assert account_label("999988887777", NAMES) == "999988887777"
    assert account_label(None, NAMES) is None
    assert account_detail("444455556666", NAMES) == "Staging (444455556666)"
    assert account_detail("999988887777", NAMES) == "999988887777"
    assert resolve_account("STAGING", NAMES) == "444455556666"
    assert resolve_account("999988887777", NAMES) == "999988887777"
    assert resolve_account("12345", NAMES) is None


def test_sources_count_alarms_with_a_well_formed_place_only() -> None:
    alarms = [
        only("eventbridge_math_eu"),
        only("action_math"),  # the same alarm through the Lambda action: the same place
        only("eventbridge_metric_us"),
        only("legacy_missing_fields"),  # no place
        only("event_health"),  # not an alarm
        Alarm(name="x", state=AlarmState.OK, source="sns", account="12345", region="eu-west-1"),
    ]
    assert dict(alarm_sources(alarms)) == {
        ("912397435824", "eu-west-1"): 2,
        ("444455556666", "us-east-1"): 1,
    }
