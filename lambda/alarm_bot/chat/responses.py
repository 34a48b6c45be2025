"""Wrap a reply in the envelope of the format the request came in.

Classic Chat apps answer with the ``Message`` itself (plus ``actionResponse`` for button clicks);
Workspace add-on Chat apps answer with ``hostAppDataAction.chatDataAction.createMessageAction``.
"""

from __future__ import annotations

from typing import Any

from alarm_bot.chat.events import ChatEvent, EventFormat, EventKind


def wrap_reply(event: ChatEvent, message: dict[str, Any] | None) -> dict[str, Any]:
    if message is None:
        return {}
    if event.format is EventFormat.ADD_ON:
        return {"hostAppDataAction": {"chatDataAction": {"createMessageAction": {"message": message}}}}
    if event.kind is EventKind.CARD_CLICKED:
        return {"actionResponse": {"type": "NEW_MESSAGE"}, **message}
    return message
