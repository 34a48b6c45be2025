"""One line of a digest per alarm: what it says, and the buttons an open alarm keeps (pure).

A line is one ``decoratedText``: the state icon, "ALARM · 10:02:03 · account · region" on top (the
account by its name from ``ACCOUNT_NAMES``; on every line, so a line read alone still says where),
the name and a short reason, every transition the digest has shown for it below ("ALARM 10:02:03 →
OK 10:05:10"), with acknowledgements and a mute. An open alarm's line keeps what its own card would
offer (Acknowledge, Mute here, Open in CloudWatch) in an overflow menu, so one widget stays one line;
a Workspace add-on has no overflow menus, so there the actions are a button row under the line.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.card_buttons import ButtonTarget
from alarm_bot.alarms.card_drawing import alarm_actions
from alarm_bot.alarms.card_facts import Acknowledgement
from alarm_bot.alarms.model import Alarm, AlarmState, Notification
from alarm_bot.alarms.places import NO_NAMES, AccountNames, account_label
from alarm_bot.alarms.render_widgets import STATE_STYLE, console_url, one_line
from alarm_bot.timefmt import format_clock

REASON_CHARS = 120
WORST_FIRST = {AlarmState.ALARM: 0, AlarmState.INSUFFICIENT_DATA: 1, None: 2, AlarmState.OK: 3}
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


def line_widgets(
    row: DigestRow,
    t: AlarmText,
    time_zone: str,
    target: ButtonTarget | None,
    now: float,
    *,
    names: AccountNames = NO_NAMES,
) -> list[dict[str, Any]]:
    """The line's widgets: one decoratedText (plus a button row for an add-on's open alarms)."""
    notification = row.notification
    state = row.state
    when = format_clock(row.at, time_zone, now, with_seconds=True) if row.at else ""
    word = t(f"state_{state.value.lower()}") if state is not None else ""
    where = (account_label(notification.account, names), notification.region)
    top = " · ".join(part for part in (word, when, *where) if part)
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
    # A late line is the record of an older change: nothing to acknowledge or mute on it.
    menu = state is not AlarmState.OK and target is not None and not row.late
    if menu and target is not None and target.endpoint_url is None:
        items = alarm_actions(notification.key, target, t)
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
        widgets.append({"buttonList": {"buttons": alarm_actions(notification.key, target, t)}})
    return widgets


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


def state_counts(rows: Sequence[DigestRow], t: AlarmText) -> str:
    by_state = Counter(row.state for row in rows)
    parts = [
        f"{by_state[state]} {t(f'state_{state.value.lower()}')}"
        for state in (AlarmState.ALARM, AlarmState.INSUFFICIENT_DATA, AlarmState.OK)
        if by_state[state]
    ]
    if by_state[None]:
        parts.append(t("digest_other", count=by_state[None]))
    return ", ".join(parts)


def more_line(t: AlarmText, key: str, count: int) -> dict[str, Any]:
    """The "and N more" paragraph (``key``: where to find them)."""
    return {"textParagraph": {"text": html.escape(t(key, count=count))}}


def worst_first(rows: Sequence[DigestRow]) -> list[DigestRow]:
    """ALARM, then INSUFFICIENT_DATA, other notifications, OK; earliest change first within each."""
    return sorted(rows, key=lambda row: (WORST_FIRST[row.state], row.at))
