"""A storm's notifications as one digest card, and later changes as one reply in its thread (pure).

When more notifications wait for a space than its write budget lets through one by one, the space
gets one message instead: how many alarms changed state (by state), then one line per alarm, worst
state first: its state icon and word, the time of the change, where it lives (account, region), its
name, a short reason, and every transition the digest has shown for it ("ALARM 10:02:03 → OK
10:05:10"). Each open alarm's line keeps what its own card would offer (Acknowledge, Mute here,
Open in CloudWatch) in an overflow menu, so one widget stays one line. The card is cut to Chat's
limits (100 widgets, 32,000 bytes) with "and N more", pointing at ``status``.

A digest's later changes are announced by :func:`render_digest_update` in the digest's thread:
the same lines, for the alarms that changed, without buttons (a click there would name the reply,
not the digest).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.card_facts import Acknowledgement
from alarm_bot.alarms.model import Alarm, AlarmState, Notification
from alarm_bot.alarms.render_limits import MESSAGE_BYTES_LIMIT, WIDGET_LIMIT, fit_message, message_bytes
from alarm_bot.alarms.render_widgets import STATE_STYLE, console_url, header, more_row, one_line, section
from alarm_bot.chat.buttons import ACKNOWLEDGE, ALARM_PARAMETER, DURATION_PARAMETER, MUTE, ButtonTarget
from alarm_bot.timefmt import format_clock

Message = dict[str, Any]
MAX_LINES = 50
REASON_CHARS = 120
_WORST_FIRST = {AlarmState.ALARM: 0, AlarmState.INSUFFICIENT_DATA: 1, None: 2, AlarmState.OK: 3}
_GENERIC_ICON = "notifications"


@dataclass(frozen=True)
class DigestRow:
    """One line: the latest notification shown on it and what the space knows about it."""

    notification: Notification
    history: tuple[tuple[str, float], ...] = ()  # (state, change time) of each transition shown
    late: bool = False
    acknowledgements: tuple[Acknowledgement, ...] = ()
    muted_until: int | None = None

    @property
    def state(self) -> AlarmState | None:
        return self.notification.state if isinstance(self.notification, Alarm) else None

    @property
    def at(self) -> float:
        return self.history[-1][1] if self.history else 0.0


def render_digest(
    rows: Sequence[DigestRow], *, locale: str, time_zone: str, target: ButtonTarget | None, now: float
) -> Message:
    """The digest card for ``rows``; ``target`` addresses the buttons (``None``: no buttons)."""
    return render_digest_lines(rows, locale=locale, time_zone=time_zone, target=target, now=now)[0]


def render_digest_lines(
    rows: Sequence[DigestRow], *, locale: str, time_zone: str, target: ButtonTarget | None, now: float
) -> tuple[Message, list[DigestRow]]:
    """The digest card, and the rows it shows: as many as fit, worst first (the rest: "and N more")."""
    t = AlarmText(locale)
    ordered = sorted(rows, key=lambda row: (_WORST_FIRST[row.state], row.at))
    shown = min(len(ordered), MAX_LINES)
    while True:
        message = _digest(ordered, shown, t, time_zone=time_zone, target=target, now=now)
        if shown <= 1 or _fits(message):
            return fit_message(message, more_row(t)), ordered[:shown]
        shown = max(1, shown - max(1, shown // 8))


def render_digest_update(rows: Sequence[DigestRow], *, locale: str, time_zone: str, now: float) -> Message:
    """The reply in a digest's thread announcing what changed since it was posted or last updated."""
    t = AlarmText(locale)
    ordered = sorted(rows, key=lambda row: (_WORST_FIRST[row.state], row.at))
    shown = min(len(ordered), MAX_LINES)
    while True:
        lines = [_line(row, t, time_zone, None, now) for row in ordered[:shown]]
        widgets = [widget for line in lines for widget in line]
        if shown < len(ordered):
            widgets.append(_more(t, len(ordered) - shown))
        card = {
            "header": {"title": t("digest_update_title", count=len(ordered))},
            "sections": [section(widgets)],
        }
        message = {
            "text": t("digest_update_line", parts=_counts(ordered, t)),
            "cardsV2": [{"cardId": "digest-update", "card": card}],
        }
        if shown <= 1 or _fits(message):
            return fit_message(message, more_row(t))
        shown = max(1, shown - max(1, shown // 8))


def _digest(
    rows: Sequence[DigestRow],
    shown: int,
    t: AlarmText,
    *,
    time_zone: str,
    target: ButtonTarget | None,
    now: float,
) -> Message:
    widgets = [widget for row in rows[:shown] for widget in _line(row, t, time_zone, target, now)]
    if shown < len(rows):
        widgets.append(_more(t, len(rows) - shown))
    alarms = sum(1 for row in rows if row.state is not None)
    title = t("digest_title", count=alarms) if alarms else t("digest_title_other", count=len(rows))
    times = [row.at for row in rows if row.at]
    span = (
        t(
            "digest_between",
            start=format_clock(min(times), time_zone, now, with_seconds=True),
            end=format_clock(max(times), time_zone, now, with_seconds=True),
        )
        if times
        else None
    )
    card = {"header": header(title, _counts(rows, t), span), "sections": [section(widgets)]}
    line = (
        t("digest_line", count=alarms, parts=_counts(rows, t))
        if alarms
        else t("digest_line_other", count=len(rows))
    )
    return {"text": line, "cardsV2": [{"cardId": "digest", "card": card}]}


def _line(
    row: DigestRow, t: AlarmText, time_zone: str, target: ButtonTarget | None, now: float
) -> list[dict[str, Any]]:
    """The line's widgets: one decoratedText (plus a button row for an add-on's open alarms)."""
    notification = row.notification
    state = row.state
    when = format_clock(row.at, time_zone, now, with_seconds=True) if row.at else ""
    word = t(f"state_{state.value.lower()}") if state is not None else ""
    top = " · ".join(part for part in (word, when, notification.account, notification.region) if part)
    name = notification.name if isinstance(notification, Alarm) else notification.title
    reason = notification.reason if isinstance(notification, Alarm) else (notification.text or "")
    markup = f"<b>{html.escape(name or t('unnamed_alarm'))}</b>"
    if reason.strip():
        markup += " — " + html.escape(one_line(reason, REASON_CHARS))
    decorated: dict[str, Any] = {
        "startIcon": {"materialIcon": {"name": STATE_STYLE[state][0] if state else _GENERIC_ICON}},
        "topLabel": top,
        "text": markup,
        "wrapText": True,
    }
    bottom = _bottom(row, t, time_zone, now)
    if bottom:
        decorated["bottomLabel"] = bottom
    widgets: list[dict[str, Any]] = [{"decoratedText": decorated}]
    if not isinstance(notification, Alarm):
        return widgets
    link = (
        {"openLink": {"url": console_url(notification.region, notification.name)}}
        if notification.region and notification.name
        else None
    )
    menu = state is not AlarmState.OK and target is not None
    if menu and target is not None and target.endpoint_url is None:
        items = _actions(notification.key, target, t)
        if link is not None:
            items.append({"text": t("open_console"), "onClick": link})
        decorated["button"] = {
            "icon": {"materialIcon": {"name": "more_vert"}},
            "altText": t("button_actions"),
            "onClick": {"overflowMenu": {"items": items}},
        }
        return widgets
    if link is not None:
        decorated["button"] = {
            "icon": {"materialIcon": {"name": "open_in_new"}},
            "altText": t("open_console"),
            "onClick": link,
        }
    if menu and target is not None:  # an add-on: no overflow menus there, a button row instead
        widgets.append({"buttonList": {"buttons": _actions(notification.key, target, t)}})
    return widgets


def _actions(alarm_key: str, target: ButtonTarget, t: AlarmText) -> list[dict[str, Any]]:
    alarm = {ALARM_PARAMETER: alarm_key}
    return [
        {"text": t("button_acknowledge"), "onClick": target.on_click(ACKNOWLEDGE, alarm)},
        {"text": t("button_mute_1h"), "onClick": target.on_click(MUTE, {**alarm, DURATION_PARAMETER: "1h"})},
        {"text": t("button_mute_1d"), "onClick": target.on_click(MUTE, {**alarm, DURATION_PARAMETER: "1d"})},
    ]


def _bottom(row: DigestRow, t: AlarmText, time_zone: str, now: float) -> str:
    parts = []
    if len(row.history) > 1:
        parts.append(
            " → ".join(
                f"{_state_word(t, state)} {format_clock(at, time_zone, now, with_seconds=True)}"
                for state, at in row.history
            )
        )
    if row.late:
        parts.append(t("late_marker"))
    if row.acknowledgements:
        people = ", ".join(
            t("ack_person", name=ack.name or t("someone"), time=format_clock(ack.at, time_zone, now))
            for ack in row.acknowledgements[:3]
        )
        parts.append(t("acknowledged_by", people=people))
    if row.muted_until is not None and row.muted_until > now:
        parts.append(t("muted_here_until", until=format_clock(row.muted_until, time_zone, now)))
    return " · ".join(parts)


def _state_word(t: AlarmText, state: str) -> str:
    return t(f"state_{state.lower()}") if state in AlarmState.__members__ else state


def _counts(rows: Sequence[DigestRow], t: AlarmText) -> str:
    by_state = Counter(row.state for row in rows)
    parts = [
        f"{by_state[state]} {t(f'state_{state.value.lower()}')}"
        for state in (AlarmState.ALARM, AlarmState.INSUFFICIENT_DATA, AlarmState.OK)
        if by_state[state]
    ]
    if by_state[None]:
        parts.append(t("digest_other", count=by_state[None]))
    return ", ".join(parts)


def _more(t: AlarmText, count: int) -> dict[str, Any]:
    return {"textParagraph": {"text": html.escape(t("digest_more", count=count))}}


def _fits(message: Message) -> bool:
    widgets = sum(len(s.get("widgets", [])) for c in message["cardsV2"] for s in c["card"]["sections"])
    return widgets <= WIDGET_LIMIT and message_bytes(message) <= MESSAGE_BYTES_LIMIT
