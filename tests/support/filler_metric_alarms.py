"""A metric alarm in moto for tests that only need one to exist.

Its metric and threshold mean nothing to those tests; they name the alarm and set the fields they
do check (its actions, say), and the rest stays out of their way.
"""

from __future__ import annotations

from typing import Any

FILLER_ALARM_SETTINGS: dict[str, Any] = {
    "MetricName": "Errors",
    "Namespace": "App",
    "Statistic": "Sum",
    "Period": 60,
    "EvaluationPeriods": 1,
    "Threshold": 1,
    "ComparisonOperator": "GreaterThanThreshold",
}


def put_filler_metric_alarm(cloudwatch: Any, name: str, **fields: Any) -> None:
    """PutMetricAlarm ``name`` with FILLER_ALARM_SETTINGS, ``fields`` added or overriding them."""
    cloudwatch.put_metric_alarm(**(FILLER_ALARM_SETTINGS | fields), AlarmName=name)
