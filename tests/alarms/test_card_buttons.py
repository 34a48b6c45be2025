"""Alarm card buttons on the wire: addressed per app type (a Workspace add-on or a classic Chat app)."""

from __future__ import annotations

from alarm_bot.alarms.card_buttons import ACKNOWLEDGE, MUTE, ButtonTarget, button_target
from tests.support.classic_mute_click import classic_mute_click

KEY = "0123456789abcdef0123456789abcdef01234567"
ENDPOINT = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat"


def test_a_classic_app_names_the_action_as_its_function() -> None:
    on_click = ButtonTarget().on_click(MUTE, {"alarm": KEY, "duration": "1h"})
    assert on_click == classic_mute_click(KEY, "1h")


def test_an_add_on_names_its_endpoint_url_and_carries_the_action_in_the_parameters() -> None:
    on_click = ButtonTarget(ENDPOINT).on_click(ACKNOWLEDGE, {"alarm": KEY})
    assert on_click["action"]["function"] == ENDPOINT
    assert {"key": "action", "value": "acknowledge"} in on_click["action"]["parameters"]


def test_the_target_follows_the_deployment() -> None:
    assert button_target(add_on=False, endpoint_url=ENDPOINT) == ButtonTarget()
    assert button_target(add_on=True, endpoint_url=ENDPOINT) == ButtonTarget(ENDPOINT)
    assert button_target(add_on=True, endpoint_url=None) is None  # no URL: no action buttons
