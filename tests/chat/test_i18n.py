"""Both languages say the same things with the same placeholders: in the bot's replies
(``alarm_bot.i18n``) and on alarm cards (``alarm_bot.alarms.alarm_text``)."""

from __future__ import annotations

import string

import pytest

from alarm_bot.alarms import alarm_text
from alarm_bot.i18n import EN, KO, Translator

CATALOGS = {"replies": (EN, KO), "alarm cards": (alarm_text.EN, alarm_text.KO)}
KEYS = [(catalog, key) for catalog, (english, _) in CATALOGS.items() for key in sorted(english)]


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("catalog", list(CATALOGS))
def test_catalogs_have_the_same_keys(catalog: str) -> None:
    english, korean = CATALOGS[catalog]
    assert set(english) == set(korean)


@pytest.mark.parametrize(("catalog", "key"), KEYS)
def test_placeholders_match(catalog: str, key: str) -> None:
    english, korean = CATALOGS[catalog]
    assert placeholders(english[key]) == placeholders(korean[key])


def test_korean_is_really_korean() -> None:
    hangul = [key for key, text in KO.items() if any("\uac00" <= char <= "\ud7a3" for char in text)]
    assert len(hangul) == len(KO)


def test_translator_fills_placeholders() -> None:
    assert Translator("ko")("muted", until="내일") == "내일까지 이 스페이스의 알람을 음소거합니다."
