"""The whole bot as one reusable construct."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chatbot_stack.alarm_bus import AlarmEventBus
from chatbot_stack.alarm_rule import AlarmStateRule
from chatbot_stack.alarm_topic import AlarmTopic, AlarmTopicKey
from chatbot_stack.charts import ChartImages
from chatbot_stack.chat_endpoint import ChatEndpoint, ChatEndpointProps
from chatbot_stack.config import BotConfig
from chatbot_stack.credentials_secret import CredentialsSecret
from chatbot_stack.dead_letter_queue import DeadLetterQueue
from chatbot_stack.delivery_function import AlarmDelivery, AlarmDeliveryProps
from chatbot_stack.delivery_queue import DeliveryQueue
from chatbot_stack.function import FunctionOptions
from chatbot_stack.keep_warm import SnapshotKeepWarm
from chatbot_stack.monitoring import SelfMonitoring
from chatbot_stack.subscriptions_table import SubscriptionsTable


class AlarmChatBot(Construct):
    """The subscriptions table, the Chat endpoint, the alarm delivery and its charts, wired together.

    Each AWS concern is a child construct that takes only what it uses: its props, narrowed from
    ``config`` (:meth:`BotConfig.props`), and what the others expose. To send an alarm to Chat,
    give it the bot's topic as action::

        alarm.add_alarm_action(aws_cloudwatch_actions.SnsAction(bot.topic))

    ``table`` and ``topic`` let an app bring its own subscriptions table and alarm topic (same
    account and region) instead of the ones the bot would create. The table needs the bot's keys:
    partition ``bot_id`` and sort ``space_id``, both strings (TTL on ``expires_at`` lets old cards
    expire); the functions are granted their actions on it by ARN. The topic must already let
    CloudWatch publish (its policy, and a key CloudWatch may use: see :mod:`chatbot_stack.alarm_topic`);
    the bot subscribes its delivery queue and points its own health alarms at it. Given a topic,
    the bot creates no KMS key unless ``opsEmail`` needs one for its ops topic.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: BotConfig,
        table: dynamodb.ITable | None = None,
        topic: sns.ITopic | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        function_options = config.props(FunctionOptions)
        self.subscriptions: SubscriptionsTable | None = None
        if table is None:
            self.subscriptions = SubscriptionsTable(
                self, "Subscriptions", deletion_protection=config.table_deletion_protection
            )
            table = self.subscriptions.table
        self._table: dynamodb.ITable = table
        self.chat = ChatEndpoint(
            self,
            "Chat",
            props=config.props(ChatEndpointProps),
            function_options=function_options,
            table=table,
        )
        self.charts = (
            ChartImages(self, "Charts", function_options=function_options, http_api=self.chat.http_api)
            if config.charts
            else None
        )
        self.credentials = CredentialsSecret(self, "GoogleCredentials")
        self.alarm_key: AlarmTopicKey | None = None
        self.alarm_topic: AlarmTopic | None = None
        if topic is None:
            self.alarm_key = AlarmTopicKey(self, "AlarmKey", sources=config.alarm_sources)
            self.alarm_topic = AlarmTopic(
                self,
                "Alarms",
                key=self.alarm_key.key,
                display_name="CloudWatch alarms to Google Chat",
                sources=config.alarm_sources,
            )
            topic = self.alarm_topic.topic
        elif config.ops_email is not None:  # only the ops topic needs it: this account's alarms
            self.alarm_key = AlarmTopicKey(self, "AlarmKey")
        self._topic: sns.ITopic = topic
        self.dead_letters = DeadLetterQueue(self, "DeadLetters")
        self.delivery = DeliveryQueue(
            self,
            "Delivery",
            dead_letter_queue=self.dead_letters.queue,
            function_timeout=Duration.seconds(config.fanout_timeout_seconds),
        )
        self.alarm_delivery = AlarmDelivery(
            self,
            "Fanout",
            props=config.props(AlarmDeliveryProps),
            function_options=function_options,
            table=table,
            secret=self.credentials.secret,
            topic=topic,
            delivery_queue=self.delivery.queue,
            dead_letter_queue=self.dead_letters.queue,
            endpoint_url=self.chat.endpoint_url,
            charts=self.charts.store if self.charts is not None else None,
        )
        self.alarm_rule = (
            AlarmStateRule(
                self,
                "AlarmStateChanges",
                prefixes=config.alarm_name_prefixes,
                queue=self.delivery.queue,
                dead_letter_queue=self.dead_letters.queue,
            )
            if config.alarm_name_prefixes
            else None
        )
        self.alarm_bus = AlarmEventBus(
            self,
            "AlarmBus",
            sources=config.alarm_sources,
            queue=self.delivery.queue,
            dead_letter_queue=self.dead_letters.queue,
        )
        self.keep_warm = (
            SnapshotKeepWarm(
                self, "KeepWarm", functions=[self.chat.bot_function.alias, self.alarm_delivery.alias]
            )
            if config.snap_start
            else None
        )
        self.monitoring = SelfMonitoring(
            self,
            "Monitoring",
            functions={"chat": self.chat_function, "fanout": self.alarm_delivery.function},
            dead_letter_queue=self.dead_letters.queue,
            delivery_queue=self.delivery.queue,
            alarm_topic=topic,
            key=self.alarm_key.key if self.alarm_key is not None else None,
            ops_email=config.ops_email,
        )

    @property
    def table(self) -> dynamodb.ITable:
        """The subscriptions table (partition ``bot_id``, sort ``space_id``): the given one or the bot's."""
        return self._table

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

    @property
    def charts_bucket(self) -> s3.Bucket | None:
        """Where the cards' chart images are kept (30 days), or ``None`` with ``charts`` off."""
        return self.charts.bucket if self.charts is not None else None

    @property
    def topic(self) -> sns.ITopic:
        """The topic alarms publish to (``SnsAction(bot.topic)``): the given one, or the bot's own,
        KMS-encrypted and HTTPS only."""
        return self._topic

    @property
    def topic_key(self) -> kms.Key | None:
        """The customer-managed key of the bot's alarm topics (CloudWatch may use it; the AWS-managed
        one not); ``None`` when the bot has none (a topic given and no ``opsEmail``)."""
        return self.alarm_key.key if self.alarm_key is not None else None

    @property
    def delivery_function(self) -> lambda_.Function:
        """The function that posts alarms to Chat (invoke :attr:`delivery_alias`, not this)."""
        return self.alarm_delivery.function

    @property
    def delivery_alias(self) -> lambda_.Alias:
        """The delivery function's ``live`` alias: what the topic, the rule and alarm actions invoke."""
        return self.alarm_delivery.alias

    @property
    def delivery_queue(self) -> sqs.Queue:
        """Where notifications wait for delivery (and each space's scheduled flushes)."""
        return self.delivery.queue

    @property
    def dead_letter_queue(self) -> sqs.Queue:
        """Where alarms that could not be delivered wait (14 days), whatever way they came."""
        return self.dead_letters.queue

    @property
    def credentials_secret(self) -> secretsmanager.Secret:
        """The Google service-account key; created empty, filled by an operator."""
        return self.credentials.secret

    @property
    def alarms(self) -> list[cloudwatch.Alarm]:
        """The bot's own health alarms (function errors and throttles, dead-letter queue depth)."""
        return list(self.monitoring.alarms)

    @property
    def ops_topic(self) -> sns.Topic | None:
        """The e-mail topic of the health alarms, or ``None`` without ``opsEmail``."""
        return self.monitoring.ops_topic

    @property
    def event_bus(self) -> events.EventBus:
        """The bus forwarder stacks send other regions' and accounts' alarm state changes to."""
        return self.alarm_bus.bus

    @property
    def alarm_state_rule(self) -> events.Rule | None:
        """The EventBridge rule for ``alarmNamePrefixes``, or ``None`` when no prefix is set."""
        return self.alarm_rule.rule if self.alarm_rule is not None else None
