"""The ``status`` card: what this space receives, its options, and what is in ALARM right now.

The "in ALARM now" list answers the question people ask in threads ("is this still firing?")
without leaving Chat: each alarm with the time it started and a link to its console page. It is cut
to :data:`MAX_FIRING_ROWS` rows plus "and N more", and shortened further if the card would exceed
Chat's 32,000-byte limit (long alarm names make long console URLs). When CloudWatch's answer was
cut short by the lookup's deadline, the card shows what was read and says the list is incomplete.
Pure functions: no I/O.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from alarm_bot.alarms.firing import FiringAlarm
from alarm_bot.alarms.places import NO_NAMES, AccountNames
from alarm_bot.alarms.render_limits import MESSAGE_BYTES_LIMIT, message_bytes
from alarm_bot.alarms.render_widgets import console_url, paragraph
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat.reply_messages import card, receives_summary, reply_row, space_label
from alarm_bot.chat_message import CardWidget, ChatMessage
from alarm_bot.i18n import Translator
from alarm_bot.timefmt import format_epoch, format_iso

MAX_FIRING_ROWS = 20


@dataclass(frozen=True)
class Firing:
    """The alarms in ALARM that this space receives; ``available=False`` when CloudWatch failed,
    ``complete=False`` when its answer was cut short by the lookup's deadline."""

    alarms: tuple[FiringAlarm, ...] = ()
    available: bool = True
    complete: bool = True


def status_message(
    t: Translator,
    record: SpaceRecord,
    now: float,
    time_zone: str,
    firing: Firing | None = None,
    *,
    account_names: AccountNames = NO_NAMES,
) -> ChatMessage:
    """The status card; ``firing=None`` leaves out the "in ALARM now" section."""
    shown = MAX_FIRING_ROWS
    while True:
        message = _status(t, record, now, time_zone, firing=firing, shown=shown, names=account_names)
        if shown == 0 or message_bytes(message) <= MESSAGE_BYTES_LIMIT:
            return message
        shown //= 2


def _status(
    t: Translator,
    record: SpaceRecord,
    now: float,
    time_zone: str,
    *,
    firing: Firing | None,
    shown: int,
    names: AccountNames,
) -> ChatMessage:
    receives = receives_summary(t, record, names)
    mute = _mute(t, record, now, time_zone)
    mention = t("status_mention_on" if record.mention else "status_mention_off")
    rows = [
        reply_row(t("status_receives"), receives),
        reply_row(t("status_mute"), mute),
        reply_row(t("status_mention"), mention),
    ]
    if record.added_at:
        added = format_iso(record.added_at, time_zone)
        rows.append(
            reply_row(t("status_added"), t("status_added_by", when=added, who=record.added_by or "?"))
        )
    header = t("status_header", space=space_label(record.display_name, record.space))
    text = f"{header}: {receives}; {mute}"
    sections: list[dict[str, Any]] = [{"widgets": rows}]
    if firing is not None:
        sections.append(_firing_section(t, firing, time_zone, shown))
        summary = _firing_summary(t, firing)
        if summary:
            text += "; " + summary
    return {"text": text, "cardsV2": [card("status", t, header, sections)]}


def _mute(t: Translator, record: SpaceRecord, now: float, time_zone: str) -> str:
    mute = (
        t("status_muted_until", until=format_epoch(record.muted_until, time_zone))
        if record.muted_until is not None and record.is_muted(now)
        else t("status_not_muted")
    )
    muted_alarms = sum(1 for key in record.alarm_mutes if record.alarm_muted_until(key, now) is not None)
    return f"{mute}; {t('status_alarm_mutes', count=muted_alarms)}" if muted_alarms else mute


def _firing_summary(t: Translator, firing: Firing) -> str | None:
    """The text line's count: exact, a lower bound for a cut list, nothing if there is none."""
    if not firing.available or (not firing.complete and not firing.alarms):
        return None
    key = "status_firing_summary" if firing.complete else "status_firing_summary_partial"
    return t(key, count=len(firing.alarms))


def _firing_header(t: Translator, firing: Firing) -> str:
    if not firing.available or (not firing.complete and not firing.alarms):
        return t("status_firing_header", count="?")
    key = "status_firing_header" if firing.complete else "status_firing_header_partial"
    return t(key, count=len(firing.alarms))


def _firing_section(t: Translator, firing: Firing, time_zone: str, shown: int) -> dict[str, Any]:
    header = _firing_header(t, firing)
    if not firing.available:
        return {"header": header, "widgets": [paragraph(t("status_firing_unavailable"))]}
    widgets = [_firing_row(t, alarm, time_zone) for alarm in firing.alarms[:shown]]
    hidden = len(firing.alarms) - len(widgets)
    if hidden:
        widgets.append(paragraph(t("status_firing_more", count=hidden)))
    if not firing.complete:
        widgets.append(paragraph(t("status_firing_incomplete")))
    elif not firing.alarms:
        widgets.append(paragraph(t("status_firing_none")))
    return {"header": header, "widgets": widgets}


def _firing_row(t: Translator, alarm: FiringAlarm, time_zone: str) -> CardWidget:
    decorated: dict[str, Any] = {"text": html.escape(alarm.name), "wrapText": True}
    if alarm.since is not None:
        decorated["topLabel"] = t("status_firing_since", when=format_epoch(alarm.since, time_zone))
    if alarm.region and alarm.name:
        link = {"openLink": {"url": console_url(alarm.region, alarm.name)}}
        decorated["button"] = {"text": t("status_firing_open"), "onClick": link}
    return {"decoratedText": decorated}
