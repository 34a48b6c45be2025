"""The events Google Chat sends a classic HTTP Chat app, built from what happens on the page.

Their shapes are those of the real samples in ``tests/fixtures/real`` (``gchat-scala``,
``chattice``): ``type``, ``eventTime``, ``space``, ``user``; a ``message`` with its ``name``,
``thread``, ``sender``, ``text``, the bot's @mention as a ``USER_MENTION`` annotation and
``argumentText`` (the text without it); a click's ``action`` (``actionMethodName`` and a list of
``parameters``) repeated in ``common`` (``invokedFunction`` and a map), as Chat sends both. Pure:
the Chat side (:mod:`playground.google_chat`) signs and sends them.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

Event = dict[str, Any]


@dataclass(frozen=True)
class PlaygroundSpace:
    name: str  # spaces/…
    display_name: str
    space_type: str = "SPACE"

    def wire(self) -> dict[str, Any]:
        legacy = "DM" if self.space_type == "DIRECT_MESSAGE" else "ROOM"
        return {
            "name": self.name,
            "type": legacy,
            "spaceType": self.space_type,
            "displayName": self.display_name,
        }


@dataclass(frozen=True)
class Person:
    name: str  # users/…
    display_name: str
    email: str

    def wire(self) -> dict[str, Any]:
        return {"name": self.name, "displayName": self.display_name, "type": "HUMAN", "email": self.email}


def event_time(now: float | None = None) -> str:
    """Chat's timestamps: RFC 3339 in UTC with microseconds."""
    moment = datetime.fromtimestamp(time.time() if now is None else now, UTC)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def membership(kind: str, space: PlaygroundSpace, user: Person, now: float | None = None) -> Event:
    """``ADDED_TO_SPACE`` or ``REMOVED_FROM_SPACE``: someone added the app, or removed it."""
    if kind not in ("ADDED_TO_SPACE", "REMOVED_FROM_SPACE"):
        raise ValueError(f"not a membership event: {kind}")
    return {"type": kind, "eventTime": event_time(now), "space": space.wire(), "user": user.wire()}


def mention_message(words: str, bot: Mapping[str, str]) -> dict[str, Any]:
    """What a person's ``@Bot words`` is as a Chat message: the text and its mention annotation."""
    mention = f"@{bot['displayName']}"
    return {
        "text": f"{mention} {words}",
        "argumentText": f" {words}",
        "annotations": [
            {
                "type": "USER_MENTION",
                "startIndex": 0,
                "length": len(mention),
                "userMention": {"type": "MENTION", "user": {**bot, "type": "BOT"}},
            }
        ],
    }


def message(
    space: PlaygroundSpace, user: Person, posted: Mapping[str, Any], now: float | None = None
) -> Event:
    """``MESSAGE``: ``posted`` is the person's message as the space keeps it (name, thread, text…)."""
    body = {**posted, "sender": user.wire(), "space": space.wire()}
    return {
        "type": "MESSAGE",
        "eventTime": event_time(now),
        "space": space.wire(),
        "message": body,
        "user": user.wire(),
    }


def card_clicked(
    space: PlaygroundSpace,
    user: Person,
    clicked: Mapping[str, Any],
    function: str,
    parameters: Mapping[str, str],
    *,
    locale: str = "en",
    time_zone: str = "UTC",
    now: float | None = None,
) -> Event:
    """``CARD_CLICKED`` on a button of ``clicked`` (the app's message) that runs ``function``."""
    about = {key: clicked[key] for key in ("name", "thread", "sender", "createTime") if key in clicked}
    return {
        "type": "CARD_CLICKED",
        "eventTime": event_time(now),
        "space": space.wire(),
        "user": user.wire(),
        "message": {**about, "space": space.wire()},
        "action": {
            "actionMethodName": function,
            "parameters": [{"key": key, "value": value} for key, value in parameters.items()],
        },
        "common": {
            "invokedFunction": function,
            "parameters": dict(parameters),
            "userLocale": "ko-KR" if locale == "ko" else "en-US",
            "timeZone": {"id": time_zone},
        },
    }
