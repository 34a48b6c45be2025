"""The keep-warm ping: answered before settings, AWS or Google are touched, and nothing else is."""

from __future__ import annotations

from typing import Any

import pytest

from alarm_bot.handlers import alarm_events, chat_events
from alarm_bot.keep_warm import KEEP_WARM_EVENT, is_keep_warm
from tests.handlers.test_alarm_events_handler import LambdaContext

# What the functions would need for any real event; none of it is there.
SETTINGS_VARIABLES = ("SUBSCRIPTIONS_TABLE", "BOT_ID", "CHAT_AUDIENCE", "GOOGLE_CREDENTIALS_SECRET_ARN")


@pytest.fixture
def unconfigured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(chat_events, "_dependencies", None)
    monkeypatch.setattr(alarm_events, "_dependencies", None)


def test_chat_function_answers_the_ping_without_building_anything(
    unconfigured: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert chat_events.handler(dict(KEEP_WARM_EVENT), LambdaContext()) == {"statusCode": 204}
    assert chat_events._dependencies is None
    assert capsys.readouterr().out == ""  # no log line for a ping every few hours


def test_fanout_answers_the_ping_without_building_anything(
    unconfigured: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert alarm_events.handler(dict(KEEP_WARM_EVENT), LambdaContext()) == {}
    assert alarm_events._dependencies is None
    assert capsys.readouterr().out == ""  # no metrics document either


@pytest.mark.parametrize(
    "event",
    [
        {"alarmChatBot": "keep-warm", "Records": []},
        {"alarmChatBot": "other"},
        {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}},
        "keep-warm",
    ],
)
def test_only_the_exact_ping_is_a_ping(event: Any) -> None:
    assert not is_keep_warm(event)


def test_anything_else_takes_the_normal_path(unconfigured: None) -> None:
    """Without settings a real event fails the way it always did: the ping check hides nothing."""
    response = chat_events.handler({"alarmChatBot": "other"}, LambdaContext())
    assert response["statusCode"] == 500
