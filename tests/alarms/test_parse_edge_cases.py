"""Edge cases of parsing: times, ARNs, regions, ids, and JSON that is not an AWS event."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from alarm_bot.alarms.model import Alarm, GenericNotification
from alarm_bot.alarms.parse import parse_message_body, parse_notification


def test_other_json_becomes_scalar_facts() -> None:
    notification = parse_message_body(
        json.dumps({"a": 1, "b": "two", "nested": {"x": 1}, **{f"k{i}": i for i in range(20)}}),
        message_id="m-1",
    )
    assert isinstance(notification, GenericNotification)
    assert notification.facts[:2] == (("a", "1"), ("b", "two"))
    assert len(notification.facts) == 10
    assert notification.dedup_id == "m-1"


def test_content_digest_when_there_is_no_id() -> None:
    first, second = parse_notification("same words"), parse_notification("same words")
    assert first[0].transition_id == second[0].transition_id
    assert first[0].transition_id != parse_notification("other words")[0].transition_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-10-02T17:20:03.000+0000", datetime(2019, 10, 2, 17, 20, 3, tzinfo=UTC)),
        ("2019-10-02T17:20:03Z", datetime(2019, 10, 2, 17, 20, 3, tzinfo=UTC)),
        ("2019-10-02T17:20:03+00:00", datetime(2019, 10, 2, 17, 20, 3, tzinfo=UTC)),
        ("2019-10-02T17:20:03", datetime(2019, 10, 2, 17, 20, 3, tzinfo=UTC)),
        ("2019-10-03T02:20:03+0900", datetime(2019, 10, 3, 2, 20, 3, tzinfo=timezone(timedelta(hours=9)))),
        (None, None),
        ("yesterday", None),
        (1570036803, None),
    ],
)
def test_state_change_times(value: object, expected: datetime | None) -> None:
    parsed_alarm = parse_notification({"AlarmName": "a", "NewStateValue": "OK", "StateChangeTime": value})[0]
    assert isinstance(parsed_alarm, Alarm)
    assert parsed_alarm.changed_at == expected
    assert parsed_alarm.changed_at is None or parsed_alarm.changed_at.tzinfo is not None


@pytest.mark.parametrize(
    ("arn", "name", "region"),
    [
        ("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:a:alarm:b", "a:alarm:b", "eu-west-1"),
        ("arn:aws-cn:cloudwatch:cn-north-1:123456789012:alarm:x y/z", "x y/z", "cn-north-1"),
        ("arn:aws:cloudwatch:nowhere:123456789012:alarm:n", "n", None),
    ],
)
def test_names_and_regions_from_arns(arn: str, name: str, region: str | None) -> None:
    parsed_alarm = parse_notification({"AlarmArn": arn, "NewStateValue": "ALARM", "OldStateValue": "OK"})[0]
    assert isinstance(parsed_alarm, Alarm)
    assert (parsed_alarm.name, parsed_alarm.region, parsed_alarm.account) == (name, region, "123456789012")


def test_arn_region_beats_the_display_name() -> None:
    body = {
        "AlarmName": "a",
        "AlarmArn": "arn:aws:cloudwatch:ap-northeast-2:1:alarm:a",
        "Region": "EU (Ireland)",
    }
    [parsed_alarm] = parse_notification(body)
    assert isinstance(parsed_alarm, Alarm) and parsed_alarm.region == "ap-northeast-2"


@pytest.mark.parametrize(
    ("display_name", "code"),
    [
        ("Asia Pacific (Seoul)", "ap-northeast-2"),
        ("EU - Ireland", "eu-west-1"),
        ("US East (N. Virginia)", "us-east-1"),
        ("ap-southeast-2", "ap-southeast-2"),
        ("Somewhere (New)", None),
    ],
)
def test_region_display_names_without_an_arn(display_name: str, code: str | None) -> None:
    [parsed_alarm] = parse_notification({"AlarmName": "a", "NewStateValue": "OK", "Region": display_name})
    assert isinstance(parsed_alarm, Alarm) and parsed_alarm.region == code


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("- TreatMissingData:                    missing", "missing"),
        ("- TreatMissingData:NonBreaching", "NonBreaching"),
        ("ignore", "ignore"),
        ("- TreatMissingData:   ", None),
        (None, None),
    ],
)
def test_treat_missing_data_is_cleaned(raw: str | None, clean: str | None) -> None:
    body = {"AlarmName": "a", "Trigger": {"MetricName": "m", "TreatMissingData": raw}}
    [parsed_alarm] = parse_notification(body)
    assert isinstance(parsed_alarm, Alarm) and parsed_alarm.treat_missing_data == clean


def test_extended_statistic_and_capitalised_statistics() -> None:
    [p99] = parse_notification({"AlarmName": "a", "Trigger": {"MetricName": "m", "ExtendedStatistic": "p99"}})
    [count] = parse_notification(
        {"AlarmName": "a", "Trigger": {"MetricName": "m", "Statistic": "SAMPLE_COUNT"}}
    )
    assert isinstance(p99, Alarm) and p99.metric is not None and p99.metric.statistic == "p99"
    assert isinstance(count, Alarm) and count.metric is not None and count.metric.statistic == "SampleCount"


def test_records_that_are_not_sns_are_shown_as_json() -> None:
    notifications = parse_notification({"Records": [{"eventSource": "aws:s3", "awsRegion": "us-east-1"}]})
    assert len(notifications) == 1
    assert isinstance(notifications[0], GenericNotification)
    assert ("eventSource", "aws:s3") in notifications[0].facts


def test_json_without_scalars_is_shown_as_json_text() -> None:
    notification = parse_message_body('[{"a": 1}]', message_id="id-1", subject="Batch")
    assert isinstance(notification, GenericNotification)
    assert (notification.title, notification.text, notification.source) == ("Batch", '[{"a": 1}]', "sns")


def test_numbers_and_strings_as_alarm_fields() -> None:
    body = {
        "AlarmName": 42,
        "NewStateValue": "ok",
        "Trigger": {"MetricName": "m", "Threshold": "80", "Period": "300"},
    }
    [parsed_alarm] = parse_notification(body)
    assert isinstance(parsed_alarm, Alarm)
    assert (parsed_alarm.name, parsed_alarm.state, parsed_alarm.threshold) == ("42", "OK", 80.0)
    assert parsed_alarm.metric is not None and parsed_alarm.metric.period == 300
