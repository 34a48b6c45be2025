"""Notifications as plain JSON and back, for what must outlive one invocation.

A notification that cannot be shown at once (its space is in a storm, Google said 429) waits in
the space's outbox in DynamoDB, and a digest keeps the alarms it shows. Both store the parsed
model, not the raw payload: parsing happened once, at intake, and the stored form stays readable
when the parsers change. ``decode(encode(n)) == n`` for every notification (a test checks it).
Pure functions, no I/O.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime
from typing import Any

from alarm_bot.alarms.model import (
    Alarm,
    AlarmKind,
    AlarmState,
    Child,
    GenericNotification,
    Metric,
    MetricQuery,
    Notification,
)

__all__ = ["decode", "encode", "pack", "unpack"]

_ALARM = "alarm"
_GENERIC = "generic"


class CodecError(ValueError):
    """A stored notification that this version cannot read (written by hand, or corrupted)."""


def pack(notification: Notification) -> bytes:
    """Compressed JSON: outbox entries and digest lines carry one each."""
    text = json.dumps(encode(notification), ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode(), 6)


def unpack(data: bytes) -> Notification:
    try:
        return decode(json.loads(zlib.decompress(data)))
    except (zlib.error, ValueError, TypeError, KeyError, AttributeError) as error:
        raise CodecError(f"unreadable stored notification: {type(error).__name__}") from None


def encode(notification: Notification) -> dict[str, Any]:
    if isinstance(notification, Alarm):
        return {"type": _ALARM, **_alarm_fields(notification)}
    return {"type": _GENERIC, **_generic_fields(notification)}


def decode(value: dict[str, Any]) -> Notification:
    if not isinstance(value, dict):
        raise CodecError("a stored notification is a JSON object")
    kind = value.get("type")
    if kind == _ALARM:
        return _alarm(value)
    if kind == _GENERIC:
        return _generic(value)
    raise CodecError(f"unknown stored notification type {kind!r}")


def _alarm_fields(alarm: Alarm) -> dict[str, Any]:
    return {
        "name": alarm.name,
        "state": alarm.state.value,
        "source": alarm.source,
        "kind": alarm.kind.value,
        "arn": alarm.arn,
        "account": alarm.account,
        "region": alarm.region,
        "previous_state": alarm.previous_state.value if alarm.previous_state else None,
        "reason": alarm.reason,
        "description": alarm.description,
        "changed_at": _time(alarm.changed_at),
        "metric": _metric(alarm.metric),
        "queries": [_query(query) for query in alarm.queries],
        "comparison": alarm.comparison,
        "threshold": alarm.threshold,
        "threshold_metric_id": alarm.threshold_metric_id,
        "evaluation_periods": alarm.evaluation_periods,
        "datapoints_to_alarm": alarm.datapoints_to_alarm,
        "treat_missing_data": alarm.treat_missing_data,
        "alarm_rule": alarm.alarm_rule,
        "children": [[child.arn, child.state.value if child.state else None] for child in alarm.children],
        "topic_arn": alarm.topic_arn,
    }


def _alarm(value: dict[str, Any]) -> Alarm:
    previous = value.get("previous_state")
    return Alarm(
        name=value["name"],
        state=AlarmState(value["state"]),
        source=value["source"],
        kind=AlarmKind(value["kind"]),
        arn=value.get("arn"),
        account=value.get("account"),
        region=value.get("region"),
        previous_state=AlarmState(previous) if previous else None,
        reason=value.get("reason") or "",
        description=value.get("description"),
        changed_at=_parse_time(value.get("changed_at")),
        metric=_parse_metric(value.get("metric")),
        queries=tuple(_parse_query(query) for query in value.get("queries") or ()),
        comparison=value.get("comparison"),
        threshold=value.get("threshold"),
        threshold_metric_id=value.get("threshold_metric_id"),
        evaluation_periods=value.get("evaluation_periods"),
        datapoints_to_alarm=value.get("datapoints_to_alarm"),
        treat_missing_data=value.get("treat_missing_data"),
        alarm_rule=value.get("alarm_rule"),
        children=tuple(
            Child(arn, AlarmState(state) if state else None) for arn, state in value.get("children") or ()
        ),
        topic_arn=value.get("topic_arn"),
    )


def _generic_fields(notification: GenericNotification) -> dict[str, Any]:
    return {
        "title": notification.title,
        "source": notification.source,
        "dedup_id": notification.dedup_id,
        "facts": [list(fact) for fact in notification.facts],
        "text": notification.text,
        "severity": notification.severity,
        "account": notification.account,
        "region": notification.region,
        "time": _time(notification.time),
        "detail_type": notification.detail_type,
    }


def _generic(value: dict[str, Any]) -> GenericNotification:
    return GenericNotification(
        title=value["title"],
        source=value["source"],
        dedup_id=value["dedup_id"],
        facts=tuple((str(key), str(fact)) for key, fact in value.get("facts") or ()),
        text=value.get("text"),
        severity=value.get("severity"),
        account=value.get("account"),
        region=value.get("region"),
        time=_parse_time(value.get("time")),
        detail_type=value.get("detail_type"),
    )


def _metric(metric: Metric | None) -> dict[str, Any] | None:
    if metric is None:
        return None
    return {
        "namespace": metric.namespace,
        "name": metric.name,
        "statistic": metric.statistic,
        "unit": metric.unit,
        "period": metric.period,
        "dimensions": [list(pair) for pair in metric.dimensions],
    }


def _parse_metric(value: dict[str, Any] | None) -> Metric | None:
    if value is None:
        return None
    return Metric(
        namespace=value.get("namespace"),
        name=value.get("name"),
        statistic=value.get("statistic"),
        unit=value.get("unit"),
        period=value.get("period"),
        dimensions=tuple((str(name), str(dimension)) for name, dimension in value.get("dimensions") or ()),
    )


def _query(query: MetricQuery) -> dict[str, Any]:
    return {
        "id": query.id,
        "expression": query.expression,
        "label": query.label,
        "metric": _metric(query.metric),
        "return_data": query.return_data,
    }


def _parse_query(value: dict[str, Any]) -> MetricQuery:
    return MetricQuery(
        id=value["id"],
        expression=value.get("expression"),
        label=value.get("label"),
        metric=_parse_metric(value.get("metric")),
        return_data=bool(value.get("return_data")),
    )


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
