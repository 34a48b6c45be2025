"""Stack ``AlarmChatBotForwarder``: the alarms of one more region or account, sent on to the bot.

An EventBridge rule sees only its own region's and account's events, so this small stack goes where
the alarms are (each other region of the bot's account, each other account): a rule on that
default bus sends the alarm state changes to the bot's event bus (:mod:`chatbot_stack.alarm_bus`).
The alarms need no action and their owners need not know about the bot.

Why it is built this way:

- One template for every account and region. The bus ARN is the CloudFormation parameter
  ``AlarmBusArn`` (the context key ``alarmBusArn`` only gives it a default), so the same file serves
  ``cdk deploy`` and a StackSet, whose template cannot vary per account. The name prefixes are
  baked in at synth from ``alarmNamePrefixes`` (none: every alarm): an event pattern's list of
  ``{"prefix": ...}`` objects cannot be built from a list parameter.
- No CDK bootstrap. :class:`aws_cdk.LegacyStackSynthesizer` adds no asset, no deploy or execution
  role and no ``BootstrapVersion`` parameter or rule; the template is small enough for the CLI to
  pass inline, so ``cdk deploy`` works with the shell's credentials where nobody bootstrapped.
  Version reporting is off too: no ``AWS::CDK::Metadata`` in a StackSet.
- A role of its own. EventBridge must assume a role to put events on a bus in another region or
  account; this one may only ``events:PutEvents`` on that one bus.
- Nothing dropped unseen. A bus target has no configurable retry policy (EventBridge retries for
  up to 24 hours, 185 times); what still fails (the bus deleted, a bus policy that no longer admits
  this account) goes to an encrypted dead-letter queue kept 14 days, not into the void. The rule's
  ``InvocationsSentToDlq`` metric and the queue's depth show it; no alarm is added here, as its
  state change would travel the same broken path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from aws_cdk import CfnOutput, CfnParameter, LegacyStackSynthesizer, Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chatbot_stack import config_accounts as accounts
from chatbot_stack import config_values as parse
from chatbot_stack.alarm_rule import alarm_state_pattern, rule_description
from chatbot_stack.context_settings import ContextSettings
from chatbot_stack.encrypted_queues import unconsumed_dead_letter_queue

FORWARDER_STACK_ID: Final = "AlarmChatBotForwarder"
BUS_ARN_PARAMETER: Final = "AlarmBusArn"
# The context keys the forwarder reads → (ForwarderConfig's field, parser); absent: the field's default.
FORWARDER_CONTEXT_FIELDS: Final[Mapping[str, tuple[str, parse.Parser]]] = MappingProxyType(
    {
        "alarmNamePrefixes": ("alarm_name_prefixes", parse.alarm_name_prefixes),
        "alarmBusArn": ("alarm_bus_arn", accounts.event_bus_arn),
    }
)


@dataclass(frozen=True)
class ForwarderConfig(ContextSettings):
    """The forwarder's settings: which alarms (``alarmNamePrefixes``) and the bus ARN's default."""

    alarm_name_prefixes: tuple[str, ...] = ()
    alarm_bus_arn: str | None = None

    @classmethod
    def context_fields(cls) -> Mapping[str, tuple[str, parse.Parser]]:
        """:data:`FORWARDER_CONTEXT_FIELDS`: the forwarder's keys only."""
        return FORWARDER_CONTEXT_FIELDS


class AlarmForwarderStack(Stack):
    """The rule, its role and its dead-letter queue; ``kwargs`` go to :class:`aws_cdk.Stack`."""

    def __init__(
        self, scope: Construct, construct_id: str, *, config: ForwarderConfig, **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "description", "Forwards CloudWatch alarm state changes to the Google Chat alarm bot's event bus"
        )
        kwargs.setdefault("synthesizer", LegacyStackSynthesizer())
        kwargs.setdefault("analytics_reporting", False)
        super().__init__(scope, construct_id, **kwargs)
        self.bus_arn = self._bus_arn_parameter(config.alarm_bus_arn)
        self.dead_letter_queue = self._dead_letter_queue()
        self.role = iam.Role(
            self,
            "PutEventsRole",
            assumed_by=iam.ServicePrincipal("events.amazonaws.com"),
            description="Lets EventBridge put alarm state changes on the alarm chat bot's event bus",
        )
        self.rule = events.Rule(
            self,
            "AlarmStateChanges",
            description=rule_description(
                config.alarm_name_prefixes,
                to="To the alarm chat bot's event bus",
                alarms="every CloudWatch alarm of this account and region",
            ),
            event_pattern=alarm_state_pattern(config.alarm_name_prefixes),
        )
        bus = events.EventBus.from_event_bus_arn(self, "BotBus", self.bus_arn.value_as_string)
        # The target grants the role events:PutEvents on the bus and lets the rule send to the queue.
        self.rule.add_target(targets.EventBus(bus, role=self.role, dead_letter_queue=self.dead_letter_queue))
        CfnOutput(
            self,
            "DeadLetterQueueUrl",
            value=self.dead_letter_queue.queue_url,
            description="Alarm state changes that could not be forwarded to the bot (kept 14 days)",
        )

    def _bus_arn_parameter(self, default: str | None) -> CfnParameter:
        """``AlarmBusArn``: checked by CloudFormation, so a StackSet with a typo fails at once."""
        return CfnParameter(
            self,
            BUS_ARN_PARAMETER,
            type="String",
            description="ARN of the alarm chat bot's event bus (output AlarmEventBusArn of its stack)",
            allowed_pattern=accounts.EVENT_BUS_ARN.pattern,
            constraint_description="an event bus ARN, arn:aws:events:<region>:<account>:event-bus/<name>",
            default=default,
        )

    def _dead_letter_queue(self) -> sqs.Queue:
        return unconsumed_dead_letter_queue(
            self,
            "DeadLetters",
            reason=(
                "This queue is itself the dead-letter queue of the forwarding rule's target: nothing "
                "consumes it, so a redrive policy of its own would never trigger; its depth is the signal."
            ),
        )
