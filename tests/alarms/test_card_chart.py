"""The chart image on a card: placed under what happened, replaced (never duplicated) on a resolve,
kept by every redraw, schema-valid and within Chat's limits in both languages, the URL never cut."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from alarm_bot.alarms.card_buttons import button_target
from alarm_bot.alarms.card_chart import CardImage, chart_of, with_chart
from alarm_bot.alarms.card_drawing import interactive_message
from alarm_bot.alarms.card_facts import CardState
from alarm_bot.alarms.model import Alarm, AlarmKind
from alarm_bot.alarms.render import render_message
from alarm_bot.alarms.render_limits import (
    MESSAGE_BYTES_LIMIT,
    TEXT_LIMIT,
    WIDGET_LIMIT,
    message_bytes,
    widget_count,
)
from alarm_bot.charts.widget import alt_text
from tests.alarms.alarm_samples import only
from tests.alarms.test_render_limits import huge_alarm
from tests.support.chat_schema import ValidationError, validate_message

URL = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/charts/" + "a" * 32 + ".png"
OTHER = URL.replace("a" * 32, "b" * 32)
TARGET = button_target(add_on=False, endpoint_url=None)


def sections(message: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = message["cardsV2"][0]["card"]["sections"]
    return found


def images(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        widget["image"] for section in sections(message) for widget in section["widgets"] if "image" in widget
    ]


@pytest.mark.parametrize("locale", ["en", "ko"])
@pytest.mark.parametrize("sample", ["sns_single_metric", "sns_math", "sns_anomaly", "sns_insufficient_data"])
def test_a_card_with_its_chart_is_schema_valid_and_the_image_is_second(sample: str, locale: str) -> None:
    alarm = only(sample)
    assert isinstance(alarm, Alarm)
    base = render_message(alarm, locale=locale, time_zone="Asia/Seoul")
    image = CardImage(URL, alt_text(alarm, locale=locale))
    charted = with_chart(base, image, locale=locale)
    validate_message(charted)
    assert sections(charted)[0] == sections(base)[0]
    assert sections(charted)[1] == {"widgets": [{"image": {"imageUrl": URL, "altText": image.alt}}]}
    assert sections(charted)[2:] == sections(base)[1:]
    assert chart_of(charted) == image and chart_of(base) is None
    assert message_bytes(charted) <= MESSAGE_BYTES_LIMIT


def test_a_second_chart_replaces_the_first() -> None:
    base = render_message(only("sns_single_metric"), locale="en", time_zone="UTC")
    first = with_chart(base, CardImage(URL, "alarm"), locale="en")
    second = with_chart(first, CardImage(OTHER, "recovery"), locale="en")
    assert images(second) == [{"imageUrl": OTHER, "altText": "recovery"}]
    assert len(sections(second)) == len(sections(first))
    assert images(first) == [{"imageUrl": URL, "altText": "alarm"}], "the original is not changed"


def test_no_chart_or_no_card_leaves_the_message_as_it_is() -> None:
    base = render_message(only("sns_single_metric"), locale="en", time_zone="UTC")
    kept = copy.deepcopy(base)
    assert with_chart(base, None, locale="en") is base
    plain = {"text": "only text"}
    assert with_chart(plain, CardImage(URL, "x"), locale="en") == plain
    assert base == kept


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_status_lines_and_buttons_keep_the_chart(locale: str) -> None:
    alarm = only("sns_korean_name")
    assert isinstance(alarm, Alarm)
    base = with_chart(
        render_message(alarm, locale=locale, time_zone="Asia/Seoul"), CardImage(URL, "g"), locale=locale
    )
    state = CardState(since=0, muted_until=3600, resolved_at=7200)
    redrawn = interactive_message(
        base,
        alarm.key,
        state,
        target=TARGET,
        locale=locale,
        time_zone="Asia/Seoul",
    )
    validate_message(redrawn)
    assert images(redrawn) == [{"imageUrl": URL, "altText": "g"}]
    assert "image" in sections(redrawn)[2]["widgets"][0], "status lines, what happened, the chart"


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_a_huge_card_with_its_chart_still_fits_and_keeps_the_url_whole(locale: str) -> None:
    alarm = huge_alarm(AlarmKind.METRIC)
    base = render_message(alarm, locale=locale, time_zone="Asia/Seoul")
    image = CardImage(URL, alt_text(alarm, locale=locale))
    charted = with_chart(base, image, locale=locale)
    validate_message(charted)
    assert message_bytes(charted) <= MESSAGE_BYTES_LIMIT
    assert len(charted["text"]) <= TEXT_LIMIT
    assert widget_count(charted) <= WIDGET_LIMIT
    assert chart_of(charted) == image, "the URL and its alt text are never cut"


def test_chats_schema_knows_the_image_widget_as_sent() -> None:
    """The discovery document's GoogleAppsCardV1Image: what with_chart writes passes, a typo fails."""
    card = {"text": "t", "cardsV2": [{"cardId": "c", "card": {"sections": [{"widgets": []}]}}]}
    good = with_chart(card, CardImage(URL, "graph"), locale="en")
    validate_message(good)
    bad = copy.deepcopy(good)
    bad["cardsV2"][0]["card"]["sections"][1]["widgets"][0]["image"]["imageURL"] = URL
    with pytest.raises(ValidationError):
        validate_message(bad)
