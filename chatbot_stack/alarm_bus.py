"""The bot's own EventBridge event bus: alarms of every other region and account come in here.

An EventBridge rule sees only the events of its own region and account, so alarms elsewhere reach
the bot through a forwarder stack (:mod:`chatbot_stack.forwarder`) deployed where they are: its rule
on that default bus sends the alarm state changes to this bus, and this bus's rule puts them on the
delivery queue like the rule for this account's alarms does. The events keep their envelope, so the
fan-out function reads the alarm's account and region from ``account`` and ``region``.

Who may put events here: this account's forwarders through IAM alone (same account), the trusted
accounts' and the organization's through the bus's resource policy, written as the bus's ``Policy``
property. Separate ``AWS::Events::EventBusPolicy`` resources (what ``add_to_resource_policy`` makes)
are named by their statement id account-wide, so two copies of the stack in one account would clash.
"""

from __future__ import annotations

from typing import Final

from aws_cdk import Stack
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chatbot_stack.alarm_rule import AlarmStateRule
from chatbot_stack.alarm_topic import AlarmSources

NAME_SUFFIX: Final = "-alarms"
PUT_EVENTS: Final = "events:PutEvents"


def alarm_bus_name(scope: Construct) -> str:
    """``<stack name>-alarms``: stable, so forwarders deployed once keep finding it."""
    return f"{Stack.of(scope).stack_name}{NAME_SUFFIX}"


def bus_policy(bus_arn: str, sources: AlarmSources) -> iam.PolicyDocument | None:
    """``events:PutEvents`` for the trusted accounts and the organization; ``None`` when neither is set."""
    statements = []
    if sources.trusted_account_ids:
        statements.append(
            iam.PolicyStatement(
                sid="TrustedAccountsPutEvents",
                principals=[iam.AccountPrincipal(account) for account in sources.trusted_account_ids],
                actions=[PUT_EVENTS],
                resources=[bus_arn],
            )
        )
    if sources.organization_id is not None:
        statements.append(
            iam.PolicyStatement(
                sid="OrganizationPutEvents",
                principals=[iam.StarPrincipal()],
                actions=[PUT_EVENTS],
                resources=[bus_arn],
                conditions={"StringEquals": {"aws:PrincipalOrgID": sources.organization_id}},
            )
        )
    return iam.PolicyDocument(statements=statements) if statements else None


class AlarmEventBus(Construct):
    """``bus`` (named by :func:`alarm_bus_name`) and ``rule``: its alarm state changes to ``queue``.

    The rule takes every alarm state change on the bus: the forwarders decide which alarms to send.
    Failures to deliver go to ``dead_letter_queue``, with the same retries as the default bus's rule.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        sources: AlarmSources,
        queue: sqs.IQueue,
        dead_letter_queue: sqs.IQueue,
    ) -> None:
        super().__init__(scope, construct_id)
        name = alarm_bus_name(self)
        self.bus = events.EventBus(
            self,
            "Bus",
            event_bus_name=name,
            description="CloudWatch alarm state changes forwarded from other regions and accounts",
        )
        # The bus's own ARN, built from its name: a GetAtt in its own properties would be circular.
        bus_arn = Stack.of(self).format_arn(service="events", resource="event-bus", resource_name=name)
        policy = bus_policy(bus_arn, sources)
        cfn_bus = self.bus.node.default_child
        if policy is not None and isinstance(cfn_bus, events.CfnEventBus):
            cfn_bus.policy = policy
        self.rule = AlarmStateRule(
            self, "Forwarded", queue=queue, dead_letter_queue=dead_letter_queue, event_bus=self.bus
        ).rule
