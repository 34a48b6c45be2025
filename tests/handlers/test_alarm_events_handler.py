"""The fan-out function end to end: real SNS samples in, the real google-auth flow against a Chat
API stand-in on 127.0.0.1, spaces and the credentials secret on moto."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from alarm_bot.handlers import alarm_events
from alarm_bot.store.spaces import DynamoSpaceStore, SpaceRecord
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.chat_api import FakeChatApi

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
OWN = Path(__file__).resolve().parents[1] / "fixtures" / "own"
SPACES = [f"spaces/ROOM{index}" for index in range(6)]


@dataclass
class LambdaContext:
    remaining_ms: int = 60_000
    function_name: str = "fanout"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:ap-northeast-2:111122223333:function:fanout"
    aws_request_id: str = "9a1b2c3d-0000-4000-8000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def sns_event(
    body: dict[str, Any], message_id: str = "11111111-2222-3333-4444-555555555555"
) -> dict[str, Any]:
    """The real SNS Lambda envelope, carrying ``body`` as its message."""
    event = copy.deepcopy(json.loads((REAL / "notify-slack/messages/cloudwatch_alarm.json").read_text()))
    event["Records"][0]["Sns"]["Message"] = json.dumps(body)
    event["Records"][0]["Sns"]["MessageId"] = message_id
    return event


def alarm_body(state: str = "ALARM", when: str = "2026-11-27T01:00:00.000+0000") -> dict[str, Any]:
    sample = json.loads((REAL / "notify-slack/messages/cloudwatch_alarm.json").read_text())
    body: dict[str, Any] = json.loads(sample["Records"][0]["Sns"]["Message"])
    body.update(
        NewStateValue=state,
        OldStateValue="OK" if state == "ALARM" else "ALARM",
        StateChangeTime=when,
        AlarmArn="arn:aws:cloudwatch:eu-west-2:735598076380:alarm:DBMigrationRequired",
    )
    return body


@pytest.fixture
def chat_api() -> Iterator[FakeChatApi]:
    with FakeChatApi() as api:
        yield api


@pytest.fixture
def store(dynamodb: Any) -> DynamoSpaceStore:
    spaces = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)
    for space in SPACES:
        spaces.put(SpaceRecord(space=space, display_name=space[-5:]))
    return spaces


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, chat_api: FakeChatApi, store: DynamoSpaceStore) -> dict[str, str]:
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
        "POWERTOOLS_METRICS_NAMESPACE": "AlarmChatBot",
        "POWERTOOLS_SERVICE_NAME": "alarm-chat-bot",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(alarm_events, "_dependencies", None)
    return values


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = alarm_events.logger.registered_handler
    previous = handler.setStream(stream)  # type: ignore[attr-defined]
    yield stream
    handler.setStream(previous)  # type: ignore[attr-defined]


def invoke(event: dict[str, Any], attempts: int = 1) -> dict[str, int]:
    """Call the handler the way Lambda does for async events: retried while it raises."""
    for attempt in range(attempts):
        try:
            return alarm_events.handler(event, LambdaContext())
        except alarm_events.DeliveryIncomplete:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def texts(chat_api: FakeChatApi, space: str) -> list[str]:
    return [message["text"] for message in chat_api.messages(space)]


def test_an_alarm_reaches_every_subscribed_space_once(env: dict[str, str], chat_api: FakeChatApi) -> None:
    summary = invoke(sns_event(alarm_body()))
    assert summary["MessagesDelivered"] == len(SPACES)
    for space in SPACES:
        (message,) = chat_api.messages(space)
        assert "DBMigrationRequired 알람이 발생했습니다" in message["text"]
        assert message["cardsV2"][0]["card"]["header"]["title"] == "DBMigrationRequired"


def test_filters_and_mutes_decide_who_receives(
    env: dict[str, str], chat_api: FakeChatApi, store: DynamoSpaceStore
) -> None:
    store.add_filters(SPACES[0], ("DB*",))
    store.add_filters(SPACES[1], ("api-*",))
    store.set_muted_until(SPACES[2], 4_000_000_000)
    store.unsubscribe_all(SPACES[3])
    invoke(sns_event(alarm_body()))
    received = [space for space in SPACES if chat_api.messages(space)]
    assert received == [SPACES[0], SPACES[4], SPACES[5]]


def test_ok_lands_in_the_thread_of_its_alarm(env: dict[str, str], chat_api: FakeChatApi) -> None:
    invoke(sns_event(alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"), "m-1"))
    invoke(sns_event(alarm_body("OK", "2026-11-27T01:20:00.000+0000"), "m-2"))
    for space in SPACES:
        (thread,) = chat_api.threads(space).values()
        alarm, ok = (message["text"] for message in thread)
        assert "알람이 발생했습니다" in alarm
        assert "알람이 해제되었습니다" in ok


def test_the_same_transition_via_sns_and_eventbridge_posts_once(
    env: dict[str, str], chat_api: FakeChatApi
) -> None:
    body = alarm_body()
    invoke(sns_event(body))
    eventbridge = {
        "version": "0",
        "id": "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
        "detail-type": "CloudWatch Alarm State Change",
        "source": "aws.cloudwatch",
        "account": "735598076380",
        "time": "2026-11-27T01:00:00Z",
        "region": "eu-west-2",
        "resources": [body["AlarmArn"]],
        "detail": {
            "alarmName": "DBMigrationRequired",
            "state": {
                "value": "ALARM",
                "reason": body["NewStateReason"],
                "timestamp": body["StateChangeTime"],
            },
            "previousState": {"value": "OK", "timestamp": "2026-11-26T00:00:00.000+0000"},
            "configuration": {"description": body["AlarmDescription"], "metrics": []},
        },
    }
    invoke(eventbridge)
    invoke(sns_event(body))  # and Lambda's own retry of the SNS event
    assert all(len(chat_api.messages(space)) == 1 for space in SPACES)


def test_transient_faults_still_give_exactly_one_message_per_transition(
    env: dict[str, str], chat_api: FakeChatApi
) -> None:
    chat_api.random_faults(1 / 3, seed=11, after_create_share=0.5)
    invoke(sns_event(alarm_body("ALARM", "2026-11-27T02:00:00.000+0000"), "f-1"), attempts=3)
    invoke(sns_event(alarm_body("OK", "2026-11-27T02:30:00.000+0000"), "f-2"), attempts=3)
    for space in SPACES:
        threads = chat_api.threads(space)
        assert len(chat_api.messages(space)) == 2, space
        assert [len(messages) for messages in threads.values()] == [2], space


def test_removed_spaces_are_pruned(
    env: dict[str, str], chat_api: FakeChatApi, store: DynamoSpaceStore, logs: io.StringIO
) -> None:
    chat_api.gone(SPACES[0], 403)
    chat_api.gone(SPACES[1], 404)
    summary = invoke(sns_event(alarm_body()))
    assert summary["SpacesPruned"] == 2
    assert sorted(record.space for record in store.list_spaces()) == SPACES[2:]
    assert chat_api.message_requests(SPACES[0]) == 1  # not retried
    assert "pruned a space the bot can no longer post to" in logs.getvalue()


def test_every_space_refusing_at_once_prunes_nothing(
    env: dict[str, str], chat_api: FakeChatApi, store: DynamoSpaceStore
) -> None:
    for space in SPACES:
        chat_api.gone(space, 404)
    with pytest.raises(alarm_events.DeliveryIncomplete):
        invoke(sns_event(alarm_body()))
    assert len(store.list_spaces()) == len(SPACES)


def test_persistent_failure_raises_for_lambda_retry_and_dlq(
    env: dict[str, str], chat_api: FakeChatApi, monkeypatch: pytest.MonkeyPatch, logs: io.StringIO
) -> None:
    chat_api.random_faults(1.0, seed=1)
    monkeypatch.setattr(alarm_events, "SAFETY_MARGIN_SECONDS", 58.0)  # a 2-second budget
    with pytest.raises(alarm_events.DeliveryIncomplete, match="not delivered to 6 space"):
        invoke(sns_event(alarm_body()))
    records = [json.loads(line) for line in logs.getvalue().splitlines()]
    failures = [record for record in records if record["message"] == "message not delivered"]
    assert {record["space"] for record in failures} == set(SPACES)
    assert all(record["alarm"] == "DBMigrationRequired" for record in failures)


def test_an_empty_secret_fails_loudly_without_leaking(
    env: dict[str, str], chat_api: FakeChatApi, logs: io.StringIO
) -> None:
    boto3.client("secretsmanager").put_secret_value(
        SecretId=env["GOOGLE_CREDENTIALS_SECRET_ARN"], SecretString="{}"
    )
    with pytest.raises(alarm_events.DeliveryIncomplete):
        invoke(sns_event(alarm_body()))
    assert "cannot authenticate to Google Chat" in logs.getvalue()
    assert all(chat_api.messages(space) == [] for space in SPACES)


def test_the_private_key_never_reaches_the_logs(
    env: dict[str, str], chat_api: FakeChatApi, logs: io.StringIO
) -> None:
    chat_api.gone(SPACES[0], 403)
    invoke(sns_event(alarm_body()))
    key = chat_api.service_account().info["private_key"]
    body = key.split("-----")[2].strip().splitlines()[1]
    assert body not in logs.getvalue()


def test_no_recipient_is_logged_not_dropped_silently(
    env: dict[str, str], chat_api: FakeChatApi, store: DynamoSpaceStore, logs: io.StringIO
) -> None:
    for space in SPACES:
        store.unsubscribe_all(space)
    summary = invoke(sns_event(alarm_body()))
    assert summary == {"NotificationsWithoutRecipients": 1}
    assert "no subscribed space receives this notification" in logs.getvalue()


def test_metrics_are_emitted_as_emf(
    env: dict[str, str], chat_api: FakeChatApi, capsys: pytest.CaptureFixture[str]
) -> None:
    invoke(sns_event(alarm_body()))
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    (emf,) = blobs
    names = {metric["Name"] for metric in emf["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert {"NotificationsReceived", "MessagesDelivered"} <= names
    assert emf["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "AlarmChatBot"
    assert emf["MessagesDelivered"] == [float(len(SPACES))]


def test_plain_text_notifications_are_delivered_as_text(env: dict[str, str], chat_api: FakeChatApi) -> None:
    event = json.loads((REAL / "notify-slack/messages/text_message.json").read_text())
    invoke(event)
    assert all(len(chat_api.messages(space)) == 1 for space in SPACES)
