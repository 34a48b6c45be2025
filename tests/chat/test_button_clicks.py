"""Alarm card clicks read back strictly: only what the card sends is accepted."""

from __future__ import annotations

import pytest

from alarm_bot.alarms.card_buttons import ACKNOWLEDGE, MUTE
from alarm_bot.chat.button_clicks import AlarmClick, InvalidClick, is_alarm_click, read_alarm_click

KEY = "0123456789abcdef0123456789abcdef01234567"
ENDPOINT = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat"


@pytest.mark.parametrize(
    ("function", "parameters", "expected"),
    [
        ("acknowledge", {"action": "acknowledge", "alarm": KEY}, AlarmClick(ACKNOWLEDGE, KEY)),
        (ENDPOINT, {"action": "acknowledge", "alarm": KEY}, AlarmClick(ACKNOWLEDGE, KEY)),
        (None, {"action": "mute_alarm", "alarm": KEY, "duration": "1h"}, AlarmClick(MUTE, KEY, 3600)),
        ("mute_alarm", {"alarm": KEY, "duration": "1d"}, AlarmClick(MUTE, KEY, 86400)),
    ],
)
def test_clicks_the_card_sends_are_read(
    function: str | None, parameters: dict[str, str], expected: AlarmClick
) -> None:
    assert is_alarm_click(function, parameters)
    assert read_alarm_click(function, parameters) == expected


@pytest.mark.parametrize(
    ("function", "parameters"),
    [
        ("acknowledge", {"action": "acknowledge", "alarm": KEY.upper()}),
        ("acknowledge", {"action": "acknowledge", "alarm": KEY + "0"}),
        ("acknowledge", {"action": "acknowledge", "alarm": "spaces/AAA#alarm#x"}),
        ("acknowledge", {"action": "acknowledge"}),
        ("acknowledge", {"action": "acknowledge", "alarm": KEY, "duration": "1h"}),
        ("acknowledge", {"action": "mute_alarm", "alarm": KEY, "duration": "1h"}),
        (None, {"action": "unsubscribe", "alarm": KEY}),
        (None, {"action": "mute_alarm", "alarm": KEY}),
        (None, {"action": "mute_alarm", "alarm": KEY, "duration": "2h"}),
        (None, {"action": "mute_alarm", "alarm": KEY, "duration": "1000d"}),
        (None, {"action": "mute_alarm", "alarm": KEY, "duration": "-1h"}),
        (ENDPOINT, {"alarm": KEY}),
    ],
)
def test_tampered_parameters_are_refused(function: str | None, parameters: dict[str, str]) -> None:
    assert is_alarm_click(function, parameters)
    with pytest.raises(InvalidClick):
        read_alarm_click(function, parameters)


def test_help_and_status_buttons_are_not_alarm_clicks() -> None:
    assert not is_alarm_click("status", {})
    assert not is_alarm_click("deploy.confirm", {"environment": "prod"})
