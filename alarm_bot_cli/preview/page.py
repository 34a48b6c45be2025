"""Chat messages as Google Chat shows them: the sender, the ``text`` line, then the cards.

:func:`message_html` draws one message (an HTML fragment), :func:`thread_html` a thread (the first
message with its replies indented under it, as an OK reply follows its ALARM card), and
:func:`page_html` a whole self-contained page: one file, inline CSS and SVG, no script, nothing
fetched but the external images a card may name. Pure functions of the message, so the same
message always gives the same page (the checked-in pictures are compared byte for byte).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

from alarm_bot.chat_message import ChatMessage
from alarm_bot_cli.preview.card import card_html
from alarm_bot_cli.preview.chrome import chrome_text, reply_count, sender_name
from alarm_bot_cli.preview.markup import plain
from alarm_bot_cli.preview.styles import STYLESHEET
from alarm_bot_cli.preview.text_line import message_text
from alarm_bot_cli.preview.widgets import widgets_html

__all__ = ["message_html", "page_html", "thread_html"]

_AVATAR = (
    '<svg viewBox="0 0 32 32" width="32" height="32" aria-hidden="true">'
    '<circle cx="16" cy="16" r="16" fill="#1a73e8"/>'
    '<g fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" '
    'transform="translate(6.4 6.2) scale(.8)">'
    '<path d="M6 17v-6a6 6 0 0 1 12 0v6l1.5 1.5h-15z"/><path d="M10 21h4"/></g></svg>'
)
_NOTE = (
    "Drawn by alarm-bot preview: how Google Chat shows these messages (cards v2), approximately. "
    "Self-contained: images named by a card are external and load from their URL when the page is opened."
)


def message_html(message: ChatMessage, *, locale: str = "en", sender: str | None = None) -> str:
    """One message: who sent it, its text line, its cards and accessory buttons."""
    name = sender or _sender(message) or sender_name(locale)
    parts = []
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        parts.append(f'<div class="msg-text">{message_text(text)}</div>')
    parts += [card_html(card, locale=locale) for card in _cards(message)]
    if message.get("cards"):
        parts.append(f'<div class="note">{chrome_text(locale, "cards_v1")}</div>')
    accessory = widgets_html(message.get("accessoryWidgets"))
    if accessory:
        parts.append(f'<div class="accessory">{accessory}</div>')
    if not parts:
        parts.append(f'<div class="empty">{chrome_text(locale, "empty")}</div>')
    meta = f'<span class="sender">{plain(name)}</span><span class="badge">{chrome_text(locale, "app")}</span>'
    body = "\n".join([f'<div class="msg-meta">{meta}</div>', *parts])
    avatar = f'<div class="avatar">{_AVATAR}</div>'
    return f'<article class="msg">{avatar}\n<div class="msg-body">{body}\n</div></article>'


def thread_html(messages: Sequence[ChatMessage], *, locale: str = "en") -> str:
    """The first message and, indented under it, its replies with their count."""
    if not messages:
        return ""
    head, *replies = messages
    drawn = message_html(head, locale=locale)
    if replies:
        count = f'<div class="reply-count">{reply_count(locale, len(replies))}</div>'
        answers = "\n".join(message_html(reply, locale=locale) for reply in replies)
        drawn += f'\n<div class="replies">{count}\n{answers}\n</div>'
    return f'<section class="thread">\n{drawn}\n</section>'


def page_html(
    messages: Sequence[ChatMessage], *, title: str, locale: str = "en", threaded: bool = True
) -> str:
    """A whole page: ``messages`` as one thread, or (``threaded=False``) as separate posts."""
    threads = [messages] if threaded else [[message] for message in messages]
    body = "\n".join(thread_html(thread, locale=locale) for thread in threads)
    return (
        f'<!DOCTYPE html>\n<html lang="{html.escape(locale)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{plain(title)}</title>\n<!-- {_NOTE} -->\n<style>{STYLESHEET}</style>\n</head>\n"
        f'<body>\n<main class="space">\n{body}\n</main>\n</body>\n</html>\n'
    )


def _cards(message: ChatMessage) -> list[object]:
    cards = message.get("cardsV2")
    if not isinstance(cards, Sequence) or isinstance(cards, str):
        return []
    return [entry.get("card") for entry in cards if isinstance(entry, Mapping)]


def _sender(message: ChatMessage) -> str | None:
    sender = message.get("sender")
    name = sender.get("displayName") if isinstance(sender, Mapping) else None
    return name if isinstance(name, str) and name else None
