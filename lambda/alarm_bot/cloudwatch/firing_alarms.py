"""Which alarms are in ALARM right now, as CloudWatch answers ``DescribeAlarms``, within a deadline.

The bot only sees transitions; what is still firing is CloudWatch's to say. ``DescribeAlarms`` with
``StateValue=ALARM`` lists them; ``AlarmTypes`` must name both types, because without it CloudWatch
returns metric alarms only. The answer is paginated (``MaxRecords`` up to 100).

The Chat function must answer before its timeout (set once, in ``chatbot_stack``), whatever
CloudWatch does, so the whole lookup has one deadline (:class:`~alarm_bot.alarms.firing.Limits`): a
call starts only if its worst case (one attempt, no retry: connect plus read timeout) fits in the
time left. When nothing could be read the lookup raises (``status`` says the list is unavailable);
when a later page fails or would not fit, the list read so far is returned as not ``complete``
(``status`` says it is incomplete). botocore's read timeout bounds each wait for data, not a
response trickled byte by byte. The I/O lives here, at the edge; the values it returns and the cut
to one space are pure, in :mod:`alarm_bot.alarms.firing`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import boto3
from aws_lambda_powertools import Logger
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from alarm_bot.alarms.firing import DEFAULT_LIMITS, FiringAlarm, FiringList, FiringUnavailable, Limits

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.client import CloudWatchClient
    from mypy_boto3_cloudwatch.literals import AlarmTypeType
    from mypy_boto3_cloudwatch.type_defs import DescribeAlarmsInputTypeDef, DescribeAlarmsOutputTypeDef

logger = Logger(child=True)

ALARM_TYPES: list[AlarmTypeType] = ["CompositeAlarm", "MetricAlarm"]
PAGE_SIZE = 100
MAX_PAGES = 20  # 2,000 alarms in ALARM is an outage; the card shows 20 of them anyway


def cloudwatch_client(
    limits: Limits = DEFAULT_LIMITS, *, endpoint_url: str | None = None, region_name: str | None = None
) -> CloudWatchClient:
    """A CloudWatch client whose every call fits in ``limits.per_call`` (no retry)."""
    config = Config(
        connect_timeout=limits.connect,
        read_timeout=limits.read,
        retries={"total_max_attempts": 1, "mode": "standard"},
    )
    return boto3.client("cloudwatch", config=config, endpoint_url=endpoint_url, region_name=region_name)


class CloudWatchFiring:
    """:class:`~alarm_bot.alarms.firing.FiringSource` on CloudWatch of the function's own account and
    region; a given ``client`` should be one of :func:`cloudwatch_client`."""

    def __init__(self, client: CloudWatchClient | None = None, *, limits: Limits = DEFAULT_LIMITS) -> None:
        self._client_instance = client
        self._limits = limits

    @property
    def _client(self) -> CloudWatchClient:
        if self._client_instance is None:
            self._client_instance = cloudwatch_client(self._limits)
        return self._client_instance

    def firing(self) -> FiringList:
        """Alarms in ALARM, as many as the deadline lets through; raises if none could be read."""
        deadline = time.monotonic() + self._limits.budget
        region = self._client.meta.region_name
        pages, complete = self._pages(deadline)
        return FiringList(tuple(_firing(item, region) for page in pages for item in _items(page)), complete)

    def _pages(self, deadline: float) -> tuple[list[DescribeAlarmsOutputTypeDef], bool]:
        """The pages read before the deadline, and whether they are all of them."""
        pages: list[DescribeAlarmsOutputTypeDef] = []
        token: str | None = None
        while len(pages) < MAX_PAGES:
            page = self._page(token, deadline, first=not pages)
            if page is None:
                return pages, False
            pages.append(page)
            token = page.get("NextToken")
            if not token:
                return pages, True
        return pages, False

    def _page(self, token: str | None, deadline: float, *, first: bool) -> DescribeAlarmsOutputTypeDef | None:
        """One page; ``None`` (or, for the first, an error) when it cannot be read in time."""
        left = deadline - time.monotonic()
        if left < self._limits.per_call:
            if first:
                raise FiringUnavailable(f"{left:.1f} s left, one call may take {self._limits.per_call} s")
            logger.warning("alarms in ALARM cut short by the deadline", extra={"seconds_left": left})
            return None
        try:
            return self._describe(token)
        except (BotoCoreError, ClientError) as error:
            if first:
                raise
            logger.warning("alarms in ALARM cut short by a failed page", extra={"reason": str(error)})
            return None

    def _describe(self, token: str | None) -> DescribeAlarmsOutputTypeDef:
        params: DescribeAlarmsInputTypeDef = {
            "StateValue": "ALARM",
            "AlarmTypes": ALARM_TYPES,
            "MaxRecords": PAGE_SIZE,
        }
        if token:
            params["NextToken"] = token
        return self._client.describe_alarms(**params)


def _items(page: DescribeAlarmsOutputTypeDef) -> Iterator[Mapping[str, Any]]:
    yield from page.get("MetricAlarms", [])
    yield from page.get("CompositeAlarms", [])


def _firing(item: Mapping[str, Any], default_region: str | None) -> FiringAlarm:
    arn = str(item.get("AlarmArn", ""))
    parts = arn.split(":")
    region = parts[3] if len(parts) > 5 and parts[3] else default_region
    account = parts[4] if len(parts) > 5 and parts[4] else None
    updated = item.get("StateUpdatedTimestamp")
    since = updated.timestamp() if isinstance(updated, datetime) else None
    return FiringAlarm(name=str(item.get("AlarmName", "")), region=region, since=since, account=account)
