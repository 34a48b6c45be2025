"""Posted ALARM cards and clicks on their buttons, as the tests of both functions need them.

A card is rendered by the production code (the fan-out's :func:`outgoing_card`), stored as the
fan-out stores it, and clicked with the parameters its own buttons carry, wrapped in the two real
event shapes: the classic ``CARD_CLICKED`` sample (tests/fixtures/real/chattice/card_clicked.json)
and the Workspace add-on ``buttonClickedPayload`` sample (vercel-chat replay, key ``action``).
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.alarms.render import render_message
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.delivery.outgoing import outgoing_card
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.alarm_messages import AlarmMessage, DynamoAlarmMessages
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.aws import BOT_ID, TABLE_NAME

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
ENDPOINT = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat"
STARTED = datetime(2026, 11, 27, 1, 19, tzinfo=UTC)  # 10:19 in Seoul
ALARM = Alarm(
    name="payments-api/5xx",
    state=AlarmState.ALARM,
    source="sns",
    arn="arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:payments-api/5xx",
    account="123456789012",
    region="ap-northeast-2",
    reason="Threshold Crossed: 3 datapoints were greater than the threshold (5.0).",
    changed_at=STARTED,
)


def delivery_settings(*, add_on: bool = False, locale: str = "en") -> DeliverySettings:
    return DeliverySettings(
        subscriptions_table=TABLE_NAME,
        bot_id=BOT_ID,
        credentials_secret_arn="arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:k",
        locale=locale,
        time_zone="Asia/Seoul",
        add_on=add_on,
        chat_endpoint_url=ENDPOINT,
    )


def posted_card(*, add_on: bool = False, alarm: Alarm = ALARM) -> dict[str, Any]:
    """The ALARM card the fan-out posts (with its buttons)."""
    settings = delivery_settings(add_on=add_on)
    base = render_message(alarm, locale=settings.locale, time_zone=settings.time_zone)
    return outgoing_card(alarm, base, settings).plain


def seed(
    client: Any, space: str, message_name: str, *, alarm: Alarm = ALARM, now: float | None = None
) -> AlarmMessage:
    """The space and its stored card, as after an ALARM delivery."""
    DynamoSpaceStore(TABLE_NAME, BOT_ID, client=client).put_if_absent(SpaceRecord(space))
    record = AlarmMessage(
        space=space,
        alarm_key=alarm.key,
        message_name=message_name,
        transition=alarm.transition_id,
        since=int(STARTED.timestamp()),
        message=render_message(alarm, locale="en", time_zone="Asia/Seoul"),
        alarm_name=alarm.name,
        alarm_arn=alarm.arn or "",
    )
    DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=client).record_posted(record, now or STARTED.timestamp())
    return record


def card_buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button of the message's first card, section by section."""
    return [
        found
        for section in message["cardsV2"][0]["card"]["sections"]
        for widget in section["widgets"]
        for found in widget.get("buttonList", {}).get("buttons", [])
    ]


def button_labels(message: dict[str, Any]) -> list[str]:
    return [found["text"] for found in card_buttons(message)]


def status_texts(message: dict[str, Any]) -> list[str]:
    """The lines of the first card's first section: the alarm's state and what happened to it."""
    return [
        widget["decoratedText"]["text"] for widget in message["cardsV2"][0]["card"]["sections"][0]["widgets"]
    ]


def button(message: dict[str, Any], label: str) -> tuple[str, dict[str, str]]:
    """``(function, parameters)`` of the card's button called ``label``."""
    for found in card_buttons(message):
        if found["text"] == label:
            action = found["onClick"]["action"]
            return action["function"], {p["key"]: p["value"] for p in action["parameters"]}
    raise AssertionError(f"no button {label!r}")


def classic_click(
    space: str,
    function: str,
    parameters: dict[str, str],
    *,
    message_name: str,
    user: tuple[str, str] = ("users/1", "Jane"),
) -> dict[str, Any]:
    body = copy.deepcopy(json.loads((REAL / "chattice/card_clicked.json").read_text()))
    body["space"] = {"name": space, "type": "ROOM", "displayName": "On call"}
    body["user"] = {"name": user[0], "displayName": user[1], "type": "HUMAN"}
    body["message"] = {"name": message_name, "sender": {"name": "users/app", "type": "BOT"}}
    body["action"] = {
        "actionMethodName": function,
        "parameters": [{"key": key, "value": value} for key, value in parameters.items()],
    }
    body["common"]["invokedFunction"] = function
    body["common"]["parameters"] = parameters
    return body


def add_on_click(
    space: str,
    parameters: dict[str, str],
    *,
    message_name: str,
    user: tuple[str, str] = ("users/1", "Jane"),
) -> dict[str, Any]:
    sample = json.loads((REAL / "vercel-chat/replay/actions-reactions/gchat.json").read_text())["action"]
    body = copy.deepcopy(sample)
    body["commonEventObject"]["parameters"] = parameters
    body["chat"]["user"] = {"name": user[0], "displayName": user[1], "type": "HUMAN"}
    payload = body["chat"]["buttonClickedPayload"]
    payload["space"]["name"] = space
    payload["message"]["name"] = message_name
    payload["message"]["space"]["name"] = space
    return body
