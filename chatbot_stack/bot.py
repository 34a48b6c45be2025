"""The whole bot as one reusable construct."""

from __future__ import annotations

from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from chatbot_stack.chat_endpoint import ChatEndpoint
from chatbot_stack.config import BotConfig
from chatbot_stack.subscriptions_table import SubscriptionsTable


class AlarmChatBot(Construct):
    """The subscriptions table and the Google Chat endpoint, wired together.

    Each AWS concern is a child construct built from ``config`` and the shared ``table``; the alarm
    delivery side (an SNS topic and a fan-out :class:`~chatbot_stack.function.BotFunction` on the
    same asset) is meant to be added here as one more child, without changing these.
    """

    def __init__(self, scope: Construct, construct_id: str, *, config: BotConfig) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        self.subscriptions = SubscriptionsTable(self, "Subscriptions", config=config)
        self.chat = ChatEndpoint(self, "Chat", config=config, table=self.subscriptions.table)

    @property
    def table(self) -> dynamodb.Table:
        """The subscriptions table (partition ``bot_id``, sort ``space_id``)."""
        return self.subscriptions.table

    @property
    def chat_function(self) -> lambda_.Function:
        """The function behind ``POST /chat``."""
        return self.chat.bot_function.function

    @property
    def http_api(self) -> apigwv2.HttpApi:
        """The HTTP API Google Chat calls."""
        return self.chat.http_api

    @property
    def endpoint_url(self) -> str:
        """The URL to paste into Google Cloud console > Google Chat API > Configuration (a token)."""
        return self.chat.endpoint_url
