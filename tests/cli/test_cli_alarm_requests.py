"""The pure half of ``attach`` / ``detach``: plans and Put requests built field by field.

moto keeps most fields through a Put (see test_cli_attach.py), but not all: it drops ``AccountId``
of ``Metrics`` entries and has no PutCompositeAlarm (the tests add one). Every field is therefore
checked here, on DescribeAlarms entries shaped as AWS returns them.
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

import botocore.session
import pytest

from alarm_bot_cli.alarm_requests import (
    COMPOSITE_ALARM_FIELDS,
    METRIC_ALARM_FIELDS,
    AlarmType,
    attach_plan,
    detach_plan,
    put_request,
)
from tests.support.attach_sample_queries import anomaly_band_queries, error_rate_queries

TOPIC = "arn:aws:sns:ap-northeast-2:123456789012:AlarmChatBot-Alarms"
OTHER = "arn:aws:sns:ap-northeast-2:123456789012:pager"
NOW = datetime.datetime(2026, 3, 14, 5, 20, tzinfo=datetime.UTC)
STATE_FIELDS = {
    "AlarmArn": "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:x",
    "AlarmConfigurationUpdatedTimestamp": NOW,
    "StateValue": "ALARM",
    "StateReason": "Threshold Crossed",
    "StateReasonData": "{}",
    "StateUpdatedTimestamp": NOW,
    "StateTransitionedTimestamp": NOW,
    "EvaluationState": "PARTIAL_DATA",
}
# What a Put of METRIC carries over: every setting but AlarmActions (the test sets those), no state.
METRIC_SETTINGS: dict[str, Any] = {
    "AlarmName": "prod-api-p99",
    "AlarmDescription": "p99 latency of the orders API",
    "ActionsEnabled": False,
    "OKActions": [OTHER],
    "InsufficientDataActions": [OTHER],
    "MetricName": "Latency",
    "Namespace": "AWS/ApiGateway",
    "ExtendedStatistic": "p99",
    "Dimensions": [{"Name": "ApiName", "Value": "orders"}, {"Name": "Stage", "Value": "prod"}],
    "Period": 60,
    "Unit": "Milliseconds",
    "EvaluationPeriods": 5,
    "DatapointsToAlarm": 3,
    "Threshold": 250.0,
    "ComparisonOperator": "GreaterThanThreshold",
    "TreatMissingData": "notBreaching",
    "EvaluateLowSampleCountPercentile": "ignore",
}
METRIC: dict[str, Any] = {**METRIC_SETTINGS, "AlarmActions": [OTHER], **STATE_FIELDS}
MATH: dict[str, Any] = {
    "AlarmName": "prod-error-rate",
    "ActionsEnabled": True,
    "OKActions": [],
    "AlarmActions": [],
    "InsufficientDataActions": [],
    "Dimensions": [],
    "EvaluationPeriods": 2,
    "Threshold": 5.0,
    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
    "TreatMissingData": "breaching",
    "Metrics": error_rate_queries(),
    **STATE_FIELDS,
}
ANOMALY: dict[str, Any] = {
    "AlarmName": "prod-orders-anomaly",
    "ActionsEnabled": True,
    "OKActions": [],
    "AlarmActions": [TOPIC],
    "InsufficientDataActions": [],
    "EvaluationPeriods": 3,
    "DatapointsToAlarm": 2,
    "ComparisonOperator": "LessThanLowerOrGreaterThanUpperThreshold",
    "TreatMissingData": "missing",
    "ThresholdMetricId": "band",
    "Metrics": anomaly_band_queries(),
    **STATE_FIELDS,
}
COMPOSITE: dict[str, Any] = {
    "AlarmName": "prod-checkout-down",
    "AlarmDescription": "Checkout is failing",
    "ActionsEnabled": True,
    "AlarmActions": [OTHER],
    "OKActions": [],
    "InsufficientDataActions": [],
    "AlarmRule": 'ALARM("prod-error-rate") AND NOT ALARM("maintenance")',
    "ActionsSuppressor": "maintenance",
    "ActionsSuppressorWaitPeriod": 60,
    "ActionsSuppressorExtensionPeriod": 300,
    "ActionsSuppressedBy": "None",
    "ActionsSuppressedReason": "",
    **{key: value for key, value in STATE_FIELDS.items() if key != "EvaluationState"},
}


def put_members(operation: str) -> set[str]:
    model = botocore.session.get_session().get_service_model("cloudwatch")
    shape = model.operation_model(operation).input_shape
    assert shape is not None
    return set(shape.members) - {"Tags"}


def test_field_lists_are_the_put_operations_parameters_without_tags() -> None:
    """A parameter added to the API fails here, instead of being silently reset by attach."""
    assert set(METRIC_ALARM_FIELDS) == put_members("PutMetricAlarm")
    assert set(COMPOSITE_ALARM_FIELDS) == put_members("PutCompositeAlarm")


def test_metric_alarm_fields_are_copied_one_by_one() -> None:
    request = put_request(METRIC, AlarmType.METRIC, {"AlarmActions": (OTHER, TOPIC)})
    assert request.pop("AlarmActions") == [OTHER, TOPIC]
    for field, value in METRIC_SETTINGS.items():
        assert request.pop(field) == value, field
    assert request == {}, "nothing else: no state, ARN, timestamps or tags"


def test_metric_math_keeps_every_query_field_and_drops_empty_dimensions() -> None:
    request = put_request(MATH, AlarmType.METRIC, {})
    assert "Dimensions" not in request and "MetricName" not in request
    rate, errors, requests = request["Metrics"]
    assert rate == {
        "Id": "rate",
        "Expression": "errors / requests * 100",
        "Label": "Error %",
        "ReturnData": True,
    }
    assert errors == MATH["Metrics"][1], "MetricStat, Unit, ReturnData False and AccountId kept"
    assert requests["Period"] == 60 and requests["ReturnData"] is False
    assert "Dimensions" not in requests["MetricStat"]["Metric"]
    assert request["Threshold"] == 5.0 and request["TreatMissingData"] == "breaching"
    assert set(request) == {
        "AlarmName",
        "ActionsEnabled",
        "EvaluationPeriods",
        "Threshold",
        "ComparisonOperator",
        "TreatMissingData",
        "Metrics",
    }


def test_anomaly_detection_keeps_threshold_metric_id_and_band() -> None:
    request = put_request(ANOMALY, AlarmType.METRIC, {})
    assert request["ThresholdMetricId"] == "band"
    assert request["Metrics"][0]["Expression"] == "ANOMALY_DETECTION_BAND(orders, 2)"
    assert request["Metrics"] == ANOMALY["Metrics"]
    assert request["ComparisonOperator"] == "LessThanLowerOrGreaterThanUpperThreshold"
    assert request["DatapointsToAlarm"] == 2 and "Threshold" not in request


def test_composite_alarm_fields_are_copied_one_by_one() -> None:
    request = put_request(COMPOSITE, AlarmType.COMPOSITE, {"OKActions": (TOPIC,)})
    assert request == {
        "AlarmName": "prod-checkout-down",
        "AlarmDescription": "Checkout is failing",
        "ActionsEnabled": True,
        "AlarmActions": [OTHER],
        "OKActions": [TOPIC],
        "AlarmRule": 'ALARM("prod-error-rate") AND NOT ALARM("maintenance")',
        "ActionsSuppressor": "maintenance",
        "ActionsSuppressorWaitPeriod": 60,
        "ActionsSuppressorExtensionPeriod": 300,
    }


def test_newer_api_fields_are_carried_over() -> None:
    entry = {**METRIC, "ActionConfiguration": {"Mode": "x"}, "EvaluationInterval": 60}
    request = put_request(entry, AlarmType.METRIC, {})
    assert request["ActionConfiguration"] == {"Mode": "x"} and request["EvaluationInterval"] == 60


def test_the_request_does_not_share_data_with_the_entry() -> None:
    entry = copy.deepcopy(MATH)
    request = put_request(entry, AlarmType.METRIC, {})
    request["Metrics"][1]["MetricStat"]["Metric"]["Dimensions"].append({"Name": "x", "Value": "y"})
    assert entry == MATH


def test_attach_adds_the_topic_last_to_the_lists_that_lack_it() -> None:
    plan = attach_plan(ANOMALY, AlarmType.METRIC, TOPIC, ("AlarmActions", "OKActions"))
    assert dict(plan.new_actions) == {"OKActions": (TOPIC,)}
    plan = attach_plan(
        METRIC, AlarmType.METRIC, TOPIC, ("AlarmActions", "OKActions", "InsufficientDataActions")
    )
    assert dict(plan.new_actions) == {
        name: (OTHER, TOPIC) for name in ("AlarmActions", "OKActions", "InsufficientDataActions")
    }


def test_attach_is_idempotent_and_respects_the_action_limit() -> None:
    attached = {**METRIC, "AlarmActions": [OTHER, TOPIC], "OKActions": [TOPIC]}
    plan = attach_plan(attached, AlarmType.METRIC, TOPIC, ("AlarmActions", "OKActions"))
    assert not plan.changes and plan.skipped == "already attached"
    full = {**METRIC, "AlarmActions": [f"{OTHER}-{index}" for index in range(5)]}
    plan = attach_plan(full, AlarmType.METRIC, TOPIC, ("AlarmActions",))
    assert not plan.changes and "5 actions" in (plan.skipped or "")


@pytest.mark.parametrize("entry", [METRIC, MATH, ANOMALY, COMPOSITE], ids=lambda entry: entry["AlarmName"])
def test_detach_after_attach_restores_the_request(entry: dict[str, Any]) -> None:
    kind = AlarmType.COMPOSITE if "AlarmRule" in entry else AlarmType.METRIC
    entry = {**entry, "AlarmActions": [action for action in entry["AlarmActions"] if action != TOPIC]}
    every_list = ("AlarmActions", "OKActions", "InsufficientDataActions")
    attached = {**entry, **attach_plan(entry, kind, TOPIC, every_list).new_actions}
    assert all(TOPIC in attached[name] for name in every_list)
    detached = {**attached, **detach_plan(attached, kind, TOPIC).new_actions}
    assert put_request(detached, kind, {}) == put_request(entry, kind, {})


def test_detach_keeps_the_other_actions_in_order() -> None:
    entry = {**METRIC, "AlarmActions": [OTHER, TOPIC, f"{OTHER}-2"], "OKActions": [TOPIC]}
    plan = detach_plan(entry, AlarmType.METRIC, TOPIC)
    assert dict(plan.new_actions) == {"AlarmActions": (OTHER, f"{OTHER}-2"), "OKActions": ()}
    assert "OKActions" not in put_request(entry, AlarmType.METRIC, plan.new_actions)
    assert detach_plan(METRIC, AlarmType.METRIC, TOPIC).skipped == "not attached"
