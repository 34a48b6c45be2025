"""The deployable stack: the bot plus the outputs an operator needs after ``cdk deploy``.

The output names are read by the operator CLI (``alarm-bot``): keep them stable.
"""

from __future__ import annotations

from typing import Any

from aws_cdk import Annotations, CfnOutput, Stack
from constructs import Construct

from chatbot_stack import chat_audience
from chatbot_stack.bot import AlarmChatBot
from chatbot_stack.config import BotConfig
from chatbot_stack.stack_names import BUS_ARN_OUTPUT, STACK_ID  # the output `make deploy-forwarder` reads

__all__ = ["BUS_ARN_OUTPUT", "CHARTS_BUCKET_OUTPUT", "STACK_ID", "AlarmChatBotStack"]
CHARTS_BUCKET_OUTPUT = "ChartsBucketName"  # only with charts on; alarm-bot doctor checks it


class AlarmChatBotStack(Stack):
    """Stack ``AlarmChatBot``; ``kwargs`` go to :class:`aws_cdk.Stack` (``env``, ``tags``...)."""

    def __init__(self, scope: Construct, construct_id: str, *, config: BotConfig, **kwargs: Any) -> None:
        kwargs.setdefault("description", "Google Chat bot that delivers CloudWatch alarms to Chat spaces")
        super().__init__(scope, construct_id, **kwargs)
        self.bot = AlarmChatBot(self, "Bot", config=config)
        for name, (value, description) in self._outputs().items():
            CfnOutput(self, name, value=value, description=description)
        if config.chat_audience == chat_audience.URL_AUDIENCE and config.addon_project_number is None:
            # Asked for by name (see chat_audience.py); still worth a line in every synth and deploy.
            Annotations.of(self).add_warning_v2(
                "alarm-chat-bot:urlAudience",
                "chatAudience=url: the endpoint accepts Google Chat requests of any Google Cloud "
                "project's Chat app pointed at its URL; set chatAudience to your project number",
            )

    def _outputs(self) -> dict[str, tuple[str, str]]:
        """Output name → (value, description); the names are the CLI's contract (see module doc)."""
        bot = self.bot
        outputs = {
            "ChatEndpointUrl": (
                bot.endpoint_url,
                "Paste into Google Cloud console > Google Chat API > Configuration > HTTP endpoint URL",
            ),
            "SubscriptionsTableName": (bot.table.table_name, "DynamoDB table of subscribed spaces"),
            "AlarmTopicArn": (
                bot.topic.topic_arn,
                "Alarm action for CloudWatch alarms that should be posted to Google Chat",
            ),
            "GoogleCredentialsSecretArn": (
                bot.credentials_secret.secret_arn,
                "Created empty: fill with alarm-bot credentials set KEY.json",
            ),
            "DeadLetterQueueUrl": (
                bot.dead_letter_queue.queue_url,
                "Alarm notifications that could not be delivered (kept 14 days): alarm-bot redrive",
            ),
            "DeliveryQueueUrl": (
                bot.delivery_queue.queue_url,
                "Where alarm notifications wait for delivery to Chat (the consumer's event source)",
            ),
            "FanoutFunctionName": (
                bot.delivery_function.function_name,
                "Function that posts alarms to Chat (its settings and logs)",
            ),
            chat_audience.OUTPUT_NAME: (
                chat_audience.output_value(bot.config.chat_audience, bot.config.addon_project_number),
                "Which Chat app the endpoint accepts: a project number, add-on:<number>, or url "
                "(any project's Chat app pointed at the URL); read by alarm-bot doctor",
            ),
            "FanoutAliasArn": (
                bot.delivery_alias.function_arn,
                "Lambda action for CloudWatch alarms that should be posted to Google Chat without the "
                "topic (the live alias: it starts from the SnapStart snapshot)",
            ),
            BUS_ARN_OUTPUT: (
                bot.event_bus.event_bus_arn,
                "Event bus for alarms of other regions and accounts: the AlarmBusArn parameter of the "
                "AlarmChatBotForwarder stack (make deploy-forwarder reads it)",
            ),
            "AlarmEventBusName": (
                bot.event_bus.event_bus_name,
                "Name of the event bus that forwarder stacks send alarm state changes to",
            ),
        }
        if bot.charts_bucket is not None:
            outputs[CHARTS_BUCKET_OUTPUT] = (
                bot.charts_bucket.bucket_name,
                "Chart images of the alarm cards (private, kept 30 days); read by alarm-bot doctor",
            )
        if bot.ops_topic is not None:
            outputs["OpsTopicArn"] = (
                bot.ops_topic.topic_arn,
                "The bot's own health alarms, sent to opsEmail (confirm the subscription mail)",
            )
        return outputs
