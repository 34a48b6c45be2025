"""``alarm-bot doctor``'s "alarm sources": the accounts and regions heard from in 14 days.

The fan-out function's ``AlarmsReceived`` metric is put into moto's CloudWatch as CloudWatch would
extract it from the function's log (``single_metric``: exactly the two dimensions).
"""

from __future__ import annotations

import json

from tests.cli.test_cli_doctor import (  # noqa: F401 - fixtures
    assert_only,
    deployment,
    doctor,
    endpoint,
    healthy,
    received,
)
from tests.support.chat_api import FakeChatApi
from tests.support.chat_endpoint import ChatEndpoint
from tests.support.cli_runner import CliRunner
from tests.support.deployed_stack import ACCOUNT, REGION, DeployedStack

CHECK = "alarm sources"
PROD = "111111111111"
STAGING = "222222222222"


def test_each_account_and_region_is_named_with_its_count_busiest_first(
    cli: CliRunner,
    deployment: DeployedStack,  # noqa: F811 - the fixture
) -> None:
    received(deployment, PROD, "eu-west-1", count=41)
    received(deployment, PROD, "eu-west-1", count=1)
    received(deployment, STAGING, "us-east-1", count=3)
    result, checks = doctor(cli)
    assert result.status == 0
    detail = checks[CHECK]["detail"]
    assert detail == (
        "alarms in the last 14 days from 3 account(s) in 3 region(s): "
        f"{PROD} eu-west-1: 42, {STAGING} us-east-1: 3, {ACCOUNT} {REGION}: 1"
    ), detail


def test_names_from_account_names_are_shown_next_to_the_ids(
    cli: CliRunner,
    aws: None,
    chat_api: FakeChatApi,
    endpoint: ChatEndpoint,  # noqa: F811
) -> None:
    names = json.dumps({PROD: "prod"})
    deployed = healthy(chat_api, endpoint.url, environment={"ACCOUNT_NAMES": names})
    received(deployed, PROD, "ap-northeast-2", count=5)
    _, checks = doctor(cli)
    assert f"prod ({PROD}) ap-northeast-2: 5" in checks[CHECK]["detail"], checks[CHECK]


def test_silence_for_two_weeks_is_a_warning_that_says_how_to_send_one(
    cli: CliRunner,
    aws: None,
    chat_api: FakeChatApi,
    endpoint: ChatEndpoint,  # noqa: F811
) -> None:
    healthy(chat_api, endpoint.url, traffic=False)
    result, checks = doctor(cli)
    assert result.status == 0, "a warning is not a failure"
    assert_only(
        checks, CHECK, "warn", detail="no alarm has reached the bot in the last 14 days", fix="alarm-bot test"
    )


def test_other_namespaces_and_metrics_are_not_sources(
    cli: CliRunner,
    aws: None,
    chat_api: FakeChatApi,
    endpoint: ChatEndpoint,  # noqa: F811
) -> None:
    deployed = healthy(chat_api, endpoint.url, traffic=False)
    dimensions = [{"Name": "SourceAccount", "Value": PROD}, {"Name": "SourceRegion", "Value": "eu-west-1"}]
    cloudwatch = deployed.client("cloudwatch")
    cloudwatch.put_metric_data(
        Namespace="SomeoneElse",
        MetricData=[{"MetricName": "AlarmsReceived", "Dimensions": dimensions, "Value": 1}],
    )
    cloudwatch.put_metric_data(
        Namespace="AlarmChatBot",
        MetricData=[{"MetricName": "QueueAge", "Dimensions": dimensions, "Value": 1}],
    )
    assert doctor(cli)[1][CHECK]["status"] == "warn"
