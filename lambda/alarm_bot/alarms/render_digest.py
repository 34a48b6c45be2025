"""A storm's notifications as digest messages, and later changes as one reply in a digest's thread (pure).

When more notifications wait for a space than its write budget lets through one by one, the space
gets a digest instead: how many alarms changed state (by state) and when, then one line per alarm,
worst state first (:mod:`~alarm_bot.alarms.digest_rows`), each with its account (by name) and
region. One Chat message holds about 25 lines
with their buttons (32,000 bytes, 100 widgets); a bigger storm is posted as several messages,
"(1/3)", "(2/3)"…, each counting its own lines, so that a message reads the same when it is edited
later. Lines that do not fit in the messages the budget allows are counted as "and N more" on the
last one (they come in the next digest).

A digest's later changes are announced by :func:`render_digest_update` in the digest's thread:
the same lines, for the alarms that changed, without buttons (a click there would name the reply,
not the digest).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.card_buttons import ButtonTarget
from alarm_bot.alarms.digest_rows import DigestRow, line_widgets, more_line, state_counts, worst_first
from alarm_bot.alarms.places import NO_NAMES, AccountNames
from alarm_bot.alarms.render_limits import MESSAGE_BYTES_LIMIT, WIDGET_LIMIT, fit_message, message_bytes
from alarm_bot.alarms.render_widgets import header, more_row, section
from alarm_bot.chat_message import CardWidget, ChatMessage
from alarm_bot.timefmt import format_clock

__all__ = ["DigestPart", "render_digest", "render_digest_parts", "render_digest_update"]

MAX_LINES = 50  # per message, however short: a longer card is not read
_SEPARATOR_BYTES = 2  # ", " between two widgets, as message_bytes measures


@dataclass(frozen=True)
class DigestPart:
    """One message of a digest and the rows it shows."""

    message: ChatMessage
    rows: tuple[DigestRow, ...]


@dataclass(frozen=True)
class _Style:
    t: AlarmText
    time_zone: str
    now: float
    names: AccountNames  # accounts by name on each line

    def lines(self, rows: Sequence[DigestRow], target: ButtonTarget | None) -> list[list[CardWidget]]:
        return [line_widgets(row, self.t, self.time_zone, target, self.now, names=self.names) for row in rows]


def render_digest_parts(
    rows: Sequence[DigestRow],
    *,
    locale: str,
    time_zone: str,
    target: ButtonTarget | None,
    now: float,
    max_parts: int,
    numbered_from: tuple[int, int] = (1, 0),
    account_names: AccountNames = NO_NAMES,
) -> list[DigestPart]:
    """The messages showing ``rows`` (at most ``max_parts``); ``target`` addresses the buttons."""
    style = _Style(AlarmText(locale), time_zone, now, account_names)
    ordered = worst_first(rows)
    widgets = style.lines(ordered, target)
    frame = message_bytes(
        _message(ordered, [], style, numbering=(99, 99), more=len(ordered), next_digest=True)
    )
    groups = _split(widgets, frame, max(max_parts, 1))
    shown = sum(groups)
    parts, start = [], 0
    for index, count in enumerate(groups, start=1):
        last = index == len(groups)
        message = _message(
            ordered[start : start + count],
            [widget for line in widgets[start : start + count] for widget in line],
            style,
            numbering=_numbering(index, len(groups), numbered_from),
            more=len(ordered) - shown if last else 0,
            next_digest=True,
        )
        parts.append(
            DigestPart(fit_message(message, more_row(style.t)), tuple(ordered[start : start + count]))
        )
        start += count
    return parts


def render_digest(
    rows: Sequence[DigestRow],
    *,
    locale: str,
    time_zone: str,
    target: ButtonTarget | None,
    now: float,
    part: int = 1,
    parts: int = 1,
    account_names: AccountNames = NO_NAMES,
) -> ChatMessage:
    """One posted digest message redrawn (an edit, a click): its lines, as many as fit."""
    style = _Style(AlarmText(locale), time_zone, now, account_names)
    ordered = worst_first(rows)
    widgets = style.lines(ordered, target)
    frame = message_bytes(_message(ordered, [], style, numbering=(part, parts), more=len(ordered)))
    count = _split(widgets, frame, 1)[0] if ordered else 0
    message = _message(
        ordered[:count],
        [widget for line in widgets[:count] for widget in line],
        style,
        numbering=(part, parts) if parts > 1 else None,
        more=len(ordered) - count,
    )
    return fit_message(message, more_row(style.t))


def render_digest_update(
    rows: Sequence[DigestRow],
    *,
    locale: str,
    time_zone: str,
    now: float,
    account_names: AccountNames = NO_NAMES,
) -> ChatMessage:
    """The reply in a digest's thread announcing what changed since it was posted or last updated."""
    style = _Style(AlarmText(locale), time_zone, now, account_names)
    t = style.t
    ordered = worst_first(rows)
    widgets = style.lines(ordered, None)

    def build(count: int) -> ChatMessage:
        shown = [widget for line in widgets[:count] for widget in line]
        if count < len(ordered):
            shown.append(more_line(t, "digest_more", len(ordered) - count))
        card = {
            "header": {"title": t("digest_update_title", count=len(ordered))},
            "sections": [section(shown)],
        }
        return {
            "text": t("digest_update_line", parts=state_counts(ordered, t)),
            "cardsV2": [{"cardId": "digest-update", "card": card}],
        }

    count = _split(widgets, message_bytes(build(0)) + 200, 1)[0] if ordered else 0
    return fit_message(build(count), more_row(t))


def _numbering(index: int, count: int, numbered_from: tuple[int, int]) -> tuple[int, int] | None:
    """ "(k/n)" for part ``index`` of ``count``; the rest of a digest keeps its place among all parts."""
    first, total = numbered_from
    total = total or count
    return (first + index - 1, total) if total > 1 else None


def _split(lines: Sequence[Sequence[CardWidget]], frame: int, max_parts: int) -> list[int]:
    """How many lines go in each message, in order: each within the limits once framed."""
    groups: list[int] = []
    count = size = widgets = 0
    for line in lines:
        line_size = sum(len(json.dumps(w, ensure_ascii=False).encode()) + _SEPARATOR_BYTES for w in line)
        full = (
            count >= MAX_LINES
            or frame + size + line_size > MESSAGE_BYTES_LIMIT
            or widgets + len(line) > WIDGET_LIMIT - 1  # one is left for "and N more"
        )
        if count and full:
            groups.append(count)
            if len(groups) == max_parts:
                return groups
            count = size = widgets = 0
        count, size, widgets = count + 1, size + line_size, widgets + len(line)
    groups.append(count)
    return groups


def _message(
    rows: Sequence[DigestRow],
    widgets: list[CardWidget],
    style: _Style,
    *,
    numbering: tuple[int, int] | None,
    more: int,
    next_digest: bool = False,
) -> ChatMessage:
    t = style.t
    if more:
        widgets = [*widgets, more_line(t, "digest_more_next" if next_digest else "digest_more", more)]
    alarms = sum(1 for row in rows if row.state is not None)
    title = t("digest_title", count=alarms) if alarms else t("digest_title_other", count=len(rows))
    line = (
        t("digest_line", count=alarms, parts=state_counts(rows, t))
        if alarms
        else t("digest_line_other", count=len(rows))
    )
    if numbering is not None:
        part, parts = numbering
        title = t("digest_part", title=title, part=part, parts=parts)
        line = t("digest_part", title=line, part=part, parts=parts)
    times = [row.at for row in rows if row.at]
    span = (
        t(
            "digest_between",
            start=format_clock(min(times), style.time_zone, style.now, with_seconds=True),
            end=format_clock(max(times), style.time_zone, style.now, with_seconds=True),
        )
        if times
        else None
    )
    card = {"header": header(title, state_counts(rows, t), span), "sections": [section(widgets)]}
    return {"text": line, "cardsV2": [{"cardId": "digest", "card": card}]}
