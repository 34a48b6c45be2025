"""The delivery function end to end, as deployed: real SNS and EventBridge samples in, the function
puts direct events on the delivery queue (moto SQS, with its dead-letter queue) and consumes them
through the event source mapping's batches, spaces and the credentials secret on moto, the real
google-auth flow against a Chat API stand-in on 127.0.0.1. Time runs 50 times faster
(``DELIVERY_TIME_SCALE``), so that retries scheduled in the queue take a second, not a minute."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.handlers import alarm_events
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.alarm_bodies import eventbridge_alarm_event, sns_alarm_body, sns_alarm_event
from tests.support.aws import BOT_ID, TABLE_NAME, all_items
from tests.support.chat_api import FakeChatApi
from tests.support.function_log_capture import captured_function_logs
from tests.support.lambda_env import cold_start
from tests.support.sqs_event_source import SqsEventSource

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
OWN = Path(__file__).resolve().parents[1] / "fixtures" / "own"
SPACES = [f"spaces/ROOM{index}" for index in range(6)]
MAX_RECEIVES = 3  # the test queue's redrive policy (the stack's is in chatbot_stack/delivery_queue.py)


@dataclass
class LambdaContext:
    remaining_ms: int = 60_000
    function_name: str = "fanout"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:ap-northeast-2:111122223333:function:fanout"
    aws_request_id: str = "9a1b2c3d-0000-4000-8000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@pytest.fixture
def store(dynamodb: Any) -> DynamoSpaceStore:
    spaces = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)
    for space in SPACES:
        spaces.put(SpaceRecord(space=space, display_name=space[-5:]))
    return spaces


@dataclass
class Queues:
    sqs: Any
    url: str
    dead_letters: str

    def dead_letter_bodies(self) -> list[dict[str, Any]]:
        received = self.sqs.receive_message(QueueUrl=self.dead_letters, MaxNumberOfMessages=10)
        return [json.loads(message["Body"]) for message in received.get("Messages", [])]


@pytest.fixture
def queues(dynamodb: Any) -> Queues:
    sqs = boto3.client("sqs")
    dead = sqs.create_queue(QueueName="delivery-dlq")["QueueUrl"]
    dead_arn = sqs.get_queue_attributes(QueueUrl=dead, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = json.dumps({"deadLetterTargetArn": dead_arn, "maxReceiveCount": MAX_RECEIVES})
    url = sqs.create_queue(
        QueueName="delivery", Attributes={"RedrivePolicy": policy, "VisibilityTimeout": "30"}
    )
    return Queues(sqs, url["QueueUrl"], dead)


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, chat_api: FakeChatApi, store: DynamoSpaceStore, queues: Queues
) -> dict[str, str]:
    secret = boto3.client("secretsmanager").create_secret(
        Name="google-key", SecretString=json.dumps(chat_api.service_account().info)
    )
    values = {
        "SUBSCRIPTIONS_TABLE": TABLE_NAME,
        "BOT_ID": BOT_ID,
        "GOOGLE_CREDENTIALS_SECRET_ARN": secret["ARN"],
        "CHAT_API_BASE_URL": chat_api.url,
        "LOCALE": "ko",
        "TIME_ZONE": "Asia/Seoul",
        "DELIVERY_CONCURRENCY": "8",
        "DELIVERY_QUEUE_URL": queues.url,
        "DEAD_LETTER_QUEUE_URL": queues.dead_letters,
        "DELIVERY_TIME_SCALE": "0.02",
        "POWERTOOLS_METRICS_NAMESPACE": "AlarmChatBot",
        "POWERTOOLS_SERVICE_NAME": "alarm-chat-bot",
    }
    cold_start(monkeypatch, alarm_events, values)
    return values


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """The function's log lines (JSON, as in CloudWatch Logs), its delivery modules' included."""
    with captured_function_logs(alarm_events.logger, "alarm-chat-bot") as stream:
        yield stream


def invoke(event: dict[str, Any]) -> dict[str, Any]:
    """A direct invocation, as SNS, EventBridge or an alarm action makes it."""
    return alarm_events.handler(event, LambdaContext())


def deliver(queues: Queues, *, patience: float = 0.0) -> SqsEventSource:
    """The event source mapping: the function consumes the queue until nothing is left."""
    source = SqsEventSource(
        queues.sqs, queues.url, lambda batch: alarm_events.handler(batch, LambdaContext())
    )
    source.drain(patience=patience)
    return source


def outbox(dynamodb: Any) -> list[str]:
    """The spaces with entries in their outbox, once per entry."""
    partitions = [
        item["bot_id"]["S"] for item in all_items(dynamodb) if item["space_id"]["S"].startswith("out#")
    ]
    return [partition.removesuffix("#out") for partition in partitions]


def test_a_direct_event_is_queued_then_delivered_to_every_space_once(
    env: dict[str, str], chat_api: FakeChatApi, queues: Queues
) -> None:
    assert invoke(sns_alarm_event(sns_alarm_body())) == {"queued": 1}
    assert all(chat_api.messages(space) == [] for space in SPACES), "nothing is sent before the queue"
    source = deliver(queues)
    assert source.responses[0] == {"batchItemFailures": []}
    for space in SPACES:
        (message,) = chat_api.messages(space)
        assert "DBMigrationRequired 알람이 발생했습니다" in message["text"]
        assert message["cardsV2"][0]["card"]["header"]["title"] == "DBMigrationRequired"


def test_filters_and_mutes_decide_who_receives(
    env: dict[str, str], chat_api: FakeChatApi, store: DynamoSpaceStore, queues: Queues
) -> None:
    store.add_filters(SPACES[0], ("DB*",))
    store.add_filters(SPACES[1], ("api-*",))
    store.set_muted_until(SPACES[2], 4_000_000_000)
    store.unsubscribe_all(SPACES[3])
    invoke(sns_alarm_event(sns_alarm_body()))
    deliver(queues)
    received = [space for space in SPACES if chat_api.messages(space)]
    assert received == [SPACES[0], SPACES[4], SPACES[5]]


def test_ok_lands_in_the_thread_of_its_alarm(
    env: dict[str, str], chat_api: FakeChatApi, queues: Queues
) -> None:
    invoke(sns_alarm_event(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"), "m-1"))
    deliver(queues)
    invoke(sns_alarm_event(sns_alarm_body("OK", "2026-11-27T01:20:00.000+0000"), "m-2"))
    deliver(queues)
    for space in SPACES:
        (thread,) = chat_api.threads(space).values()
        alarm, ok = (message["text"] for message in thread)
        assert "알람이 발생했습니다" in alarm
        assert "알람이 해제되었습니다" in ok


def test_the_same_transition_via_sns_and_eventbridge_posts_once(
    env: dict[str, str], chat_api: FakeChatApi, queues: Queues
) -> None:
    body = sns_alarm_body()
    invoke(sns_alarm_event(body))
    invoke(eventbridge_alarm_event(body))
    deliver(queues)
    invoke(sns_alarm_event(body))  # and Lambda's own retry of the SNS event
    deliver(queues)
    assert all(len(chat_api.messages(space)) == 1 for space in SPACES)


def test_a_lambda_alarm_action_naming_the_function_is_delivered(
    env: dict[str, str], chat_api: FakeChatApi, queues: Queues
) -> None:
    action = json.loads((REAL / "powertools-python/cloudWatchAlarmEventSingleMetric.json").read_text())
    assert invoke(action) == {"queued": 1}
    deliver(queues)
    assert all(chat_api.messages(space)[0]["text"].startswith("🚨 Test alert") for space in SPACES)


def test_transient_faults_still_give_exactly_one_message_per_transition(
    env: dict[str, str], chat_api: FakeChatApi, queues: Queues
) -> None:
    chat_api.random_faults(1 / 3, seed=11, after_create_share=0.5)
    invoke(sns_alarm_event(sns_alarm_body("ALARM", "2026-11-27T02:00:00.000+0000"), "f-1"))
    deliver(queues, patience=15)
    invoke(sns_alarm_event(sns_alarm_body("OK", "2026-11-27T02:30:00.000+0000"), "f-2"))
    deliver(queues, patience=15)
    for space in SPACES:
        threads = chat_api.threads(space)
        assert len(chat_api.messages(space)) == 2, space
        assert [len(messages) for messages in threads.values()] == [2], space
    assert queues.dead_letter_bodies() == []


def test_removed_spaces_are_pruned(
    env: dict[str, str], chat_api: FakeChatApi, store: DynamoSpaceStore, queues: Queues, logs: io.StringIO
) -> None:
    chat_api.gone(SPACES[0], 403)
    chat_api.gone(SPACES[1], 404)
    invoke(sns_alarm_event(sns_alarm_body()))
    deliver(queues)
    assert sorted(record.space for record in store.list_spaces()) == SPACES[2:]
    assert chat_api.message_requests(SPACES[0]) == 1  # not retried
    assert "pruned a space the bot can no longer post to" in logs.getvalue()


def test_every_space_refusing_at_once_prunes_nothing_and_keeps_the_notification(
    env: dict[str, str], chat_api: FakeChatApi, store: DynamoSpaceStore, queues: Queues, dynamodb: Any
) -> None:
    for space in SPACES:
        chat_api.gone(space, 404)
    invoke(sns_alarm_event(sns_alarm_body()))
    deliver(queues)
    assert len(store.list_spaces()) == len(SPACES)
    assert sorted(outbox(dynamodb)) == sorted(f"{BOT_ID}#{space}" for space in SPACES)


def test_a_space_that_keeps_failing_ends_in_the_dead_letter_queue(
    env: dict[str, str], chat_api: FakeChatApi, queues: Queues, logs: io.StringIO, dynamodb: Any
) -> None:
    chat_api.random_faults(1.0, seed=1, max_streak=1000)
    invoke(sns_alarm_event(sns_alarm_body()))
    deliver(queues, patience=20)
    letters = queues.dead_letter_bodies()
    assert {letter["space"] for letter in letters} >= {SPACES[0]}
    assert all(letter["alarmChatBot"] == "flush" for letter in letters)
    records = [json.loads(line) for line in logs.getvalue().splitlines()]
    failures = [record for record in records if record["message"] == "Chat message not delivered"]
    assert {record["space"] for record in failures} == set(SPACES)
    assert len(outbox(dynamodb)) == len(SPACES), "the notification itself is kept for a redrive"


def test_an_empty_secret_fails_loudly_without_leaking_and_keeps_the_notification(
    env: dict[str, str], chat_api: FakeChatApi, queues: Queues, logs: io.StringIO, dynamodb: Any
) -> None:
    boto3.client("secretsmanager").put_secret_value(
        SecretId=env["GOOGLE_CREDENTIALS_SECRET_ARN"], SecretString="{}"
    )
    invoke(sns_alarm_event(sns_alarm_body()))
    deliver(queues)
    assert "cannot authenticate to Google Chat" in logs.getvalue()
    assert all(chat_api.messages(space) == [] for space in SPACES)
    assert len(outbox(dynamodb)) == len(SPACES)


def test_the_private_key_never_reaches_the_logs(
    env: dict[str, str], chat_api: FakeChatApi, queues: Queues, logs: io.StringIO
) -> None:
    chat_api.gone(SPACES[0], 403)
    invoke(sns_alarm_event(sns_alarm_body()))
    deliver(queues)
    key = chat_api.service_account().info["private_key"]
    body = key.split("-----")[2].strip().splitlines()[1]
    assert body not in logs.getvalue()


def test_no_recipient_is_logged_not_dropped_silently(
    env: dict[str, str], chat_api: FakeChatApi, store: DynamoSpaceStore, queues: Queues, logs: io.StringIO
) -> None:
    for space in SPACES:
        store.unsubscribe_all(space)
    invoke(sns_alarm_event(sns_alarm_body()))
    deliver(queues)
    assert "no subscribed space receives this notification" in logs.getvalue()


def test_metrics_are_emitted_as_emf(
    env: dict[str, str], chat_api: FakeChatApi, queues: Queues, capsys: pytest.CaptureFixture[str]
) -> None:
    invoke(sns_alarm_event(sns_alarm_body()))
    deliver(queues)
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    queued, delivered = (blob for blob in blobs if "AlarmsReceived" not in blob)
    assert queued["NotificationsQueued"] == [1.0]
    names = {metric["Name"] for metric in delivered["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert {"NotificationsReceived", "MessagesDelivered", "QueueAge"} <= names
    assert delivered["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "AlarmChatBot"
    assert delivered["MessagesDelivered"] == [float(len(SPACES))]


def test_plain_text_notifications_are_delivered_as_text(
    env: dict[str, str], chat_api: FakeChatApi, queues: Queues
) -> None:
    event = json.loads((REAL / "notify-slack/messages/text_message.json").read_text())
    invoke(event)
    deliver(queues)
    assert all(len(chat_api.messages(space)) == 1 for space in SPACES)


def test_an_event_that_cannot_be_queued_raises_for_lambdas_retry(
    env: dict[str, str], queues: Queues, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DELIVERY_QUEUE_URL", queues.url + "-gone")
    monkeypatch.setattr(alarm_events, "_dependencies", None)
    with pytest.raises(alarm_events.DeliveryIncomplete, match="not queued"):
        invoke(sns_alarm_event(sns_alarm_body()))
