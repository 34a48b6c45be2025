"""Both languages say the same things with the same placeholders."""

from __future__ import annotations

import string

import pytest

from alarm_bot.i18n import EN, KO, Translator


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogs_have_the_same_keys() -> None:
    assert set(EN) == set(KO)


@pytest.mark.parametrize("key", sorted(EN))
def test_placeholders_match(key: str) -> None:
    assert placeholders(EN[key]) == placeholders(KO[key])


def test_korean_is_really_korean() -> None:
    hangul = [key for key, text in KO.items() if any("\uac00" <= char <= "\ud7a3" for char in text)]
    assert len(hangul) == len(KO)


def test_translator_fills_placeholders() -> None:
    assert Translator("ko")("muted", until="내일") == "내일까지 이 스페이스의 알람을 음소거합니다."
