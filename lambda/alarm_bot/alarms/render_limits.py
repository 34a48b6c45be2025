"""Keep a rendered message within Google Chat's limits, shortening visibly instead of failing.

Chat rejects a message whose ``text`` exceeds 4,096 characters, whose JSON exceeds 32,000 bytes or
whose card has more than 100 widgets. An alarm must still arrive, so long values are cut with "…"
(longest first, until the message fits) and surplus rows become one "and N more" row.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from typing import Any

from alarm_bot.chat_message import CardWidget, ChatMessage

TEXT_LIMIT = 4096
MESSAGE_BYTES_LIMIT = 32_000
WIDGET_LIMIT = 100
FIELD_CHARS_LIMIT = 8_000  # no single value needs more to be read; bounds the work below
ELLIPSIS = "…"
_MIN_FIELD_CHARS = 16
_MAX_ROUNDS = 400
_SHORTENABLE = frozenset({"text", "topLabel", "bottomLabel", "title", "subtitle", "header"})


def message_bytes(message: ChatMessage) -> int:
    """The size Chat measures: UTF-8 JSON, non-ASCII characters unescaped."""
    return len(json.dumps(message, ensure_ascii=False).encode("utf-8"))


def fit_message(message: ChatMessage, more: Callable[[int], CardWidget], *, reserve: int = 0) -> ChatMessage:
    """A copy of ``message`` within every limit; ``more(n)`` builds the "and n more" row.

    ``reserve``: bytes the request will add to the message (its thread), so the body as sent fits.
    """
    fitted = copy.deepcopy(message)
    _cap_widgets(fitted, more)
    if isinstance(fitted.get("text"), str):
        fitted["text"] = cut(fitted["text"], TEXT_LIMIT)
    for holder, key in _text_fields(fitted):
        holder[key] = cut(holder[key], FIELD_CHARS_LIMIT)
    if _shrink_to_budget(fitted, MESSAGE_BYTES_LIMIT - reserve):
        return fitted
    return {"text": cut(str(message.get("text", "")), TEXT_LIMIT)}


def cut(value: str, limit: int) -> str:
    """At most ``limit`` characters, ending in "…" when cut, never inside an HTML entity or tag."""
    if len(value) <= limit:
        return value
    kept = value[: max(limit - len(ELLIPSIS), 0)]
    entity = kept.rfind("&")
    if entity > kept.rfind(";"):
        kept = kept[:entity]
    tag = kept.rfind("<")
    if tag > kept.rfind(">"):
        kept = kept[:tag]
    return kept + ELLIPSIS


def widget_count(message: ChatMessage) -> int:
    return sum(len(section.get("widgets", [])) for section in card_sections(message) or [])


def _cap_widgets(message: ChatMessage, more: Callable[[int], CardWidget]) -> None:
    """Trim the fullest section until the card has at most WIDGET_LIMIT widgets."""
    while widget_count(message) > WIDGET_LIMIT:
        fullest = max(card_sections(message) or [], key=lambda section: len(section.get("widgets", [])))
        widgets = fullest["widgets"]
        if len(widgets) <= 1:  # a hundred one-widget sections: not a card this package builds
            return
        keep = max(len(widgets) - (widget_count(message) - WIDGET_LIMIT) - 1, 0)
        fullest["widgets"] = [*widgets[:keep], more(len(widgets) - keep)]


def _shrink_to_budget(message: ChatMessage, budget: int) -> bool:
    """Cut the longest text field, again and again, until the JSON fits; False if it cannot."""
    for _ in range(_MAX_ROUNDS):
        excess = message_bytes(message) - budget
        if excess <= 0:
            return True
        fields = list(_text_fields(message))
        if not fields:
            return False
        holder, key = max(fields, key=lambda field: len(field[0][field[1]].encode("utf-8")))
        value: str = holder[key]
        if len(value) <= _MIN_FIELD_CHARS:
            return False
        target = max(len(value) - excess - len(ELLIPSIS), len(value) // 2, _MIN_FIELD_CHARS)
        holder[key] = cut(value, target)
    return message_bytes(message) <= budget


def card_sections(message: ChatMessage) -> list[dict[str, Any]] | None:
    """The sections of the message's card (the list itself, to change in place); ``None`` without one.

    Every card message this package builds has one card in ``cardsV2``.
    """
    cards = message.get("cardsV2")
    if not isinstance(cards, list) or not cards or not isinstance(cards[0].get("card"), dict):
        return None
    sections = cards[0]["card"].get("sections")
    return sections if isinstance(sections, list) else None


def _text_fields(node: object) -> Iterator[tuple[dict[str, Any], str]]:
    """Every (holder, key) whose value is human-readable text; URLs and ids are never cut."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _SHORTENABLE and isinstance(value, str):
                yield node, key
            else:
                yield from _text_fields(value)
    elif isinstance(node, list):
        for item in node:
            yield from _text_fields(item)
