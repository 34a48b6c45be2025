"""Every payload shape becomes the one internal model, with the facts a person needs."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from alarm_bot.alarms.model import Alarm, AlarmKind, AlarmState, Child, GenericNotification, Metric
from alarm_bot.alarms.parse import parse_lambda_event, parse_notification
from tests.alarms.alarm_samples import only, parsed, sample_text


def alarm(sample: str) -> Alarm:
    notification = only(sample)
    assert isinstance(notification, Alarm)
    return notification


def generic(sample: str) -> GenericNotification:
    notification = only(sample)
    assert isinstance(notification, GenericNotification)
    return notification


def test_sns_metric_alarm() -> None:
    parsed_alarm = alarm("sns_single_metric")
    assert (parsed_alarm.name, parsed_alarm.state, parsed_alarm.source) == (
        "EXAMPLE",
        AlarmState.ALARM,
        "sns",
    )
    assert parsed_alarm.kind is AlarmKind.METRIC
    assert parsed_alarm.previous_state is AlarmState.INSUFFICIENT_DATA
    assert parsed_alarm.metric == Metric(
        namespace="AWS/EC2",
        name="NetworkOut",
        statistic="Average",
        unit="Bytes",
        period=60,
        dimensions=(("InstanceId", "TestInstance"),),
    )
    assert (parsed_alarm.comparison, parsed_alarm.threshold) == ("GreaterThanThreshold", 0.0)
    assert parsed_alarm.evaluation_periods == 1
    assert parsed_alarm.treat_missing_data == "missing"
    assert parsed_alarm.changed_at == datetime(2015, 6, 3, 17, 43, 27, 123000, tzinfo=UTC)
    # The sample's ARN says REGION and the Region field EXAMPLE: neither is a region.
    assert parsed_alarm.region is None
    assert parsed_alarm.account == "123456789012"


def test_sns_math_alarm() -> None:
    parsed_alarm = alarm("sns_math")
    assert parsed_alarm.kind is AlarmKind.MATH
    assert parsed_alarm.metric is None
    assert [query.id for query in parsed_alarm.queries] == ["e1", "m1"]
    expression, metric_query = parsed_alarm.queries
    assert (expression.expression, expression.label, expression.return_data) == ("m1*1", "Expression1", True)
    assert metric_query.metric is not None and metric_query.metric.name == "NetworkOut"
    assert metric_query.metric.dimensions == (("InstanceId", "TestInstance"),)


def test_sns_ok_alarm_with_null_unit_and_region_display_name() -> None:
    parsed_alarm = alarm("sns_ok")
    assert parsed_alarm.state is AlarmState.OK and parsed_alarm.previous_state is AlarmState.ALARM
    assert parsed_alarm.region == "us-east-1"  # "US (Virginia)", no ARN
    assert parsed_alarm.metric is not None
    assert parsed_alarm.metric.unit is None and parsed_alarm.metric.dimensions == ()
    assert parsed_alarm.metric.statistic == "Sum"
    assert parsed_alarm.treat_missing_data == "NonBreaching"
    assert (
        parsed_alarm.description
        == 'App is reporting "A JPA error occurred(Unable to build EntityManagerFactory)"'
    )


def test_bare_body_without_trigger() -> None:
    parsed_alarm = alarm("body_no_trigger")
    assert (parsed_alarm.kind, parsed_alarm.source, parsed_alarm.region) == (
        AlarmKind.UNKNOWN,
        "sns",
        "eu-west-1",
    )
    assert parsed_alarm.account == "000000000000"


def test_korean_name_with_spaces_and_slash() -> None:
    parsed_alarm = alarm("sns_korean_name")
    assert parsed_alarm.name == "결제 API/오류율 높음"
    assert parsed_alarm.arn is not None and parsed_alarm.arn.endswith(":alarm:결제 API/오류율 높음")
    assert (parsed_alarm.region, parsed_alarm.account) == ("ap-northeast-2", "123456789012")
    assert parsed_alarm.description is None
    assert parsed_alarm.metric is not None and parsed_alarm.metric.unit is None
    assert parsed_alarm.changed_at == datetime(2026, 3, 14, 5, 20, 3, tzinfo=UTC)
    assert parsed_alarm.datapoints_to_alarm == 3


def test_anomaly_alarm() -> None:
    parsed_alarm = alarm("sns_anomaly")
    assert parsed_alarm.kind is AlarmKind.ANOMALY
    assert parsed_alarm.threshold is None
    assert parsed_alarm.threshold_metric_id == "ad1"
    assert parsed_alarm.comparison == "LessThanLowerOrGreaterThanUpperThreshold"
    assert parsed_alarm.region == "ap-northeast-1"


@pytest.mark.parametrize(
    ("sample", "children"),
    [
        (
            "sns_composite_arns",
            (
                Child("arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:prod-api-5xx-high"),
                Child("arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:prod-api-latency-p99"),
            ),
        ),
        (
            "sns_composite_states",
            (
                Child(
                    "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:prod-api-latency-p99",
                    AlarmState.ALARM,
                ),
            ),
        ),
        (
            "action_composite",
            (
                Child(
                    "arn:aws:cloudwatch:us-east-1:111122223333:alarm:CompositeDemo.FirstChild",
                    AlarmState.ALARM,
                ),
            ),
        ),
        (
            "eventbridge_composite",
            (Child("arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:prod-api-5xx-high", AlarmState.OK),),
        ),
    ],
)
def test_composite_alarms(sample: str, children: tuple[Child, ...]) -> None:
    parsed_alarm = alarm(sample)
    assert parsed_alarm.kind is AlarmKind.COMPOSITE
    assert parsed_alarm.alarm_rule and parsed_alarm.alarm_rule.startswith("ALARM(")
    assert parsed_alarm.children == children


def test_legacy_json_with_fields_missing_is_an_alarm() -> None:
    parsed_alarm = alarm("legacy_missing_fields")
    assert (parsed_alarm.source, parsed_alarm.state, parsed_alarm.kind) == (
        "legacy",
        AlarmState.ALARM,
        AlarmKind.METRIC,
    )
    assert (parsed_alarm.arn, parsed_alarm.region, parsed_alarm.account) == (None, None, None)
    assert parsed_alarm.metric is not None and parsed_alarm.metric.statistic == "Maximum"


def test_eventbridge_alarm_with_dimension_map() -> None:
    parsed_alarm = alarm("eventbridge_metric")
    assert (parsed_alarm.source, parsed_alarm.kind, parsed_alarm.region) == (
        "eventbridge",
        AlarmKind.METRIC,
        "ap-northeast-2",
    )
    assert parsed_alarm.metric is not None
    assert parsed_alarm.metric.dimensions == (
        ("LoadBalancer", "app/prod-alb/50dc6c495c0c9188"),
        ("TargetGroup", "targetgroup/prod-api/73e2d6bc24d8a067"),
    )
    assert parsed_alarm.threshold == 50.0  # from state.reasonData
    assert parsed_alarm.changed_at == datetime(2026, 3, 14, 5, 10, 42, 621000, tzinfo=UTC)


def test_lambda_action_metric_alarm() -> None:
    parsed_alarm = alarm("action_metric")
    assert (parsed_alarm.source, parsed_alarm.kind) == ("lambda-action", AlarmKind.METRIC)
    assert (parsed_alarm.region, parsed_alarm.account) == ("us-east-1", "444455556666")
    assert parsed_alarm.metric is not None and parsed_alarm.metric.unit == "Percent"


def test_lambda_action_names_come_from_alarm_data() -> None:
    parsed_alarm = alarm("action_math")
    assert parsed_alarm.name == "Test alert"  # the ARN says test_alarm
    assert parsed_alarm.account == "912397435824"  # the ARN wins over accountId
    assert parsed_alarm.kind is AlarmKind.MATH
    assert [query.id for query in parsed_alarm.queries] == ["e1", "m1", "m2"]


def test_same_transition_through_sns_and_eventbridge_has_one_id() -> None:
    body = json.loads(sample_text("sns_composite_arns"))
    event = json.loads(sample_text("eventbridge_composite"))
    event["detail"]["state"].update(value="ALARM", timestamp=body["StateChangeTime"])
    from_sns, from_eventbridge = parse_notification(body)[0], parse_notification(event)[0]
    assert from_sns.transition_id == from_eventbridge.transition_id


def test_sns_event_gives_one_notification_per_record() -> None:
    notifications = parsed("sns_backup")
    assert len(notifications) == 4
    assert all(isinstance(item, GenericNotification) and item.source == "text" for item in notifications)
    last = notifications[3]
    assert isinstance(last, GenericNotification) and last.dedup_id == "73214c2e-47bf-5e25-9552-2ea8c4b38809"


def test_plain_text_sns_message() -> None:
    notification = generic("sns_text_powertools")
    assert (notification.title, notification.text) == ("TestInvoke", "Hello from SNS!")
    assert (notification.account, notification.region) == ("123456789012", "us-east-2")  # from TopicArn
    assert notification.dedup_id == "95df01b4-ee98-5cb9-9903-4c221d41eb5e"


def test_eventbridge_event_inside_sns_uses_the_sns_message_id() -> None:
    notification = generic("sns_glue")
    assert notification.dedup_id == "00337b3f-0982-5cb1-9138-22799c885da9"
    assert notification.title == "Glue Job State Change"
    assert ("state", "FAILED") in notification.facts and ("jobName", "test_job") in notification.facts
    assert notification.severity == "ERROR"


@pytest.mark.parametrize(
    ("sample", "title", "expected_facts", "severity"),
    [
        ("event_guardduty", "GuardDuty Finding", [("type", "Recon:EC2 PortProbeUnprotectedPort")], "9"),
        ("event_health", "AWS Health Event", [("source", "aws.health"), ("service", "EC2")], None),
        ("event_securityhub", "Security Hub Findings - Imported", [("source", "aws.securityhub")], "LOW"),
        ("event_inspector", "Inspector2 Finding", [("title", "CVE-2024-29069 - snapd")], "MEDIUM"),
        ("event_codebuild", "CodeBuild Build State Change", [("build-status", "SUCCEEDED")], None),
    ],
)
def test_other_eventbridge_events_become_key_facts(
    sample: str, title: str, expected_facts: list[tuple[str, str]], severity: str | None
) -> None:
    notification = generic(sample)
    assert (notification.title, notification.source, notification.severity) == (
        title,
        "eventbridge",
        severity,
    )
    assert set(expected_facts) <= set(notification.facts)
    assert len(notification.facts) <= 9  # source + at most 8 detail fields


def test_eventbridge_dedup_id_is_the_event_id() -> None:
    assert generic("event_inspector").dedup_id == "4d621919-f1f4-4201-a0e2-37e4e330ff51"


def test_lambda_event_entry_point() -> None:
    notifications = parse_lambda_event(json.loads(sample_text("sns_korean_name")))
    assert [type(item) for item in notifications] == [Alarm]
