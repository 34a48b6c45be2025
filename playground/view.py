"""What the page shows: each space's threads as HTML, and which buttons of a card do what.

The app's messages are drawn by :mod:`alarm_bot_cli.preview` (the same drawing as ``alarm-bot
preview`` and the README's pictures); people's messages are drawn here in the same layout. A
message that was edited since it was posted (a card acknowledged, muted or resolved) says so, as
Chat does. Preview draws action buttons inert, so the page is told, per message, what each button
does (:func:`buttons`, in the order the card lists them) and makes them clickable.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from alarm_bot.chat_message import ChatMessage
from alarm_bot_cli.preview import message_html
from alarm_bot_cli.preview.chrome import reply_count
from playground.chat_events import Person, PlaygroundSpace

SPACES = (
    PlaygroundSpace("spaces/AAQAPaymentsOnCall", "Payments on-call"),
    PlaygroundSpace("spaces/AAQAPlatformTeam", "Platform team"),
    PlaygroundSpace("spaces/AAQAIncidentRoom", "Incident room"),
)
USER = Person("users/104729384756102938475", "Jane Doe", "jane@example.com")
_CACHE_LIMIT = 4000
_drawn: dict[str, str] = {}


def space_view(
    space: PlaygroundSpace,
    messages: Sequence[ChatMessage],
    created: Mapping[str, ChatMessage],
    *,
    member: bool,
    locale: str,
) -> dict[str, Any]:
    """One space for the page: whether the app is in it, and its threads in the order they began."""
    threads: dict[str, list[ChatMessage]] = {}
    for message in messages:
        threads.setdefault(str(message.get("thread", {}).get("name", message["name"])), []).append(message)
    return {
        "id": space.name.removeprefix("spaces/"),
        "name": space.display_name,
        "member": member,
        "messages": len(messages),
        "threads": [
            {
                "name": name,
                "html": playground_thread_html(items, created, locale),
                "buttons": {str(item["name"]): buttons(item) for item in items if not is_person(item)},
            }
            for name, items in threads.items()
        ],
    }


def playground_thread_html(
    messages: Sequence[ChatMessage], created: Mapping[str, ChatMessage], locale: str
) -> str:
    """The thread's first message and, under it, the replies with their count, as in Chat."""
    head, *replies = messages
    drawn = _message_block(head, created, locale)
    if replies:
        answers = "\n".join(_message_block(reply, created, locale) for reply in replies)
        count = f'<div class="reply-count">{html.escape(reply_count(locale, len(replies)))}</div>'
        drawn += f'\n<div class="replies">{count}\n{answers}\n</div>'
    return f'<section class="thread">\n{drawn}\n</section>'


def is_person(message: ChatMessage) -> bool:
    sender = message.get("sender")
    return isinstance(sender, Mapping) and sender.get("type") == "HUMAN"


def buttons(message: ChatMessage) -> list[dict[str, Any]]:
    """The message's buttons in card order: an action (``function``, ``parameters``), a link
    (``link``) or an overflow menu (``menu``, a list of those)."""
    found: list[dict[str, Any]] = []
    _collect([message.get("cardsV2"), message.get("accessoryWidgets")], found)
    return found


def version(parts: Iterable[object]) -> str:
    """A short digest of what the page shows, so it redraws only when something changed."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()[:16]


def _message_block(message: ChatMessage, created: Mapping[str, ChatMessage], locale: str) -> str:
    """A message with its time and, once edited, the word "Edited"; drawn once per content."""
    key = version([message, created.get(str(message["name"])), locale])
    drawn = _drawn.get(key)
    if drawn is None:
        inner = _person_html(message) if is_person(message) else message_html(message, locale=locale)
        edited = _edited(message, created.get(str(message["name"])))
        stamp = html.escape(str(message.get("createTime", "")))
        drawn = (
            f'<div class="pg-msg" data-message="{html.escape(str(message["name"]))}" data-time="{stamp}"'
            f' data-edited="{"1" if edited else ""}">{inner}</div>'
        )
        if len(_drawn) >= _CACHE_LIMIT:
            _drawn.clear()
        _drawn[key] = drawn
    return drawn


def _person_html(message: ChatMessage) -> str:
    sender = message.get("sender") or {}
    name = str(sender.get("displayName") or "Someone")
    initials = "".join(word[:1] for word in name.split()[:2]).upper()
    avatar = f'<div class="avatar"><span class="pg-initials">{html.escape(initials)}</span></div>'
    meta = f'<div class="msg-meta"><span class="sender">{html.escape(name)}</span></div>'
    text = f'<div class="msg-text">{html.escape(str(message.get("text", "")))}</div>'
    return f'<article class="msg person">{avatar}<div class="msg-body">{meta}{text}</div></article>'


def _edited(message: ChatMessage, first: ChatMessage | None) -> bool:
    if first is None:
        return False
    return any(message.get(field) != first.get(field) for field in ("text", "cardsV2"))


def _collect(node: object, found: list[dict[str, Any]]) -> None:
    if isinstance(node, Mapping):
        if isinstance(node.get("onClick"), Mapping) and ("text" in node or "icon" in node):
            found.append(_button(node))
            return
        for value in node.values():
            _collect(value, found)
    elif isinstance(node, list):
        for value in node:
            _collect(value, found)


def _button(button: Mapping[str, Any]) -> dict[str, Any]:
    text = button.get("text") if isinstance(button.get("text"), str) else ""
    on_click: Mapping[str, Any] = button["onClick"]
    action = on_click.get("action")
    if isinstance(action, Mapping):
        pairs = action.get("parameters") or []
        parameters = {str(p.get("key")): str(p.get("value")) for p in pairs if isinstance(p, Mapping)}
        return {"text": text, "function": str(action.get("function", "")), "parameters": parameters}
    menu = on_click.get("overflowMenu")
    if isinstance(menu, Mapping):
        items = [item for item in menu.get("items") or [] if isinstance(item, Mapping) and "onClick" in item]
        return {"text": text, "menu": [_button(item) for item in items]}
    link = on_click.get("openLink")
    return {"text": text, "link": str(link.get("url", "")) if isinstance(link, Mapping) else ""}
