"""Helpers shared by the chart tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from alarm_bot.alarms.model import Alarm, AlarmKind, AlarmState, Metric

BUCKET = "alarm-chat-bot-charts"
ACCOUNT = "123456789012"
REGION = "ap-northeast-2"
BASE_URL = "https://abc123.execute-api.ap-northeast-2.amazonaws.com"
CHANGED_AT = datetime(2026, 3, 14, 5, 20, 3, 250000, tzinfo=UTC)


def stored_keys(client: Any, bucket: str = BUCKET) -> list[str]:
    """Every key in the bucket (tests may list; the code under test never does)."""
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def metric_alarm(**changes: Any) -> Alarm:
    """A plain metric alarm of the test account, changed as the test needs."""
    alarm = Alarm(
        name="prod-api-5xx-high",
        state=AlarmState.ALARM,
        source="sns",
        kind=AlarmKind.METRIC,
        arn=f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:prod-api-5xx-high",
        account=ACCOUNT,
        region=REGION,
        changed_at=CHANGED_AT,
        metric=Metric(
            namespace="AWS/ApplicationELB", name="HTTPCode_Target_5XX_Count", statistic="Sum", period=60
        ),
        comparison="GreaterThanOrEqualToThreshold",
        threshold=50.0,
    )
    return replace(alarm, **changes)
