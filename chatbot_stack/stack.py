"""The deployable stack: the bot plus the outputs an operator needs after ``cdk deploy``.

The output names are read by the operator CLI (``alarm-bot``): keep them stable.
"""

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
        CfnOutput(
            self,
            "AlarmTopicArn",
            value=self.bot.topic.topic_arn,
            description="Alarm action for CloudWatch alarms that should be posted to Google Chat",
        )
        CfnOutput(
            self,
            "GoogleCredentialsSecretArn",
            value=self.bot.credentials_secret.secret_arn,
            description="Created empty: fill with alarm-bot credentials set KEY.json",
        )
        CfnOutput(
            self,
            "DeadLetterQueueUrl",
            value=self.bot.dead_letter_queue.queue_url,
            description="Alarm notifications that could not be delivered (kept 14 days)",
        )
        CfnOutput(
            self,
            "FanoutFunctionName",
            value=self.bot.fanout_function.function_name,
            description="Function that posts alarms to Chat (its settings and logs)",
        )
        CfnOutput(
            self,
            "FanoutAliasArn",
            value=self.bot.fanout_alias.function_arn,
            description="Lambda action for CloudWatch alarms that should be posted to Google Chat "
            "without the topic (the live alias: it starts from the SnapStart snapshot)",
        )
        if self.bot.ops_topic is not None:
            CfnOutput(
                self,
                "OpsTopicArn",
                value=self.bot.ops_topic.topic_arn,
                description="The bot's own health alarms, sent to opsEmail (confirm the subscription mail)",
            )
