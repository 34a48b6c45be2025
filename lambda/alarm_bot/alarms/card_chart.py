"""The chart image on an alarm card: where it goes, and how a redrawn card keeps or renews it.

The image is a section of its own, right after the card's first section (state, reason, time):
what someone on call reads first says *what* happened, the graph right under it shows *how* (a
spike or a slow climb), and the metric's details and buttons follow. When the card is redrawn with
status lines (acknowledged, muted, resolved), those go above everything, so the image stays second
among the alarm's own sections.

A card is stored as rendered, image included (:class:`~alarm_bot.store.alarm_messages.AlarmMessage`),
so a click that redraws it shows the same image without knowing about charts. Only a resolve
replaces it (:func:`with_chart` on a card that has one), with the chart of the recovery.

When the recovery chart is not there in time, the resolved card **keeps the image it has**. That
chart is still true: its title, vertical line and alt text say it shows the change to ALARM, and the
card now says "Resolved at … after …" above it, so nobody reads it as the current state. It is
also what the person on call looked at while working the alarm; taking it away would lose that
history to say nothing new. A card that had no chart gets the recovery chart if there is one.

Pure: no I/O. The URL is never shortened to fit Chat's limits (a cut URL is a broken image); if a
card cannot fit with it, :func:`~alarm_bot.alarms.render_limits.fit_message` drops to plain text
as for any card that cannot fit.
"""

from __future__ import annotations

import copy
from typing import Any, NamedTuple

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.render_limits import card_sections, fit_message
from alarm_bot.alarms.render_widgets import more_row
from alarm_bot.chat_message import ChatMessage

IMAGE = "image"


class CardImage(NamedTuple):
    """A chart as a card shows it: its public URL and what it shows, for screen readers."""

    url: str
    alt: str


def with_chart(message: ChatMessage, image: CardImage | None, *, locale: str) -> ChatMessage:
    """``message`` with ``image`` as its chart (replacing the one it has); unchanged for ``None``."""
    if image is None:
        return message
    charted = copy.deepcopy(message)
    sections = card_sections(charted)
    if sections is None:
        return message  # a plain-text message (a card that could not fit): nothing to put it in
    widget = {IMAGE: {"imageUrl": image.url, "altText": image.alt}}
    found = _chart_section(sections)
    if found is not None:
        sections[found] = {"widgets": [widget]}
    else:
        sections.insert(min(1, len(sections)), {"widgets": [widget]})
    return fit_message(charted, more_row(AlarmText(locale)))


def chart_of(message: ChatMessage) -> CardImage | None:
    """The chart a card shows, if any."""
    sections = card_sections(message)
    found = _chart_section(sections) if sections is not None else None
    if sections is None or found is None:
        return None
    image = sections[found]["widgets"][0][IMAGE]
    return CardImage(str(image.get("imageUrl", "")), str(image.get("altText", "")))


def _chart_section(sections: list[dict[str, Any]]) -> int | None:
    """The index of the section holding the chart: alarm cards have no other image."""
    for index, section in enumerate(sections):
        widgets = section.get("widgets")
        if isinstance(widgets, list) and len(widgets) == 1 and IMAGE in widgets[0]:
            return index
    return None
