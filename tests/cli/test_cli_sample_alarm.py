"""``alarm-bot test``: what it publishes is read by the bot's own parser as the alarm it claims."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from alarm_bot.alarms.model import Alarm, AlarmKind, AlarmState
from alarm_bot.alarms.parse import parse_lambda_event
from alarm_bot_cli.sample_alarm import sns_subject
from tests.support.cli_runner import CliRunner
from tests.support.deployed_stack import ACCOUNT, REGION, DeployedStack


@pytest.fixture
def inbox(deployed: DeployedStack) -> str:
    """An SQS queue subscribed to the bot's topic: it receives what the fan-out function would."""
    sqs = deployed.client("sqs")
    url = sqs.create_queue(QueueName="inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    deployed.client("sns").subscribe(TopicArn=deployed.topic_arn, Protocol="sqs", Endpoint=arn)
    return str(url)


def received_alarm(deployed: DeployedStack, inbox: str) -> tuple[Alarm, dict[str, Any]]:
    (message,) = deployed.client("sqs").receive_message(QueueUrl=inbox, MaxNumberOfMessages=10)["Messages"]
    envelope = json.loads(message["Body"])  # what SNS hands the function as Records[0].Sns
    (notification,) = parse_lambda_event({"Records": [{"EventSource": "aws:sns", "Sns": envelope}]})
    assert isinstance(notification, Alarm)
    return notification, envelope


@pytest.mark.parametrize("state", ["ALARM", "OK", "INSUFFICIENT_DATA"])
def test_publishes_a_cloudwatch_alarm_in_the_requested_state(
    state: str, cli: CliRunner, deployed: DeployedStack, inbox: str
) -> None:
    result = cli("test", "--state", state)
    assert result.status == 0, result.err
    alarm, envelope = received_alarm(deployed, inbox)
    assert alarm.state is AlarmState(state) and alarm.name == "alarm-bot-test"
    assert alarm.source == "sns" and alarm.kind is AlarmKind.METRIC
    assert alarm.arn == f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:alarm-bot-test"
    assert (alarm.account, alarm.region) == (ACCOUNT, REGION)
    assert alarm.metric is not None and alarm.metric.namespace == "AWS/ApiGateway"
    assert alarm.changed_at is not None
    assert abs(alarm.changed_at - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=1)
    assert envelope["Subject"] == f'{state}: "alarm-bot-test" in Asia Pacific (Seoul)'
    assert envelope["MessageId"] in result.out


def test_ok_after_alarm_goes_to_the_same_thread(cli: CliRunner, deployed: DeployedStack, inbox: str) -> None:
    cli("test", "--name", "결제 API 오류율")
    alarm, envelope = received_alarm(deployed, inbox)
    cli("test", "--name", "결제 API 오류율", "--state", "OK")
    recovery, _ = received_alarm(deployed, inbox)
    assert alarm.name == recovery.name == "결제 API 오류율"
    assert alarm.thread_key == recovery.thread_key and alarm.transition_id != recovery.transition_id
    assert "Subject" not in envelope or envelope["Subject"] is None, "SNS subjects must be ASCII"


def test_json_output(cli: CliRunner, deployed: DeployedStack, inbox: str) -> None:
    result = cli("test", "--json", "--state", "OK")
    assert result.status == 0
    assert result.json()["topic"] == deployed.topic_arn and result.json()["state"] == "OK"


def test_subject_only_when_sns_accepts_it() -> None:
    assert sns_subject("db-lag", "ALARM", "Asia Pacific (Seoul)") == 'ALARM: "db-lag" in Asia Pacific (Seoul)'
    assert sns_subject("x" * 100, "ALARM", "Asia Pacific (Seoul)") is None
    assert sns_subject("지연", "ALARM", "Asia Pacific (Seoul)") is None


def test_an_unknown_state_is_a_usage_error(cli: CliRunner) -> None:
    result = cli("test", "--state", "BROKEN")
    assert result.status == 2 and "invalid choice" in result.err
