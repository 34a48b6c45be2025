"""``alarm-bot doctor``: passes on a healthy deployment, and names each problem it claims to detect.

Every failure is provoked on its own against an otherwise healthy deployment, and the test checks
that exactly that check changes (the others still pass), with its fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.store.spaces import DynamoSpaceStore
from alarm_bot_cli.doctor import check_stack
from alarm_bot_cli.doctor_checks import live_version_finding
from alarm_bot_cli.doctor_findings import DoctorContext, Status
from alarm_bot_cli.stack import REQUIRED_OUTPUTS
from tests.cli.stack_outputs import PROJECT_NUMBER, set_outputs
from tests.support.aws import BOT_ID
from tests.support.chat_api import FakeChatApi
from tests.support.chat_endpoint import ChatEndpoint
from tests.support.cli_runner import CliRunner, Run
from tests.support.deployed_stack import (
    ACCOUNT,
    REGION,
    ROOT_KEY_STATEMENT,
    DeployedStack,
    create_stack_with_outputs,
    deploy_stack,
)
from tests.support.service_account import make_service_account

CHECKS = (
    "stack",
    "google key",
    "google token",
    "topic encryption",
    "live alias",
    "chat endpoint",
    "chat audience",
    "spaces",
    "dead letters",
    "bot alarms",
    "alarm sources",
    "charts",
)


@pytest.fixture
def endpoint() -> Iterator[ChatEndpoint]:
    with ChatEndpoint() as served:
        yield served


def healthy(
    chat_api: FakeChatApi, endpoint_url: str, *, traffic: bool = True, **options: Any
) -> DeployedStack:
    """A deployment where everything works: key stored and trusted, one space, empty queue, and
    (unless ``traffic`` is false) an alarm of its own account received lately."""
    deployed = deploy_stack(endpoint_url=endpoint_url, **options)
    set_outputs(deployed, ChatAudience=PROJECT_NUMBER)  # deployed for the Chat app's project
    key = chat_api.service_account().info
    deployed.client("secretsmanager").put_secret_value(
        SecretId=deployed.secret_arn, SecretString=json.dumps(key)
    )
    DynamoSpaceStore(deployed.table, BOT_ID, client=deployed.client("dynamodb")).put(
        SpaceRecord("spaces/AAAA")
    )
    if traffic:
        received(deployed, ACCOUNT, REGION)
    return deployed


def received(deployed: DeployedStack, account: str, region: str, count: int = 1) -> None:
    """What the fan-out's ``AlarmsReceived`` metric shows after ``count`` alarms from there."""
    dimensions = [
        {"Name": "SourceAccount", "Value": account},
        {"Name": "SourceRegion", "Value": region},
    ]
    deployed.client("cloudwatch").put_metric_data(
        Namespace="AlarmChatBot",
        MetricData=[{"MetricName": "AlarmsReceived", "Dimensions": dimensions, "Value": float(count)}],
    )


@pytest.fixture
def deployment(aws: None, chat_api: FakeChatApi, endpoint: ChatEndpoint) -> DeployedStack:
    return healthy(chat_api, endpoint.url)


def doctor(cli: CliRunner) -> tuple[Run, dict[str, dict[str, str]]]:
    result = cli("doctor", "--json")
    report = result.json()
    assert report["ok"] is (result.status == 0)
    return result, {check["check"]: check for check in report["checks"]}


def assert_only(
    checks: dict[str, dict[str, str]], name: str, status: str, *, detail: str, fix: str = ""
) -> None:
    """``name`` has ``status`` (its detail and fix say so), every other check passes."""
    assert checks[name]["status"] == status, checks[name]
    assert detail in checks[name]["detail"], checks[name]
    assert fix in checks[name]["fix"], checks[name]
    others = {check: value["status"] for check, value in checks.items() if check != name}
    assert set(others.values()) == {"pass"}, others


def test_a_healthy_deployment_passes(
    cli: CliRunner, deployment: DeployedStack, endpoint: ChatEndpoint
) -> None:
    result = cli("doctor")
    assert result.status == 0, result.out
    lines = result.out.splitlines()
    assert [line.split()[0] for line in lines[:-1]] == ["PASS"] * len(CHECKS)
    assert lines[-1] == "All checks passed."
    assert "refuses unsigned requests (401)" in result.out and endpoint.requests == 1
    assert "token issued by" in result.out and "1 space(s), 1 receiving alarms now" in result.out
    assert list(doctor(cli)[1]) == list(CHECKS)


def test_empty_secret(cli: CliRunner, aws: None, endpoint: ChatEndpoint) -> None:
    deployed = deploy_stack(endpoint_url=endpoint.url)
    DynamoSpaceStore(deployed.table, BOT_ID, client=deployed.client("dynamodb")).put(
        SpaceRecord("spaces/AAAA")
    )
    result, checks = doctor(cli)
    assert result.status == 1
    assert checks["google key"]["status"] == "fail" and "is empty" in checks["google key"]["detail"]
    assert "alarm-bot credentials set KEY.json" in checks["google key"]["fix"]
    assert checks["google token"]["status"] == "skip", "one cause, reported once"


def test_secret_that_is_not_a_key(cli: CliRunner, deployment: DeployedStack) -> None:
    secrets = deployment.client("secretsmanager")
    secrets.put_secret_value(
        SecretId=deployment.secret_arn, SecretString=json.dumps({"type": "authorized_user"})
    )
    result, checks = doctor(cli)
    assert result.status == 1
    assert (
        checks["google key"]["status"] == "fail"
        and "expected 'service_account'" in checks["google key"]["detail"]
    )
    assert checks["google token"]["status"] == "skip"


def test_key_google_refuses(cli: CliRunner, deployment: DeployedStack, chat_api: FakeChatApi) -> None:
    untrusted = make_service_account(chat_api.token_url, key_name="deleted-in-google-cloud").info
    secrets = deployment.client("secretsmanager")
    secrets.put_secret_value(SecretId=deployment.secret_arn, SecretString=json.dumps(untrusted))
    result, checks = doctor(cli)
    assert result.status == 1
    assert_only(
        checks, "google token", "fail", detail="Google refused the key: invalid_grant", fix="credentials set"
    )


def test_token_endpoint_unreachable(cli: CliRunner, deployment: DeployedStack, chat_api: FakeChatApi) -> None:
    key = {**chat_api.service_account().info, "token_uri": "http://127.0.0.1:9/token"}
    deployment.client("secretsmanager").put_secret_value(
        SecretId=deployment.secret_arn, SecretString=json.dumps(key)
    )
    result, checks = doctor(cli)
    assert result.status == 1
    assert_only(checks, "google token", "fail", detail="cannot reach http://127.0.0.1:9/token", fix="network")


def test_topic_on_the_aws_managed_key(cli: CliRunner, deployment: DeployedStack) -> None:
    deployment.client("sns").set_topic_attributes(
        TopicArn=deployment.topic_arn, AttributeName="KmsMasterKeyId", AttributeValue="alias/aws/sns"
    )
    result, checks = doctor(cli)
    assert result.status == 1
    assert_only(
        checks, "topic encryption", "fail", detail="alias/aws/sns, which CloudWatch", fix="make deploy"
    )


def test_key_policy_without_cloudwatch(
    cli: CliRunner, aws: None, chat_api: FakeChatApi, endpoint: ChatEndpoint
) -> None:
    healthy(chat_api, endpoint.url, key_policy_statements=[ROOT_KEY_STATEMENT])
    result, checks = doctor(cli)
    assert result.status == 1
    assert_only(
        checks,
        "topic encryption",
        "fail",
        detail="does not let cloudwatch.amazonaws.com use kms:GenerateDataKey, kms:Decrypt",
        fix="allow cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt",
    )


def test_unencrypted_topic_is_a_warning(cli: CliRunner, deployment: DeployedStack) -> None:
    deployment.client("sns").set_topic_attributes(
        TopicArn=deployment.topic_arn, AttributeName="KmsMasterKeyId", AttributeValue=""
    )
    result, checks = doctor(cli)
    assert result.status == 0, "a warning is not a failure"
    assert_only(checks, "topic encryption", "warn", detail="not encrypted")


def test_endpoint_that_accepts_anyone(cli: CliRunner, aws: None, chat_api: FakeChatApi) -> None:
    with ChatEndpoint(permissive=True) as broken:
        healthy(chat_api, broken.url)
        result, checks = doctor(cli)
    assert result.status == 1
    assert_only(
        checks, "chat endpoint", "fail", detail="accepted a request without a Google token", fix="make deploy"
    )


def test_endpoint_unreachable(cli: CliRunner, aws: None, chat_api: FakeChatApi) -> None:
    healthy(chat_api, "http://127.0.0.1:9/chat")
    result, checks = doctor(cli)
    assert result.status == 1
    # The chart route is on the same API, so its check cannot reach it either and says so.
    charts = checks.pop("charts")
    assert charts["status"] == "fail" and "http://127.0.0.1:9/charts/" in charts["detail"], charts
    assert "is unreachable" in charts["detail"]
    assert_only(checks, "chat endpoint", "fail", detail="http://127.0.0.1:9/chat is unreachable")


def test_no_spaces_is_a_warning(cli: CliRunner, deployment: DeployedStack) -> None:
    DynamoSpaceStore(deployment.table, BOT_ID, client=deployment.client("dynamodb")).remove("spaces/AAAA")
    result, checks = doctor(cli)
    assert result.status == 0
    assert_only(checks, "spaces", "warn", detail="no space has added the bot", fix="add the bot to a space")
    text = cli("doctor")
    assert text.status == 0 and text.out.endswith("No check failed; 1 warning(s).\n")
    assert "WARN  spaces" in text.out and "fix: add the bot to a space" in text.out


def test_dead_letters_waiting(cli: CliRunner, deployment: DeployedStack) -> None:
    deployment.client("sqs").send_message(QueueUrl=deployment.queue_url, MessageBody="{}")
    result, checks = doctor(cli)
    assert result.status == 1
    assert_only(checks, "dead letters", "fail", detail="1 notification(s) wait", fix="run alarm-bot redrive")


def test_own_alarm_firing(cli: CliRunner, deployment: DeployedStack) -> None:
    deployment.client("cloudwatch").set_alarm_state(
        AlarmName="AlarmChatBot-fanout-errors", StateValue="ALARM", StateReason="Threshold Crossed"
    )
    result, checks = doctor(cli)
    assert result.status == 1
    assert_only(checks, "bot alarms", "fail", detail="in ALARM: AlarmChatBot-fanout-errors")
    text = cli("doctor")
    assert "FAIL  bot alarms        in ALARM: AlarmChatBot-fanout-errors" in text.out
    assert "fix: read the alarm's description" in text.out and text.out.endswith("1 check(s) failed.\n")


def test_own_alarms_missing(cli: CliRunner, deployment: DeployedStack) -> None:
    deployment.client("cloudwatch").delete_alarms(AlarmNames=deployment.own_alarms)
    result, checks = doctor(cli)
    assert result.status == 0
    assert_only(checks, "bot alarms", "warn", detail="no alarms named AlarmChatBot-*")


def test_stack_without_outputs(cli: CliRunner, aws: None) -> None:
    create_stack_with_outputs("AlarmChatBot", {"AlarmTopicArn": "arn:aws:sns:ap-northeast-2:123456789012:t"})
    result, checks = doctor(cli)
    assert result.status == 1
    assert (
        checks["stack"]["status"] == "fail"
        and "outputs missing: ChatEndpointUrl" in checks["stack"]["detail"]
    )
    assert {check["status"] for name, check in checks.items() if name != "stack"} == {"skip"}


class StackStatusSession:
    """Just enough of a boto3 session for the stack check: DescribeStacks answers ``status``."""

    region_name = "ap-northeast-2"

    def __init__(self, status: str) -> None:
        self.status = status

    def client(self, service: str, **_: Any) -> Any:
        assert service == "cloudformation"
        return self

    def describe_stacks(self, StackName: str) -> dict[str, Any]:
        outputs = [{"OutputKey": key, "OutputValue": "x"} for key in REQUIRED_OUTPUTS]
        return {"Stacks": [{"StackName": StackName, "StackStatus": self.status, "Outputs": outputs}]}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("CREATE_COMPLETE", Status.PASS),
        ("UPDATE_COMPLETE", Status.PASS),
        ("UPDATE_IN_PROGRESS", Status.WARN),
        ("UPDATE_ROLLBACK_COMPLETE", Status.WARN),
        ("ROLLBACK_COMPLETE", Status.FAIL),
        ("UPDATE_ROLLBACK_FAILED", Status.FAIL),
        ("DELETE_FAILED", Status.FAIL),
    ],
)
def test_stack_status(status: str, expected: Status) -> None:
    context = DoctorContext(session=StackStatusSession(status), stack_name="AlarmChatBot")  # type: ignore[arg-type]
    finding = check_stack(context)
    assert finding.status is expected and status in finding.detail
    assert (finding.fix == "") is (expected is Status.PASS)


def test_live_alias_serves_a_published_version(cli: CliRunner, deployment: DeployedStack) -> None:
    checks = doctor(cli)[1]
    assert checks["live alias"]["status"] == "pass"
    assert checks["live alias"]["detail"] == "version 1, SnapStart off (snapStart=false or not offered here)"


def test_stack_from_before_the_alias_is_a_warning(
    cli: CliRunner, aws: None, chat_api: FakeChatApi, endpoint: ChatEndpoint
) -> None:
    healthy(chat_api, endpoint.url, live_alias=False)
    assert_only(doctor(cli)[1], "live alias", "warn", detail="no live alias", fix="make deploy")


def test_alias_on_latest_is_a_warning(cli: CliRunner, deployment: DeployedStack) -> None:
    deployment.client("lambda").update_alias(
        FunctionName=deployment.function_name, Name="live", FunctionVersion="$LATEST"
    )
    assert_only(doctor(cli)[1], "live alias", "warn", detail="points at $LATEST", fix="make deploy")


# GetFunctionConfiguration of an alias, as Lambda's SnapStart guide shows it (moto has no SnapStart).
ACTIVE_SNAPSHOT = {
    "Version": "7",
    "State": "Active",
    "SnapStart": {"ApplyOn": "PublishedVersions", "OptimizationStatus": "On"},
}


@pytest.mark.parametrize(
    ("changes", "status", "detail"),
    [
        ({}, Status.PASS, "version 7, started from its SnapStart snapshot"),
        (
            {"SnapStart": {"ApplyOn": "PublishedVersions", "OptimizationStatus": "Off"}},
            Status.WARN,
            "not on yet",
        ),
        ({"State": "Inactive"}, Status.WARN, "version 7 is Inactive: calls fail"),
        ({"State": "Pending"}, Status.WARN, "version 7 is Pending"),
        ({"State": "Failed", "StateReason": "Init error"}, Status.FAIL, "failed to initialize: Init error"),
        ({"SnapStart": {"ApplyOn": "None", "OptimizationStatus": "Off"}}, Status.PASS, "SnapStart off"),
    ],
)
def test_live_version_states(changes: dict[str, Any], status: Status, detail: str) -> None:
    finding = live_version_finding({**ACTIVE_SNAPSHOT, **changes})
    assert finding.status is status
    assert detail in finding.detail
