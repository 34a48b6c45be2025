"""Interactive ALARM cards through the fan-out handler, end to end: real SNS samples in, the real
google-auth flow against the Chat API stand-in, spaces and stored cards on moto.

ALARM posts a card with buttons into every space and remembers it; OK replies in the thread and
edits each space's card in place, once, whatever retries or duplicates happen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.handlers import alarm_events
from alarm_bot.store.alarm_messages import TTL_SECONDS, DynamoAlarmMessages
from alarm_bot.store.spaces import DynamoSpaceStore, SpaceRecord
from tests.handlers.test_alarm_events_handler import alarm_body, invoke, sns_event
from tests.support.aws import BOT_ID, TABLE_NAME, all_items
from tests.support.chat_api import FakeChatApi, Fault
from tests.support.chat_schema import validate_message

SPACES = [f"spaces/ROOM{index}" for index in range(4)]
ENDPOINT = "https://abc123.execute-api.eu-west-2.amazonaws.com/chat"
ALARM_AT = "2026-11-27T01:00:00.000+0000"  # 10:00 in Seoul
OK_AT = "2026-11-27T01:20:00.000+0000"


@pytest.fixture
def chat_api() -> Iterator[FakeChatApi]:
    with FakeChatApi() as api:
        yield api


@pytest.fixture
def store(dynamodb: Any) -> DynamoSpaceStore:
    spaces = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)
    for space in SPACES:
        spaces.put(SpaceRecord(space=space))
    return spaces


@pytest.fixture
def cards(dynamodb: Any) -> DynamoAlarmMessages:
    return DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=dynamodb)


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, chat_api: FakeChatApi, store: DynamoSpaceStore) -> None:
    secret = boto3.client("secretsmanager").create_secret(
        Name="google-key", SecretString=json.dumps(chat_api.service_account().info)
    )
    for name, value in {
        "SUBSCRIPTIONS_TABLE": TABLE_NAME,
        "BOT_ID": BOT_ID,
        "GOOGLE_CREDENTIALS_SECRET_ARN": secret["ARN"],
        "CHAT_API_BASE_URL": chat_api.url,
        "LOCALE": "en",
        "TIME_ZONE": "Asia/Seoul",
        "DELIVERY_CONCURRENCY": "4",
        "POWERTOOLS_METRICS_NAMESPACE": "AlarmChatBot",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ADDON_PROJECT_NUMBER", raising=False)
    monkeypatch.delenv("CHAT_ENDPOINT_URL", raising=False)
    monkeypatch.setattr(alarm_events, "_dependencies", None)


def alarm(message_id: str = "m-alarm") -> dict[str, Any]:
    return sns_event(alarm_body("ALARM", ALARM_AT), message_id)


def ok(message_id: str = "m-ok") -> dict[str, Any]:
    return sns_event(alarm_body("OK", OK_AT), message_id)


def alarm_key() -> str:
    arn = alarm_body()["AlarmArn"]
    return Alarm(name="DBMigrationRequired", state=AlarmState.OK, source="sns", arn=arn).key


def labels(message: dict[str, Any]) -> list[str]:
    return [
        button["text"]
        for section in message["cardsV2"][0]["card"]["sections"]
        for widget in section["widgets"]
        for button in widget.get("buttonList", {}).get("buttons", [])
    ]


def test_alarm_cards_carry_buttons_and_are_remembered_with_a_ttl(
    env: None, chat_api: FakeChatApi, cards: DynamoAlarmMessages, dynamodb: Any
) -> None:
    summary = invoke(alarm())
    assert summary["AlarmCardsStored"] == len(SPACES)
    for space in SPACES:
        (message,) = chat_api.messages(space)
        validate_message({key: value for key, value in message.items() if key != "createTime"})
        assert labels(message) == ["Acknowledge", "Mute here 1h", "Mute here 1d", "Open in CloudWatch"]
        stored = cards.get(space, alarm_key())
        assert stored is not None and stored.message_name == message["name"]
    items = [item for item in all_items(dynamodb) if item["space_id"]["S"].startswith("alarm#")]
    assert len(items) == len(SPACES)
    assert all(int(item["expires_at"]["N"]) > int(item["since"]["N"]) + TTL_SECONDS for item in items)


def test_ok_resolves_every_card_in_place_once_and_replies_in_the_thread(
    env: None, chat_api: FakeChatApi, cards: DynamoAlarmMessages
) -> None:
    invoke(alarm())
    summary = invoke(ok())
    assert summary["CardsResolved"] == len(SPACES)
    for space in SPACES:
        (patch,) = chat_api.patch_requests(space)
        assert patch.query == {"updateMask": "text,cards_v2"}
        validate_message(patch.body)
        (thread,) = chat_api.threads(space).values()
        card, reply = thread
        assert patch.name == card["name"]
        assert reply["text"].startswith("✅ OK: DBMigrationRequired")
        assert card["text"].endswith("\n✅ Resolved at 10:20 after 20 min")
        assert labels(card) == ["Open in CloudWatch"]
        stored = cards.get(space, alarm_key())
        assert stored is not None and stored.resolved
    invoke(ok())  # Lambda's retry, or the same OK through EventBridge
    assert all(len(chat_api.patch_requests(space)) == 1 for space in SPACES)


def test_a_retried_alarm_neither_posts_nor_stores_twice(
    env: None, chat_api: FakeChatApi, cards: DynamoAlarmMessages
) -> None:
    invoke(alarm())
    assert invoke(alarm()).get("AlarmCardsStored", 0) == 0
    assert all(len(chat_api.messages(space)) == 1 for space in SPACES)


def test_a_card_that_cannot_be_edited_is_counted_not_fatal_and_fixed_later(
    env: None, chat_api: FakeChatApi, cards: DynamoAlarmMessages, caplog: pytest.LogCaptureFixture
) -> None:
    invoke(alarm())
    chat_api.script_patch(SPACES[0], Fault(400))
    chat_api.script_patch(SPACES[1], Fault(404))  # someone deleted the card
    summary = invoke(ok())
    assert (summary["CardUpdatesFailed"], summary["CardsGone"], summary["CardsResolved"]) == (1, 1, 2)
    assert "could not mark the alarm card resolved" in caplog.text
    assert [len(chat_api.messages(space)) for space in SPACES] == [2, 2, 2, 2]  # every OK delivered
    still_open = cards.get(SPACES[0], alarm_key())
    assert still_open is not None and not still_open.resolved
    invoke(ok("m-ok-again"))  # the same OK again (EventBridge): the failed card is tried once more
    assert len(chat_api.patch_requests(SPACES[0])) == 2
    assert len(chat_api.patch_requests(SPACES[1])) == 1
    assert chat_api.messages(SPACES[0])[0]["text"].endswith("after 20 min")


def test_cards_are_resolved_even_where_the_ok_is_not_delivered(
    env: None, chat_api: FakeChatApi, store: DynamoSpaceStore
) -> None:
    invoke(alarm())
    store.unsubscribe_all(SPACES[0])
    store.mute_alarm(SPACES[1], alarm_key(), 4_000_000_000)
    invoke(ok())
    for space in SPACES[:2]:
        assert len(chat_api.messages(space)) == 1  # no OK reply: unsubscribed, muted
        assert len(chat_api.patch_requests(space)) == 1  # but the card no longer says it is open


def test_mention_on_mentions_everyone_in_alarm_cards_only(
    env: None, chat_api: FakeChatApi, store: DynamoSpaceStore
) -> None:
    store.set_mention(SPACES[0], True)
    invoke(alarm())
    assert chat_api.messages(SPACES[0])[0]["text"].startswith("<users/all> 🚨 ALARM: DBMigrationRequired")
    assert "<users/all>" not in chat_api.messages(SPACES[1])[0]["text"]
    invoke(ok())
    card, reply = chat_api.messages(SPACES[0])
    assert "<users/all>" not in reply["text"]
    assert "<users/all>" not in card["text"]  # the resolved card no longer calls everyone


def test_a_per_alarm_mute_skips_that_space_only(
    env: None, chat_api: FakeChatApi, store: DynamoSpaceStore
) -> None:
    store.mute_alarm(SPACES[2], alarm_key(), 4_000_000_000)
    invoke(alarm())
    assert [len(chat_api.messages(space)) for space in SPACES] == [1, 1, 0, 1]


def test_an_add_on_deployment_addresses_buttons_to_its_endpoint(
    env: None, chat_api: FakeChatApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADDON_PROJECT_NUMBER", "123456789012")
    monkeypatch.setenv("CHAT_ENDPOINT_URL", ENDPOINT)
    invoke(alarm())
    (message,) = chat_api.messages(SPACES[0])
    buttons = message["cardsV2"][0]["card"]["sections"][-1]["widgets"][0]["buttonList"]["buttons"]
    functions = [button["onClick"].get("action", {}).get("function") for button in buttons]
    assert functions == [ENDPOINT, ENDPOINT, ENDPOINT, None]  # the last one opens the console
    parameters = {p["key"]: p["value"] for p in buttons[1]["onClick"]["action"]["parameters"]}
    assert parameters == {"action": "mute_alarm", "alarm": alarm_key(), "duration": "1h"}
    assert re.fullmatch(r"[0-9a-f]{40}", parameters["alarm"])
