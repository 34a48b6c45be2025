"""Parsing real Google Chat event samples, classic and add-on, into one model."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from alarm_bot.chat.events import (
    ChatEvent,
    EventFormat,
    EventKind,
    MalformedEvent,
    UnusedEvent,
    parse_chat_event,
)

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def real(path: str, key: str | None = None) -> dict[str, Any]:
    data = json.loads((REAL / path).read_text())
    return data[key] if key else data


def test_classic_added_to_room() -> None:
    event = parse_chat_event(real("gchat-scala/added_to_space.json"))
    assert event.kind is EventKind.ADDED_TO_SPACE
    assert event.format is EventFormat.CLASSIC
    assert event.space.name.startswith("spaces/")
    assert event.space.space_type == "SPACE"  # deprecated type ROOM mapped onto spaceType
    assert event.user is not None and event.user.display_name


def test_classic_removed_from_dm() -> None:
    event = parse_chat_event(real("gchat-scala/removed_from_space.json"))
    assert event.kind is EventKind.REMOVED_FROM_SPACE
    assert event.space == event.space.__class__("spaces/AAAAAAAAAAA", "", "DIRECT_MESSAGE")


def test_classic_message_uses_argument_text_without_mention() -> None:
    event = parse_chat_event(real("gchat-scala/message.json"))
    assert event.kind is EventKind.MESSAGE
    assert event.text == "Violence is my last option."
    assert event.command_id is None


def test_classic_message_without_top_level_space_falls_back_to_message() -> None:
    event = parse_chat_event(real("chattice/message.json"))
    assert event.space.name == "spaces/AAA"
    assert event.space.display_name == "Deployments"
    assert event.user is not None and event.user.name == "users/123"
    assert event.text == "ping"


def test_classic_slash_command_id() -> None:
    event = parse_chat_event(real("chattice/slash_command.json"))
    assert event.command_id == "42"


def test_classic_app_command_numeric_id() -> None:
    event = parse_chat_event(real("chattice/app_command.json"))
    assert event.kind is EventKind.APP_COMMAND
    assert event.command_id == "42"
    assert event.text == "/deploy prod"


def test_classic_card_click_merges_action_and_common_parameters() -> None:
    event = parse_chat_event(real("chattice/card_clicked.json"))
    assert event.kind is EventKind.CARD_CLICKED
    assert event.action == "deploy.confirm"
    assert event.parameters == {"environment": "prod"}
    legacy = parse_chat_event(real("gchat-scala/card_clicked.json"))
    assert legacy.action == "upvote"


def test_add_on_message_strips_bot_mention_when_argument_text_is_absent() -> None:
    event = parse_chat_event(real("vercel-chat/replay/gchat.json", "mention"))
    assert event.format is EventFormat.ADD_ON
    assert event.kind is EventKind.MESSAGE
    assert event.text == "hello"
    assert event.space.name == "spaces/AAQAJ9CXYcg"


def test_add_on_direct_message_without_common_event_object() -> None:
    event = parse_chat_event(real("vercel-chat/replay/dm/gchat.json", "dmMessage"))
    assert event.space.space_type == "DIRECT_MESSAGE"
    assert event.text == "Thanks!"
    assert event.user is not None and event.user.display_name == "Test User"


def test_add_on_button_click_reads_parameters() -> None:
    event = parse_chat_event(real("vercel-chat/replay/actions-reactions/gchat.json", "action"))
    assert event.kind is EventKind.CARD_CLICKED
    assert event.action == "hello"
    assert event.parameters == {"actionId": "hello"}
    assert event.message_name == "spaces/AAQAO1heGsE/messages/A6woZAHrIjs.9qQCF6JGUNg"


def test_a_classic_click_names_the_clicked_message() -> None:
    body = copy.deepcopy(real("chattice/card_clicked.json"))
    assert parse_chat_event(body).message_name is None
    body["message"] = {"name": "spaces/AAA/messages/M1.M1", "text": "card"}
    assert parse_chat_event(body).message_name == "spaces/AAA/messages/M1.M1"


def _add_on(payload_key: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "commonEventObject": {"hostApp": "CHAT", "userLocale": "ko"},
        "chat": {"user": {"name": "users/1", "displayName": "김민수"}, payload_key: payload},
    }


@pytest.mark.parametrize(
    ("payload_key", "kind"),
    [
        ("addedToSpacePayload", EventKind.ADDED_TO_SPACE),
        ("removedFromSpacePayload", EventKind.REMOVED_FROM_SPACE),
        ("messagePayload", EventKind.MESSAGE),
        ("buttonClickedPayload", EventKind.CARD_CLICKED),
        ("appCommandPayload", EventKind.APP_COMMAND),
    ],
)
def test_add_on_payload_kinds(payload_key: str, kind: EventKind) -> None:
    event = parse_chat_event(_add_on(payload_key, {"space": {"name": "spaces/X", "spaceType": "SPACE"}}))
    assert (event.kind, event.format, event.space.name) == (kind, EventFormat.ADD_ON, "spaces/X")


def test_add_on_app_command_metadata() -> None:
    payload = {
        "space": {"name": "spaces/X"},
        "appCommandMetadata": {"appCommandId": 5, "appCommandType": "SLASH_COMMAND"},
        "message": {"text": "/mute 2h", "argumentText": " 2h"},
    }
    event = parse_chat_event(_add_on("appCommandPayload", payload))
    assert (event.command_id, event.text) == ("5", "2h")


def _classic_message() -> dict[str, Any]:
    return copy.deepcopy(real("gchat-scala/message.json"))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ([], "JSON object"),
        ("text", "JSON object"),
        ({}, "expected 'type' or 'chat'"),
        ({"type": "WAVE", "space": {"name": "spaces/X"}}, "unknown event type"),
        ({"type": 7, "space": {"name": "spaces/X"}}, "type must be"),
        ({"type": "MESSAGE"}, "space is missing"),
        ({"type": "MESSAGE", "space": {"name": 3}}, "space.name"),
        ({"type": "MESSAGE", "space": {"name": "rooms/X"}}, "spaces/"),
        ({"type": "MESSAGE", "space": {"name": "spaces/X"}, "message": "hi"}, "message must be an object"),
        ({"chat": {"messagePayload": {}, "addedToSpacePayload": {}}}, "exactly one chat payload"),
        ({"chat": {"messagePayload": {"message": {}}}}, "space is missing"),
        ({"chat": {"messagePayload": []}}, "must be an object"),
    ],
)
def test_malformed_events_are_rejected_with_a_reason(body: Any, reason: str) -> None:
    with pytest.raises(MalformedEvent, match=reason):
        parse_chat_event(body)


def test_unknown_fields_are_ignored() -> None:
    body = _classic_message()
    body["somethingNew"] = {"nested": [1, 2]}
    assert isinstance(parse_chat_event(body), ChatEvent)


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ({"type": "APP_HOME", "space": {"name": "spaces/X"}}, "APP_HOME"),
        ({"type": "WIDGET_UPDATED"}, "WIDGET_UPDATED"),
        ({"chat": {"widgetUpdatedPayload": {}}}, "widgetUpdatedPayload"),
        ({"chat": {}}, "none"),
    ],
)
def test_events_the_bot_has_no_use_for_are_recognised(body: dict[str, Any], name: str) -> None:
    event = parse_chat_event(body)
    assert isinstance(event, UnusedEvent) and event.name == name
