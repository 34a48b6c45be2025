"""The deployable stack: the bot plus the outputs an operator needs after ``cdk deploy``."""

from __future__ import annotations

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from chatbot_stack.bot import AlarmChatBot
from chatbot_stack.config import BotConfig

STACK_ID = "AlarmChatBot"


class AlarmChatBotStack(Stack):
    """Stack ``AlarmChatBot``; ``kwargs`` go to :class:`aws_cdk.Stack` (``env``, ``tags``...)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: BotConfig, **kwargs: Any) -> None:
        kwargs.setdefault("description", "Google Chat bot that delivers CloudWatch alarms to Chat spaces")
        super().__init__(scope, construct_id, **kwargs)
        self.bot = AlarmChatBot(self, "Bot", config=config)
        CfnOutput(
            self,
            "ChatEndpointUrl",
            value=self.bot.endpoint_url,
            description="Paste into Google Cloud console > Google Chat API > Configuration > "
            "HTTP endpoint URL",
        )
        CfnOutput(
            self,
            "SubscriptionsTableName",
            value=self.bot.table.table_name,
            description="DynamoDB table of subscribed spaces",
        )
