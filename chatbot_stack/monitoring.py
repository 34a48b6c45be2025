"""The bot watching itself: alarms on its functions, its delivery queue and its dead-letter queue.

Each alarm notifies the bot's own alarm topic, so its trouble shows up in Chat like any other alarm.
That cannot help when the fan-out function itself is what is broken, so with ``opsEmail`` set the
alarms also go to a small topic of their own with an e-mail subscription. That topic is separate from
the alarm topic so the e-mail does not receive every user alarm. Alarm actions fire on state changes
only, so an alarm about the fan-out failing does not loop: while the function keeps failing, the
alarm stays in ALARM and sends nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chatbot_stack.alarm_topic import AlarmTopic

PERIOD: Final = Duration.minutes(5)
# A notification waits in the delivery queue at most a few minutes in a storm (a digest's window
# and interval, a budget that frees up, retries of up to 5 minutes); ten is delivery being stuck.
QUEUE_AGE_LIMIT: Final = Duration.minutes(10)
# What each function alarm is about, for the alarm description (read in Chat and in the e-mail).
FUNCTION_ROLES: Final = {
    "chat": "answers Google Chat (commands, space membership, card clicks)",
    "fanout": "posts CloudWatch alarms to the subscribed Chat spaces",
}


@dataclass(frozen=True)
class FunctionTrouble:
    """One alarm every bot function gets: ``kind`` names it, ``what_happened`` ends its description."""

    kind: str
    what_happened: str
    metric: Callable[[lambda_.IFunction], cloudwatch.IMetric]


# Errors and throttles: at least one in a 5-minute period is worth a look.
FUNCTION_TROUBLES: Final = (
    FunctionTrouble(
        "Errors",
        "failed at least once in 5 minutes. See its log group for the error.",
        lambda function: function.metric_errors(period=PERIOD, statistic=cloudwatch.Stats.SUM),
    ),
    FunctionTrouble(
        "Throttles",
        "was throttled at least once in 5 minutes: the account's Lambda concurrency is exhausted.",
        lambda function: function.metric_throttles(period=PERIOD, statistic=cloudwatch.Stats.SUM),
    ),
)


class SelfMonitoring(Construct):
    """``alarms`` (errors and throttles per function, dead-letter queue depth) and ``ops_topic``.

    ``functions`` maps a short label (``chat``, ``fanout``; it becomes part of the alarm names) to
    the function. ``ops_topic`` is ``None`` without ``ops_email``. ``key`` encrypts the ops topic
    (needed only with ``ops_email``); it must let CloudWatch use it, as the alarm topic's key does.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: Mapping[str, lambda_.IFunction],
        dead_letter_queue: sqs.IQueue,
        delivery_queue: sqs.IQueue,
        alarm_topic: sns.ITopic,
        key: kms.IKey | None,
        ops_email: str | None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._prefix = Stack.of(self).stack_name
        self.ops_topic: sns.Topic | None = None
        targets: list[sns.ITopic] = [alarm_topic]
        if ops_email is not None:
            if key is None:
                raise ValueError("an ops topic (ops_email) needs a key that CloudWatch may use")
            ops = AlarmTopic(self, "Ops", key=key, display_name=f"{self._prefix} health")
            # Undeliverable e-mail lands in the dead-letter queue, whose alarm then reaches Chat.
            ops.topic.add_subscription(
                subscriptions.EmailSubscription(ops_email, dead_letter_queue=dead_letter_queue)
            )
            self.ops_topic = ops.topic
            targets.append(ops.topic)
        self.alarms: list[cloudwatch.Alarm] = []
        for label, function in functions.items():
            self._function_alarms(label, function)
        self._add(
            "DeadLetters",
            name="dead-letters",
            description=(
                "Alarm notifications could not be delivered and wait in the dead-letter queue (kept 14 "
                "days): read them, fix the cause, then redrive or delete them."
            ),
            metric=dead_letter_queue.metric_approximate_number_of_messages_visible(
                period=PERIOD, statistic=cloudwatch.Stats.MAXIMUM
            ),
        )
        self._add(
            "DeliveryQueueAge",
            name="delivery-queue-age",
            description=(
                "A notification has waited in the delivery queue for more than 10 minutes: delivery to "
                "Chat is stuck (Google refusing the app, a revoked key, a failing function). Run "
                "alarm-bot doctor and see the fan-out function's log group."
            ),
            metric=delivery_queue.metric_approximate_age_of_oldest_message(
                period=PERIOD, statistic=cloudwatch.Stats.MAXIMUM
            ),
            threshold=QUEUE_AGE_LIMIT.to_seconds(),
        )
        for alarm in self.alarms:
            for topic in targets:
                alarm.add_alarm_action(actions.SnsAction(topic))
                alarm.add_ok_action(actions.SnsAction(topic))

    def _function_alarms(self, label: str, function: lambda_.IFunction) -> None:
        role = FUNCTION_ROLES.get(label, "is part of the alarm chat bot")
        for trouble in FUNCTION_TROUBLES:
            self._add(
                f"{label.capitalize()}{trouble.kind}",
                name=f"{label}-{trouble.kind.lower()}",
                description=f"The {label} function, which {role}, {trouble.what_happened}",
                metric=trouble.metric(function),
            )

    def _add(
        self,
        construct_id: str,
        *,
        name: str,
        description: str,
        metric: cloudwatch.IMetric,
        threshold: float = 1,
    ) -> None:
        """At least ``threshold`` in one 5-minute period; no data (nothing happened) is no problem."""
        self.alarms.append(
            cloudwatch.Alarm(
                self,
                construct_id,
                alarm_name=f"{self._prefix}-{name}",
                alarm_description=description,
                metric=metric,
                threshold=threshold,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
        )
