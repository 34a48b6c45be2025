"""The envelope a reply travels back to Chat in: the HTTP body for the format the request came in.

The message inside it is built by :mod:`alarm_bot.chat.reply_messages`.

Classic Chat apps answer with the ``Message`` itself, plus ``actionResponse`` for button clicks:
``NEW_MESSAGE`` posts a reply, ``UPDATE_MESSAGE`` replaces the clicked card (allowed for the app's
own messages). Workspace add-on Chat apps answer with ``hostAppDataAction.chatDataAction`` holding
``createMessageAction`` or ``updateMessageAction``, each with the ``message``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alarm_bot.chat.events import ChatEvent, EventFormat, EventKind
from alarm_bot.chat_message import ChatMessage


@dataclass(frozen=True)
class ChatOutcome:
    """What handling one Chat event came to: the reply to send (None: answer with an empty body)
    and what happened, for the logs.

    ``update`` replaces the card that was clicked instead of posting a new message.
    """

    message: ChatMessage | None
    action: str
    update: bool = False


def wrap_reply(event: ChatEvent, message: ChatMessage | None, *, update: bool = False) -> dict[str, Any]:
    if message is None:
        return {}
    updating = update and event.kind is EventKind.CARD_CLICKED
    if event.format is EventFormat.ADD_ON:
        action = "updateMessageAction" if updating else "createMessageAction"
        return {"hostAppDataAction": {"chatDataAction": {action: {"message": message}}}}
    if event.kind is EventKind.CARD_CLICKED:
        return {"actionResponse": {"type": "UPDATE_MESSAGE" if updating else "NEW_MESSAGE"}, **message}
    return message
