"""CloudWatch alarm messages as SNS delivers them (PascalCase JSON), and the old bot's imitation.

CloudWatch publishes one JSON document per state change: ``AlarmName``, ``NewStateValue``,
``Trigger`` (one metric, or ``Metrics[]`` for metric math and anomaly detection) or ``AlarmRule``
(composite alarms). The previous bot published a similar document by hand, with any field possibly
missing; it is read by the same code and marked ``source="legacy"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from alarm_bot.alarms.model import Alarm, AlarmKind, AlarmState, Child, Metric, MetricQuery
from alarm_bot.alarms.parse_values import (
    Envelope,
    alarm_name_from_arn,
    arn_parts,
    first_account,
    integer,
    mapping,
    number,
    region_from_name,
    state,
    statistic,
    text,
    timestamp,
    treat_missing_data,
)

ANOMALY_FUNCTION = "ANOMALY_DETECTION_BAND"
_ALARM_KEYS = ("AlarmName", "AlarmArn")
_LEGACY_KEYS = ("NewStateReason", "StateChangeTime", "NewStateValue")


def is_sns_alarm(body: Mapping[str, Any]) -> bool:
    """An alarm names itself, or at least carries a trigger and a state-change field."""
    if any(text(body.get(key)) for key in _ALARM_KEYS):
        return True
    trigger = mapping(body.get("Trigger"))
    return bool(trigger) and any(key in body for key in _LEGACY_KEYS)


def is_from_cloudwatch(body: Mapping[str, Any]) -> bool:
    """CloudWatch always sends the ARN or both state values; the old bot's JSON did not."""
    return bool(text(body.get("AlarmArn"))) or ("NewStateValue" in body and "OldStateValue" in body)


def parse_sns_alarm(body: Mapping[str, Any], envelope: Envelope) -> Alarm:
    arn = text(body.get("AlarmArn"))
    parts = arn_parts(arn)
    trigger = mapping(body.get("Trigger"))
    kind = _kind(body, trigger)
    return Alarm(
        name=text(body.get("AlarmName")) or alarm_name_from_arn(arn) or "",
        # The old bot only ever published alarms, and its JSON often had no state: ALARM.
        state=state(body.get("NewStateValue")) or AlarmState.ALARM,
        source="sns" if is_from_cloudwatch(body) else "legacy",
        kind=kind,
        arn=arn,
        account=first_account(parts.account, body.get("AWSAccountId"), body.get("AccountId")),
        region=parts.region or region_from_name(body.get("Region")),
        previous_state=state(body.get("OldStateValue")),
        reason=text(body.get("NewStateReason")) or "",
        description=text(body.get("AlarmDescription")),
        changed_at=timestamp(body.get("StateChangeTime")) or timestamp(envelope.timestamp),
        metric=_metric(trigger) if kind in (AlarmKind.METRIC, AlarmKind.UNKNOWN) and trigger else None,
        queries=tuple(_queries(trigger)),
        comparison=text(trigger.get("ComparisonOperator")),
        threshold=number(trigger.get("Threshold")),
        threshold_metric_id=text(trigger.get("ThresholdMetricId")) or _band_id(trigger),
        evaluation_periods=integer(trigger.get("EvaluationPeriods")),
        datapoints_to_alarm=integer(trigger.get("DatapointsToAlarm")),
        treat_missing_data=treat_missing_data(trigger.get("TreatMissingData")),
        alarm_rule=text(body.get("AlarmRule")),
        children=tuple(_children(body.get("TriggeringChildren"))),
        topic_arn=envelope.topic_arn,
    )


def _kind(body: Mapping[str, Any], trigger: Mapping[str, Any]) -> AlarmKind:
    if text(body.get("AlarmRule")) or isinstance(body.get("TriggeringChildren"), list):
        return AlarmKind.COMPOSITE
    if isinstance(trigger.get("Metrics"), list) and trigger["Metrics"]:
        if text(trigger.get("ThresholdMetricId")) or _band_id(trigger):
            return AlarmKind.ANOMALY
        return AlarmKind.MATH
    if text(trigger.get("MetricName")):
        return AlarmKind.METRIC
    return AlarmKind.UNKNOWN


def _metric(trigger: Mapping[str, Any]) -> Metric:
    return Metric(
        namespace=text(trigger.get("Namespace")),
        name=text(trigger.get("MetricName")),
        statistic=statistic(trigger.get("Statistic")) or text(trigger.get("ExtendedStatistic")),
        unit=text(trigger.get("Unit")),
        period=integer(trigger.get("Period")),
        dimensions=dimensions(trigger.get("Dimensions")),
    )


def _queries(trigger: Mapping[str, Any]) -> list[MetricQuery]:
    entries = trigger.get("Metrics")
    if not isinstance(entries, list):
        return []
    queries = []
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, Mapping):
            continue
        stat = mapping(entry.get("MetricStat"))
        queries.append(
            MetricQuery(
                id=text(entry.get("Id")) or f"q{position}",
                expression=text(entry.get("Expression")),
                label=text(entry.get("Label")),
                metric=_stat_metric(stat) if stat else None,
                return_data=entry.get("ReturnData") is True,
            )
        )
    return queries


def _stat_metric(stat: Mapping[str, Any]) -> Metric:
    metric = mapping(stat.get("Metric"))
    return Metric(
        namespace=text(metric.get("Namespace")),
        name=text(metric.get("MetricName")),
        statistic=statistic(stat.get("Stat")),
        unit=text(stat.get("Unit")),
        period=integer(stat.get("Period")),
        dimensions=dimensions(metric.get("Dimensions")),
    )


def _band_id(trigger: Mapping[str, Any]) -> str | None:
    return band_query_id(_queries(trigger))


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


def _children(value: object) -> list[Child]:
    """``TriggeringChildren``: plain ARNs, or ``{"Arn", "State": {"Value", "Timestamp"}}``."""
    if not isinstance(value, list):
        return []
    children = []
    for item in value:
        if isinstance(item, str) and text(item):
            children.append(Child(arn=item))
        elif isinstance(item, Mapping):
            arn = text(item.get("Arn", item.get("arn")))
            child_state = mapping(item.get("State", item.get("state")))
            if arn:
                children.append(
                    Child(arn=arn, state=state(child_state.get("Value", child_state.get("value"))))
                )
    return children
