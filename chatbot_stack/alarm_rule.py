"""EventBridge rules that put CloudWatch alarm state changes on the delivery queue.

Two places use them. On the account's default bus, with ``alarmNamePrefixes`` set, every state
change of an alarm in this account and region whose name starts with one of the prefixes reaches
Chat, including alarms created by other teams or tools that know nothing about the bot's topic. On
the bot's own event bus (:mod:`chatbot_stack.alarm_bus`), which forwarder stacks in other regions
and accounts feed, every alarm state change that arrives is delivered: the forwarders chose them.
An alarm that reaches the queue twice (a prefix *and* the topic as its action) is shown once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

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


def alarm_state_pattern(prefixes: Sequence[str] = ()) -> events.EventPattern:
    """Alarm state changes; only of alarms whose name starts with one of ``prefixes`` when given."""
    detail = {"alarmName": [{"prefix": prefix} for prefix in prefixes]} if prefixes else None
    return events.EventPattern(source=[SOURCE], detail_type=[DETAIL_TYPE], detail=detail)


def rule_description(
    prefixes: Sequence[str], *, to: str = "To Google Chat", alarms: str = "every CloudWatch alarm"
) -> str:
    """Names the prefixes, so the console shows which alarms the rule takes (cut to EventBridge's limit).

    ``alarms`` says which alarms a rule without prefixes takes.
    """
    taken = f"CloudWatch alarms whose name starts with {', '.join(prefixes)}" if prefixes else alarms
    description = f"{to}: state changes of {taken}"
    if len(description) > MAX_DESCRIPTION_LENGTH:
        description = description[: MAX_DESCRIPTION_LENGTH - 3] + "..."
    return description


class AlarmStateRule(Construct):
    """``rule``: alarm state changes on ``event_bus`` to ``queue``, failures to the dead letters.

    ``event_bus`` is the account's default bus when ``None``; ``prefixes`` limits the rule to alarms
    whose name starts with one of them, and no prefixes means every alarm state change on the bus.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        queue: sqs.IQueue,
        dead_letter_queue: sqs.IQueue,
        prefixes: Sequence[str] = (),
        event_bus: events.IEventBus | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.rule = events.Rule(
            self,
            "Rule",
            description=rule_description(
                prefixes,
                alarms="every CloudWatch alarm of this account and region"
                if event_bus is None
                else "CloudWatch alarms forwarded from other regions and accounts",
            ),
            event_bus=event_bus,
            event_pattern=alarm_state_pattern(prefixes),
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
