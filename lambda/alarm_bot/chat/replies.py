"""Build the bot's answers as Chat API ``Message`` objects (pure functions, no I/O).

Cards carry the structure; ``text`` carries a one-line summary, which is what phone notifications
and screen readers show. User-supplied values (space names, patterns) are HTML-escaped in card
text, which Chat renders as a small HTML subset.
"""

from __future__ import annotations

import html
from typing import Any

from alarm_bot.i18n import Translator
from alarm_bot.store.spaces import SpaceRecord
from alarm_bot.timefmt import format_epoch, format_iso

Message = dict[str, Any]

COMMANDS = ("help", "status", "subscribe", "unsubscribe", "mute", "unmute")
_USAGE = {
    "help": "help",
    "status": "status",
    "subscribe": "subscribe [pattern …]",
    "unsubscribe": "unsubscribe [pattern …]",
    "mute": "mute 30m | 2h | 1d",
    "unmute": "unmute",
}


def text_message(text: str) -> Message:
    return {"text": text}


def welcome_message(t: Translator, space_label: str) -> Message:
    body = t("welcome_body")
    sections = [{"widgets": [_paragraph(html.escape(body))]}, _commands_section(t)]
    return {
        "text": body,
        "cardsV2": [_card("welcome", t, t("welcome_subtitle", space=space_label), sections)],
    }


def help_message(t: Translator) -> Message:
    return {
        "text": t("commands_hint"),
        "cardsV2": [_card("help", t, t("commands_hint"), [_commands_section(t)])],
    }


def status_message(t: Translator, record: SpaceRecord, now: float, time_zone: str) -> Message:
    receives = receives_summary(t, record)
    mute = (
        t("status_muted_until", until=format_epoch(record.muted_until, time_zone))
        if record.muted_until is not None and record.is_muted(now)
        else t("status_not_muted")
    )
    rows = [_row(t("status_receives"), receives), _row(t("status_mute"), mute)]
    if record.added_at:
        added = format_iso(record.added_at, time_zone)
        rows.append(_row(t("status_added"), t("status_added_by", when=added, who=record.added_by or "?")))
    label = space_label(record.display_name, record.space)
    header = t("status_header", space=label)
    return {
        "text": f"{header}: {receives}; {mute}",
        "cardsV2": [_card("status", t, header, [{"widgets": rows}])],
    }


def receives_summary(t: Translator, record: SpaceRecord) -> str:
    if not record.subscribed:
        return t("status_no_alarms")
    if not record.filters:
        return t("status_all_alarms")
    return t("status_patterns", patterns=quote_patterns(record.filters))


def quote_patterns(patterns: tuple[str, ...]) -> str:
    """Backticks keep ``*`` in ``prod-*`` from turning into Chat bold text."""
    return ", ".join(f"`{pattern}`" for pattern in patterns)


def space_label(display_name: str, space: str) -> str:
    return display_name or space


def _commands_section(t: Translator) -> dict[str, Any]:
    widgets = [_row(_USAGE[name], t(f"cmd_{name}")) for name in COMMANDS]
    return {"header": t("commands_header"), "widgets": widgets}


def _card(card_id: str, t: Translator, subtitle: str, sections: list[dict[str, Any]]) -> dict[str, Any]:
    header = {"title": t("app_name"), "subtitle": subtitle}
    return {"cardId": card_id, "card": {"header": header, "sections": sections}}


def _paragraph(text: str) -> dict[str, Any]:
    return {"textParagraph": {"text": text}}


def _row(label: str, text: str) -> dict[str, Any]:
    """``topLabel`` is plain text; ``text`` is rendered as HTML, so it is escaped."""
    return {"decoratedText": {"topLabel": label, "text": html.escape(text), "wrapText": True}}
