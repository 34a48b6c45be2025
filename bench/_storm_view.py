"""What people see in each space at the end of a storm, read from the messages the stand-in holds.

A transition (alarm, state) is **announced** by a message created for it: the alarm's own card or
reply (named in its header), a late note, a line of a digest (every state on the line), or a line
of a digest's change announcement (its newest state). It is **visible** if announced, or if the
final messages show it: a card edited to say "Resolved at", a digest line edited to the new state.
A **duplicate** is a transition announced twice in one space; a **stale open card** is a card (or
digest line) that still shows ALARM for an alarm whose latest state is OK. Times come from when
the stand-in created each message.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

STATES = ("ALARM", "OK", "INSUFFICIENT_DATA")
_LATE = re.compile(r"^⏪ Late: (\w+) of (.+?) at ")


@dataclass
class SpaceView:
    announced: Counter[tuple[str, str]] = field(default_factory=Counter)
    first_seen: dict[tuple[str, str], float] = field(default_factory=dict)
    visible: set[tuple[str, str]] = field(default_factory=set)
    open_in_the_end: set[str] = field(default_factory=set)  # alarms a card or line shows in ALARM


def view_of(created: list[tuple[float, dict[str, Any]]], final: list[dict[str, Any]]) -> SpaceView:
    view = SpaceView()
    for moment, message in created:
        for transition in _announces(message):
            view.announced[transition] += 1
            view.first_seen.setdefault(transition, moment)
            view.visible.add(transition)
    for message in final:
        for transition in _shows(message):
            view.visible.add(transition)
        view.open_in_the_end |= _open(message)
    return view


def _announces(message: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    kind = _card_id(message)
    if kind.startswith("alarm-"):
        yield _title(message), _state_of_text(str(message.get("text", "")))
    elif kind == "digest":
        for line in _lines(message):
            yield from ((_line_name(line), state) for state in _line_states(line))
    elif kind == "digest-update":
        for line in _lines(message):
            yield _line_name(line), line["topLabel"].split(" · ")[0]
    else:
        late = _LATE.match(str(message.get("text", "")))
        if late:
            yield late.group(2), late.group(1)


def _shows(message: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    kind = _card_id(message)
    if kind.startswith("alarm-") and "Resolved at" in str(message.get("text", "")):
        yield _title(message), "OK"
    elif kind == "digest":
        for line in _lines(message):
            yield from ((_line_name(line), state) for state in _line_states(line))


def _open(message: Mapping[str, Any]) -> set[str]:
    kind = _card_id(message)
    text = str(message.get("text", ""))
    if kind.startswith("alarm-") and text.startswith("🚨") and "Resolved at" not in text:
        return {_title(message)}
    if kind == "digest":
        return {_line_name(line) for line in _lines(message) if line["topLabel"].startswith("ALARM")}
    return set()


def _card_id(message: Mapping[str, Any]) -> str:
    cards = message.get("cardsV2") or [{}]
    return str(cards[0].get("cardId", ""))


def _title(message: Mapping[str, Any]) -> str:
    return str(message["cardsV2"][0]["card"]["header"]["title"])


def _state_of_text(text: str) -> str:
    words = text.removeprefix("<users/all> ").split()
    return words[1].rstrip(":") if len(words) > 1 else "?"


def _lines(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    widgets = message["cardsV2"][0]["card"]["sections"][0]["widgets"]
    return [widget["decoratedText"] for widget in widgets if "decoratedText" in widget]


def _line_name(line: Mapping[str, Any]) -> str:
    return html.unescape(str(line["text"]).split("</b>")[0].removeprefix("<b>"))


def _line_states(line: Mapping[str, Any]) -> list[str]:
    """Every state on the line: its history when it has one, else the state in its top label."""
    history = str(line.get("bottomLabel", "")).split(" · ")[0]
    if " → " in history:
        return [step.split()[0] for step in history.split(" → ")]
    return [str(line["topLabel"]).split(" · ")[0]]
