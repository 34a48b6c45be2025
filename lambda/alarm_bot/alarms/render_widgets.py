"""Card widgets for alarm messages, with one escaping rule: HTML-rendered text is always escaped.

Chat renders ``decoratedText.text`` and ``textParagraph.text`` as a small HTML subset, so every value
that came from a notification goes through :func:`html.escape` there. ``topLabel``,
``bottomLabel``, button text and the card header are plain text and are passed as they are.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.model import AlarmState
from alarm_bot.chat_message import CardWidget

Section = dict[str, Any]

STATE_STYLE: dict[AlarmState, tuple[str, str]] = {
    # state: (Material Symbols icon, text colour)
    AlarmState.ALARM: ("error", "#D93025"),
    AlarmState.OK: ("check_circle", "#188038"),
    AlarmState.INSUFFICIENT_DATA: ("help", "#E37400"),
}


def row(label: str | None, value: str, *, bottom: str | None = None) -> CardWidget:
    """A labelled line whose value is plain text (escaped here)."""
    return html_row(label, html.escape(value), bottom=bottom)


def html_row(
    label: str | None, markup: str, *, bottom: str | None = None, icon: str | None = None
) -> CardWidget:
    """A labelled line whose value is already safe markup built by this package."""
    decorated: dict[str, Any] = {"startIcon": {"materialIcon": {"name": icon}}} if icon else {}
    if label:
        decorated["topLabel"] = label
    decorated.update(text=markup, wrapText=True)
    if bottom:
        decorated["bottomLabel"] = bottom
    return {"decoratedText": decorated}


def paragraph(value: str) -> CardWidget:
    return {"textParagraph": {"text": html.escape(value)}}


def section(widgets: list[CardWidget], header: str | None = None) -> Section:
    built: Section = {"header": header} if header else {}
    built["widgets"] = widgets
    return built


def link_button_section(label: str, url: str) -> Section:
    button = {"text": label, "onClick": {"openLink": {"url": url}}}
    return section([{"buttonList": {"buttons": [button]}}])


def state_markup(state: AlarmState, word: str) -> str:
    """The state word in its colour, bold: the first thing people look for on the card."""
    colour = STATE_STYLE[state][1]
    return f'<font color="{colour}"><b>{html.escape(word)}</b></font>'


def state_word(t: AlarmText, state: AlarmState) -> str:
    return t(f"state_{state.value.lower()}")


def capped(rows: list[CardWidget], limit: int, more: Callable[[int], CardWidget]) -> list[CardWidget]:
    """At most ``limit`` rows; the rest summarised as one "and N more" row."""
    if len(rows) <= limit:
        return rows
    return [*rows[: limit - 1], more(len(rows) - (limit - 1))]


def more_row(t: AlarmText) -> Callable[[int], CardWidget]:
    return lambda count: row(None, t("more_rows", count=count))


def console_url(region: str, name: str) -> str:
    """The alarm's page in the CloudWatch console of its region (China and GovCloud differ)."""
    if region.startswith("cn-"):
        host = "console.amazonaws.cn"
    elif region.startswith("us-gov-"):
        host = "console.amazonaws-us-gov.com"
    else:
        host = "console.aws.amazon.com"
    return f"https://{region}.{host}/cloudwatch/home?region={region}#alarmsV2:alarm/{quote(name, safe='')}"


def dot_joined(*parts: str | None) -> str:
    """The parts that are known (not empty), joined with " · "."""
    return " · ".join(part for part in parts if part)


def header(title: str, *parts: str | None) -> dict[str, str]:
    """Title plus a subtitle of the parts that are known (account, region)."""
    built = {"title": title}
    subtitle = dot_joined(*parts)
    if subtitle:
        built["subtitle"] = subtitle
    return built


def one_line(value: str, limit: int) -> str:
    """Whitespace collapsed and cut with a visible ellipsis: for the phone notification line."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
