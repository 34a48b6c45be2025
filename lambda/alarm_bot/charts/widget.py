"""The MetricWidget JSON that asks CloudWatch for a picture of an alarm's state change.

A person on call wants to see, on the card, whether the metric crossed its line a minute ago after
hours of calm, or has been creeping up all day. So the chart is pinned to the moment of the change
(not "now", which would move with a late delivery): the ``hours`` before it, the threshold as a
horizontal line, the change as a vertical one. ``OK`` and ``INSUFFICIENT_DATA`` charts are built the
same way; the data before an OK change already shows the recovery.

Choices, and why:

* **Window.** ``start`` is the change minus ``hours`` (widened to at least ten periods, so an
  hourly metric is not a single dot); ``end`` is a twelfth of the window after the change, so the
  vertical line and its label do not sit on the right edge, and the empty strip after it reads as
  "nothing since". When the window holds more points than CloudWatch draws (1,440), the period
  grows to the next whole minute that fits.
* **Time zone.** CloudWatch takes a fixed offset (``+0900``), not a zone name, so the configured
  IANA zone becomes its offset *at the change*: the axis then agrees with the card's timestamp,
  even when the window spans a daylight-saving switch.
* **Size.** 480 x 300 px. Chat draws an image as wide as the card, about 330 px on a phone; a larger
  image would shrink CloudWatch's fixed-size text below legibility, a smaller one blurs on desktop.
  The legend sits below the graph, where it does not narrow the plot.
* **Title.** The alarm's name, cut to about 60 columns (a Korean character counts as two), which
  is what fits across 480 px.

Pure: no clock, no I/O. ``None`` when there is nothing to draw: composite alarms, alarms without a
metric or change time, values CloudWatch would refuse, or a request over its 100 KB limit.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.alarms.parse_values import format_number
from alarm_bot.alarms.render_widgets import STATE_STYLE
from alarm_bot.charts.chart_text import ChartText
from alarm_bot.charts.widget_series import Series, bounded_label, chart_series
from alarm_bot.timefmt import zone

WIDTH = 480
HEIGHT = 300
MAX_HOURS = 24
MIN_POINTS = 10
MAX_POINTS = 1440
DEFAULT_PERIOD = 300  # CloudWatch's own default when the alarm's period is unknown
MAX_TITLE_COLUMNS = 60
MAX_WIDGET_BYTES = 100_000  # GetMetricWidgetImage's payload limit
_ABOVE = {"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": "≥"}
_BELOW = {"LessThanThreshold": "<", "LessThanOrEqualToThreshold": "≤"}

MetricWidget = dict[str, Any]  # CloudWatch's MetricWidget JSON (GetMetricWidgetImage), or a part of it


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    period: int


def chart_widget(
    alarm: Alarm, *, hours: int = 3, time_zone: str = "UTC", locale: str = "en"
) -> MetricWidget | None:
    """The ``MetricWidget`` for ``alarm`` (``json.dumps`` it for the API), or ``None``.

    Raises ``ValueError`` for ``hours`` outside 1 to 24 and an unknown ``time_zone``: both are the
    caller's configuration, which settings validate, not the alarm's.
    """
    if not 1 <= hours <= MAX_HOURS:
        raise ValueError(f"hours must be from 1 to {MAX_HOURS}")
    _check_zone(time_zone)
    series = chart_series(alarm)
    if alarm.changed_at is None or series is None:
        return None
    changed_at = alarm.changed_at if alarm.changed_at.tzinfo else alarm.changed_at.replace(tzinfo=UTC)
    text = ChartText(locale)
    window = chart_window(changed_at, hours, series.period)
    widget: MetricWidget = {
        "title": chart_title(alarm.name or text("unnamed_alarm")),
        "view": "timeSeries",
        "stacked": False,
        "metrics": [list(row) for row in series.rows],
        **_defaults(series, window),
        "start": iso(window.start),
        "end": iso(window.end),
        "timezone": cloudwatch_offset(changed_at, time_zone),
        "width": WIDTH,
        "height": HEIGHT,
        "legend": {"position": "bottom"},
        "annotations": _annotations(alarm, changed_at, time_zone, text),
    }
    return widget if widget_bytes(widget) <= MAX_WIDGET_BYTES else None


def chart_window(changed_at: datetime, hours: int, period: int | None) -> Window:
    """``hours`` before the change (at least :data:`MIN_POINTS` periods), a twelfth after it."""
    base = period or DEFAULT_PERIOD
    span = max(hours * 3600, MIN_POINTS * base)
    shown = base if span / base <= MAX_POINTS else 60 * math.ceil(span / MAX_POINTS / 60)
    moment = changed_at.replace(microsecond=changed_at.microsecond // 1000 * 1000)
    return Window(moment - timedelta(seconds=span), moment + timedelta(seconds=span // 12), shown)


def cloudwatch_offset(moment: datetime, time_zone: str) -> str:
    """The zone's UTC offset at ``moment`` as CloudWatch writes it: ``+0900``, ``-0330``."""
    offset = moment.astimezone(zone(time_zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def chart_title(name: str) -> str:
    """At most :data:`MAX_TITLE_COLUMNS` columns, ending in "…" when cut; CJK characters take two."""
    if _columns(name) <= MAX_TITLE_COLUMNS:
        return name
    kept: list[str] = []
    used = 1  # the "…"
    for char in name:
        used += _columns(char)
        if used > MAX_TITLE_COLUMNS:
            break
        kept.append(char)
    return "".join(kept) + "…"


def iso(moment: datetime) -> str:
    """UTC with milliseconds, the form CloudWatch's documentation uses: ``2026-03-14T05:20:03.000Z``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def widget_bytes(widget: MetricWidget) -> int:
    return len(json.dumps(widget, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def alt_text(alarm: Alarm, *, hours: int = 3, locale: str = "en") -> str:
    """What the image shows, for the card's image widget (read by screen readers)."""
    text = ChartText(locale)
    name = bounded_label(alarm.name or text("unnamed_alarm"))
    return text("alt_text", name=name, hours=hours, state=alarm.state.value)


def _defaults(series: Series, window: Window) -> MetricWidget:
    defaults: MetricWidget = {"period": window.period}
    if series.stat:
        defaults["stat"] = series.stat
    return defaults


def _annotations(alarm: Alarm, changed_at: datetime, time_zone: str, text: ChartText) -> MetricWidget:
    annotations: MetricWidget = {}
    threshold = _threshold_line(alarm, text)
    if threshold is not None:
        annotations["horizontal"] = [threshold]
    annotations["vertical"] = [_change_line(alarm.state, changed_at, time_zone, text)]
    return annotations


def _threshold_line(alarm: Alarm, text: ChartText) -> MetricWidget | None:
    """The static threshold, shaded on the side that alarms; none for anomaly bands."""
    if alarm.threshold is None or not math.isfinite(alarm.threshold):
        return None
    comparison = alarm.comparison or ""
    symbol = _ABOVE.get(comparison) or _BELOW.get(comparison)
    number = format_number(alarm.threshold)
    line: MetricWidget = {
        "label": text("threshold", test=f"{symbol} {number}" if symbol else number),
        "value": alarm.threshold,
        "color": STATE_STYLE[AlarmState.ALARM][1],
    }
    if symbol:
        line["fill"] = "above" if comparison in _ABOVE else "below"
    return line


def _change_line(state: AlarmState, changed_at: datetime, time_zone: str, text: ChartText) -> MetricWidget:
    clock = changed_at.astimezone(zone(time_zone)).strftime("%H:%M")
    return {
        "label": text("changed", state=state.value, time=clock),
        "value": iso(changed_at),
        "color": STATE_STYLE[state][1],
    }


def _check_zone(time_zone: str) -> None:
    try:
        zone(time_zone)
    except (KeyError, ValueError):  # ZoneInfoNotFoundError is a KeyError; "../x" a ValueError
        raise ValueError(f"unknown time zone {time_zone!r}") from None


def _columns(value: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in value)
