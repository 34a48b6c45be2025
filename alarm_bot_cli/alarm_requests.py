"""From an alarm as DescribeAlarms returns it to the PutMetricAlarm / PutCompositeAlarm request
that changes only its actions. Pure functions, no AWS calls.

Why this needs care: both Put operations replace the *whole* alarm definition; any field left out
is reset (a missing ``TreatMissingData`` silently becomes ``missing``, a missing ``Metrics`` turns a
metric-math alarm into an invalid request). So the request copies every field the Put operation
accepts, exactly as described, and changes only the action lists. Tags are not copied: on an
existing alarm CloudWatch ignores ``Tags`` in a Put request, and keeps the alarm's tags as they are.

``METRIC_ALARM_FIELDS`` and ``COMPOSITE_ALARM_FIELDS`` are the Put operations' parameters minus
``Tags``; a unit test compares them with botocore's model, so a parameter added to the API shows up
as a failing test instead of a field this tool would drop.
"""

from __future__ import annotations

import copy
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

ACTION_LISTS: Final = ("AlarmActions", "OKActions", "InsufficientDataActions")
MAX_ACTIONS_PER_LIST: Final = 5  # CloudWatch's limit for each of the three lists
METRIC_ALARM_FIELDS: Final = (
    "AlarmName",
    "AlarmDescription",
    "ActionsEnabled",
    "OKActions",
    "AlarmActions",
    "InsufficientDataActions",
    "MetricName",
    "Namespace",
    "Statistic",
    "ExtendedStatistic",
    "Dimensions",
    "Period",
    "Unit",
    "EvaluationPeriods",
    "DatapointsToAlarm",
    "Threshold",
    "ComparisonOperator",
    "TreatMissingData",
    "EvaluateLowSampleCountPercentile",
    "Metrics",
    "ThresholdMetricId",
    "EvaluationWindow",
    "WarmUpConfiguration",
    "EvaluationCriteria",
    "EvaluationInterval",
    "ActionConfiguration",
)
COMPOSITE_ALARM_FIELDS: Final = (
    "ActionsEnabled",
    "AlarmActions",
    "AlarmDescription",
    "AlarmName",
    "AlarmRule",
    "InsufficientDataActions",
    "OKActions",
    "ActionsSuppressor",
    "ActionsSuppressorWaitPeriod",
    "ActionsSuppressorExtensionPeriod",
    "ActionConfiguration",
)


class AlarmType(enum.StrEnum):
    """DescribeAlarms' ``AlarmTypes`` values, and the key of each kind in its response."""

    METRIC = "MetricAlarm"
    COMPOSITE = "CompositeAlarm"


@dataclass(frozen=True)
class ActionPlan:
    """What to do with one alarm: the new action lists (empty: leave the alarm alone) and why."""

    name: str
    alarm_type: AlarmType
    new_actions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    skipped: str | None = None  # why nothing changes ("already attached", "not attached", a limit)

    @property
    def changes(self) -> bool:
        return bool(self.new_actions)


def attach_plan(
    entry: Mapping[str, Any], alarm_type: AlarmType, topic_arn: str, lists: Sequence[str]
) -> ActionPlan:
    """Add ``topic_arn`` at the end of each of ``lists`` that lacks it."""
    name = str(entry["AlarmName"])
    new_actions: dict[str, tuple[str, ...]] = {}
    for action_list in lists:
        current = tuple(str(action) for action in entry.get(action_list) or ())
        if topic_arn in current:
            continue
        if len(current) >= MAX_ACTIONS_PER_LIST:
            limit = f"{action_list} already has {MAX_ACTIONS_PER_LIST} actions, CloudWatch's limit"
            return ActionPlan(name, alarm_type, skipped=limit)
        new_actions[action_list] = (*current, topic_arn)
    return ActionPlan(name, alarm_type, new_actions, skipped=None if new_actions else "already attached")


def detach_plan(entry: Mapping[str, Any], alarm_type: AlarmType, topic_arn: str) -> ActionPlan:
    """Remove ``topic_arn`` from every action list that has it; the other actions keep their order."""
    name = str(entry["AlarmName"])
    new_actions: dict[str, tuple[str, ...]] = {}
    for action_list in ACTION_LISTS:
        current = tuple(str(action) for action in entry.get(action_list) or ())
        if topic_arn in current:
            new_actions[action_list] = tuple(action for action in current if action != topic_arn)
    return ActionPlan(name, alarm_type, new_actions, skipped=None if new_actions else "not attached")


def put_request(
    entry: Mapping[str, Any], alarm_type: AlarmType, new_actions: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """Keyword arguments for ``put_metric_alarm`` / ``put_composite_alarm`` that recreate ``entry``
    exactly, with the action lists in ``new_actions`` replaced.

    Fields that are absent, ``None`` or empty lists are left out: for a Put that replaces the whole
    definition, leaving them out means the same (no actions, no dimensions), and an empty
    ``Dimensions`` next to ``Metrics`` would be refused.
    """
    fields = METRIC_ALARM_FIELDS if alarm_type is AlarmType.METRIC else COMPOSITE_ALARM_FIELDS
    request: dict[str, Any] = {}
    for name in fields:
        value = new_actions[name] if name in new_actions else entry.get(name)
        if _present(value):
            request[name] = _copied(name, value)
    return request


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, list | tuple) and not value)


def _copied(name: str, value: Any) -> Any:
    """A deep copy (the request must not share lists with the described alarm); action lists as lists."""
    if name in ACTION_LISTS:
        return [str(action) for action in value]
    if name == "Metrics":
        return [_metric_query(query) for query in value]
    return copy.deepcopy(value)


def _metric_query(query: Mapping[str, Any]) -> dict[str, Any]:
    """A ``Metrics`` entry without empty ``Dimensions`` (DescribeAlarms may add ``[]``)."""
    copied: dict[str, Any] = copy.deepcopy(dict(query))
    metric = copied.get("MetricStat", {}).get("Metric")
    if isinstance(metric, dict) and not metric.get("Dimensions", True):
        del metric["Dimensions"]
    return {key: value for key, value in copied.items() if value is not None}
