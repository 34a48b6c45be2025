"""``AlarmChatBot`` in someone else's stack, with the team's own subscriptions table and alarm topic.

The bot then creates neither (nor a KMS key, unless ``opsEmail`` needs one for its ops topic); its
functions, subscriptions and health alarms point at the given ones, and cdk-nag stays clean as it
does for the bot's own stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk.assertions import Match, Template

from tests.infra.conftest import PROJECT_NUMBER
from tests.infra.template_queries import (
    CHAT_HANDLER,
    FANOUT_HANDLER,
    actions,
    delivery_queue,
    environment,
    queue_arn,
    role_statements,
)
from tests.support.nag_synth import synth_template_with_nag

STACK = "TeamStack"
TABLE_NAME = "team-subscriptions"
TOPIC_NAME = "team-alarms"


@dataclass(frozen=True)
class Embedded:
    """The team's stack as synthesized, what the given table and topic resolve to, and nag's verdict."""

    template: Template
    table_arn: Any
    topic_arn: Any
    nag_findings: list[str]
    bot: Any


def embed(outdir: Path, **config: Any) -> Embedded:
    from aws_cdk import App, Stack
    from aws_cdk import aws_dynamodb as dynamodb
    from aws_cdk import aws_sns as sns

    from chatbot_stack.bot import AlarmChatBot
    from chatbot_stack.config import BotConfig

    app = App(outdir=str(outdir), context={"aws:cdk:bundling-stacks": []})
    stack = Stack(app, STACK)
    table = dynamodb.Table.from_table_name(stack, "TeamTable", TABLE_NAME)
    topic = sns.Topic.from_topic_arn(
        stack, "TeamAlarms", stack.format_arn(service="sns", resource=TOPIC_NAME)
    )
    bot = AlarmChatBot(
        stack, "Bot", config=BotConfig(chat_audience=PROJECT_NUMBER, **config), table=table, topic=topic
    )
    assert bot.table is table and bot.topic is topic
    synthesized = synth_template_with_nag(app, outdir, STACK)
    return Embedded(
        template=Template.from_json(synthesized.template),
        table_arn=stack.resolve(table.table_arn),
        topic_arn=stack.resolve(topic.topic_arn),
        nag_findings=synthesized.nag_findings,
        bot=bot,
    )


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Embedded:
    return embed(tmp_path_factory.mktemp("embedded"))


@pytest.fixture(scope="module")
def with_ops_email(tmp_path_factory: pytest.TempPathFactory) -> Embedded:
    return embed(tmp_path_factory.mktemp("embedded-ops"), ops_email="ops@example.com")


def test_no_table_topic_or_key_of_its_own(embedded: Embedded) -> None:
    embedded.template.resource_count_is("AWS::DynamoDB::Table", 0)
    embedded.template.resource_count_is("AWS::SNS::Topic", 0)
    embedded.template.resource_count_is("AWS::KMS::Key", 0)
    assert embedded.bot.topic_key is None and embedded.bot.subscriptions is None


def test_the_functions_use_the_given_table(embedded: Embedded) -> None:
    for handler in (CHAT_HANDLER, FANOUT_HANDLER):
        assert environment(embedded.template, handler)["SUBSCRIPTIONS_TABLE"] == TABLE_NAME
        table_statements = [
            s for s in role_statements(embedded.template, handler) if actions(s)[0].startswith("dynamodb:")
        ]
        assert len(table_statements) == 1
        assert table_statements[0]["Resource"] == embedded.table_arn


def test_the_given_topic_feeds_the_delivery_queue(embedded: Embedded) -> None:
    queue = delivery_queue(embedded.template)
    embedded.template.has_resource_properties(
        "AWS::SNS::Subscription",
        {"TopicArn": embedded.topic_arn, "Protocol": "sqs", "Endpoint": queue_arn(queue)},
    )
    embedded.template.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        {
            "Queues": [{"Ref": queue[0]}],
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Principal": {"Service": "sns.amazonaws.com"},
                                "Condition": {"ArnEquals": {"aws:SourceArn": embedded.topic_arn}},
                            }
                        )
                    ]
                )
            },
        },
    )


def test_the_health_alarms_notify_the_given_topic(embedded: Embedded) -> None:
    alarms = embedded.template.find_resources("AWS::CloudWatch::Alarm")
    assert len(alarms) == 6
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [embedded.topic_arn]
        assert alarm["Properties"]["OKActions"] == [embedded.topic_arn]


def test_an_ops_email_still_gets_its_own_topic_and_key(with_ops_email: Embedded) -> None:
    """The ops topic needs a key CloudWatch may use; for this account's alarms only."""
    template = with_ops_email.template
    template.resource_count_is("AWS::DynamoDB::Table", 0)
    template.resource_count_is("AWS::SNS::Topic", 1)
    template.resource_count_is("AWS::KMS::Key", 1)
    template.has_resource_properties("AWS::SNS::Topic", {"DisplayName": f"{STACK} health"})
    for alarm in template.find_resources("AWS::CloudWatch::Alarm").values():
        assert alarm["Properties"]["AlarmActions"][0] == with_ops_email.topic_arn
        assert len(alarm["Properties"]["AlarmActions"]) == 2


@pytest.mark.parametrize("variant", ["embedded", "with_ops_email"])
def test_cdk_nag_stays_clean(variant: str, request: pytest.FixtureRequest) -> None:
    findings = request.getfixturevalue(variant).nag_findings
    assert findings == [], "cdk-nag findings:\n" + "\n".join(findings)


def test_only_the_composition_sees_the_whole_configuration() -> None:
    """Constructs take their own props; BotConfig is narrowed to them in bot.py (and read in stack.py)."""
    import ast

    import chatbot_stack

    importers = []
    for path in sorted(Path(chatbot_stack.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and any(alias.name == "BotConfig" for alias in node.names):
                importers.append(path.name)
    assert importers == ["bot.py", "stack.py"]
