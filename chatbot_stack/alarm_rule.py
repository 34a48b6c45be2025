"""An optional EventBridge rule: alarms reach Chat by name, without an action on each alarm.

With ``alarmNamePrefixes`` set, every state change of an alarm in this account and region whose name
starts with one of the prefixes is put on the delivery queue, including alarms created by other
teams or tools that know nothing about the bot's topic. An alarm that matches a prefix *and* has the
topic as its action reaches the queue twice and is shown once (the same state change).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_sqs as sqs
from constructs import Construct

SOURCE: Final = "aws.cloudwatch"
DETAIL_TYPE: Final = "CloudWatch Alarm State Change"
# Only failures to send to the queue count here (throttling, SQS unavailable): transient, so a few
# more attempts are cheap.
TARGET_RETRY_ATTEMPTS: Final = 8
TARGET_MAX_EVENT_AGE: Final = Duration.hours(6)
MAX_DESCRIPTION_LENGTH: Final = 512  # EventBridge's limit for a rule description.


def alarm_state_pattern(prefixes: Sequence[str]) -> dict[str, Any]:
    """The event pattern's ``detail``: the alarm name starts with any of ``prefixes``."""
    return {"alarmName": [{"prefix": prefix} for prefix in prefixes]}


class AlarmStateRule(Construct):
    """``rule``: alarm state changes matching ``prefixes`` to ``queue``, failures to the dead letters."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        prefixes: Sequence[str],
        queue: sqs.IQueue,
        dead_letter_queue: sqs.IQueue,
    ) -> None:
        super().__init__(scope, construct_id)
        if not prefixes:
            raise ValueError("AlarmStateRule needs at least one alarm name prefix")
        self.rule = events.Rule(
            self,
            "Rule",
            description=_description(prefixes),
            event_pattern=events.EventPattern(
                source=[SOURCE], detail_type=[DETAIL_TYPE], detail=alarm_state_pattern(prefixes)
            ),
        )
        # The target adds the queue policy statements EventBridge needs (queue and dead letters).
        self.rule.add_target(
            targets.SqsQueue(
                queue,
                dead_letter_queue=dead_letter_queue,
                retry_attempts=TARGET_RETRY_ATTEMPTS,
                max_event_age=TARGET_MAX_EVENT_AGE,
            )
        )


def _description(prefixes: Sequence[str]) -> str:
    """Names the prefixes, so the console shows which alarms the rule takes (cut to EventBridge's limit)."""
    names = ", ".join(prefixes)
    description = f"To Google Chat: state changes of CloudWatch alarms whose name starts with {names}"
    if len(description) > MAX_DESCRIPTION_LENGTH:
        description = description[: MAX_DESCRIPTION_LENGTH - 3] + "..."
    return description
