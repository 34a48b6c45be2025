"""The bot's event bus: named for the stack, open to the trusted accounts and the organization only,
and one rule that puts whatever forwarders send on the delivery queue like the default bus's rule."""

from __future__ import annotations

from typing import Any

from aws_cdk.assertions import Template

from tests.infra.alarm_rule_expectations import assert_rule_takes_every_alarm_state_change
from tests.infra.template_queries import (
    ALL_FEATURES,
    Variant,
    account_root,
    actions,
    alarm_bus_rule,
    alarm_state_rule,
    dead_letter_queue,
    delivery_queue,
    only,
    queue_arn,
)

BUS = "AWS::Events::EventBus"
BUS_NAME = "AlarmChatBot-alarms"


def bus_arn_join() -> dict[str, Any]:
    """``arn:<partition>:events:<region>:<account>:event-bus/AlarmChatBot-alarms`` as CDK renders it."""
    parts = [
        "arn:",
        {"Ref": "AWS::Partition"},
        ":events:",
        {"Ref": "AWS::Region"},
        ":",
        {"Ref": "AWS::AccountId"},
        f":event-bus/{BUS_NAME}",
    ]
    return {"Fn::Join": ["", parts]}


def bus_policy(template: Template) -> dict[str, Any]:
    policy: dict[str, Any] = only(template, BUS)[1]["Properties"]["Policy"]
    return policy


def test_the_bus_is_named_for_the_stack_and_output(stack_template: Template) -> None:
    """A stable name (forwarders deployed once keep finding it) that two copies of the stack can share."""
    bus_id, bus = only(stack_template, BUS)
    assert bus["Properties"]["Name"] == BUS_NAME
    assert "Policy" not in bus["Properties"]  # by default only this account's forwarders, through IAM
    stack_template.resource_count_is("AWS::Events::EventBusPolicy", 0)
    stack_template.has_output("AlarmEventBusArn", {"Value": {"Fn::GetAtt": [bus_id, "Arn"]}})
    stack_template.has_output("AlarmEventBusName", {"Value": {"Ref": bus_id}})


def test_trusted_accounts_may_put_events(synth_variant: Variant) -> None:
    template = synth_variant({"trustedAccountIds": ["111122223333", "444455556666"]})
    assert bus_policy(template) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "TrustedAccountsPutEvents",
                "Effect": "Allow",
                "Principal": {"AWS": [account_root(a)["AWS"] for a in ("111122223333", "444455556666")]},
                "Action": "events:PutEvents",
                "Resource": bus_arn_join(),
            }
        ],
    }
    template.resource_count_is("AWS::Events::EventBusPolicy", 0)  # statement ids clash account-wide


def test_an_organization_may_put_events_through_principal_org_id(synth_variant: Variant) -> None:
    template = synth_variant({"organizationId": "o-a1b2c3d4e5"})
    assert bus_policy(template)["Statement"] == [
        {
            "Sid": "OrganizationPutEvents",
            "Effect": "Allow",
            "Principal": "*",
            "Action": "events:PutEvents",
            "Resource": bus_arn_join(),
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        }
    ]


def test_nothing_but_put_events_is_granted(synth_variant: Variant) -> None:
    statements = bus_policy(synth_variant(ALL_FEATURES))["Statement"]
    assert [statement["Sid"] for statement in statements] == [
        "TrustedAccountsPutEvents",
        "OrganizationPutEvents",
    ]
    assert all(statement["Action"] == "events:PutEvents" for statement in statements)
    (anyone,) = [statement for statement in statements if statement["Principal"] == "*"]
    assert anyone["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}


def test_the_bus_rule_delivers_every_alarm_state_change_to_the_queue(stack_template: Template) -> None:
    """The forwarders choose the alarms; the same target settings as the default bus's rule."""
    rule = alarm_bus_rule(stack_template)[1]
    properties = rule["Properties"]
    assert properties["EventBusName"] == {"Ref": only(stack_template, BUS)[0]}
    assert_rule_takes_every_alarm_state_change(properties)
    assert properties["Targets"] == [
        {
            "Id": "Target0",
            "Arn": queue_arn(delivery_queue(stack_template)),
            "DeadLetterConfig": {"Arn": queue_arn(dead_letter_queue(stack_template))},
            "RetryPolicy": {"MaximumRetryAttempts": 8, "MaximumEventAgeInSeconds": 6 * 3600},
        }
    ]
    assert "forwarded from other regions and accounts" in properties["Description"]


def test_the_bus_rule_has_the_default_rules_target_settings(synth_variant: Variant) -> None:
    template = synth_variant(ALL_FEATURES)
    on_bus = alarm_bus_rule(template)[1]["Properties"]["Targets"]
    on_default = alarm_state_rule(template)[1]["Properties"]["Targets"]
    assert on_bus == on_default


def queue_policy_statements(template: Template, queue_id: str) -> list[dict[str, Any]]:
    (policy,) = [
        resource["Properties"]["PolicyDocument"]
        for resource in template.find_resources("AWS::SQS::QueuePolicy").values()
        if resource["Properties"]["Queues"] == [{"Ref": queue_id}]
    ]
    statements: list[dict[str, Any]] = policy["Statement"]
    return statements


def test_both_queues_let_the_bus_rule_send(stack_template: Template) -> None:
    """targets.SqsQueue adds the statements; SSE-SQS encryption needs no key policy for EventBridge."""
    rule_arn = {"Fn::GetAtt": [alarm_bus_rule(stack_template)[0], "Arn"]}
    for queue in (delivery_queue(stack_template), dead_letter_queue(stack_template)):
        assert queue[1]["Properties"]["SqsManagedSseEnabled"] is True
        assert "KmsMasterKeyId" not in queue[1]["Properties"]
        (statement,) = [
            s
            for s in queue_policy_statements(stack_template, queue[0])
            if s.get("Condition") == {"ArnEquals": {"aws:SourceArn": rule_arn}}
        ]
        assert statement["Effect"] == "Allow"
        assert statement["Principal"] == {"Service": "events.amazonaws.com"}
        assert "sqs:SendMessage" in actions(statement)
        assert statement["Resource"] == queue_arn(queue)


def test_the_construct_exposes_the_bus() -> None:
    from aws_cdk import App, Stack

    from chatbot_stack.bot import AlarmChatBot
    from chatbot_stack.config import BotConfig

    stack = Stack(App(context={"aws:cdk:bundling-stacks": []}), "UserStack")
    bot = AlarmChatBot(stack, "Bot", config=BotConfig(chat_audience="123456789012"))
    bus_id = only(Template.from_stack(stack), BUS)[0]
    assert stack.resolve(bot.event_bus.event_bus_arn) == {"Fn::GetAtt": [bus_id, "Arn"]}
    assert stack.resolve(bot.alarm_bus.rule.rule_arn) == {
        "Fn::GetAtt": [alarm_bus_rule(Template.from_stack(stack))[0], "Arn"]
    }
