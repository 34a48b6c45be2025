"""CloudWatch alarm state changes in camelCase: EventBridge events and the Lambda alarm action.

Both describe the alarm the same way (``alarmName``, ``state{value, reason, reasonData,
timestamp}``, ``previousState``, ``configuration{description, metrics[] | alarmRule}``, dimensions as
a map); they differ only in the envelope: EventBridge wraps it in ``detail`` with ``resources[0]``
as the ARN, the Lambda action puts it in ``alarmData`` next to ``alarmArn``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from alarm_bot.alarms.model import Alarm, AlarmKind, AlarmState, Child, MetricQuery
from alarm_bot.alarms.parse_metric_queries import (
    EVENTBRIDGE_QUERY_KEYS,
    band_query_id,
    metric_queries,
)
from alarm_bot.alarms.parse_values import (
    alarm_name_from_arn,
    arn_parts,
    first_account,
    integer,
    mapping,
    number,
    region_code,
    state,
    text,
    timestamp,
    treat_missing_data,
)
from alarm_bot.whole_text import whole_characters

ALARM_STATE_CHANGE = "CloudWatch Alarm State Change"


def is_eventbridge_alarm(event: Mapping[str, Any]) -> bool:
    return event.get("detail-type") == ALARM_STATE_CHANGE and isinstance(event.get("detail"), Mapping)


def is_alarm_action(event: Mapping[str, Any]) -> bool:
    return isinstance(event.get("alarmData"), Mapping)


def parse_eventbridge_alarm(event: Mapping[str, Any]) -> Alarm:
    resources = event.get("resources")
    arn = (
        next((item for item in resources if isinstance(item, str)), None)
        if isinstance(resources, list)
        else None
    )
    return alarm_from_camel_case(
        mapping(event.get("detail")),
        arn=arn,
        account=event.get("account"),
        region=event.get("region"),
        time=event.get("time"),
        source="eventbridge",
    )


def parse_alarm_action(event: Mapping[str, Any]) -> Alarm:
    return alarm_from_camel_case(
        mapping(event.get("alarmData")),
        arn=event.get("alarmArn"),
        account=event.get("accountId"),
        region=event.get("region"),
        time=event.get("time"),
        source="lambda-action",
    )


def alarm_from_camel_case(
    data: Mapping[str, Any], *, arn: object, account: object, region: object, time: object, source: str
) -> Alarm:
    alarm_arn = text(arn)
    parts = arn_parts(alarm_arn)
    current = mapping(data.get("state"))
    config = mapping(data.get("configuration"))
    reason_data = _reason_data(current.get("reasonData"))
    queries = metric_queries(config.get("metrics"), EVENTBRIDGE_QUERY_KEYS)
    kind = _kind(config, queries)
    band = band_query_id(queries)
    return Alarm(
        name=text(data.get("alarmName")) or alarm_name_from_arn(alarm_arn) or "",
        state=state(current.get("value")) or AlarmState.ALARM,
        source=source,
        kind=kind,
        arn=alarm_arn,
        account=first_account(parts.account, account),
        region=parts.region or region_code(region),
        previous_state=state(mapping(data.get("previousState")).get("value")),
        reason=text(current.get("reason")) or "",
        description=text(config.get("description")),
        changed_at=timestamp(current.get("timestamp")) or timestamp(time),
        metric=queries[0].metric if kind is AlarmKind.METRIC else None,
        queries=tuple(queries) if kind in (AlarmKind.MATH, AlarmKind.ANOMALY) else (),
        comparison=text(config.get("comparisonOperator")),
        threshold=number(config.get("threshold"))
        if "threshold" in config
        else number(reason_data.get("threshold")),
        threshold_metric_id=text(config.get("thresholdMetricId")) or band,
        evaluation_periods=integer(config.get("evaluationPeriods")),
        datapoints_to_alarm=integer(config.get("datapointsToAlarm")),
        treat_missing_data=treat_missing_data(config.get("treatMissingData")),
        alarm_rule=text(config.get("alarmRule")),
        children=tuple(_children(reason_data.get("triggeringAlarms"))),
    )


def _kind(config: Mapping[str, Any], queries: list[MetricQuery]) -> AlarmKind:
    if text(config.get("alarmRule")):
        return AlarmKind.COMPOSITE
    if not queries:
        return AlarmKind.UNKNOWN
    if text(config.get("thresholdMetricId")) or band_query_id(queries):
        return AlarmKind.ANOMALY
    if len(queries) == 1 and queries[0].metric is not None and not queries[0].expression:
        return AlarmKind.METRIC
    return AlarmKind.MATH


def _reason_data(value: object) -> Mapping[str, Any]:
    """``reasonData`` is JSON inside a string: the threshold and a composite's triggering alarms."""
    if isinstance(value, Mapping):
        return value
    if not isinstance(value, str):
        return {}
    try:
        return mapping(whole_characters(json.loads(value)))
    except (ValueError, RecursionError):
        return {}


def _children(value: object) -> list[Child]:
    if not isinstance(value, list):
        return []
    children = []
    for item in value:
        entry = mapping(item)
        arn = text(entry.get("arn")) or (item if isinstance(item, str) and item.strip() else None)
        if arn:
            children.append(Child(arn=arn, state=state(mapping(entry.get("state")).get("value"))))
    return children
