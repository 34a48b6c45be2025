"""ALARM cards redrawn with what happened to them: schema-valid, in English and Korean."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.card_buttons import ButtonTarget
from alarm_bot.alarms.card_drawing import elapsed, interactive_message, with_mention
from alarm_bot.alarms.card_facts import Acknowledgement, CardState
from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.alarms.render import render_message
from alarm_bot.timefmt import format_clock
from tests.support.alarm_cards import ALARM as POSTED_ALARM
from tests.support.alarm_cards import STARTED, card_buttons, status_texts
from tests.support.chat_schema import validate_message

ENDPOINT = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat"
SINCE = STARTED.timestamp()  # 10:19 in Seoul
# The posted-card sample, named in Korean (the mention must lead a non-ASCII line) and without an ARN.
ALARM = dataclasses.replace(POSTED_ALARM, name="결제 API 오류율", arn=None, reason="Threshold Crossed")


def base(locale: str = "en") -> dict[str, Any]:
    return render_message(ALARM, locale=locale, time_zone="Asia/Seoul")


def draw(state: CardState, *, locale: str = "en", target: ButtonTarget | None = None) -> dict[str, Any]:
    message = interactive_message(
        base(locale), ALARM.key, state, target=target, locale=locale, time_zone="Asia/Seoul"
    )
    validate_message(message)
    return message


@pytest.mark.parametrize("target", [ButtonTarget(), ButtonTarget(ENDPOINT)])
def test_an_open_alarm_gets_acknowledge_and_mute_next_to_the_console_link(target: ButtonTarget) -> None:
    message = draw(CardState(SINCE), target=target)
    labels = [button["text"] for button in card_buttons(message)]
    assert labels == ["Acknowledge", "Mute here 1h", "Mute here 1d", "Open in CloudWatch"]
    functions = {button["onClick"]["action"]["function"] for button in card_buttons(message)[:3]}
    assert functions == ({ENDPOINT} if target.endpoint_url else {"acknowledge", "mute_alarm"})
    assert message["text"] == base()["text"]  # nothing to say yet


def test_without_a_target_only_the_link_remains() -> None:
    assert [b["text"] for b in card_buttons(draw(CardState(SINCE)))] == ["Open in CloudWatch"]


def test_acknowledgements_are_listed_first_with_short_times() -> None:
    acks = (
        Acknowledgement("users/1", "Jane", int(SINCE) + 23 * 60),
        Acknowledgement("users/2", "Bob", int(SINCE) + 25 * 60),
    )
    message = draw(CardState(SINCE, acks), target=ButtonTarget())
    assert status_texts(message) == ["Acknowledged by Jane at 10:42, Bob at 10:44"]
    assert message["text"].endswith("\n👀 Acknowledged by Jane at 10:42, Bob at 10:44")
    assert len(card_buttons(message)) == 4


def test_korean_status_lines() -> None:
    acks = (Acknowledgement("users/1", "김민지", int(SINCE) + 23 * 60),)
    message = draw(CardState(SINCE, acks, muted_until=int(SINCE) + 86400), locale="ko", target=ButtonTarget())
    assert status_texts(message) == ["확인: 김민지 님(10:42)", "11-28 10:19까지 이 스페이스에서 음소거됨"]
    assert [b["text"] for b in card_buttons(message)][:3] == [
        "확인",
        "여기서 1시간 음소거",
        "여기서 1일 음소거",
    ]


def test_a_resolved_card_says_when_and_how_long_and_has_no_action_buttons() -> None:
    state = CardState(SINCE, resolved_at=int(SINCE) + 46 * 60)
    message = draw(state, target=ButtonTarget())
    assert "Resolved at 11:05 after 46 min" in status_texts(message)[0]
    assert [b["text"] for b in card_buttons(message)] == ["Open in CloudWatch"]
    assert message["text"].endswith("\n✅ Resolved at 11:05 after 46 min")


def test_names_are_escaped_in_card_text() -> None:
    acks = (Acknowledgement("users/1", "<b>Eve</b>", int(SINCE)),)
    message = draw(CardState(SINCE, acks))
    assert "&lt;b&gt;Eve&lt;/b&gt;" in status_texts(message)[0]


def test_many_acknowledgements_are_summarised() -> None:
    acks = tuple(Acknowledgement(f"users/{n}", f"P{n}", int(SINCE) + n) for n in range(14))
    text = status_texts(draw(CardState(SINCE, acks)))[0]
    assert text.count(" at ") == 10 and text.endswith("… and 4 more")


def test_the_card_stays_within_chat_limits() -> None:
    huge = Alarm(
        name="x" * 200, state=AlarmState.ALARM, source="sns", reason="r" * 40_000, region="us-east-1"
    )
    message = interactive_message(
        render_message(huge, locale="en", time_zone="UTC"),
        huge.key,
        CardState(0, (Acknowledgement("users/1", "J", 60),)),
        target=ButtonTarget(),
        locale="en",
        time_zone="UTC",
    )
    assert len(json.dumps(message, ensure_ascii=False).encode()) <= 32_000
    validate_message(message)


def test_mention_goes_in_front_of_the_text_only() -> None:
    message = with_mention(draw(CardState(SINCE), target=ButtonTarget()))
    assert message["text"].startswith("<users/all> 🚨 ALARM: 결제 API 오류율")
    assert "<users/all>" not in json.dumps(message["cardsV2"])
    validate_message(message)


@pytest.mark.parametrize(
    ("seconds", "en", "ko"),
    [
        (42, "42 s", "42초"),
        (23 * 60 + 5, "23 min", "23분"),
        (3600, "1 h", "1시간"),
        (3900, "1 h 5 min", "1시간 5분"),
        (2 * 86400 + 3 * 3600 + 60, "2 d 3 h", "2일 3시간"),
    ],
)
def test_elapsed(seconds: int, en: str, ko: str) -> None:
    assert elapsed(seconds, AlarmText("en")) == en
    assert elapsed(seconds, AlarmText("ko")) == ko


def test_short_times_show_the_date_only_on_another_day() -> None:
    assert format_clock(SINCE + 60, "Asia/Seoul", SINCE) == "10:20"
    assert format_clock(SINCE + 86400, "Asia/Seoul", SINCE) == "11-28 10:19"
    assert format_clock(SINCE, "UTC", SINCE) == "01:19"
