"""The messages a person reads in answer to a command: Chat API ``Message`` objects (pure, no I/O).

What carries them back to Chat (the HTTP body, per event format) is :mod:`alarm_bot.chat.reply_envelope`.

Cards carry the structure; ``text`` carries a one-line summary, which is what phone notifications
and screen readers show. User-supplied values (space names, patterns) are HTML-escaped in card
text, which Chat renders as a small HTML subset. Filters are shown the way they are typed
(``account:prod``), so what ``status`` lists can be given back to ``unsubscribe``.
"""

from __future__ import annotations

import html
from typing import Any

from alarm_bot.alarms.filters import Filters, display_term, ordered
from alarm_bot.alarms.places import NO_NAMES, AccountNames, account_label
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat.command_names import COMMAND_NAMES
from alarm_bot.chat_message import CardWidget, ChatMessage
from alarm_bot.i18n import Translator
from alarm_bot.literal import code_span, literal

_USAGE = {
    "help": "help",
    "status": "status",
    "subscribe": "subscribe [pattern | account:… | region:… …]",
    "unsubscribe": "unsubscribe [pattern | account:… | region:… …]",
    "mute": "mute 30m | 2h | 1d",
    "unmute": "unmute",
    "mention": "mention on | off",
}


def text_message(text: str) -> ChatMessage:
    return {"text": text}


def welcome_message(t: Translator, space_label: str) -> ChatMessage:
    body = t("welcome_body")
    sections = [{"widgets": [_markup_paragraph(html.escape(body))]}, _commands_section(t)]
    return {
        "text": body,
        "cardsV2": [card("welcome", t, t("welcome_subtitle", space=space_label), sections)],
    }


def help_message(t: Translator) -> ChatMessage:
    return {
        "text": t("commands_hint"),
        "cardsV2": [card("help", t, t("commands_hint"), [_commands_section(t)])],
    }


def receives_summary(t: Translator, record: SpaceRecord, names: AccountNames = NO_NAMES) -> str:
    """Every alarm, nothing, or the filters in words: each kind given, any of its values."""
    if not record.subscribed:
        return t("status_no_alarms")
    filters = Filters.of(record.filters)
    if filters.empty:
        return t("status_all_alarms")
    patterns = [display_term(pattern, names) for pattern in sorted(filters.names)]
    if filters.names_only:
        return t("status_patterns", patterns=", ".join(map(code_span, patterns)))
    either = t("filter_or")
    conditions = []
    if patterns:
        conditions.append(t("filter_names", patterns=either.join(map(code_span, patterns))))
    if filters.accounts:
        labels = sorted(account_label(account, names) or account for account in filters.accounts)
        conditions.append(t("filter_accounts", accounts=either.join(map(code_span, labels))))
    if filters.regions:
        regions = either.join(map(code_span, sorted(filters.regions)))
        conditions.append(t("filter_regions", regions=regions))
    return t("status_filtered", conditions=" · ".join(conditions))


def quote_terms(terms: tuple[str, ...], names: AccountNames = NO_NAMES) -> str:
    """Stored terms as typed, in backticks: they keep ``*`` in ``prod-*`` from turning bold."""
    return ", ".join(code_span(display_term(term, names)) for term in ordered(terms))


def space_label(display_name: str, space: str) -> str:
    """People name spaces: the name is made literal, as it may end up in a message's text."""
    return literal(display_name) or space


def _commands_section(t: Translator) -> dict[str, Any]:
    widgets = [reply_row(_USAGE[name], t(f"cmd_{name}")) for name in COMMAND_NAMES]
    return {"header": t("commands_header"), "widgets": widgets}


def card(card_id: str, t: Translator, subtitle: str, sections: list[dict[str, Any]]) -> dict[str, Any]:
    header = {"title": t("app_name"), "subtitle": subtitle}
    return {"cardId": card_id, "card": {"header": header, "sections": sections}}


def _markup_paragraph(text: str) -> CardWidget:
    return {"textParagraph": {"text": text}}


def reply_row(label: str, text: str) -> CardWidget:
    """``topLabel`` is plain text; ``text`` is rendered as HTML, so it is escaped."""
    return {"decoratedText": {"topLabel": label, "text": html.escape(text), "wrapText": True}}
