"""A notification as the Google Chat API ``Message`` the bot posts (pure, no I/O).

One card per alarm: the header names the alarm and where it lives (account · region, the account
by its name from ``ACCOUNT_NAMES``), the first section says what happened (state in colour, reason,
when, description, and the account's id next to its name for a console sign-in), the next one what
is measured, and a button opens the alarm in the CloudWatch console of the alarm's own region.
``text`` is a one-line summary: it is what phone notifications and screen readers show.

Threading (``thread``, ``requestId``) is left to delivery, which knows the space; the ``cardId``
is derived from the transition so the same notification always renders the same card.
"""

from __future__ import annotations

from zoneinfo import ZoneInfoNotFoundError

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.model import Alarm, GenericNotification, Notification
from alarm_bot.alarms.places import NO_NAMES, AccountNames, account_detail, account_label
from alarm_bot.alarms.render_details import detail_section
from alarm_bot.alarms.render_limits import fit_message
from alarm_bot.alarms.render_widgets import (
    STATE_STYLE,
    Section,
    console_url,
    dot_joined,
    header,
    html_row,
    link_button_section,
    more_row,
    one_line,
    paragraph,
    row,
    section,
    state_markup,
    state_word,
)
from alarm_bot.chat_message import CardWidget, ChatMessage
from alarm_bot.literal import literal
from alarm_bot.timefmt import format_epoch, zone

__all__ = ["render_late_note", "render_message"]

LINE_DETAIL_CHARS = 300  # enough for a CloudWatch reason's first sentence on a phone


def render_message(
    notification: Notification, *, locale: str, time_zone: str, account_names: AccountNames = NO_NAMES
) -> ChatMessage:
    """The Chat message for one notification, always within Chat's size limits."""
    t = AlarmText(locale)
    zone_name = _usable_zone(time_zone)
    if isinstance(notification, Alarm):
        message = _alarm_message(notification, t, zone_name, account_names)
    else:
        message = _generic_message(notification, t, zone_name, account_names)
    return fit_message(message, more_row(t))


def _alarm_message(alarm: Alarm, t: AlarmText, time_zone: str, names: AccountNames) -> ChatMessage:
    name = alarm.name or t("unnamed_alarm")
    rows = _summary_rows(alarm, t, time_zone)
    place = dot_joined(account_detail(alarm.account, names), alarm.region)
    if place:
        rows.append(row(t("label_place"), place))
    sections = [section(rows)]
    details = detail_section(alarm, t)
    if details is not None:
        sections.append(details)
    if alarm.region and alarm.name:
        sections.append(link_button_section(t("open_console"), console_url(alarm.region, alarm.name)))
    card = {"header": header(name, account_label(alarm.account, names), alarm.region), "sections": sections}
    return {
        "text": _alarm_line(alarm, name, t),
        "cardsV2": [{"cardId": f"alarm-{alarm.transition_id[:20]}", "card": card}],
    }


def _summary_rows(alarm: Alarm, t: AlarmText, time_zone: str) -> list[CardWidget]:
    previous = (
        t("previous_state", state=state_word(t, alarm.previous_state)) if alarm.previous_state else None
    )
    rows = [
        html_row(
            t("label_state"),
            state_markup(alarm.state, state_word(t, alarm.state)),
            bottom=previous,
            icon=STATE_STYLE[alarm.state][0],
        )
    ]
    if alarm.reason.strip():
        rows.append(row(t("label_reason"), alarm.reason))
    if alarm.changed_at is not None:
        rows.append(row(t("label_changed_at"), format_epoch(alarm.changed_at.timestamp(), time_zone)))
    if alarm.description:
        rows.append(row(t("label_description"), alarm.description))
    return rows


def _alarm_line(alarm: Alarm, name: str, t: AlarmText) -> str:
    line = t(f"line_{alarm.state.value.lower()}", name=literal(one_line(name, LINE_DETAIL_CHARS)))
    reason = literal(one_line(alarm.reason, LINE_DETAIL_CHARS))
    return f"{line} — {reason}" if reason else line


def _generic_message(
    notification: GenericNotification, t: AlarmText, time_zone: str, names: AccountNames
) -> ChatMessage:
    title = notification.title or t("generic_title")
    rows: list[CardWidget] = [paragraph(notification.text)] if notification.text else []
    if notification.severity:
        rows.append(row(t("label_severity"), notification.severity))
    if notification.time is not None:
        rows.append(row(t("label_time"), format_epoch(notification.time.timestamp(), time_zone)))
    rows += [row(key, value) for key, value in notification.facts]
    sections: list[Section] = [section(rows or [paragraph(title)])]
    subtitle = (account_label(notification.account, names), notification.region)
    card = {"header": header(title, *subtitle), "sections": sections}
    return {
        "text": _generic_line(notification, title),
        "cardsV2": [{"cardId": f"notification-{notification.transition_id[:20]}", "card": card}],
    }


def _generic_line(notification: GenericNotification, title: str) -> str:
    summary = notification.text or next((value for key, value in notification.facts if key != "source"), "")
    detail = literal(one_line(summary, LINE_DETAIL_CHARS))
    title = literal(one_line(title, LINE_DETAIL_CHARS))
    return f"🔔 {title}: {detail}" if detail else f"🔔 {title}"


def _usable_zone(name: str) -> str:
    """A bad zone name must not cost an alarm: fall back to UTC (the CLI rejects it up front)."""
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return "UTC"
    return name


def render_late_note(alarm: Alarm, *, locale: str, time_zone: str) -> ChatMessage:
    """A transition older than what the space shows: said in the thread, nothing reopened or edited."""
    t = AlarmText(locale)
    when = format_epoch(alarm.changed_at.timestamp(), _usable_zone(time_zone)) if alarm.changed_at else "?"
    state = state_word(t, alarm.state)
    name = literal(one_line(alarm.name, LINE_DETAIL_CHARS)) or t("unnamed_alarm")
    return {"text": t("late_note", state=state, name=name, time=when)}
