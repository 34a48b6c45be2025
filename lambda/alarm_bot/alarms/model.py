"""One internal model for every notification the bot can receive.

CloudWatch describes the same alarm transition in several shapes (SNS JSON, EventBridge events,
the Lambda alarm-action payload, the old bot's hand-published JSON). Parsers turn each of them into
an :class:`Alarm`; anything that is not an alarm becomes a :class:`GenericNotification`. Rendering
and delivery only ever see these types.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import datetime


class AlarmState(enum.StrEnum):
    ALARM = "ALARM"
    OK = "OK"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


class AlarmKind(enum.StrEnum):
    METRIC = "metric"  # one metric against a static threshold
    MATH = "math"  # Trigger.Metrics[] with an expression
    ANOMALY = "anomaly"  # a band from ANOMALY_DETECTION_BAND, ThresholdMetricId set
    COMPOSITE = "composite"  # AlarmRule over other alarms
    UNKNOWN = "unknown"  # e.g. the old bot's JSON with no Trigger


@dataclass(frozen=True)
class Metric:
    namespace: str | None = None
    name: str | None = None
    statistic: str | None = None  # Statistic or ExtendedStatistic ("p99")
    unit: str | None = None
    period: int | None = None  # seconds
    dimensions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class MetricQuery:
    """One entry of a metric-math or anomaly alarm's ``Metrics``."""

    id: str
    expression: str | None = None
    label: str | None = None
    metric: Metric | None = None
    return_data: bool = False


@dataclass(frozen=True)
class Child:
    """An alarm that triggered a composite alarm."""

    arn: str
    state: AlarmState | None = None

    @property
    def name(self) -> str:
        return self.arn.split(":alarm:", 1)[-1]


@dataclass(frozen=True)
class Alarm:
    name: str
    state: AlarmState
    source: str  # "sns" | "eventbridge" | "lambda-action" | "legacy"
    kind: AlarmKind = AlarmKind.UNKNOWN
    arn: str | None = None
    account: str | None = None
    region: str | None = None  # region code (ap-northeast-2), never a display name
    previous_state: AlarmState | None = None
    reason: str = ""
    description: str | None = None
    changed_at: datetime | None = None  # timezone-aware
    metric: Metric | None = None
    queries: tuple[MetricQuery, ...] = ()
    comparison: str | None = None
    threshold: float | None = None
    threshold_metric_id: str | None = None
    evaluation_periods: int | None = None
    datapoints_to_alarm: int | None = None
    treat_missing_data: str | None = None
    alarm_rule: str | None = None
    children: tuple[Child, ...] = ()
    # The SNS topic it came through: routing assumes the topic's account and region for an alarm
    # that names neither (the old bot's JSON). Not part of the identity, so keys stay as they were.
    topic_arn: str | None = None

    @property
    def identity(self) -> str:
        """Stable across transitions: the ARN, or account/region/name when there is none."""
        return self.arn or f"{self.account or '-'}:{self.region or '-'}:{self.name}"

    @property
    def key(self) -> str:
        """40 hex digits naming the alarm (not one transition): stored cards, mutes, buttons."""
        return _digest(self.identity)[:40]

    @property
    def thread_key(self) -> str:
        """Every transition of one alarm goes to one Chat thread per space."""
        return "alarm-" + self.key

    @property
    def transition_id(self) -> str:
        """The same state change seen through SNS and EventBridge gives the same id."""
        when = self.changed_at.isoformat(timespec="milliseconds") if self.changed_at else "-"
        return _digest(f"{self.identity}|{self.state}|{when}")


@dataclass(frozen=True)
class GenericNotification:
    """Anything that is not a CloudWatch alarm: other AWS events as key facts, or plain text."""

    title: str
    source: str  # "sns" | "eventbridge" | "text"
    dedup_id: str  # SNS MessageId, EventBridge event id, or a digest of the content
    facts: tuple[tuple[str, str], ...] = ()
    text: str | None = None
    severity: str | None = None
    account: str | None = None
    region: str | None = None
    time: datetime | None = None
    detail_type: str | None = None

    @property
    def transition_id(self) -> str:
        return _digest(f"generic|{self.dedup_id}")

    @property
    def thread_key(self) -> str | None:
        return None


Notification = Alarm | GenericNotification


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
