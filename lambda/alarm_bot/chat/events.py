"""Turn a Google Chat interaction event into one typed model, whatever format it came in.

Google Chat sends two shapes. Classic Chat apps get ``{"type": "MESSAGE", "space": …, "message": …}``;
Chat apps built as Google Workspace add-ons (the default for new apps) get
``{"commonEventObject": …, "chat": {"messagePayload": …}}``. Everything past this module sees only
:class:`ChatEvent`, and the reply is wrapped back into the format the request came in.
Pure functions: no I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from alarm_bot.space_names import is_space_name


class MalformedEvent(ValueError):
    """The body is not a Chat event we understand; the message is safe to return to the caller."""


class EventFormat(enum.Enum):
    CLASSIC = "classic"
    ADD_ON = "add-on"


class EventKind(enum.Enum):
    ADDED_TO_SPACE = "ADDED_TO_SPACE"
    REMOVED_FROM_SPACE = "REMOVED_FROM_SPACE"
    MESSAGE = "MESSAGE"
    CARD_CLICKED = "CARD_CLICKED"
    APP_COMMAND = "APP_COMMAND"


@dataclass(frozen=True)
class Space:
    name: str
    display_name: str = ""
    space_type: str = ""


@dataclass(frozen=True)
class User:
    name: str
    display_name: str = ""


@dataclass(frozen=True)
class ChatEvent:
    """What the bot needs from one interaction, independent of the wire format."""

    kind: EventKind
    format: EventFormat
    space: Space
    user: User | None = None
    # Text addressed to the bot, with the @mention removed.
    text: str = ""
    # Slash or quick command id, when the user picked one from the menu.
    command_id: str | None = None
    # Button clicks: the function/action name and its parameters.
    action: str | None = None
    parameters: Mapping[str, str] = field(default_factory=dict)
    event_time: str | None = None
    # The message the event is about (the card whose button was clicked): spaces/S/messages/M.
    message_name: str | None = None


@dataclass(frozen=True)
class UnusedEvent:
    """An interaction the bot offers nothing for (App Home, forms, widget updates, payloads it does
    not know): answered with an empty 200, since Chat shows any error status to the user."""

    format: EventFormat
    name: str  # the event type or payload key, for the log line


# Classic event types Chat may send that the bot does not use (it has no App Home and no forms).
_UNUSED_TYPES = frozenset({"APP_HOME", "SUBMIT_FORM", "WIDGET_UPDATED"})
# Add-on payload key → event kind; exactly one of them is present in a Chat add-on event.
_ADD_ON_PAYLOADS = {
    "addedToSpacePayload": EventKind.ADDED_TO_SPACE,
    "removedFromSpacePayload": EventKind.REMOVED_FROM_SPACE,
    "messagePayload": EventKind.MESSAGE,
    "buttonClickedPayload": EventKind.CARD_CLICKED,
    "appCommandPayload": EventKind.APP_COMMAND,
}


def parse_chat_event(body: Any) -> ChatEvent | UnusedEvent:
    """Parse a decoded JSON request body; raise :class:`MalformedEvent` for anything else."""
    if not isinstance(body, dict):
        raise MalformedEvent("request body must be a JSON object")
    if isinstance(body.get("chat"), dict):
        return _parse_add_on(body)
    if "type" in body:
        return _parse_classic(body)
    raise MalformedEvent("not a Google Chat event: expected 'type' or 'chat'")


def _parse_classic(body: dict[str, Any]) -> ChatEvent | UnusedEvent:
    type_name = _str(body, "type", "type")
    if type_name in _UNUSED_TYPES:
        return UnusedEvent(EventFormat.CLASSIC, type_name)
    try:
        kind = EventKind(type_name)
    except ValueError:
        raise MalformedEvent(f"unknown event type {type_name!r}") from None
    message = _optional_object(body, "message", "message")
    command_id = _command_id(message, _optional_object(body, "appCommandMetadata", "appCommandMetadata"))
    action, parameters = _classic_action(body)
    return ChatEvent(
        kind=kind,
        format=EventFormat.CLASSIC,
        space=_space(body.get("space") or (message or {}).get("space"), "space"),
        user=_user(body.get("user") or (message or {}).get("sender")),
        text=_message_text(message),
        command_id=command_id,
        action=action,
        parameters=parameters,
        event_time=_optional_str(body, "eventTime"),
        message_name=_optional_str(message or {}, "name"),
    )


def _parse_add_on(body: dict[str, Any]) -> ChatEvent | UnusedEvent:
    chat: dict[str, Any] = body["chat"]
    present = [key for key in _ADD_ON_PAYLOADS if key in chat]
    if not present:
        other = next((key for key in chat if isinstance(key, str) and key.endswith("Payload")), "none")
        return UnusedEvent(EventFormat.ADD_ON, other[:40])
    if len(present) > 1:
        raise MalformedEvent("add-on event must carry exactly one chat payload")
    key = present[0]
    payload = _optional_object(chat, key, f"chat.{key}") or {}
    message = _optional_object(payload, "message", f"chat.{key}.message")
    space = payload.get("space") or (message or {}).get("space")
    common = _optional_object(body, "commonEventObject", "commonEventObject") or {}
    metadata = _optional_object(payload, "appCommandMetadata", f"chat.{key}.appCommandMetadata")
    return ChatEvent(
        kind=_ADD_ON_PAYLOADS[key],
        format=EventFormat.ADD_ON,
        space=_space(space, f"chat.{key}.space"),
        user=_user(chat.get("user")),
        text=_message_text(message),
        command_id=_command_id(message, metadata),
        action=_optional_str(common, "invokedFunction")
        or _string_map(common.get("parameters")).get("actionId"),
        parameters=_string_map(common.get("parameters")),
        event_time=_optional_str(chat, "eventTime"),
        message_name=_optional_str(message or {}, "name"),
    )


def _space(raw: Any, where: str) -> Space:
    if not isinstance(raw, dict):
        raise MalformedEvent(f"{where} is missing")
    name = _str(raw, "name", f"{where}.name")
    if not is_space_name(name):
        raise MalformedEvent(f"{where}.name is not a space name (spaces/ and letters, digits, _ or -)")
    space_type = _optional_str(raw, "spaceType") or _legacy_space_type(_optional_str(raw, "type"))
    return Space(name=name, display_name=_optional_str(raw, "displayName") or "", space_type=space_type)


def _legacy_space_type(value: str | None) -> str:
    """Map the deprecated ``space.type`` (ROOM/DM) onto ``spaceType`` values."""
    return {"ROOM": "SPACE", "DM": "DIRECT_MESSAGE"}.get(value or "", value or "")


def _user(raw: Any) -> User | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        return None
    return User(name=raw["name"], display_name=_optional_str(raw, "displayName") or "")


def _message_text(message: dict[str, Any] | None) -> str:
    """The words addressed to the bot: ``argumentText`` when Chat provides it, else the text
    with the bot's @mention cut out (add-on events may omit ``argumentText``)."""
    if not message:
        return ""
    argument = message.get("argumentText")
    if isinstance(argument, str):
        return argument.strip()
    text = message.get("text")
    if not isinstance(text, str):
        return ""
    for start, length in sorted(_bot_mentions(message), reverse=True):
        text = text[:start] + text[start + length :]
    return text.strip()


def _bot_mentions(message: dict[str, Any]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    annotations = message.get("annotations")
    for annotation in annotations if isinstance(annotations, list) else []:
        if not isinstance(annotation, dict) or annotation.get("type") != "USER_MENTION":
            continue
        user = _object(_object(annotation.get("userMention")).get("user"))
        start, length = annotation.get("startIndex", 0), annotation.get("length", 0)
        if user.get("type") == "BOT" and _is_index(start) and _is_index(length):
            spans.append((start, length))
    return spans


def _command_id(message: dict[str, Any] | None, metadata: dict[str, Any] | None) -> str | None:
    """Slash commands arrive as ``message.slashCommand.commandId`` (classic MESSAGE) or as
    ``appCommandMetadata.appCommandId`` (APP_COMMAND); ids may be numbers or strings."""
    if metadata and isinstance(metadata.get("appCommandId"), int | str):
        return str(metadata["appCommandId"])
    slash = (message or {}).get("slashCommand")
    if isinstance(slash, dict) and isinstance(slash.get("commandId"), int | str):
        return str(slash["commandId"])
    return None


def _classic_action(body: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
    common = _optional_object(body, "common", "common") or {}
    action = _optional_object(body, "action", "action") or {}
    parameters = _string_map(common.get("parameters"))
    items = action.get("parameters")
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("key"), str) and isinstance(item.get("value"), str):
            parameters.setdefault(item["key"], item["value"])
    name = _optional_str(common, "invokedFunction") or _optional_str(action, "actionMethodName")
    return name, parameters


def _object(raw: Any) -> dict[str, Any]:
    """``raw`` if it is a JSON object, else an empty one: for optional parts read leniently."""
    return raw if isinstance(raw, dict) else {}


def _is_index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1_000_000


def _string_map(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {str(key): value for key, value in raw.items() if isinstance(value, str)}


def _str(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise MalformedEvent(f"{where} must be a non-empty string")
    return value


def _optional_str(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) and value else None


def _optional_object(raw: dict[str, Any], key: str, where: str) -> dict[str, Any] | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise MalformedEvent(f"{where} must be an object")
    return value
