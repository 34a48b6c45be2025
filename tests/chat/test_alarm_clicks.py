"""Alarm card clicks and the new commands with a controllable clock: mutes end on time, unmute ends
them all, mention is a space option, and Korean replies."""

from __future__ import annotations

from typing import Any

import pytest

from alarm_bot.alarms.routing import wants
from alarm_bot.chat.actions import ChatBot
from alarm_bot.chat.events import ChatEvent, EventFormat, EventKind, Space, User
from alarm_bot.settings import Settings
from alarm_bot.store.alarm_messages import DynamoAlarmMessages
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.alarm_cards import ALARM, STARTED, seed
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.chat_schema import validate_message
from tests.support.local_queue import VirtualClock

SPACE = "spaces/AAA"
CARD = f"{SPACE}/messages/M1"
NOW = STARTED.timestamp() + 23 * 60  # 10:42 in Seoul


@pytest.fixture
def store(dynamodb: Any) -> DynamoSpaceStore:
    seed(dynamodb, SPACE, CARD)
    return DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)


@pytest.fixture
def cards(dynamodb: Any) -> DynamoAlarmMessages:
    return DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=dynamodb)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(NOW)


def bot(
    store: DynamoSpaceStore, cards: DynamoAlarmMessages, clock: VirtualClock, locale: str = "en"
) -> ChatBot:
    settings = Settings(
        subscriptions_table=TABLE_NAME,
        bot_id=BOT_ID,
        chat_audience="123456789012",
        locale=locale,
        time_zone="Asia/Seoul",
    )
    return ChatBot(settings, store, clock, messages=cards)


def click(action: str, **parameters: str) -> ChatEvent:
    return ChatEvent(
        kind=EventKind.CARD_CLICKED,
        format=EventFormat.CLASSIC,
        space=Space(SPACE),
        user=User("users/1", "Jane"),
        action=action,
        parameters={"action": action, "alarm": ALARM.key, **parameters},
        message_name=CARD,
    )


def say(chat: ChatBot, text: str) -> str:
    event = ChatEvent(kind=EventKind.MESSAGE, format=EventFormat.CLASSIC, space=Space(SPACE), text=text)
    message = chat.handle(event).message
    assert message is not None
    return str(message["text"])


def test_acknowledge_shows_the_time_in_the_configured_zone(
    store: DynamoSpaceStore, cards: DynamoAlarmMessages, clock: VirtualClock
) -> None:
    outcome = bot(store, cards, clock).handle(click("acknowledge"))
    assert (outcome.action, outcome.update) == ("acknowledged", True)
    assert outcome.message is not None
    validate_message(outcome.message)
    assert outcome.message["text"].endswith("\n👀 Acknowledged by Jane at 10:42")


def test_a_mute_from_the_card_ends_on_time(
    store: DynamoSpaceStore, cards: DynamoAlarmMessages, clock: VirtualClock
) -> None:
    outcome = bot(store, cards, clock).handle(click("mute_alarm", duration="1h"))
    assert outcome.message is not None and outcome.message["text"].endswith("\n🔕 Muted here until 11:42")
    space = store.get(SPACE)
    assert space is not None
    assert not wants(space, ALARM, clock.now + 3599)
    assert wants(space, ALARM, clock.now + 3600)


def test_a_later_mute_drops_expired_ones(
    store: DynamoSpaceStore, cards: DynamoAlarmMessages, clock: VirtualClock
) -> None:
    store.mute_alarm(SPACE, "e" * 40, int(clock.now) - 1)
    bot(store, cards, clock).handle(click("mute_alarm", duration="1d"))
    assert store.get(SPACE).alarm_mutes == {ALARM.key: int(clock.now) + 86400}  # type: ignore[union-attr]


def test_unmute_ends_the_space_mute_and_every_alarm_mute(
    store: DynamoSpaceStore, cards: DynamoAlarmMessages, clock: VirtualClock
) -> None:
    chat = bot(store, cards, clock)
    chat.handle(click("mute_alarm", duration="1d"))
    assert say(chat, "unmute") == "Alarms are no longer muted in this space."
    space = store.get(SPACE)
    assert space is not None and space.alarm_mutes == {} and wants(space, ALARM, clock.now)
    assert say(chat, "unmute") == "Alarms were not muted in this space."


def test_mention_is_a_space_option_shown_by_status(
    store: DynamoSpaceStore, cards: DynamoAlarmMessages, clock: VirtualClock
) -> None:
    chat = bot(store, cards, clock)
    assert say(chat, "mention on") == "New alarm cards in this space now mention everyone (@all)."
    assert store.get(SPACE).mention is True  # type: ignore[union-attr]
    status = chat.handle(
        ChatEvent(EventKind.MESSAGE, EventFormat.CLASSIC, Space(SPACE), text="status")
    ).message
    assert status is not None
    rows = {w["decoratedText"]["topLabel"]: w["decoratedText"]["text"] for w in _rows(status)}
    assert rows["Mention"] == "everyone (@all) on new alarms"
    assert say(chat, "mention off") == "New alarm cards in this space no longer mention everyone."
    assert say(chat, "mention maybe") == "mention takes on or off."


def test_status_counts_alarms_muted_from_cards(
    store: DynamoSpaceStore, cards: DynamoAlarmMessages, clock: VirtualClock
) -> None:
    chat = bot(store, cards, clock)
    chat.handle(click("mute_alarm", duration="1h"))
    assert say(chat, "status").endswith("not muted; 1 alarm(s) muted from their cards")
    clock.now += 3600
    assert say(chat, "status").endswith("not muted")


@pytest.mark.parametrize(
    ("event", "reply"),
    [
        (click("acknowledge"), "👀 확인: Jane 님(10:42)"),
        (click("mute_alarm", duration="1h"), "🔕 11:42까지 이 스페이스에서 음소거됨"),
    ],
)
def test_korean_cards(
    store: DynamoSpaceStore, cards: DynamoAlarmMessages, clock: VirtualClock, event: ChatEvent, reply: str
) -> None:
    message = bot(store, cards, clock, "ko").handle(event).message
    assert message is not None and message["text"].endswith("\n" + reply)


def test_korean_refusals(store: DynamoSpaceStore, cards: DynamoAlarmMessages, clock: VirtualClock) -> None:
    cards.resolve(SPACE, ALARM.key, CARD, int(clock.now), clock.now)
    message = bot(store, cards, clock, "ko").handle(click("acknowledge")).message
    assert message == {"text": "payments-api/5xx 알람은 이미 해결되어 확인할 것이 없습니다."}


def test_without_a_card_store_alarm_buttons_are_unavailable(
    store: DynamoSpaceStore, clock: VirtualClock
) -> None:
    settings = Settings(subscriptions_table=TABLE_NAME, bot_id=BOT_ID, chat_audience="1")
    outcome = ChatBot(settings, store, clock).handle(click("acknowledge"))
    assert outcome.action == "unknown_action"


def _rows(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        w for w in message["cardsV2"][0]["card"]["sections"][0]["widgets"] if "topLabel" in w["decoratedText"]
    ]
