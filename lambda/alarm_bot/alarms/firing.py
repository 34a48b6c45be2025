"""Which alarms are in ALARM right now, for ``status``: CloudWatch's answer, cut to one space.

The bot only sees transitions; what is still firing is CloudWatch's to say. ``DescribeAlarms`` with
``StateValue=ALARM`` lists them; ``AlarmTypes`` must name both types, because without it CloudWatch
returns metric alarms only. The answer is paginated (``MaxRecords`` up to 100), and the Chat function
must answer within seconds, so the client has short timeouts and the pages are capped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from alarm_bot.store.spaces import SpaceRecord

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.client import CloudWatchClient

ALARM_TYPES = ["CompositeAlarm", "MetricAlarm"]
PAGE_SIZE = 100
MAX_PAGES = 20  # 2,000 alarms in ALARM is an outage; the card shows 20 of them anyway


@dataclass(frozen=True)
class FiringAlarm:
    name: str
    region: str | None
    since: float | None  # StateUpdatedTimestamp, epoch seconds


class FiringSource(Protocol):
    def firing(self) -> list[FiringAlarm]: ...


class CloudWatchFiring:
    """:class:`FiringSource` on CloudWatch of the function's own account and region."""

    def __init__(self, client: CloudWatchClient | None = None) -> None:
        self._client_instance = client

    @property
    def _client(self) -> CloudWatchClient:
        if self._client_instance is None:
            import boto3  # noqa: PLC0415 - deferred: only status needs CloudWatch
            from botocore.config import Config  # noqa: PLC0415

            retries: Any = {"max_attempts": 2, "mode": "standard"}
            config = Config(connect_timeout=2, read_timeout=4, retries=retries)
            self._client_instance = boto3.client("cloudwatch", config=config)
        return self._client_instance

    def firing(self) -> list[FiringAlarm]:
        region = self._client.meta.region_name
        return [_firing(item, region) for item in self._alarms()]

    def _alarms(self) -> Iterator[Mapping[str, Any]]:
        paginator = self._client.get_paginator("describe_alarms")
        pages = paginator.paginate(
            StateValue="ALARM",
            AlarmTypes=ALARM_TYPES,  # type: ignore[arg-type]
            PaginationConfig={"MaxItems": PAGE_SIZE * MAX_PAGES, "PageSize": PAGE_SIZE},
        )
        for page in pages:
            yield from page.get("MetricAlarms", [])
            yield from page.get("CompositeAlarms", [])


def for_space(space: SpaceRecord, alarms: Iterable[FiringAlarm]) -> list[FiringAlarm]:
    """The firing alarms this space would receive, the most recent first."""
    # routing pulls in the alarm model; the Chat function's cold start only needs CloudWatchFiring.
    from alarm_bot.alarms.routing import matches_filters  # noqa: PLC0415

    if not space.subscribed:
        return []
    matching = [alarm for alarm in alarms if matches_filters(space, alarm.name)]
    return sorted(matching, key=lambda alarm: (-(alarm.since or 0), alarm.name))


def _firing(item: Mapping[str, Any], default_region: str | None) -> FiringAlarm:
    arn = str(item.get("AlarmArn", ""))
    parts = arn.split(":")
    region = parts[3] if len(parts) > 5 and parts[3] else default_region
    updated = item.get("StateUpdatedTimestamp")
    since = updated.timestamp() if isinstance(updated, datetime) else None
    return FiringAlarm(name=str(item.get("AlarmName", "")), region=region, since=since)
