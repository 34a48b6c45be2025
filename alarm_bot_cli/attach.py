"""``alarm-bot attach`` / ``detach``: point existing alarms at the bot's topic, or stop.

Alarms are found by name prefix (DescribeAlarms with ``AlarmNamePrefix``, both alarm types, every
page), planned by the pure functions of :mod:`alarm_requests`, and written back with
PutMetricAlarm / PutCompositeAlarm. Writing back replaces the whole definition, which is why the
request is built from the described alarm field by field. CloudWatch allows few Put calls per
second, so the client uses adaptive retries (client-side rate limiting) rather than failing on
throttling in large accounts. Alarms changed by someone else between our read and our write would
lose that change; the window is one round trip per alarm.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from botocore.config import Config
from botocore.exceptions import ClientError

from alarm_bot_cli.alarm_requests import (
    ActionPlan,
    AlarmType,
    attach_plan,
    detach_plan,
    put_request,
)
from alarm_bot_cli.aws import CLIENT_CONFIG, describe_aws_error
from alarm_bot_cli.errors import UsageError
from alarm_bot_cli.output import Progress, note, print_json, print_table, say
from alarm_bot_cli.stack import TOPIC_ARN, connect

if TYPE_CHECKING:
    from mypy_boto3_cloudwatch.client import CloudWatchClient

PUT_CONFIG: Final = CLIENT_CONFIG.merge(Config(retries={"mode": "adaptive", "max_attempts": 10}))
DEFAULT_LISTS: Final = ("AlarmActions", "OKActions")
_RESULTS: Final = ("changed", "planned", "skipped", "failed")
Planner = Callable[[Mapping[str, Any], AlarmType, str], ActionPlan]  # (alarm, its type, topic) → plan


@dataclass(frozen=True)
class AttachOutcome:
    """What ``attach`` did to one alarm's action lists: one row of its table or JSON."""

    plan: ActionPlan
    result: str  # "changed", "planned", "skipped", "failed"
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {
            "alarm": self.plan.name,
            "type": str(self.plan.alarm_type),
            "result": self.result,
            "lists": sorted(self.plan.new_actions),
            "detail": self.detail,
        }


def run_attach(args: argparse.Namespace) -> int:
    lists = (*DEFAULT_LISTS, "InsufficientDataActions") if args.insufficient_data else DEFAULT_LISTS
    return _run(args, lambda entry, kind, topic: attach_plan(entry, kind, topic, lists), verb="add to")


def run_detach(args: argparse.Namespace) -> int:
    return _run(args, detach_plan, verb="remove from")


def _run(args: argparse.Namespace, planner: Planner, *, verb: str) -> int:
    prefixes = _checked_prefixes(args.prefix)
    deployment = connect(args)
    topic = deployment.stack.output(TOPIC_ARN)
    cloudwatch = deployment.cloudwatch(PUT_CONFIG)
    with Progress("alarms read") as progress:
        alarms = list(_matching_alarms(cloudwatch, prefixes, progress))
    plans: list[ActionPlan] = [planner(entry, kind, topic) for entry, kind in alarms]
    outcomes = [
        _apply(cloudwatch, entry, plan, args.dry_run, verb)
        for (entry, _), plan in zip(alarms, plans, strict=True)
    ]
    _report(outcomes, args, topic, prefixes)
    return 1 if any(outcome.result == "failed" for outcome in outcomes) else 0


def _checked_prefixes(prefixes: Sequence[str]) -> list[str]:
    if any(not prefix for prefix in prefixes):
        raise UsageError("--prefix must not be empty: it would select every alarm in the region")
    return list(dict.fromkeys(prefixes))


def _matching_alarms(
    cloudwatch: CloudWatchClient, prefixes: Sequence[str], progress: Progress
) -> Iterator[tuple[dict[str, Any], AlarmType]]:
    """Every metric and composite alarm whose name starts with a prefix, each once, by name."""
    seen: set[str] = set()
    paginator = cloudwatch.get_paginator("describe_alarms")
    for prefix in prefixes:
        pages = paginator.paginate(
            AlarmNamePrefix=prefix,
            AlarmTypes=[AlarmType.METRIC.value, AlarmType.COMPOSITE.value],
            PaginationConfig={"PageSize": 100},
        )
        for page in pages:
            found = [(dict(entry), AlarmType.METRIC) for entry in page.get("MetricAlarms", [])]
            found += [(dict(entry), AlarmType.COMPOSITE) for entry in page.get("CompositeAlarms", [])]
            progress.advance(len(found))
            for entry, kind in found:
                name = str(entry["AlarmName"])
                if name not in seen:
                    seen.add(name)
                    yield entry, kind


def _apply(
    cloudwatch: CloudWatchClient, entry: dict[str, Any], plan: ActionPlan, dry_run: bool, verb: str
) -> AttachOutcome:
    if not plan.changes:
        return AttachOutcome(plan, "skipped", plan.skipped or "")
    lists = ", ".join(sorted(plan.new_actions))
    if dry_run:
        return AttachOutcome(plan, "planned", f"would {verb} {lists}")
    request = put_request(entry, plan.alarm_type, plan.new_actions)
    try:
        if plan.alarm_type is AlarmType.METRIC:
            cloudwatch.put_metric_alarm(**request)
        else:
            cloudwatch.put_composite_alarm(**request)
    except ClientError as error:
        return AttachOutcome(plan, "failed", describe_aws_error(error))
    done = "added to" if verb == "add to" else "removed from"
    return AttachOutcome(plan, "changed", f"{done} {lists}")


def _report(
    outcomes: Sequence[AttachOutcome], args: argparse.Namespace, topic: str, prefixes: Sequence[str]
) -> None:
    if args.json:
        print_json({"topic": topic, "dry_run": bool(args.dry_run), "alarms": [o.as_json() for o in outcomes]})
        return
    if not outcomes:
        note(f"no alarm names start with {', '.join(repr(prefix) for prefix in prefixes)}")
        return
    rows = [
        (o.plan.name, str(o.plan.alarm_type), o.detail if o.result != "failed" else f"FAILED: {o.detail}")
        for o in outcomes
    ]
    print_table(("ALARM", "TYPE", "RESULT"), rows)
    counts = {result: sum(1 for o in outcomes if o.result == result) for result in _RESULTS}
    if args.dry_run:
        say(
            f"Dry run: {counts['planned']} alarm(s) would change, {counts['skipped']} left as they are; "
            "nothing was changed."
        )
    else:
        say(
            f"{counts['changed']} alarm(s) changed, {counts['skipped']} left as they are, "
            f"{counts['failed']} failed."
        )
