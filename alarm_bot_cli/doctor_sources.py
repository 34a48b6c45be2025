"""``alarm-bot doctor``'s "alarm sources": which accounts and regions sent alarms lately.

The fan-out function counts every alarm it receives in the metric ``AlarmsReceived`` with the
dimensions ``SourceAccount`` and ``SourceRegion`` (one per account and region, well-formed values
only). CloudWatch's ListMetrics returns exactly the metrics that had data in the last two weeks, so
the dimension pairs it lists are the accounts and regions heard from in that time; one
GetMetricData call adds how many alarms each sent. Nothing here needs the event bus or the
forwarder stacks: an alarm that arrived through the topic, a forwarder or a StackSet counts alike.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from alarm_bot.settings import SettingsError
from alarm_bot.settings import account_names as read_account_names
from alarm_bot_cli.doctor_findings import DoctorContext, Finding, Status

METRIC_NAME: Final = "AlarmsReceived"
ACCOUNT_DIMENSION: Final = "SourceAccount"
REGION_DIMENSION: Final = "SourceRegion"
DEFAULT_NAMESPACE: Final = "AlarmChatBot"  # chatbot_stack/delivery_function.py's METRICS_NAMESPACE
LOOKBACK_DAYS: Final = 14  # how far back ListMetrics looks
MAX_QUERIES: Final = 500  # GetMetricData's limit per call
SHOWN: Final = 8  # sources named in the one-line detail; the rest are counted


Dimensions = tuple[tuple[str, str], ...]


@dataclass(frozen=True, order=True)
class Source:
    account: str
    region: str


def check_alarm_sources(context: DoctorContext) -> Finding:
    """Alarms reached the bot in the last 14 days, and from which accounts and regions."""
    deployment = context.require_deployment()
    environment = deployment.function_environment()
    namespace = environment.get("POWERTOOLS_METRICS_NAMESPACE") or DEFAULT_NAMESPACE
    cloudwatch = deployment.cloudwatch()
    sources = listed_sources(cloudwatch, namespace)
    if not sources:
        return Finding(
            Status.WARN,
            f"no alarm has reached the bot in the last {LOOKBACK_DAYS} days",
            "send one with `alarm-bot test`; for other accounts and regions see the README, "
            "'Many accounts and regions'",
        )
    counts = received_counts(cloudwatch, namespace, sources)
    names = account_names(environment.get("ACCOUNT_NAMES", ""))
    return Finding(Status.PASS, describe(sources, counts, names))


def listed_sources(cloudwatch: Any, namespace: str) -> dict[Source, list[Dimensions]]:
    """The (account, region) pairs whose counter had data in the last two weeks.

    Each with the exact dimension sets listed (a metric may carry more dimensions than the two,
    e.g. Powertools' ``service``, and GetMetricData matches only the whole set).
    """
    found: dict[Source, list[Dimensions]] = {}
    pages = cloudwatch.get_paginator("list_metrics").paginate(
        Namespace=namespace,
        MetricName=METRIC_NAME,
        Dimensions=[{"Name": ACCOUNT_DIMENSION}, {"Name": REGION_DIMENSION}],
    )
    for page in pages:
        for metric in page.get("Metrics", []):
            dimensions = tuple(
                (str(item.get("Name")), str(item.get("Value", ""))) for item in metric.get("Dimensions", [])
            )
            source = _source_of(dimensions)
            if source is not None and dimensions not in found.get(source, []):
                found.setdefault(source, []).append(dimensions)
    return found


def received_counts(
    cloudwatch: Any, namespace: str, sources: Mapping[Source, Sequence[Dimensions]]
) -> dict[Source, int]:
    """How many alarms each source sent in the last 14 days (one query per listed metric)."""
    end = time.time() + 60  # a minute ahead: the newest data point is never cut off
    metrics = [(source, dimensions) for source, sets in sources.items() for dimensions in sets]
    counts: dict[Source, int] = dict.fromkeys(sources, 0)
    for start_index in range(0, len(metrics), MAX_QUERIES):
        chunk = metrics[start_index : start_index + MAX_QUERIES]
        response = cloudwatch.get_metric_data(
            MetricDataQueries=[
                _query(f"m{index}", namespace, dimensions) for index, (_, dimensions) in enumerate(chunk)
            ],
            StartTime=end - LOOKBACK_DAYS * 86_400,
            EndTime=end,
        )
        for result in response.get("MetricDataResults", []):
            source = chunk[int(str(result["Id"])[1:])][0]
            counts[source] += int(sum(result.get("Values", [])))
    return counts


def describe(sources: Collection[Source], counts: Mapping[Source, int], names: Mapping[str, str]) -> str:
    """``... from 2 account(s) in 3 region(s): prod (111…) ap-northeast-2: 41, …``, busiest first."""
    ranked = sorted(sources, key=lambda source: (-counts.get(source, 0), source))
    parts = [f"{_account_label(s.account, names)} {s.region}: {counts.get(s, 0)}" for s in ranked[:SHOWN]]
    if len(ranked) > SHOWN:
        parts.append(f"and {len(ranked) - SHOWN} more")
    accounts = len({source.account for source in sources})
    regions = len({source.region for source in sources})
    return (
        f"alarms in the last {LOOKBACK_DAYS} days from {accounts} account(s) in {regions} region(s): "
        + ", ".join(parts)
    )


def account_names(raw: str) -> Mapping[str, str]:
    """``ACCOUNT_NAMES`` of the function, read as the function reads it; unreadable: ids only."""
    try:
        return read_account_names(raw)
    except SettingsError:
        return {}


def _account_label(account: str, names: Mapping[str, str]) -> str:
    name = names.get(account)
    return f"{name} ({account})" if name else account


def _source_of(dimensions: Dimensions) -> Source | None:
    values = dict(dimensions)
    account, region = values.get(ACCOUNT_DIMENSION), values.get(REGION_DIMENSION)
    return Source(account, region) if account and region else None


def _query(query_id: str, namespace: str, dimensions: Dimensions) -> dict[str, Any]:
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {
                "Namespace": namespace,
                "MetricName": METRIC_NAME,
                "Dimensions": [{"Name": name, "Value": value} for name, value in dimensions],
            },
            "Period": 86_400,
            "Stat": "Sum",
        },
        "ReturnData": True,
    }
