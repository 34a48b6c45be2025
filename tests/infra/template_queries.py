"""Small lookups on synthesized templates, shared by the infra tests.

Logical ids carry CDK hashes, so tests find resources by what they are (type, handler, principal)
and compare references (``{"Ref": id}``, ``{"Fn::GetAtt": [id, "Arn"]}``) built from the ids found.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aws_cdk.assertions import Match, Template

FUNCTION = "AWS::Lambda::Function"
CHAT_HANDLER = "alarm_bot.handlers.chat_events.handler"
FANOUT_HANDLER = "alarm_bot.handlers.alarm_events.handler"
CHART_HANDLER = "alarm_bot.handlers.chart_images.handler"
# Everything switched on that is off by default.
ALL_FEATURES: Mapping[str, object] = {
    "alarmNamePrefixes": ["prod-", "api-"],
    "trustedAccountIds": ["111122223333"],
    "organizationId": "o-a1b2c3d4e5",
    "accountNames": {"111122223333": "prod"},
    "opsEmail": "ops@example.com",
}

# What CloudFormation resolves the references in the delivery function's environment to, and the
# region, which is not in the template: Lambda sets it.
RESOLVED_DELIVERY_ENV: Mapping[str, str] = {
    "SUBSCRIPTIONS_TABLE": "AlarmChatBot-Table-ABC",
    "GOOGLE_CREDENTIALS_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf",
    "CHAT_ENDPOINT_URL": "https://abc123.execute-api.us-east-1.amazonaws.com/chat",
    "DELIVERY_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/AlarmChatBot-Delivery",
    "DEAD_LETTER_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/AlarmChatBot-DeadLetters",
    "CHARTS_BUCKET": "alarmchatbot-botchartsbucket-abc",
    "CHARTS_URL": "https://abc123.execute-api.us-east-1.amazonaws.com/charts",
    "AWS_REGION": "us-east-1",
}

Variant = Callable[[Mapping[str, object]], Template]


def synthesize(context: Mapping[str, object]) -> Template:
    """A fresh, uncached synthesis of the stack for exactly ``context`` (no cdk.json, no bundling).

    For comparing two variants made back to back: the Lambda asset's hash follows the source tree,
    so variants synthesized minutes apart in one session may differ in ``Code`` alone.
    """
    from aws_cdk import App

    from chatbot_stack.config import BotConfig
    from chatbot_stack.stack import AlarmChatBotStack

    app = App(context={**context, "aws:cdk:bundling-stacks": []})
    return Template.from_stack(
        AlarmChatBotStack(app, "AlarmChatBot", config=BotConfig.from_context(app.node))
    )


def only(template: Template, resource_type: str) -> tuple[str, Mapping[str, Any]]:
    resources = template.find_resources(resource_type)
    assert len(resources) == 1, f"expected one {resource_type}, found {sorted(resources)}"
    return next(iter(resources.items()))


def function(template: Template, handler: str) -> tuple[str, Mapping[str, Any]]:
    """The function running ``handler`` (exactly one)."""
    found = template.find_resources(FUNCTION, {"Properties": {"Handler": handler}})
    assert len(found) == 1, f"expected one function for {handler}, found {sorted(found)}"
    return next(iter(found.items()))


def alias(template: Template, handler: str) -> tuple[str, Mapping[str, Any]]:
    """The ``live`` alias of the function running ``handler`` (exactly one alias per function)."""
    function_id = function(template, handler)[0]
    found = template.find_resources(
        "AWS::Lambda::Alias", {"Properties": {"FunctionName": {"Ref": function_id}}}
    )
    assert len(found) == 1, f"expected one alias of {handler}, found {sorted(found)}"
    return next(iter(found.items()))


def alias_ref(template: Template, handler: str) -> dict[str, str]:
    """``{"Ref": alias}``: the alias ARN, what every caller of the function must name."""
    return {"Ref": alias(template, handler)[0]}


def pattern_rules(template: Template, *, on_custom_bus: bool) -> dict[str, Mapping[str, Any]]:
    """Rules with an event pattern (the keep-warm rule has a schedule) on the default or a custom bus."""
    found = template.find_resources("AWS::Events::Rule", {"Properties": {"EventPattern": Match.any_value()}})
    return {
        key: rule for key, rule in found.items() if ("EventBusName" in rule["Properties"]) == on_custom_bus
    }


def alarm_state_rule(template: Template) -> tuple[str, Mapping[str, Any]]:
    """The ``alarmNamePrefixes`` rule: the one with an event pattern on the default bus."""
    found = pattern_rules(template, on_custom_bus=False)
    assert len(found) == 1, f"expected one alarm state rule, found {sorted(found)}"
    return next(iter(found.items()))


def alarm_bus_rule(template: Template) -> tuple[str, Mapping[str, Any]]:
    """The rule on the bot's event bus: what forwarders send, to the delivery queue."""
    found = pattern_rules(template, on_custom_bus=True)
    assert len(found) == 1, f"expected one rule on the alarm bus, found {sorted(found)}"
    return next(iter(found.items()))


def environment(template: Template, handler: str) -> dict[str, Any]:
    variables: dict[str, Any] = function(template, handler)[1]["Properties"]["Environment"]["Variables"]
    return variables


def ref(template: Template, resource_type: str) -> dict[str, str]:
    return {"Ref": only(template, resource_type)[0]}


def arn(template: Template, resource_type: str) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [only(template, resource_type)[0], "Arn"]}


def role_statements(template: Template, handler: str) -> list[dict[str, Any]]:
    """Every statement the function's role gets: inline policies and attached ``AWS::IAM::Policy``."""
    role_id = function(template, handler)[1]["Properties"]["Role"]["Fn::GetAtt"][0]
    role = template.find_resources("AWS::IAM::Role")[role_id]
    assert "ManagedPolicyArns" not in role["Properties"]
    statements = [
        statement
        for policy in role["Properties"]["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
    ]
    for policy in template.find_resources("AWS::IAM::Policy").values():
        if {"Ref": role_id} in policy["Properties"]["Roles"]:
            assert policy["Properties"]["Roles"] == [{"Ref": role_id}]
            statements.extend(policy["Properties"]["PolicyDocument"]["Statement"])
    return statements


def actions(statement: Mapping[str, Any]) -> list[str]:
    action = statement["Action"]
    return [action] if isinstance(action, str) else list(action)


def statements_for(policy: Mapping[str, Any], principal: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Statements of a resource policy document whose ``Principal`` is exactly ``principal``."""
    return [s for s in policy["Statement"] if s.get("Principal") == principal]


def any_alarm_arn() -> dict[str, Any]:
    """What ``Stack.format_arn`` renders for every alarm of an environment-agnostic stack."""
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":cloudwatch:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":alarm:*",
            ],
        ]
    }


def account_root(account: str | None = None) -> dict[str, Any]:
    """``arn:<partition>:iam::<account>:root`` as CDK renders it (this account when ``None``)."""
    if account is None:
        parts: list[Any] = ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"]
    else:
        parts = ["arn:", {"Ref": "AWS::Partition"}, f":iam::{account}:root"]
    return {"AWS": {"Fn::Join": ["", parts]}}


def condition_holds(template: Template, name: str, pseudo: Mapping[str, str]) -> bool:
    """Evaluate the template's condition ``name`` as CloudFormation would, for pseudo parameters."""
    document: Mapping[str, Any] = template.to_json()
    conditions: Mapping[str, Any] = document["Conditions"]

    def value(expression: Any) -> Any:
        if isinstance(expression, dict) and set(expression) == {"Ref"}:
            return pseudo[expression["Ref"]]
        if isinstance(expression, dict) and set(expression) == {"Fn::FindInMap"}:
            mapping, first, second = expression["Fn::FindInMap"]
            return document["Mappings"][mapping][first][second]
        return expression

    def holds(expression: Mapping[str, Any]) -> bool:
        ((function, arguments),) = expression.items()
        if function == "Fn::And":
            return all(holds(argument) for argument in arguments)
        if function == "Fn::Or":
            return any(holds(argument) for argument in arguments)
        if function == "Fn::Not":
            return not holds(arguments[0])
        if function == "Fn::Equals":
            return bool(value(arguments[0]) == value(arguments[1]))
        if function == "Condition":
            return holds(conditions[arguments])
        raise AssertionError(f"not a condition function: {function}")

    return holds(conditions[name])


NO_VALUE = {"Ref": "AWS::NoValue"}


def resolve_conditions(template: Template, value: Any, pseudo: Mapping[str, str]) -> Any:
    """``value`` with every ``Fn::If`` decided for ``pseudo`` and ``AWS::NoValue`` dropped.

    What CloudFormation compares when it decides whether a resource changed: the properties after
    conditions, not the template text.
    """
    if isinstance(value, dict) and set(value) == {"Fn::If"}:
        name, when_true, when_false = value["Fn::If"]
        chosen = when_true if condition_holds(template, name, pseudo) else when_false
        return resolve_conditions(template, chosen, pseudo)
    if isinstance(value, dict):
        resolved = {key: resolve_conditions(template, item, pseudo) for key, item in value.items()}
        return {key: item for key, item in resolved.items() if item != NO_VALUE}
    if isinstance(value, list):
        return [resolve_conditions(template, item, pseudo) for item in value]
    return value


QUEUE = "AWS::SQS::Queue"


def delivery_queue(template: Template) -> tuple[str, Mapping[str, Any]]:
    """The delivery queue: the one queue with a redrive policy (its dead letters go to the other)."""
    found = template.find_resources(QUEUE, {"Properties": {"RedrivePolicy": Match.any_value()}})
    assert len(found) == 1, f"expected one delivery queue, found {sorted(found)}"
    return next(iter(found.items()))


def dead_letter_queue(template: Template) -> tuple[str, Mapping[str, Any]]:
    """The dead-letter queue: the queue the delivery queue's redrive policy names."""
    target = delivery_queue(template)[1]["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]
    queue_id = target["Fn::GetAtt"][0]
    return queue_id, template.find_resources(QUEUE)[queue_id]


def queue_ref(found: tuple[str, Mapping[str, Any]]) -> dict[str, str]:
    return {"Ref": found[0]}


def queue_arn(found: tuple[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    return {"Fn::GetAtt": [found[0], "Arn"]}
