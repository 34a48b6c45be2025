"""``status`` with what is in ALARM now: cut to the card's limits, and still answering without it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from alarm_bot.alarms.firing import FiringAlarm, FiringList
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat.actions import ChatBot
from alarm_bot.chat.events import ChatEvent, EventFormat, EventKind, Space
from alarm_bot.settings import Settings
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.chat_schema import validate_message

NOW = 1_800_000_000.0
SINCE = 1_799_990_000.0  # 2027-01-15 05:13 UTC


class Firing:
    def __init__(self, alarms: list[FiringAlarm] | Exception, *, complete: bool = True) -> None:
        self.alarms = alarms
        self.complete = complete
        self.calls = 0

    def firing(self) -> FiringList:
        self.calls += 1
        if isinstance(self.alarms, Exception):
            raise self.alarms
        return FiringList(tuple(self.alarms), self.complete)


@pytest.fixture
def store(dynamodb: Any) -> DynamoSpaceStore:
    spaces = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)
    spaces.put(SpaceRecord("spaces/AAA", display_name="On call", filters=("prod-*",)))
    return spaces


def status(store: DynamoSpaceStore, firing: Firing, locale: str = "en") -> dict[str, Any]:
    settings = Settings(
        subscriptions_table=TABLE_NAME, bot_id=BOT_ID, chat_audience="1", locale=locale, time_zone="UTC"
    )
    event = ChatEvent(EventKind.MESSAGE, EventFormat.CLASSIC, Space("spaces/AAA"), text="status")
    message = ChatBot(settings, store, lambda: NOW, firing=firing).handle(event).message
    assert message is not None
    validate_message(message)
    return message


def firing_section(message: dict[str, Any]) -> dict[str, Any]:
    section: dict[str, Any] = message["cardsV2"][0]["card"]["sections"][1]
    return section


def alarms(count: int, prefix: str = "prod-api-") -> list[FiringAlarm]:
    return [FiringAlarm(f"{prefix}{index:02d}", "ap-northeast-2", SINCE + index) for index in range(count)]


def test_status_lists_the_matching_alarms_in_alarm_with_start_and_link(store: DynamoSpaceStore) -> None:
    message = status(store, Firing([*alarms(2), FiringAlarm("dev-db", "ap-northeast-2", SINCE)]))
    section = firing_section(message)
    assert section["header"] == "In ALARM now: 2"
    first = section["widgets"][0]["decoratedText"]
    assert first["text"] == "prod-api-01"  # the most recent first
    assert first["topLabel"] == "since 2027-01-15 05:13 UTC"
    assert first["button"]["onClick"]["openLink"]["url"].startswith(
        "https://ap-northeast-2.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/"
    )
    assert message["text"].endswith("; 2 in ALARM")


def test_many_alarms_are_cut_to_twenty_rows_and_the_total(store: DynamoSpaceStore) -> None:
    section = firing_section(status(store, Firing(alarms(25))))
    assert section["header"] == "In ALARM now: 25"
    assert len(section["widgets"]) == 21
    assert section["widgets"][-1] == {"textParagraph": {"text": "… and 5 more"}}


def test_long_names_shrink_the_list_to_fit_the_message_limit(store: DynamoSpaceStore) -> None:
    message = status(store, Firing(alarms(20, prefix="prod-" + "가" * 240)))
    assert len(json.dumps(message, ensure_ascii=False).encode()) <= 32_000
    section = firing_section(message)
    assert section["header"] == "In ALARM now: 20"
    assert section["widgets"][-1]["textParagraph"]["text"].startswith("… and ")


def test_nothing_in_alarm(store: DynamoSpaceStore) -> None:
    section = firing_section(status(store, Firing([FiringAlarm("dev-db", None, None)])))
    assert section["widgets"] == [{"textParagraph": {"text": "No alarm this space receives is in ALARM."}}]


def test_cloudwatch_failing_does_not_fail_status(store: DynamoSpaceStore) -> None:
    message = status(store, Firing(RuntimeError("AccessDenied")), locale="ko")
    section = firing_section(message)
    assert section["header"] == "지금 경보 중: ?개"
    assert (
        "CloudWatch에서 경보 중인 알람을 가져오지 못했습니다"
        in section["widgets"][0]["textParagraph"]["text"]
    )
    assert message["text"] == "On call 구독 상태: `prod-*`과(와) 일치하는 알람; 음소거 안 함"


def test_cloudwatch_is_asked_only_for_status(store: DynamoSpaceStore) -> None:
    source = Firing([])
    settings = Settings(subscriptions_table=TABLE_NAME, bot_id=BOT_ID, chat_audience="1")
    chat = ChatBot(settings, store, lambda: NOW, firing=source)
    chat.handle(ChatEvent(EventKind.MESSAGE, EventFormat.CLASSIC, Space("spaces/AAA"), text="help"))
    assert source.calls == 0


INCOMPLETE = "CloudWatch did not list every alarm in time, so this list may be incomplete; try again later."


def test_a_list_cut_short_shows_what_was_read_and_says_it_is_incomplete(store: DynamoSpaceStore) -> None:
    message = status(store, Firing([*alarms(2), FiringAlarm("dev-db", None, None)], complete=False))
    section = firing_section(message)
    assert section["header"] == "In ALARM now: at least 2"
    assert [widget["decoratedText"]["text"] for widget in section["widgets"][:2]] == [
        "prod-api-01",
        "prod-api-00",
    ]
    assert section["widgets"][2:] == [{"textParagraph": {"text": INCOMPLETE}}]
    assert message["text"].endswith("; at least 2 in ALARM")


def test_a_long_list_cut_short_has_both_the_rest_and_the_warning(store: DynamoSpaceStore) -> None:
    section = firing_section(status(store, Firing(alarms(25), complete=False), locale="ko"))
    assert section["header"] == "지금 경보 중: 25개 이상"
    assert section["widgets"][-2] == {"textParagraph": {"text": "… 외 5개"}}
    assert section["widgets"][-1]["textParagraph"]["text"].startswith("CloudWatch가 제시간에")


def test_a_list_cut_short_before_any_match_does_not_claim_none(store: DynamoSpaceStore) -> None:
    message = status(store, Firing([FiringAlarm("dev-db", None, None)], complete=False))
    section = firing_section(message)
    assert section["header"] == "In ALARM now: ?"
    assert section["widgets"] == [{"textParagraph": {"text": INCOMPLETE}}]
    assert "ALARM" not in message["text"]
