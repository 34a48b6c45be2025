"""ChatBot: every event kind and command, against the DynamoDB store on moto, in en and ko."""

from __future__ import annotations

import json
from typing import Any

import pytest

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat.actions import ChatBot
from alarm_bot.chat.events import ChatEvent, EventFormat, EventKind, Space, User
from alarm_bot.settings import Settings
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.aws import BOT_ID, TABLE_NAME, all_items
from tests.support.local_queue import VirtualClock

NOW = 1_794_990_400.0  # 2026-11-18T08:26:40Z, 17:26 in Seoul
SPACE = Space("spaces/AAA", "운영팀", "SPACE")


def settings(locale: str = "en") -> Settings:
    return Settings(
        subscriptions_table=TABLE_NAME,
        bot_id=BOT_ID,
        chat_audience="123456789012",
        locale=locale,
        slash_commands={"2": "status", "5": "mute"},
        time_zone="Asia/Seoul",
    )


@pytest.fixture
def store(dynamodb: Any) -> DynamoSpaceStore:
    return DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(NOW)


def bot(store: DynamoSpaceStore, clock: VirtualClock, locale: str = "en") -> ChatBot:
    return ChatBot(settings(locale), store, clock)


def event(kind: EventKind = EventKind.MESSAGE, text: str = "", **fields: Any) -> ChatEvent:
    return ChatEvent(
        kind=kind, format=EventFormat.CLASSIC, space=SPACE, user=User("users/1", "Ada"), text=text, **fields
    )


def say(store: DynamoSpaceStore, clock: VirtualClock, text: str, locale: str = "en") -> str:
    outcome = bot(store, clock, locale).handle(event(text=text))
    assert outcome.message is not None
    return str(outcome.message["text"])


def test_added_to_space_stores_the_space_and_welcomes(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    outcome = bot(store, clock).handle(event(EventKind.ADDED_TO_SPACE))
    assert store.get("spaces/AAA") == SpaceRecord(
        space="spaces/AAA",
        display_name="운영팀",
        space_type="SPACE",
        added_by="Ada",
        added_at="2026-11-18T08:26:40Z",
    )
    message = outcome.message
    assert message is not None and "receives AWS CloudWatch alarms" in message["text"]
    card = message["cardsV2"][0]["card"]
    assert card["header"]["subtitle"] == "CloudWatch alarms for 운영팀"
    listed = [w["decoratedText"]["topLabel"] for w in card["sections"][1]["widgets"]]
    assert [label.split()[0] for label in listed] == [
        "help",
        "status",
        "subscribe",
        "unsubscribe",
        "mute",
        "unmute",
        "mention",
    ]


def test_welcome_in_korean(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    outcome = bot(store, clock, "ko").handle(event(EventKind.ADDED_TO_SPACE))
    assert outcome.message is not None
    assert "AWS CloudWatch 알람이 전달됩니다" in outcome.message["text"]
    assert outcome.message["cardsV2"][0]["card"]["sections"][1]["header"] == "명령어"


def test_removed_from_space_deletes_everything_and_replies_nothing(
    store: DynamoSpaceStore, clock: VirtualClock, dynamodb: Any
) -> None:
    chat = bot(store, clock)
    chat.handle(event(EventKind.ADDED_TO_SPACE))
    dynamodb.put_item(
        TableName=TABLE_NAME, Item={"bot_id": {"S": BOT_ID}, "space_id": {"S": "spaces/AAA#alarm#1"}}
    )
    outcome = chat.handle(event(EventKind.REMOVED_FROM_SPACE))
    assert outcome.message is None
    assert all_items(dynamodb) == []


def test_a_message_from_an_unknown_space_stores_it(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    assert "Commands" in json.dumps(bot(store, clock).handle(event(text="help")).message)
    stored = store.get("spaces/AAA")
    assert stored is not None and stored.added_by == "Ada"


def test_status_of_a_new_space(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    text = say(store, clock, "status")
    assert text == "Subscription of 운영팀: every alarm; not muted"


def test_subscribe_patterns_then_status(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    assert say(store, clock, "subscribe prod-* api-*") == (
        "This space now receives alarms matching `api-*`, `prod-*`."
    )
    assert store.get("spaces/AAA").filters == ("api-*", "prod-*")  # type: ignore[union-attr]
    assert "alarms matching `api-*`, `prod-*`" in say(store, clock, "/status")


def test_unsubscribe_a_pattern(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    say(store, clock, "subscribe prod-* api-*")
    assert say(store, clock, "unsubscribe api-*") == (
        "Removed `api-*`. This space now receives alarms matching `prod-*`."
    )
    assert say(store, clock, "unsubscribe prod-*") == "Removed `prod-*`. This space now receives every alarm."
    assert store.get("spaces/AAA").filters == ()  # type: ignore[union-attr]


def test_unsubscribe_an_unknown_pattern_changes_nothing(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    say(store, clock, "subscribe prod-*")
    before = store.get("spaces/AAA")
    assert say(store, clock, "unsubscribe dev-*") == ("`dev-*` is not among this space's filters: `prod-*`.")
    assert store.get("spaces/AAA") == before


def test_unsubscribe_with_no_patterns_in_place(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    assert say(store, clock, "unsubscribe prod-*") == "This space has no filters; it receives every alarm."


def test_unsubscribe_all_then_subscribe_again(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    say(store, clock, "subscribe prod-*")
    assert (
        say(store, clock, "unsubscribe") == "This space no longer receives alarms. Use subscribe to resume."
    )
    assert store.get("spaces/AAA").subscribed is False  # type: ignore[union-attr]
    assert "nothing (unsubscribed)" in say(store, clock, "status")
    assert say(store, clock, "subscribe") == "This space now receives every alarm."
    assert store.get("spaces/AAA") is not None
    assert store.get("spaces/AAA").subscribed is True  # type: ignore[union-attr]
    assert store.get("spaces/AAA").filters == ()  # type: ignore[union-attr]


def test_mute_shows_the_end_in_the_configured_time_zone(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    assert say(store, clock, "mute 2h") == "Alarms are muted in this space until 2026-11-18 19:26 KST."
    assert store.get("spaces/AAA").muted_until == int(NOW) + 7200  # type: ignore[union-attr]
    assert "muted until 2026-11-18 19:26 KST" in say(store, clock, "status")


def test_mute_expires_with_time(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    say(store, clock, "mute 30m")
    clock.now += 1801
    assert say(store, clock, "status").endswith("not muted")
    assert say(store, clock, "unmute") == "Alarms were not muted in this space."


def test_unmute(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    say(store, clock, "mute 1d")
    assert say(store, clock, "unmute") == "Alarms are no longer muted in this space."
    assert store.get("spaces/AAA").muted_until is None  # type: ignore[union-attr]


def test_bad_arguments_store_nothing(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    say(store, clock, "help")
    before = store.get("spaces/AAA")
    assert say(store, clock, "mute forever") == (
        "“forever” is not a duration. Use minutes, hours or days: 30m, 2h, 1d, 1h30m."
    )
    assert say(store, clock, "mute 90d") == "“90d” is out of range: mute for 1 minute up to 30 days."
    assert say(store, clock, "status please") == "status takes no arguments."
    assert store.get("spaces/AAA") == before


def test_unknown_command_gets_short_help(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    outcome = bot(store, clock).handle(event(text="deploy prod"))
    assert outcome.action == "unknown_command"
    assert outcome.message is not None
    assert outcome.message["text"].startswith("I don't know “deploy”.")
    assert outcome.message["cardsV2"][0]["cardId"] == "help"


def test_slash_command_ids_map_through_settings(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    outcome = bot(store, clock).handle(event(text="45m", command_id="5"))
    assert outcome.action == "mute"
    assert store.get("spaces/AAA").muted_until == int(NOW) + 2700  # type: ignore[union-attr]


def test_app_command_event_runs_the_command(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    outcome = bot(store, clock).handle(event(EventKind.APP_COMMAND, text="/status", command_id="2"))
    assert outcome.action == "status"


def test_buttons_run_read_only_commands_only(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    chat = bot(store, clock)
    assert chat.handle(event(EventKind.CARD_CLICKED, action="status")).action == "status"
    stale = chat.handle(event(EventKind.CARD_CLICKED, action="unsubscribe"))
    assert stale.action == "unknown_action"
    assert stale.message == {"text": "That button is no longer available. Type help for the commands."}
    assert store.get("spaces/AAA").subscribed is True  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("subscribe 결제-*", "이제 이 스페이스로 `결제-*`과(와) 일치하는 알람이 전달됩니다."),
        ("mute 1h", "2026-11-18 18:26 KST까지 이 스페이스의 알람을 음소거합니다."),
        ("unmute", "이 스페이스의 알람은 음소거되어 있지 않았습니다."),
        ("mute", "mute에는 30m, 2h, 1d 같은 기간이 하나 필요합니다."),
        ("unsubscribe", "이 스페이스로 더 이상 알람이 전달되지 않습니다. subscribe로 다시 받을 수 있습니다."),
    ],
)
def test_korean_replies(store: DynamoSpaceStore, clock: VirtualClock, text: str, reply: str) -> None:
    assert say(store, clock, text, "ko") == reply


def test_korean_status(store: DynamoSpaceStore, clock: VirtualClock) -> None:
    assert say(store, clock, "상태", "ko") == "운영팀 구독 상태: 모든 알람; 음소거 안 함"


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_echoed_arguments_cannot_mention_or_link(
    store: DynamoSpaceStore, clock: VirtualClock, locale: str
) -> None:
    subscribed = say(store, clock, "subscribe a`<users/all>`b", locale)
    assert "`a\u02cb\u2039users/all>\u02cbb`" in subscribed  # still one code span, nothing outside it
    unknown = say(store, clock, "<users/all> <https://evil.example|login>", locale)
    bad_duration = say(store, clock, "mute <users/all>", locale)
    for reply in (subscribed, unknown, bad_duration):
        assert "<users/" not in reply and "<https:" not in reply, reply
