"""The bot's own alarms, the optional ops e-mail topic, and the construct API a CDK user sees."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from tests.infra.template_queries import (
    ALL_FEATURES,
    CHAT_HANDLER,
    FANOUT_HANDLER,
    Variant,
    account_root,
    dead_letter_queue,
    delivery_queue,
    function,
    only,
    ref,
    statements_for,
)

ALARM = "AWS::CloudWatch::Alarm"
EXPECTED_ALARMS = {
    "AlarmChatBot-chat-errors": ("AWS/Lambda", "Errors", "Sum", CHAT_HANDLER),
    "AlarmChatBot-chat-throttles": ("AWS/Lambda", "Throttles", "Sum", CHAT_HANDLER),
    "AlarmChatBot-fanout-errors": ("AWS/Lambda", "Errors", "Sum", FANOUT_HANDLER),
    "AlarmChatBot-fanout-throttles": ("AWS/Lambda", "Throttles", "Sum", FANOUT_HANDLER),
    "AlarmChatBot-dead-letters": ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", None),
    "AlarmChatBot-delivery-queue-age": ("AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", None),
}


def topic_ref(template: Template, display_name: str) -> dict[str, str]:
    topics = template.find_resources("AWS::SNS::Topic", {"Properties": {"DisplayName": display_name}})
    assert len(topics) == 1, sorted(topics)
    return {"Ref": next(iter(topics))}


def alarms_by_name(template: Template) -> dict[str, dict[str, Any]]:
    return {
        resource["Properties"]["AlarmName"]: resource["Properties"]
        for resource in template.find_resources(ALARM).values()
    }


def test_alarms_watch_both_functions_and_the_dead_letter_queue(stack_template: Template) -> None:
    alarms = alarms_by_name(stack_template)
    assert set(alarms) == set(EXPECTED_ALARMS)
    queues = {
        "AlarmChatBot-dead-letters": dead_letter_queue(stack_template)[0],
        "AlarmChatBot-delivery-queue-age": delivery_queue(stack_template)[0],
    }
    for name, (namespace, metric, statistic, handler) in EXPECTED_ALARMS.items():
        alarm = alarms[name]
        assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (namespace, metric, statistic)
        assert alarm["Period"] == 300
        assert alarm["EvaluationPeriods"] == 1
        assert alarm["Threshold"] == (600 if name.endswith("queue-age") else 1)  # 10 minutes waiting
        assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarm["TreatMissingData"] == "notBreaching"
        assert len(alarm["AlarmDescription"]) > 40
        if handler is None:
            queue_name = {"Fn::GetAtt": [queues[name], "QueueName"]}
            assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": queue_name}]
        else:
            function_ref = {"Ref": function(stack_template, handler)[0]}
            assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": function_ref}]


def test_alarms_report_to_the_bots_own_topic_only_by_default(stack_template: Template) -> None:
    topic = topic_ref(stack_template, "CloudWatch alarms to Google Chat")
    for alarm in alarms_by_name(stack_template).values():
        assert alarm["AlarmActions"] == [topic]
        assert alarm["OKActions"] == [topic]
    stack_template.resource_count_is("AWS::SNS::Topic", 1)
    stack_template.resource_count_is("AWS::SNS::Subscription", 1)  # the delivery queue
    assert "OpsTopicArn" not in stack_template.find_outputs("*")


def test_ops_email_gets_its_own_encrypted_topic(synth_variant: Variant) -> None:
    template = synth_variant(ALL_FEATURES)
    ops = topic_ref(template, "AlarmChatBot health")
    alarm_topic = topic_ref(template, "CloudWatch alarms to Google Chat")
    key_arn = {"Fn::GetAtt": [only(template, "AWS::KMS::Key")[0], "Arn"]}
    template.has_resource_properties(
        "AWS::SNS::Topic", {"DisplayName": "AlarmChatBot health", "KmsMasterKeyId": key_arn}
    )
    for alarm in alarms_by_name(template).values():
        assert alarm["AlarmActions"] == [alarm_topic, ops]
        assert alarm["OKActions"] == [alarm_topic, ops]
    template.has_resource_properties(
        "AWS::SNS::Subscription",
        {
            "Protocol": "email",
            "Endpoint": "ops@example.com",
            "TopicArn": ops,
            "RedrivePolicy": {"deadLetterTargetArn": Match.any_value()},
        },
    )
    protocols = sorted(
        s["Properties"]["Protocol"] for s in template.find_resources("AWS::SNS::Subscription").values()
    )
    assert protocols == ["email", "sqs"]
    template.has_output("OpsTopicArn", {"Value": ops})


def test_ops_topic_is_https_only_and_publishable_by_alarms(synth_variant: Variant) -> None:
    template = synth_variant(ALL_FEATURES)
    ops = topic_ref(template, "AlarmChatBot health")
    (policy,) = [
        resource["Properties"]["PolicyDocument"]
        for resource in template.find_resources("AWS::SNS::TopicPolicy").values()
        if resource["Properties"]["Topics"] == [ops]
    ]
    sids = {statement.get("Sid") for statement in policy["Statement"]}
    assert {"AllowPublishThroughSSLOnly", "OwnerAccount", "CloudWatchAlarmsOfThisAccount"} == sids
    (cloudwatch,) = statements_for(policy, {"Service": "cloudwatch.amazonaws.com"})
    assert cloudwatch["Action"] == "sns:Publish"
    assert statements_for(policy, account_root("111122223333")) == []  # trusted accounts: alarm topic only


def test_user_alarms_can_name_the_bots_topic() -> None:
    """What a CDK user writes: ``alarm.add_alarm_action(SnsAction(bot.topic))``."""
    from aws_cdk import App, CfnElement, Duration, Stack
    from aws_cdk import aws_cloudwatch as cloudwatch
    from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions

    from chatbot_stack.bot import AlarmChatBot
    from chatbot_stack.config import BotConfig

    stack = Stack(App(context={"aws:cdk:bundling-stacks": []}), "UserStack")
    bot = AlarmChatBot(
        stack, "Bot", config=BotConfig(chat_audience="123456789012", ops_email="ops@example.com")
    )
    metric = cloudwatch.Metric(namespace="Shop", metric_name="Orders", period=Duration.minutes(1))
    alarm = metric.create_alarm(stack, "NoOrders", threshold=1, evaluation_periods=1)
    alarm.add_alarm_action(cloudwatch_actions.SnsAction(bot.topic))

    template = Template.from_stack(stack)
    cfn_topic = bot.topic.node.default_child
    assert isinstance(cfn_topic, CfnElement)
    topic_id = stack.get_logical_id(cfn_topic)
    template.has_resource_properties(ALARM, {"MetricName": "Orders", "AlarmActions": [{"Ref": topic_id}]})
    assert len(bot.alarms) == 6
    assert bot.ops_topic is not None
    assert bot.alarm_state_rule is None
    for resource in (bot.delivery_function, bot.dead_letter_queue, bot.credentials_secret, bot.topic_key):
        assert resource.node.scope is not None


@pytest.mark.parametrize("missing", ["", None])
def test_no_ops_topic_without_an_address(synth_variant: Variant, missing: str | None) -> None:
    template = synth_variant({"opsEmail": missing})
    assert ref(template, "AWS::SNS::Topic") == topic_ref(template, "CloudWatch alarms to Google Chat")
