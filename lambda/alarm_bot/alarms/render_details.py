"""The "what is measured" section of an alarm card, one builder per kind of alarm.

A person on call wants the condition in words ("> 80 for 3 of 3 periods of 5 min") rather than
CloudWatch's operator names, and the dimensions that say which resource is affected.
"""

from __future__ import annotations

import html

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.model import Alarm, AlarmKind, Metric, MetricQuery
from alarm_bot.alarms.parse_values import format_number
from alarm_bot.alarms.render_widgets import (
    STATE_STYLE,
    Section,
    capped,
    dot_joined,
    html_row,
    more_row,
    row,
    section,
    state_word,
)
from alarm_bot.chat_message import CardWidget

MAX_DIMENSION_ROWS = 10
MAX_QUERY_ROWS = 10
MAX_CHILD_ROWS = 15
_SYMBOLS = {
    "GreaterThanOrEqualToThreshold": "≥",
    "GreaterThanThreshold": ">",
    "LessThanThreshold": "<",
    "LessThanOrEqualToThreshold": "≤",
}
_BANDS = {
    "LessThanLowerOrGreaterThanUpperThreshold": "band_outside",
    "GreaterThanUpperThreshold": "band_above",
    "LessThanLowerThreshold": "band_below",
}


def detail_section(alarm: Alarm, t: AlarmText) -> Section | None:
    if alarm.kind is AlarmKind.COMPOSITE:
        return _composite(alarm, t)
    if alarm.kind is AlarmKind.ANOMALY:
        return _anomaly(alarm, t)
    if alarm.kind is AlarmKind.MATH:
        return _math(alarm, t)
    if alarm.metric is not None:
        return _metric(alarm, alarm.metric, t)
    return None


def _metric(alarm: Alarm, metric: Metric, t: AlarmText) -> Section:
    rows = _optional_row(t("label_metric"), dot_joined(metric.namespace, metric.name))
    rows += _optional_row(t("label_statistic"), dot_joined(metric.statistic, _duration(metric.period, t)))
    rows += _condition_rows(alarm, t)
    dimensions = [row(name, value) for name, value in metric.dimensions]
    rows += capped(dimensions, MAX_DIMENSION_ROWS, more_row(t))
    return section(rows, t("header_metric"))


def _math(alarm: Alarm, t: AlarmText) -> Section:
    queries = [_query_row(query, t) for query in alarm.queries]
    rows = capped(queries, MAX_QUERY_ROWS, more_row(t)) + _condition_rows(alarm, t)
    return section(rows, t("header_math"))


def _anomaly(alarm: Alarm, t: AlarmText) -> Section:
    band = next((query for query in alarm.queries if query.id == alarm.threshold_metric_id), None)
    band_text = f"{band.id}: {band.expression}" if band and band.expression else alarm.threshold_metric_id
    rows = _optional_row(t("label_band"), band_text) + _condition_rows(alarm, t)
    others = [_query_row(query, t) for query in alarm.queries if query is not band]
    rows += capped(others, MAX_QUERY_ROWS, more_row(t))
    return section(rows, t("header_anomaly"))


def _composite(alarm: Alarm, t: AlarmText) -> Section:
    rows = _optional_row(t("label_rule"), alarm.alarm_rule)
    children = []
    for child in alarm.children:
        markup = html.escape(child.name)
        if child.state is not None:
            colour = STATE_STYLE[child.state][1]
            markup += f' · <font color="{colour}">{html.escape(state_word(t, child.state))}</font>'
        children.append(html_row(t("label_triggering"), markup))
    rows += capped(children, MAX_CHILD_ROWS, more_row(t))
    return section(rows, t("header_composite"))


def _query_row(query: MetricQuery, t: AlarmText) -> CardWidget:
    label = dot_joined(query.id, query.label)
    if query.return_data:
        label = t("query_evaluated", query=label)
    return row(label, query.expression or _describe_metric(query.metric, t) or "—")


def _describe_metric(metric: Metric | None, t: AlarmText) -> str:
    if metric is None:
        return ""
    dimensions = ", ".join(f"{name}={value}" for name, value in metric.dimensions)
    return dot_joined(
        metric.namespace, metric.name, metric.statistic, _duration(metric.period, t), dimensions
    )


def _condition_rows(alarm: Alarm, t: AlarmText) -> list[CardWidget]:
    rows = []
    condition = condition_phrase(alarm, t)
    if condition:
        rows.append(row(t("label_condition"), condition))
    elif alarm.threshold is not None:
        rows.append(row(t("label_threshold"), format_number(alarm.threshold) + _unit(alarm)))
    return rows + _optional_row(t("label_missing_data"), alarm.treat_missing_data)


def condition_phrase(alarm: Alarm, t: AlarmText) -> str | None:
    """``> 80 for 3 of 3 periods of 5 min``; ``None`` when the operator is unknown."""
    test = _test(alarm, t)
    if test is None or not alarm.evaluation_periods:
        return test
    params = {
        "test": test,
        "datapoints": alarm.datapoints_to_alarm or alarm.evaluation_periods,
        "periods": alarm.evaluation_periods,
    }
    period = _duration(_alarm_period(alarm), t)
    return t("condition_with_period", period=period, **params) if period else t("condition", **params)


def _test(alarm: Alarm, t: AlarmText) -> str | None:
    if alarm.comparison in _BANDS:
        return t(_BANDS[alarm.comparison])
    if alarm.comparison is None or alarm.threshold is None:
        return None
    symbol = _SYMBOLS.get(alarm.comparison, alarm.comparison)
    return f"{symbol} {format_number(alarm.threshold)}{_unit(alarm)}"


def _unit(alarm: Alarm) -> str:
    unit = alarm.metric.unit if alarm.metric else None
    if not unit or unit == "None":
        return ""
    return "%" if unit == "Percent" else f" {unit}"


def _alarm_period(alarm: Alarm) -> int | None:
    """A metric alarm's own period; for math alarms, that of the evaluated (or first) query."""
    if alarm.metric is not None:
        return alarm.metric.period
    ordered = sorted(alarm.queries, key=lambda query: not query.return_data)
    return next((query.metric.period for query in ordered if query.metric and query.metric.period), None)


def _duration(seconds: int | None, t: AlarmText) -> str | None:
    if not seconds or seconds < 0:
        return None
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds % size == 0:
            return t(f"duration_{unit}", count=seconds // size)
    return t("duration_seconds", count=seconds)


def _optional_row(label: str, value: str | None) -> list[CardWidget]:
    return [row(label, value)] if value else []
