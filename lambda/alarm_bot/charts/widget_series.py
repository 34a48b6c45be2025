"""The ``metrics`` array of a chart: the alarm's own metric, or its metric-math queries.

GetMetricWidgetImage takes one row per time series: a metric is ``[Namespace, MetricName,
DimensionName, DimensionValue, …, {rendering properties}]``, an expression is ``[{"expression": …,
"id": …}]``. A chart must draw what the alarm evaluates, so the rows repeat the alarm's statistic and
ids; for metric math every query is sent (expressions need their inputs) but only what the alarm
returns is visible, and an anomaly alarm shows its metric with its band.

Everything here came from a notification, which anyone allowed to publish to the topic can write.
It goes into JSON (no escaping problem), but a value CloudWatch would reject, or one long enough to
make the request huge, means no chart (``None``) rather than a failed or misleading one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from alarm_bot.alarms.model import Alarm, AlarmKind, Metric, MetricQuery

MAX_NAME_CHARS = 255  # CloudWatch's limit for a namespace, metric name and dimension name
MAX_DIMENSION_VALUE_CHARS = 1024
MAX_DIMENSIONS = 30
MAX_QUERIES = 20  # an alarm has at most 10; more is not an alarm CloudWatch sent
MAX_EXPRESSION_CHARS = 2048
MAX_STAT_CHARS = 64
MAX_LABEL_CHARS = 80  # a legend entry longer than that is unreadable on a phone anyway
_QUERY_ID = re.compile(r"[a-z][a-zA-Z0-9_]{0,254}")
_HIGH_RESOLUTION_PERIODS = (1, 5, 10, 30)

Row = list[Any]


@dataclass(frozen=True)
class Series:
    """The rows to draw, and the alarm's period and statistic (``None`` when unknown)."""

    rows: tuple[Row, ...]
    period: int | None
    stat: str | None


class Unchartable(ValueError):
    """A value CloudWatch would refuse or that is too large to send."""


def chart_series(alarm: Alarm) -> Series | None:
    """What to draw for ``alarm``; ``None`` for composite alarms, no metric or unusable values."""
    if alarm.kind is AlarmKind.COMPOSITE:
        return None
    try:
        if alarm.queries:
            return _query_series(alarm)
        if alarm.metric is not None:
            return _metric_series(alarm.metric)
    except Unchartable:
        return None
    return None


def valid_period(seconds: int | None) -> int | None:
    """A period CloudWatch graphs (1, 5, 10, 30 or a multiple of 60 seconds), else ``None``."""
    if seconds is None or seconds <= 0:
        return None
    return seconds if seconds in _HIGH_RESOLUTION_PERIODS or seconds % 60 == 0 else None


def _metric_series(metric: Metric) -> Series:
    properties: dict[str, Any] = {}
    stat = _stat(metric.statistic)
    if stat:
        properties["stat"] = stat
    return Series((_metric_row(metric, properties),), valid_period(metric.period), stat)


def _query_series(alarm: Alarm) -> Series:
    if len(alarm.queries) > MAX_QUERIES:
        raise Unchartable("too many queries")
    everything_visible = alarm.kind is AlarmKind.ANOMALY
    rows = tuple(_query_row(query, everything_visible or query.return_data) for query in alarm.queries)
    if not any(row[-1].get("visible", True) for row in rows):
        raise Unchartable("nothing is returned")
    primary = _primary_metric(alarm.queries)
    period = valid_period(primary.period) if primary else None
    return Series(rows, period, _stat(primary.statistic) if primary else None)


def _query_row(query: MetricQuery, visible: bool) -> Row:
    if not _QUERY_ID.fullmatch(query.id):
        raise Unchartable("query id")
    properties: dict[str, Any] = {"id": query.id}
    if query.label:
        properties["label"] = bounded_label(query.label)
    if not visible:
        properties["visible"] = False
    if query.expression is not None:
        return [{"expression": _expression(query.expression), **properties}]
    if query.metric is None:
        raise Unchartable("a query with neither metric nor expression")
    stat = _stat(query.metric.statistic)
    if stat:
        properties["stat"] = stat
    return _metric_row(query.metric, properties)


def _metric_row(metric: Metric, properties: dict[str, Any]) -> Row:
    if not metric.namespace or not metric.name:
        raise Unchartable("metric without namespace or name")
    if len(metric.dimensions) > MAX_DIMENSIONS:
        raise Unchartable("too many dimensions")
    row: Row = [_name(metric.namespace), _name(metric.name)]
    for name, value in metric.dimensions:
        row += [_name(name), _bounded(value, MAX_DIMENSION_VALUE_CHARS)]
    row.append(properties)
    return row


def _primary_metric(queries: tuple[MetricQuery, ...]) -> Metric | None:
    """The metric whose period and statistic describe the alarm: returned queries first."""
    ordered = sorted(queries, key=lambda query: not query.return_data)
    return next((query.metric for query in ordered if query.metric is not None), None)


def bounded_label(label: str) -> str:
    """A legend label cut to :data:`MAX_LABEL_CHARS` (with "…"); labels are only read, not used."""
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _stat(statistic: str | None) -> str | None:
    if statistic is None or not statistic.strip():
        return None
    return _bounded(statistic, MAX_STAT_CHARS)


def _expression(expression: str) -> str:
    if not expression.strip():
        raise Unchartable("empty expression")
    return _bounded(expression, MAX_EXPRESSION_CHARS)


def _name(value: str) -> str:
    return _bounded(value, MAX_NAME_CHARS)


def _bounded(value: str, limit: int) -> str:
    """Names, values and expressions mean something: cutting them would draw another metric."""
    if len(value) > limit:
        raise Unchartable("value too long")
    return value
