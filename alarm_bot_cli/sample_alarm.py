"""``alarm-bot test``: publish what CloudWatch would publish for an alarm, so a team sees a card.

The message is CloudWatch's own SNS format (the JSON an alarm action sends), for an alarm in the
stack's account and region with a plausible metric trigger, so it takes exactly the path a real
alarm takes: topic, fan-out function, filters and mutes, card, thread. The alarm ARN depends only
on the name, so ``--state OK`` after a test lands in the same thread as its ALARM.
"""

from __future__ import annotations

import argparse
import datetime
import json
from typing import Any, Final

from alarm_bot_cli.aws import shared_loader
from alarm_bot_cli.output import print_json, say
from alarm_bot_cli.stack import TOPIC_ARN, connect

SUBJECT_LIMIT: Final = 99  # SNS subjects: ASCII, fewer than 100 characters
PREVIOUS_STATE: Final = {"ALARM": "OK", "OK": "ALARM", "INSUFFICIENT_DATA": "OK"}
DESCRIPTION: Final = "Sent by `alarm-bot test` to check delivery to Google Chat; nothing is wrong."


def run(args: argparse.Namespace) -> int:
    deployment = connect(args)
    stack = deployment.stack
    topic = stack.output(TOPIC_ARN)
    now = datetime.datetime.now(datetime.UTC)
    body = sample_notification(
        name=args.name,
        state=args.state,
        account=stack.account,
        region=stack.region,
        partition=stack.partition,
        topic_arn=topic,
        now=now,
    )
    request: dict[str, Any] = {"TopicArn": topic, "Message": json.dumps(body, ensure_ascii=False)}
    subject = sns_subject(args.name, args.state, body["Region"])
    if subject is not None:
        request["Subject"] = subject
    message_id = deployment.sns().publish(**request)["MessageId"]
    if args.json:
        print_json({"message_id": message_id, "topic": topic, "alarm": args.name, "state": args.state})
        return 0
    say(f"Published {args.state} for alarm {args.name!r} to {topic} (message id {message_id}).")
    say(
        "Within a few seconds every subscribed space whose filters match the name gets a card; "
        "spaces that are muted or filter on other names do not."
    )
    if args.state != "OK":
        say(
            f"Then run `alarm-bot test --state OK --name {args.name}` to see the recovery in the same thread."
        )
    return 0


def sample_notification(
    *,
    name: str,
    state: str,
    account: str,
    region: str,
    partition: str,
    topic_arn: str,
    now: datetime.datetime,
) -> dict[str, Any]:
    """The SNS message body CloudWatch sends for a state change of a one-metric alarm."""
    return {
        "AlarmName": name,
        "AlarmDescription": DESCRIPTION,
        "AWSAccountId": account,
        "AlarmConfigurationUpdatedTimestamp": _cloudwatch_time(now - datetime.timedelta(days=1)),
        "NewStateValue": state,
        "NewStateReason": _reason(state, now),
        "StateChangeTime": _cloudwatch_time(now),
        "Region": region_name(region),
        "AlarmArn": f"arn:{partition}:cloudwatch:{region}:{account}:alarm:{name}",
        "OldStateValue": PREVIOUS_STATE[state],
        "OKActions": [topic_arn],
        "AlarmActions": [topic_arn],
        "InsufficientDataActions": [],
        "Trigger": {
            "MetricName": "5XXError",
            "Namespace": "AWS/ApiGateway",
            "StatisticType": "Statistic",
            "Statistic": "SUM",
            "Unit": None,
            "Dimensions": [{"value": "alarm-bot-test", "name": "ApiName"}],
            "Period": 60,
            "EvaluationPeriods": 1,
            "DatapointsToAlarm": 1,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
            "Threshold": 1.0,
            "TreatMissingData": "missing",
            "EvaluateLowSampleCountPercentile": "",
        },
    }


def sns_subject(name: str, state: str, region: str) -> str | None:
    """CloudWatch's subject line, or none when the name makes it non-ASCII or too long for SNS."""
    subject = f'{state}: "{name}" in {region}'
    if not subject.isascii() or len(subject) > SUBJECT_LIMIT:
        return None
    return subject


def region_name(region: str) -> str:
    """CloudWatch writes the region's long name ("Asia Pacific (Seoul)"); botocore knows them."""
    endpoints = shared_loader().load_data("endpoints")
    for partition in endpoints.get("partitions", []):
        description = partition.get("regions", {}).get(region, {}).get("description")
        if description:
            return str(description)
    return region


def _reason(state: str, now: datetime.datetime) -> str:
    sampled = (now - datetime.timedelta(minutes=1)).strftime("%d/%m/%y %H:%M:00")
    if state == "ALARM":
        return (
            f"Threshold Crossed: 1 out of the last 1 datapoints [3.0 ({sampled})] was greater than or equal "
            "to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition)."
        )
    if state == "OK":
        return (
            f"Threshold Crossed: 1 out of the last 1 datapoints [0.0 ({sampled})] was not greater than or "
            "equal to the threshold (1.0) (minimum 1 datapoint for ALARM -> OK transition)."
        )
    return "Insufficient Data: 1 datapoint was unknown."


def _cloudwatch_time(moment: datetime.datetime) -> str:
    """CloudWatch's timestamp format: ``2026-03-14T05:20:03.000+0000``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"
