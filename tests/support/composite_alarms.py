"""PutCompositeAlarm for moto, which does not implement it (moto 5.2.5).

moto's CloudWatch stores composite alarms already (an alarm with a ``rule`` is listed under
``CompositeAlarms`` by DescribeAlarms) but has no operation to create one. This adds the operation
to moto's CloudWatch responses for one test, storing every field PutCompositeAlarm takes, so
``attach`` / ``detach`` can be checked on composite alarms the same way as on metric alarms.
Attributes are named as moto's serializer looks them up (``ActionsSuppressor`` →
``actions_suppressor``).

Usage: ``install_put_composite_alarm(monkeypatch)`` inside ``mock_aws`` (the ``aws`` fixture).
"""

from __future__ import annotations

from typing import Any

import pytest
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import EmptyResult

_SUPPRESSOR_FIELDS = {
    "ActionsSuppressor": "actions_suppressor",
    "ActionsSuppressorWaitPeriod": "actions_suppressor_wait_period",
    "ActionsSuppressorExtensionPeriod": "actions_suppressor_extension_period",
}


def _put_composite_alarm(self: Any) -> EmptyResult:
    """Create or replace a composite alarm, like PutCompositeAlarm (tags only on create)."""
    backend = self.cloudwatch_backend
    name = self._get_param("AlarmName")
    existing = name in backend.alarms
    alarm = backend.put_metric_alarm(
        name=name,
        namespace=None,
        metric_name=None,
        comparison_operator=None,
        evaluation_periods=None,
        period=None,
        threshold=None,
        statistic=None,
        description=self._get_param("AlarmDescription"),
        dimensions=[],
        alarm_actions=self._get_param("AlarmActions", []),
        ok_actions=self._get_param("OKActions", []),
        insufficient_data_actions=self._get_param("InsufficientDataActions", []),
        actions_enabled=self._get_bool_param("ActionsEnabled"),
        rule=self._get_param("AlarmRule"),
        tags=None if existing else self._get_param("Tags", []),
    )
    for parameter, attribute in _SUPPRESSOR_FIELDS.items():
        setattr(alarm, attribute, self._get_param(parameter))
    return EmptyResult()


def install_put_composite_alarm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CloudWatchResponse, "put_composite_alarm", _put_composite_alarm, raising=False)
