"""The pure pieces behind the commands: dead-letter records, key policies, tables, progress."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from alarm_bot_cli.dead_letters import Origin, read_dead_letter
from alarm_bot_cli.key_policy import is_aws_managed_sns_key, missing_cloudwatch_actions
from alarm_bot_cli.output import Progress, print_table, width

SNS_BODY = {
    "AlarmName": "db-lag",
    "NewStateValue": "ALARM",
    "StateChangeTime": "2026-11-27T01:00:00.000+0000",
}


def message(body: Any, **extra: Any) -> dict[str, Any]:
    return {
        "MessageId": "m-1",
        "ReceiptHandle": "r-1",
        "Body": body if isinstance(body, str) else json.dumps(body),
        **extra,
    }


def test_a_lambda_destination_record_gives_back_its_request_payload() -> None:
    event = {"Records": [{"EventSource": "aws:sns", "Sns": {"Message": json.dumps(SNS_BODY)}}]}
    record = {
        "version": "1.0",
        "timestamp": "2026-11-27T01:02:03.456Z",
        "requestContext": {"condition": "EventAgeExceeded", "approximateInvokeCount": 1},
        "requestPayload": event,
        "responseContext": {"statusCode": 200},
        "responsePayload": None,
    }
    letter = read_dead_letter(message(record))
    assert (letter.origin, letter.event, letter.failed_at) == (
        Origin.LAMBDA_DESTINATION,
        event,
        record["timestamp"],
    )
    assert letter.reason == "EventAgeExceeded"
    assert letter.notifications() == ["ALARM db-lag (2026-11-27T01:00:00+00:00)"]


def test_an_sns_message_becomes_the_event_lambda_would_have_received() -> None:
    envelope = {
        "Type": "Notification",
        "MessageId": "s-1",
        "TopicArn": "arn:t",
        "Message": json.dumps(SNS_BODY),
    }
    attributes = {"ErrorMessage": {"StringValue": "Lambda was throttled", "DataType": "String"}}
    letter = read_dead_letter(
        message(envelope, MessageAttributes=attributes, Attributes={"SentTimestamp": "1796000000000"})
    )
    assert letter.origin is Origin.SNS
    assert letter.event == {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0", "Sns": envelope}]}
    assert letter.reason == "Lambda was throttled" and letter.failed_at == "2026-11-30T00:53:20Z"


def test_an_eventbridge_event_is_redriven_as_it_is() -> None:
    event = {
        "version": "0",
        "id": "e-1",
        "detail-type": "CloudWatch Alarm State Change",
        "source": "aws.cloudwatch",
        "detail": {},
    }
    attributes = {
        "ERROR_CODE": {"StringValue": "SDK_CLIENT_ERROR"},
        "ERROR_MESSAGE": {"StringValue": "throttled"},
    }
    letter = read_dead_letter(message(event, MessageAttributes=attributes))
    assert (letter.origin, letter.event, letter.reason) == (Origin.EVENTBRIDGE, event, "throttled")


@pytest.mark.parametrize("body", ["not json", "[1, 2]", {"hello": "world"}, {"Records": []}])
def test_anything_else_cannot_be_redriven(body: Any) -> None:
    letter = read_dead_letter(message(body))
    assert letter.origin is Origin.UNKNOWN and letter.event is None and letter.notifications() == []


STACK_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
        },
    ],
}


def test_the_stacks_key_policy_lets_cloudwatch_in() -> None:
    assert missing_cloudwatch_actions(json.dumps(STACK_POLICY)) == []


@pytest.mark.parametrize(
    ("statement", "missing"),
    [
        (
            {"Principal": {"Service": "cloudwatch.amazonaws.com"}, "Action": "kms:Decrypt"},
            ["kms:GenerateDataKey"],
        ),
        (
            {"Principal": {"Service": ["sns.amazonaws.com"]}, "Action": "kms:*"},
            ["kms:GenerateDataKey", "kms:Decrypt"],
        ),
        ({"Principal": {"Service": ["cloudwatch.amazonaws.com"]}, "Action": "KMS:*"}, []),
        ({"Principal": "*", "Action": "*"}, []),
        ({"Principal": {"AWS": "*"}, "Action": ["kms:GenerateDataKey", "kms:Decrypt"]}, []),
    ],
)
def test_which_statements_count(statement: dict[str, Any], missing: list[str]) -> None:
    policy = {"Statement": [{"Effect": "Allow", "Resource": "*", **statement}]}
    assert missing_cloudwatch_actions(policy) == missing


def test_a_deny_statement_grants_nothing() -> None:
    policy = {"Statement": {"Effect": "Deny", "Principal": "*", "Action": "kms:*"}}
    assert missing_cloudwatch_actions(policy) == ["kms:GenerateDataKey", "kms:Decrypt"]


def test_the_aws_managed_key() -> None:
    assert is_aws_managed_sns_key("alias/aws/sns")
    assert is_aws_managed_sns_key("arn:aws:kms:ap-northeast-2:123456789012:alias/aws/sns")
    assert not is_aws_managed_sns_key("arn:aws:kms:ap-northeast-2:123456789012:key/1234")


def test_tables_align_wide_characters() -> None:
    stream = io.StringIO()
    print_table(("NAME", "STATE"), [("결제 API", "ALARM"), ("db", None)], stream=stream)
    header, first, second = stream.getvalue().splitlines()
    assert header == "NAME      STATE"
    assert first == "결제 API  ALARM" and width("결제 API") == 8
    assert second == "db        -"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal() -> None:
    piped, terminal = io.StringIO(), Terminal()
    for stream in (piped, terminal):
        with Progress("alarms read", stream=stream) as progress:
            progress.advance(100)
            progress.advance(20)
    assert piped.getvalue() == ""
    assert "\ralarms read: 100\ralarms read: 120" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r"), "the counter is wiped at the end"
