"""A schedule that keeps the functions' SnapStart versions active in a quiet account.

Lambda marks a SnapStart version ``Inactive`` after 14 days without an invocation, and invoking an
inactive version fails (``SnapStartNotReadyException``) until Lambda has initialized it again: the
first Chat command after a quiet fortnight would get an error, and the first alarm would wait for
Lambda's retries. Every few hours this rule sends both ``live`` aliases a ping the handlers answer
at once (``alarm_bot.keep_warm``), so a version is never idle that long and one that Lambda recycled
is initialized again by a ping rather than by a person.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from alarm_bot.keep_warm import KEEP_WARM_EVENT  # what the handlers answer at once
from chatbot_stack.nag import acknowledge

INTERVAL: Final = Duration.hours(6)


class SnapshotKeepWarm(Construct):
    """``rule``: every :data:`INTERVAL`, the keep-warm ping to each of ``functions`` (their aliases)."""

    def __init__(
        self, scope: Construct, construct_id: str, *, functions: Sequence[lambda_.IFunction]
    ) -> None:
        super().__init__(scope, construct_id)
        self.rule = events.Rule(
            self,
            "Schedule",
            description="Keeps the chat bot's SnapStart versions active (Lambda idles them after 14 days)",
            schedule=events.Schedule.rate(INTERVAL),
        )
        for function in functions:
            # A lost ping costs nothing: the next one comes within INTERVAL, so no retries, no queue.
            self.rule.add_target(
                targets.LambdaFunction(
                    function, event=events.RuleTargetInput.from_object(KEEP_WARM_EVENT), retry_attempts=0
                )
            )
        acknowledge(
            self.rule.node.default_child or self.rule,
            "Serverless-EventBusDLQ",
            "The targets get a keep-warm ping that carries no data; a ping that cannot be delivered "
            "is replaced by the next one within hours, so a dead-letter queue would only collect noise.",
        )
