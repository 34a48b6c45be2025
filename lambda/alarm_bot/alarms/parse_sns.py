"""CloudWatch alarm messages as SNS delivers them (PascalCase JSON), and the old bot's imitation.

CloudWatch publishes one JSON document per state change: ``AlarmName``, ``NewStateValue``,
``Trigger`` (one metric, or ``Metrics[]`` for metric math and anomaly detection) or ``AlarmRule``
(composite alarms). The previous bot published a similar document by hand, with any field possibly
missing; it is read by the same code and marked ``source="legacy"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alarm_bot.alarms.model import Alarm, AlarmKind, AlarmState, Child, Metric, MetricQuery
from alarm_bot.alarms.parse_metric_queries import (
    SNS_QUERY_KEYS,
    band_query_id,
    dimensions,
    metric_queries,
)
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
    return metric_queries(trigger.get("Metrics"), SNS_QUERY_KEYS)


def _band_id(trigger: Mapping[str, Any]) -> str | None:
    return band_query_id(_queries(trigger))


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
