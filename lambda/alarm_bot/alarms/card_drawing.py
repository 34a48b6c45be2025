"""An ALARM card as it stands now: who acknowledged it, whether it is muted here, whether it ended.

The fan-out posts the card rendered by :mod:`alarm_bot.alarms.render`; everything that happens to
the alarm afterwards is drawn on top of that same message, so the Chat function (acknowledge, mute)
and the fan-out (resolve) produce the same card from the stored original:

* a status section first — "Acknowledged by Jane at 10:42", "Muted here until 11:42", "Resolved at
  11:05 after 23 min" — because that answers "is anyone on this?" before the details;
* the same lines appended to ``text``, which Chat shows above the card and phones show alone;
* the Acknowledge and Mute buttons next to "Open in CloudWatch" while the alarm is open; a resolved
  card keeps only the link.

Pure functions: no I/O.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable
from typing import Any

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.card_buttons import ACKNOWLEDGE, ALARM_PARAMETER, DURATION_PARAMETER, MUTE, ButtonTarget
from alarm_bot.alarms.card_facts import CardState
from alarm_bot.alarms.model import AlarmState
from alarm_bot.alarms.render_limits import fit_message
from alarm_bot.alarms.render_widgets import STATE_STYLE, html_row, more_row, section
from alarm_bot.chat_message import CardWidget, ChatMessage
from alarm_bot.literal import literal
from alarm_bot.timefmt import format_clock

MAX_NAMED_ACKNOWLEDGEMENTS = 10  # more names than this do not help anyone read the card


def interactive_message(
    base: ChatMessage,
    alarm_key: str,
    state: CardState,
    *,
    target: ButtonTarget | None,
    locale: str,
    time_zone: str,
) -> ChatMessage:
    """``base`` with the status lines of ``state`` and, while the alarm is open, its buttons."""
    t = AlarmText(locale)
    message = copy.deepcopy(base)
    lines = _status_lines(state, t, time_zone)
    if lines and isinstance(message.get("text"), str):
        message["text"] += "".join(f"\n{icon} {line}" for icon, line, _ in lines)
    card = _card(message)
    if card is not None:
        if lines:
            card.setdefault("sections", []).insert(0, section([widget for _, _, widget in lines]))
        if state.resolved_at is None and target is not None:
            _add_buttons(card, alarm_actions(alarm_key, target, t))
    return fit_message(message, more_row(t))


def with_mention(message: ChatMessage) -> ChatMessage:
    """``<users/all>`` in front of the text: Chat notifies everyone in the space."""
    mentioned = dict(message)
    mentioned["text"] = f"<users/all> {message.get('text', '')}".rstrip()
    return mentioned


def elapsed(seconds: float, t: AlarmText) -> str:
    """``23 min``, ``1 h 5 min``, ``2 d 3 h``: how long an alarm lasted, to the minute."""
    total = max(int(seconds), 0)
    if total < 60:
        return t("duration_seconds", count=total)
    minutes = total // 60
    parts: list[tuple[str, int]]
    if minutes < 60:
        parts = [("minutes", minutes)]
    elif minutes < 24 * 60:
        parts = [("hours", minutes // 60), ("minutes", minutes % 60)]
    else:
        parts = [("days", minutes // 1440), ("hours", minutes % 1440 // 60)]
    return " ".join(t(f"duration_{unit}", count=count) for unit, count in parts if count)


def _status_lines(state: CardState, t: AlarmText, time_zone: str) -> list[tuple[str, str, CardWidget]]:
    """(emoji for the text line, sentence, card row) for each thing that happened, in order."""

    def clock(moment: float) -> str:
        return format_clock(moment, time_zone, state.since)

    lines = []
    if state.resolved_at is not None:
        lasted = elapsed(state.resolved_at - state.since, t)
        sentence = t("resolved_after", time=clock(state.resolved_at), duration=lasted)
        icon, colour = STATE_STYLE[AlarmState.OK]
        markup = f'<font color="{colour}"><b>{html.escape(sentence)}</b></font>'
        lines.append(("✅", sentence, html_row(None, markup, icon=icon)))
    if state.acknowledgements:

        def acknowledged(name: Callable[[str], str]) -> str:
            shown = state.acknowledgements[:MAX_NAMED_ACKNOWLEDGEMENTS]
            people = ", ".join(
                t("ack_person", name=name(ack.name) or t("someone"), time=clock(ack.at)) for ack in shown
            )
            if len(state.acknowledgements) > len(shown):
                people += " " + t("more_rows", count=len(state.acknowledgements) - len(shown))
            return t("acknowledged_by", people=people)

        # People choose their names: literal in the text line, escaped HTML in the card.
        card_row = html_row(None, html.escape(acknowledged(str)), icon="person")
        lines.append(("👀", acknowledged(literal), card_row))
    if state.muted_until is not None:
        sentence = t("muted_here_until", until=clock(state.muted_until))
        lines.append(("🔕", sentence, html_row(None, html.escape(sentence), icon="notifications_off")))
    return lines


def alarm_actions(alarm_key: str, target: ButtonTarget, t: AlarmText) -> list[dict[str, Any]]:
    """Acknowledge, Mute 1h, Mute 1d for one open alarm: on its card, and on its digest line."""
    alarm = {ALARM_PARAMETER: alarm_key}
    return [
        {"text": t("button_acknowledge"), "onClick": target.on_click(ACKNOWLEDGE, alarm)},
        {"text": t("button_mute_1h"), "onClick": target.on_click(MUTE, {**alarm, DURATION_PARAMETER: "1h"})},
        {"text": t("button_mute_1d"), "onClick": target.on_click(MUTE, {**alarm, DURATION_PARAMETER: "1d"})},
    ]


def _add_buttons(card: dict[str, Any], buttons: list[dict[str, Any]]) -> None:
    """Next to "Open in CloudWatch" when the card has it, else in a section of their own."""
    for found in reversed(card.get("sections", [])):
        for widget in found.get("widgets", []):
            if "buttonList" in widget:
                widget["buttonList"]["buttons"] = [*buttons, *widget["buttonList"].get("buttons", [])]
                return
    card.setdefault("sections", []).append(section([{"buttonList": {"buttons": buttons}}]))


def _card(message: ChatMessage) -> dict[str, Any] | None:
    cards = message.get("cardsV2")
    if not isinstance(cards, list) or not cards or not isinstance(cards[0].get("card"), dict):
        return None
    card: dict[str, Any] = cards[0]["card"]
    return card


__all__ = ["elapsed", "interactive_message", "with_mention"]
