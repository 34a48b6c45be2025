"""``alarm-bot attach`` / ``detach`` against moto: the topic comes and goes, nothing else changes.

Checked on every kind of alarm with every field set (metric with dimensions, unit, extended
statistic, datapoints, missing-data and low-sample options; metric math; anomaly detection;
composite with an actions suppressor), with tags. moto keeps all of these through a Put except
``Metrics[].AccountId`` (dropped on create already) and has no PutCompositeAlarm, which
``tests/support/composite_alarms.py`` adds; test_cli_alarm_requests.py covers those fields.
"""

from __future__ import annotations

from typing import Any

import pytest
from moto.cloudwatch.exceptions import ValidationError
from moto.cloudwatch.responses import CloudWatchResponse

from tests.support.attach_sample_queries import anomaly_band_queries, error_rate_queries
from tests.support.cli_runner import CliRunner
from tests.support.composite_alarms import install_put_composite_alarm
from tests.support.deployed_stack import DeployedStack
from tests.support.filler_metric_alarms import put_filler_metric_alarm

OTHER = "arn:aws:sns:ap-northeast-2:123456789012:pager"
VOLATILE = ("AlarmConfigurationUpdatedTimestamp", "StateUpdatedTimestamp", "StateTransitionedTimestamp")
USER_ALARMS = ("prod-api-p99", "prod-error-rate", "prod-orders-anomaly", "prod-checkout-down")


def create_user_alarms(cloudwatch: Any) -> None:
    cloudwatch.put_metric_alarm(
        AlarmName="prod-api-p99",
        AlarmDescription="p99 latency of the orders API",
        ActionsEnabled=False,
        AlarmActions=[OTHER],
        InsufficientDataActions=[OTHER],
        MetricName="Latency",
        Namespace="AWS/ApiGateway",
        ExtendedStatistic="p99",
        Dimensions=[{"Name": "ApiName", "Value": "orders"}, {"Name": "Stage", "Value": "prod"}],
        Period=60,
        Unit="Milliseconds",
        EvaluationPeriods=5,
        DatapointsToAlarm=3,
        Threshold=250.0,
        ComparisonOperator="GreaterThanThreshold",
        TreatMissingData="notBreaching",
        EvaluateLowSampleCountPercentile="ignore",
        Tags=[{"Key": "team", "Value": "payments"}, {"Key": "tier", "Value": "1"}],
    )
    cloudwatch.put_metric_alarm(
        AlarmName="prod-error-rate",
        AlarmDescription="5xx share of requests",
        OKActions=[OTHER],
        EvaluationPeriods=2,
        Threshold=5.0,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        TreatMissingData="breaching",
        Metrics=error_rate_queries(),
        Tags=[{"Key": "team", "Value": "platform"}],
    )
    cloudwatch.put_metric_alarm(
        AlarmName="prod-orders-anomaly",
        EvaluationPeriods=3,
        DatapointsToAlarm=2,
        ThresholdMetricId="band",
        ComparisonOperator="LessThanLowerOrGreaterThanUpperThreshold",
        TreatMissingData="ignore",
        Metrics=anomaly_band_queries(),
    )
    cloudwatch.put_composite_alarm(
        AlarmName="prod-checkout-down",
        AlarmDescription="Checkout is failing",
        AlarmRule='ALARM("prod-error-rate") AND ALARM("prod-api-p99")',
        AlarmActions=[OTHER],
        ActionsSuppressor="prod-orders-anomaly",
        ActionsSuppressorWaitPeriod=60,
        ActionsSuppressorExtensionPeriod=300,
        Tags=[{"Key": "team", "Value": "checkout"}],
    )
    put_filler_metric_alarm(cloudwatch, "dev-noise")


@pytest.fixture
def cloudwatch(deployed: DeployedStack, monkeypatch: pytest.MonkeyPatch) -> Any:
    install_put_composite_alarm(monkeypatch)
    client = deployed.client("cloudwatch")
    create_user_alarms(client)
    return client


def snapshot(cloudwatch: Any, *, volatile: bool = False) -> dict[str, dict[str, Any]]:
    """Every alarm as DescribeAlarms returns it (volatile timestamps dropped unless asked), with tags."""
    response = cloudwatch.describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    alarms = {}
    for entry in [*response["MetricAlarms"], *response["CompositeAlarms"]]:
        kept = {key: value for key, value in entry.items() if volatile or key not in VOLATILE}
        kept["Tags"] = cloudwatch.list_tags_for_resource(ResourceARN=entry["AlarmArn"])["Tags"]
        alarms[entry["AlarmName"]] = kept
    return alarms


def test_moto_keeps_the_fields_this_test_compares(cloudwatch: Any) -> None:
    """Guards the round-trip test below: the fields are really there to compare."""
    alarms = snapshot(cloudwatch)
    assert alarms["prod-api-p99"]["ExtendedStatistic"] == "p99"
    assert alarms["prod-api-p99"]["EvaluateLowSampleCountPercentile"] == "ignore"
    assert alarms["prod-api-p99"]["Tags"] == [
        {"Key": "team", "Value": "payments"},
        {"Key": "tier", "Value": "1"},
    ]
    assert alarms["prod-error-rate"]["Metrics"][1]["MetricStat"]["Unit"] == "Count"
    assert alarms["prod-orders-anomaly"]["ThresholdMetricId"] == "band"
    assert alarms["prod-checkout-down"]["ActionsSuppressorExtensionPeriod"] == 300


def test_attach_then_detach_leaves_every_alarm_as_it_was(
    cli: CliRunner, deployed: DeployedStack, cloudwatch: Any
) -> None:
    before = snapshot(cloudwatch)
    attached = cli("attach", "--prefix", "prod-", "--insufficient-data")
    assert attached.status == 0, attached.err
    during = snapshot(cloudwatch)
    for name in USER_ALARMS:
        for action_list in ("AlarmActions", "OKActions", "InsufficientDataActions"):
            assert during[name][action_list] == [*before[name][action_list], deployed.topic_arn], (
                name,
                action_list,
            )
        unchanged = {key: value for key, value in during[name].items() if not key.endswith("Actions")}
        assert unchanged == {key: value for key, value in before[name].items() if not key.endswith("Actions")}
    detached = cli("detach", "--prefix", "prod-")
    assert detached.status == 0, detached.err
    assert snapshot(cloudwatch) == before


def test_attach_adds_alarm_and_ok_actions_by_default(
    cli: CliRunner, deployed: DeployedStack, cloudwatch: Any
) -> None:
    result = cli("attach", "--prefix", "prod-api", "--prefix", "prod-checkout")
    assert result.status == 0, result.err
    alarms = snapshot(cloudwatch)
    assert alarms["prod-api-p99"]["AlarmActions"] == [OTHER, deployed.topic_arn]
    assert alarms["prod-api-p99"]["OKActions"] == [deployed.topic_arn]
    assert alarms["prod-api-p99"]["InsufficientDataActions"] == [OTHER]
    assert alarms["prod-checkout-down"]["OKActions"] == [deployed.topic_arn]
    assert deployed.topic_arn not in alarms["prod-error-rate"]["AlarmActions"]
    assert "2 alarm(s) changed" in result.out


def test_attach_is_idempotent(cli: CliRunner, cloudwatch: Any) -> None:
    assert cli("attach", "--prefix", "prod-").status == 0
    before = snapshot(cloudwatch, volatile=True)
    again = cli("attach", "--prefix", "prod-", "--json")
    assert again.status == 0
    assert {alarm["result"] for alarm in again.json()["alarms"]} == {"skipped"}
    assert {alarm["detail"] for alarm in again.json()["alarms"]} == {"already attached"}
    assert snapshot(cloudwatch, volatile=True) == before, "not even rewritten"


def test_dry_run_prints_the_plan_and_changes_nothing(cli: CliRunner, cloudwatch: Any) -> None:
    before = snapshot(cloudwatch, volatile=True)
    result = cli("attach", "--prefix", "prod-", "--dry-run")
    assert result.status == 0, result.err
    assert snapshot(cloudwatch, volatile=True) == before
    lines = result.out.splitlines()
    assert lines[0].split() == ["ALARM", "TYPE", "RESULT"]
    assert any(line.startswith("prod-checkout-down") and "CompositeAlarm" in line for line in lines)
    assert any("prod-api-p99" in line and "would add to AlarmActions, OKActions" in line for line in lines)
    assert "nothing was changed" in lines[-1]
    assert cli("detach", "--prefix", "prod-", "--dry-run").status == 0
    assert snapshot(cloudwatch, volatile=True) == before


def test_detach_touches_only_alarms_with_the_topic(
    cli: CliRunner, deployed: DeployedStack, cloudwatch: Any
) -> None:
    cli("attach", "--prefix", "prod-api")
    before = snapshot(cloudwatch, volatile=True)
    result = cli("detach", "--prefix", "prod-", "--prefix", "dev-", "--json")
    assert result.status == 0
    results = {alarm["alarm"]: alarm["result"] for alarm in result.json()["alarms"]}
    assert results == {name: "skipped" for name in [*USER_ALARMS, "dev-noise"]} | {"prod-api-p99": "changed"}
    after = snapshot(cloudwatch, volatile=True)
    assert {name: after[name] for name in after if name != "prod-api-p99"} == {
        name: before[name] for name in before if name != "prod-api-p99"
    }
    assert after["prod-api-p99"]["AlarmActions"] == [OTHER]


def test_no_matching_alarm_is_not_an_error(cli: CliRunner, cloudwatch: Any) -> None:
    result = cli("attach", "--prefix", "staging-")
    assert result.status == 0 and result.out == ""
    assert "no alarm names start with 'staging-'" in result.err


def test_an_empty_prefix_is_refused(cli: CliRunner, cloudwatch: Any) -> None:
    before = snapshot(cloudwatch, volatile=True)
    result = cli("attach", "--prefix", "")
    assert result.status == 2 and result.one_line_error and "--prefix must not be empty" in result.err
    assert snapshot(cloudwatch, volatile=True) == before


def test_a_refused_put_is_reported_and_the_rest_goes_on(
    cli: CliRunner, deployed: DeployedStack, cloudwatch: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = CloudWatchResponse.put_metric_alarm

    def refuse_one(self: Any) -> Any:
        if self._get_param("AlarmName") == "prod-error-rate":
            raise ValidationError("Metrics list must contain exactly one metric with ReturnData true")
        return original(self)

    monkeypatch.setattr(CloudWatchResponse, "put_metric_alarm", refuse_one)
    result = cli("attach", "--prefix", "prod-")
    assert result.status == 1
    assert "FAILED: AWS PutMetricAlarm failed: ValidationError: Metrics list must contain" in result.out
    assert "3 alarm(s) changed, 0 left as they are, 1 failed." in result.out
    assert deployed.topic_arn in snapshot(cloudwatch)["prod-api-p99"]["AlarmActions"]


def test_an_alarm_with_five_actions_is_skipped(
    cli: CliRunner, deployed: DeployedStack, cloudwatch: Any
) -> None:
    actions = [f"{OTHER}-{index}" for index in range(5)]
    put_filler_metric_alarm(cloudwatch, "prod-full", AlarmActions=actions)
    result = cli("attach", "--prefix", "prod-full", "--json")
    assert result.status == 0
    (alarm,) = result.json()["alarms"]
    assert alarm["result"] == "skipped" and "AlarmActions already has 5 actions" in alarm["detail"]
    assert snapshot(cloudwatch)["prod-full"]["AlarmActions"] == actions
