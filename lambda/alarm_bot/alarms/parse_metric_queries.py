"""The ``Metrics[]`` of a metric math or anomaly alarm, in either of CloudWatch's spellings.

EventBridge events and the Lambda alarm action spell the entries camelCase, SNS messages PascalCase;
the structure is the same, so one reader takes the keys of either from a small table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from alarm_bot.alarms.model import Metric, MetricQuery
from alarm_bot.alarms.parse_values import integer, mapping, statistic, text

ANOMALY_FUNCTION = "ANOMALY_DETECTION_BAND"


@dataclass(frozen=True)
class QueryKeys:
    """How one spelling names the fields of a query entry and of its ``metricStat``.

    The defaults are EventBridge's camelCase keys.
    """

    id: str = "id"
    expression: str = "expression"
    label: str = "label"
    return_data: str = "returnData"
    metric_stat: str = "metricStat"
    metric: str = "metric"
    namespace: str = "namespace"
    metric_name: str = "name"
    stat: str = "stat"
    unit: str = "unit"
    period: str = "period"
    dimensions: str = "dimensions"


EVENTBRIDGE_QUERY_KEYS = QueryKeys()
# SNS spells the same keys with a capital letter first, and the metric's name "MetricName".
SNS_QUERY_KEYS = QueryKeys(
    "Id", "Expression", "Label", "ReturnData", "MetricStat", "Metric",
    "Namespace", "MetricName", "Stat", "Unit", "Period", "Dimensions",
)  # fmt: skip


def metric_queries(value: object, keys: QueryKeys) -> list[MetricQuery]:
    """Entries that are not objects are skipped; one without an id is named by its position."""
    if not isinstance(value, list):
        return []
    queries = []
    for position, entry in enumerate(value, start=1):
        if not isinstance(entry, Mapping):
            continue
        stat = mapping(entry.get(keys.metric_stat))
        queries.append(
            MetricQuery(
                id=text(entry.get(keys.id)) or f"q{position}",
                expression=text(entry.get(keys.expression)),
                label=text(entry.get(keys.label)),
                metric=_stat_metric(stat, keys) if stat else None,
                return_data=entry.get(keys.return_data) is True,
            )
        )
    return queries


def _stat_metric(stat: Mapping[str, Any], keys: QueryKeys) -> Metric:
    metric = mapping(stat.get(keys.metric))
    return Metric(
        namespace=text(metric.get(keys.namespace)),
        name=text(metric.get(keys.metric_name)),
        statistic=statistic(stat.get(keys.stat)),
        unit=text(stat.get(keys.unit)),
        period=integer(stat.get(keys.period)),
        dimensions=dimensions(metric.get(keys.dimensions)),
    )


def band_query_id(queries: Iterable[MetricQuery]) -> str | None:
    """The query whose expression is the anomaly band is the one the alarm compares against."""
    for query in queries:
        if query.expression and ANOMALY_FUNCTION in query.expression.upper():
            return query.id
    return None


def dimensions(value: object) -> tuple[tuple[str, str], ...]:
    """``[{"name", "value"}]`` (any capitalisation) or a ``{name: value}`` map."""
    if isinstance(value, Mapping):
        pairs = [(text(name), text(item)) for name, item in value.items()]
    elif isinstance(value, list):
        pairs = [_dimension_pair(item) for item in value if isinstance(item, Mapping)]
    else:
        return ()
    return tuple((name, item or "") for name, item in pairs if name)


def _dimension_pair(item: Mapping[str, Any]) -> tuple[str | None, str | None]:
    name = item.get("name", item.get("Name"))
    value = item.get("value", item.get("Value"))
    return text(name), text(value)
