"""Huge alarms still arrive: cut visibly with "…", within Chat's limits, still schema-valid."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from alarm_bot.alarms.model import Alarm, AlarmKind, AlarmState, Child, GenericNotification, Metric
from alarm_bot.alarms.render import render_message
from alarm_bot.alarms.render_limits import (
    MESSAGE_BYTES_LIMIT,
    TEXT_LIMIT,
    WIDGET_LIMIT,
    cut,
    fit_message,
    message_bytes,
    widget_count,
)
from alarm_bot.alarms.render_widgets import row
from tests.alarms.alarm_samples import card, only, rows
from tests.support.chat_schema import validate_message


def huge_alarm(kind: AlarmKind, letter: str = "r") -> Alarm:
    base = only("sns_korean_name")
    assert isinstance(base, Alarm)
    dimensions = tuple((f"Dim{i}", f"value-{i}" * 5) for i in range(300))
    children = tuple(
        Child(f"arn:aws:cloudwatch:ap-northeast-2:1:alarm:child-{i}", AlarmState.ALARM) for i in range(300)
    )
    return dataclasses.replace(
        base,
        kind=kind,
        reason=letter * 20_000,
        description="설명" * 5_000,
        metric=Metric(namespace="N", name="M", dimensions=dimensions),
        alarm_rule=" OR ".join(f'ALARM("child-{i}")' for i in range(300)),
        children=children if kind is AlarmKind.COMPOSITE else (),
    )


@pytest.mark.parametrize("kind", [AlarmKind.METRIC, AlarmKind.COMPOSITE])
@pytest.mark.parametrize("locale", ["en", "ko"])
def test_huge_alarm_fits(kind: AlarmKind, locale: str) -> None:
    message = render_message(huge_alarm(kind), locale=locale, time_zone="Asia/Seoul")
    validate_message(message)
    assert message_bytes(message) <= MESSAGE_BYTES_LIMIT
    assert len(message["text"]) <= TEXT_LIMIT
    assert widget_count(message) <= WIDGET_LIMIT
    labelled = dict(rows(message))
    reason = labelled["Reason" if locale == "en" else "사유"]
    assert reason.endswith("…") and len(reason) > 1_000, "cut, but still informative"
    assert labelled["Description" if locale == "en" else "설명"].endswith("…")
    assert message["text"].endswith("…")
    more = "… and " if locale == "en" else "… 외 "
    assert any(text.startswith(more) for _, text in rows(message)), "capped rows say how many are hidden"


def test_huge_generic_notification_fits() -> None:
    notification = only("sns_text_hello")
    assert isinstance(notification, GenericNotification)
    big = dataclasses.replace(
        notification, text="<&>" * 30_000, facts=tuple((f"k{i}", "v" * 900) for i in range(200))
    )
    message = render_message(big, locale="en", time_zone="UTC")
    validate_message(message)
    assert message_bytes(message) <= MESSAGE_BYTES_LIMIT
    assert widget_count(message) <= WIDGET_LIMIT
    paragraph = card(message)["sections"][0]["widgets"][0]["textParagraph"]["text"]
    assert paragraph.endswith("…") and paragraph.startswith("&lt;&amp;&gt;")


def test_cut_never_splits_an_entity_or_a_tag() -> None:
    assert cut("abc", 10) == "abc"
    assert cut("a" * 20, 10) == "a" * 9 + "…"
    assert cut("aaaaaa&amp;bbbb", 9) == "aaaaaa…"
    assert cut('aaa<font color="x">b</font>', 10) == "aaa…"
    assert len(cut("가" * 100, 10)) == 10


def test_fit_message_caps_widgets_with_a_count_row() -> None:
    widgets = [row("n", str(i)) for i in range(150)]
    message: dict[str, Any] = {
        "text": "x",
        "cardsV2": [{"cardId": "c", "card": {"sections": [{"widgets": widgets}]}}],
    }
    fitted = fit_message(message, lambda count: row(None, f"+{count}"))
    kept = fitted["cardsV2"][0]["card"]["sections"][0]["widgets"]
    assert len(kept) == WIDGET_LIMIT
    assert kept[-1]["decoratedText"]["text"] == "+51"
    assert len(message["cardsV2"][0]["card"]["sections"][0]["widgets"]) == 150, "input left untouched"


def test_fit_message_shortens_longest_fields_first() -> None:
    short, long_value = "keep me", "y" * 40_000
    message: dict[str, Any] = {
        "text": "t",
        "cardsV2": [
            {"cardId": "c", "card": {"sections": [{"widgets": [row("a", short), row("b", long_value)]}]}}
        ],
    }
    fitted = fit_message(message, lambda count: row(None, str(count)))
    texts = [
        widget["decoratedText"]["text"] for widget in fitted["cardsV2"][0]["card"]["sections"][0]["widgets"]
    ]
    assert texts[0] == short
    assert texts[1].endswith("…")
    assert message_bytes(fitted) <= MESSAGE_BYTES_LIMIT
    assert len(json.dumps(fitted, ensure_ascii=False).encode()) == message_bytes(fitted)


def test_long_text_line_is_cut() -> None:
    fitted = fit_message({"text": "z" * 10_000}, lambda count: row(None, str(count)))
    assert len(fitted["text"]) == TEXT_LIMIT and fitted["text"].endswith("…")
