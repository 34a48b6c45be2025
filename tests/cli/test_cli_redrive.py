"""``alarm-bot redrive`` against moto and the Chat API stand-in: delivered once, deleted only then."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.keep_warm import KEEP_WARM_EVENT
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.aws import BOT_ID, all_items
from tests.support.chat_api import FakeChatApi, Fault
from tests.support.cli_runner import CliRunner
from tests.support.deployed_stack import DeployedStack

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SPACES = ("spaces/AAAA", "spaces/BBBB", "spaces/CCCC")
SNS_EVENT = json.loads((FIXTURES / "real/notify-slack/messages/cloudwatch_alarm.json").read_text())
EVENTBRIDGE_EVENT = json.loads((FIXTURES / "own/eventbridge_metric_alarm.json").read_text())


def destination_record(event: dict[str, Any]) -> dict[str, Any]:
    """What the fan-out function's on-failure destination writes after the last retry."""
    return {
        "version": "1.0",
        "timestamp": "2026-11-27T01:02:03.456Z",
        "requestContext": {
            "requestId": "e4b46cbf-b738-4bd8-8880-a18cdf61200e",
            "functionArn": "arn:aws:lambda:ap-northeast-2:123456789012:function:AlarmChatBot-Fanout:$LATEST",
            "condition": "RetriesExhausted",
            "approximateInvokeCount": 3,
        },
        "requestPayload": event,
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "responsePayload": {"errorMessage": "not delivered to 3 space(s)", "errorType": "DeliveryIncomplete"},
    }


def sns_envelope(event: dict[str, Any]) -> dict[str, Any]:
    """What the SNS subscription's redrive policy writes: the SNS message itself."""
    return copy.deepcopy(event["Records"][0]["Sns"])


@pytest.fixture
def spaces(deployed: DeployedStack) -> DynamoSpaceStore:
    store = DynamoSpaceStore(deployed.table, BOT_ID, client=deployed.client("dynamodb"))
    for space in SPACES:
        store.put(SpaceRecord(space))
    return store


@pytest.fixture
def ready(
    deployed: DeployedStack,
    google_key: dict[str, Any],
    chat_api: FakeChatApi,
    spaces: DynamoSpaceStore,
    monkeypatch: pytest.MonkeyPatch,
) -> DeployedStack:
    """A deployment that can deliver: key stored, spaces subscribed, Chat API pointed at the stand-in."""
    monkeypatch.setenv("CHAT_API_BASE_URL", chat_api.url)
    return deployed


def enqueue(deployed: DeployedStack, *bodies: dict[str, Any] | str) -> None:
    sqs = deployed.client("sqs")
    for body in bodies:
        sqs.send_message(
            QueueUrl=deployed.queue_url, MessageBody=body if isinstance(body, str) else json.dumps(body)
        )


def waiting(deployed: DeployedStack) -> int:
    """Messages in the queue, visible or not."""
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    attributes = deployed.client("sqs").get_queue_attributes(
        QueueUrl=deployed.queue_url, AttributeNames=names
    )
    return sum(int(attributes["Attributes"][name]) for name in names)


def visible(deployed: DeployedStack) -> int:
    attributes = deployed.client("sqs").get_queue_attributes(
        QueueUrl=deployed.queue_url, AttributeNames=["ApproximateNumberOfMessages"]
    )
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def redrive(cli: CliRunner, *options: str) -> Any:
    return cli("redrive", "--wait", "0", *options)


def redrive_refused_by(cli: CliRunner, chat_api: FakeChatApi, space: str, *options: str) -> Any:
    """A redrive during which Chat answers HTTP 400 to the next request for ``space``."""
    chat_api.script(space, Fault(status=400))
    return redrive(cli, *options)


def test_dry_run_lists_and_deletes_nothing(
    cli: CliRunner, ready: DeployedStack, chat_api: FakeChatApi
) -> None:
    enqueue(ready, destination_record(SNS_EVENT), EVENTBRIDGE_EVENT, sns_envelope(SNS_EVENT), "not json")
    result = redrive(cli, "--dry-run")
    assert result.status == 0, result.err
    assert "OK DBMigrationRequired (2019-02-12T15:45:24+00:00)" in result.out
    assert "ALARM prod-api-5xx-high" in result.out
    assert "RetriesExhausted — not delivered to 3 space(s)" in result.out
    assert "cannot be redriven" in result.out
    assert "Dry run: 4 message(s)" in result.out
    assert visible(ready) == 4, "all still there, and visible again at once"
    assert all(chat_api.messages(space) == [] for space in SPACES)


def test_redrive_delivers_to_every_space_and_empties_the_queue(
    cli: CliRunner, ready: DeployedStack, chat_api: FakeChatApi
) -> None:
    enqueue(ready, destination_record(SNS_EVENT), EVENTBRIDGE_EVENT)
    result = redrive(cli)
    assert result.status == 0, result.err
    assert "2 of 2 message(s) delivered and deleted" in result.out
    assert "delivered to 3 space(s)" in result.out
    for space in SPACES:
        assert sorted(
            message["cardsV2"][0]["card"]["header"]["title"] for message in chat_api.messages(space)
        ) == [
            "DBMigrationRequired",
            "prod-api-5xx-high",
        ]
    assert waiting(ready) == 0
    items = all_items(ready.client("dynamodb"), ready.table)
    cards = [
        item["bot_id"]["S"]
        for item in items
        if item["space_id"]["S"].startswith("alarm#") and "message_name" in item
    ]
    assert sorted(partition.split("#", 1)[1] for partition in cards) == list(SPACES), (
        "the ALARM card is remembered per space, as the function would, in the stack's table"
    )


def test_redriving_the_same_notification_twice_posts_it_once(
    cli: CliRunner, ready: DeployedStack, chat_api: FakeChatApi
) -> None:
    """The same state change from the Lambda destination and from the SNS subscription, twice over."""
    enqueue(ready, destination_record(SNS_EVENT), sns_envelope(SNS_EVENT))
    assert redrive(cli).status == 0
    enqueue(ready, destination_record(SNS_EVENT))
    assert redrive(cli).status == 0
    for space in SPACES:
        assert len(chat_api.messages(space)) == 1, space
        assert chat_api.message_requests(space) == 1, "asked once: the later copies find it shown"
    assert waiting(ready) == 0


def test_a_failed_delivery_stays_in_the_queue(
    cli: CliRunner, ready: DeployedStack, chat_api: FakeChatApi
) -> None:
    enqueue(ready, destination_record(SNS_EVENT))
    failed = redrive_refused_by(cli, chat_api, "spaces/BBBB")
    assert failed.status == 1
    assert "0 of 1 message(s) delivered" in failed.out
    assert "not delivered: " in failed.out
    assert "spaces/BBBB (HTTP 400: INVALID_ARGUMENT: injected fault)" in failed.out
    assert "stay in the queue" in failed.err
    assert visible(ready) == 1, "kept, for that space alone, and visible again for the next redrive"
    assert [len(chat_api.messages(space)) for space in SPACES] == [1, 0, 1]
    again = redrive(cli)
    assert again.status == 0, again.out
    assert [len(chat_api.messages(space)) for space in SPACES] == [1, 1, 1], "the others got nothing twice"
    assert waiting(ready) == 0


def test_unreadable_messages_stay(cli: CliRunner, ready: DeployedStack) -> None:
    enqueue(ready, "not json", {"hello": "world"})
    result = redrive(cli, "--json")
    assert result.status == 1
    assert [message["result"] for message in result.json()["messages"]] == ["unreadable", "unreadable"]
    assert visible(ready) == 2


def test_an_empty_secret_is_one_clear_error(
    cli: CliRunner, deployed: DeployedStack, spaces: DynamoSpaceStore, chat_api: FakeChatApi
) -> None:
    enqueue(deployed, destination_record(SNS_EVENT))
    result = redrive(cli)
    assert result.status == 1 and result.one_line_error
    assert f"the secret {deployed.secret_arn} is empty" in result.err and "credentials set" in result.err
    assert visible(deployed) == 1


def test_max_limits_what_one_run_takes(cli: CliRunner, ready: DeployedStack, chat_api: FakeChatApi) -> None:
    enqueue(ready, destination_record(SNS_EVENT), EVENTBRIDGE_EVENT)
    result = redrive(cli, "--max", "1", "--json")
    assert result.status == 0 and len(result.json()["messages"]) == 1
    assert waiting(ready) == 1


def test_an_empty_queue(cli: CliRunner, ready: DeployedStack) -> None:
    result = redrive(cli)
    assert result.status == 0 and "The dead-letter queue is empty" in result.out


def test_verbose_shows_the_functions_log_on_stderr(
    cli: CliRunner, ready: DeployedStack, chat_api: FakeChatApi
) -> None:
    enqueue(ready, destination_record(SNS_EVENT))
    quiet = redrive_refused_by(cli, chat_api, "spaces/AAAA")
    assert quiet.status == 1 and "{" not in quiet.err, "no JSON log lines without --verbose"
    loud = redrive_refused_by(cli, chat_api, "spaces/AAAA", "--verbose")
    assert loud.status == 1
    logged = [json.loads(line) for line in loud.err.splitlines() if line.startswith("{")]
    expected = {
        "a notification cannot be shown; it goes to the dead-letter queue",
        "Chat rejected the message",
    }
    assert expected <= {line["message"] for line in logged}
    assert not any(line.startswith("{") for line in loud.out.splitlines()), "stdout stays the command's"


def test_a_dead_lettered_keep_warm_ping_is_deleted_without_posting(
    cli: CliRunner, ready: DeployedStack, chat_api: FakeChatApi
) -> None:
    """A ping Lambda could not deliver for hours lands in the queue like an alarm; it is not one."""
    enqueue(ready, destination_record(dict(KEEP_WARM_EVENT)))
    result = redrive(cli)
    assert result.status == 0, result.err
    assert waiting(ready) == 0
    assert all(chat_api.requests(space) == [] for space in SPACES)
