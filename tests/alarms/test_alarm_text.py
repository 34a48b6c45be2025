"""Alarm cards in English and Korean (tests/chat/test_i18n.py checks that both catalogs have the same
keys and placeholders)."""

from __future__ import annotations

from alarm_bot.alarms.alarm_text import KO, AlarmText


def test_korean_is_really_korean() -> None:
    without_hangul = [
        key for key, text in KO.items() if not any("\uac00" <= char <= "\ud7a3" for char in text)
    ]
    assert without_hangul == []


def test_state_lines_follow_the_old_bot() -> None:
    t = AlarmText("ko")
    assert t("line_alarm", name="결제") == "🚨 결제 알람이 발생했습니다"
    assert "알람이 해제되었습니다" in t("line_ok", name="결제")
    assert "데이터가 부족합니다" in t("line_insufficient_data", name="결제")


def test_unknown_locale_falls_back_to_english() -> None:
    t = AlarmText("fr")
    assert t.locale == "en"
    assert t("open_console") == "Open in CloudWatch"
