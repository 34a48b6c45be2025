"""The alarm delivery function (the fan-out): the delivery queue's consumer.

Alarms reach the delivery queue (:mod:`chatbot_stack.delivery_queue`) three ways: the alarm
topic's SQS subscription, EventBridge rules (:mod:`chatbot_stack.alarm_rule`: this account's alarms
by name prefix, and whatever forwarders put on the bot's event bus), and a CloudWatch alarm's
Lambda action (``lambda.alarms.cloudwatch.amazonaws.com``), which invokes this function directly:
it puts the event on the queue and returns. The function consumes the queue
through an event source mapping on its ``live`` alias: batches of ten, no batching window (a lone
alarm is not held back), partial batch responses, and at most ``fanoutMaxConcurrency`` instances.

A direct invocation that fails is retried twice by Lambda, then handed to the dead-letter queue
with the error, so an alarm is never dropped unseen.

With charts on (:mod:`chatbot_stack.charts`) it also draws each alarm's chart with CloudWatch and
writes it to the chart bucket, within ``chartBudgetSeconds``; without, it has neither permission.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from aws_cdk import Annotations, Duration, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_lambda_event_sources as event_sources
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from alarm_bot import env_names
from chatbot_stack.alarm_topic import any_alarm_arn
from chatbot_stack.charts import ChartStore, allow_rendering
from chatbot_stack.chat_endpoint import TABLE_ACTIONS
from chatbot_stack.config_accounts import account_names_json
from chatbot_stack.function import BotFunction, FunctionOptions
from chatbot_stack.nag import acknowledge

HANDLER: Final = "alarm_bot.handlers.alarm_events.handler"
MEMORY_SIZE: Final = 512
METRICS_NAMESPACE: Final = "AlarmChatBot"
CLOUDWATCH_LAMBDA_ACTIONS: Final = "lambda.alarms.cloudwatch.amazonaws.com"
# An error that survives two retries is a bug or an outage, not a blip: more retries would only
# delay the dead-letter message (and could post the same card again to spaces that got it).
RETRY_ATTEMPTS: Final = 2
MAX_EVENT_AGE: Final = Duration.hours(6)  # Lambda's maximum; an older alarm goes to the queue.
BATCH_SIZE: Final = 10
_SQS_FAILURES: Final = (
    "Lambda offers on-failure destinations for stream and Kafka sources only; an SQS source's failed "
    "messages go to the dead-letter queue through the queue's own redrive policy."
)
# The Chat function's table actions, plus reading every space's card of an alarm that returned to OK.
DELIVERY_TABLE_ACTIONS: Final = (*TABLE_ACTIONS, "dynamodb:BatchGetItem")


@dataclass(frozen=True)
class AlarmDeliveryProps:
    """What the delivery function uses of the bot's settings (BotConfig's fields of the same names): how cards
    read, the storm budgets, its timeout and concurrency, and the charts' hours and time budget."""

    bot_id: str
    locale: str
    time_zone: str
    addon_project_number: str | None
    account_names: Mapping[str, str]
    delivery_concurrency: int
    space_writes_per_minute: int
    project_writes_per_minute: int
    group_window_seconds: int
    group_interval_seconds: int
    fanout_timeout_seconds: int
    fanout_max_concurrency: int
    chart_hours: int
    chart_budget_seconds: float


class AlarmDelivery(Construct):
    """``bot_function`` (a :class:`BotFunction` on the shared asset) consuming the delivery queue.

    It reads and updates the subscriptions table (spaces, mutes, cards, its delivery state), reads
    the credentials secret, sends to the delivery queue (direct events, scheduled flushes) and to
    the dead-letter queue (notifications Chat refuses); nothing else. ``function`` is the Lambda
    function itself, ``alias`` what invokes it (``live``). ``endpoint_url`` is the Chat endpoint: a
    Workspace add-on's card buttons must name it. ``charts`` (``None`` when ``charts`` is off) is
    where it writes chart images and the URL prefix that serves them.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        props: AlarmDeliveryProps,
        function_options: FunctionOptions,
        table: dynamodb.ITable,
        secret: secretsmanager.ISecret,
        topic: sns.ITopic,
        delivery_queue: sqs.IQueue,
        dead_letter_queue: sqs.IQueue,
        endpoint_url: str,
        charts: ChartStore | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        queues = DeliveryQueues(delivery_queue.queue_url, dead_letter_queue.queue_url)
        self.bot_function = BotFunction(
            self,
            "AlarmEvents",
            options=function_options,
            handler=HANDLER,
            description="Posts CloudWatch alarms to the subscribed Google Chat spaces",
            environment=delivery_function_environment(
                props, table.table_name, secret.secret_arn, endpoint_url, queues, charts=charts
            ),
            statements=[
                iam.PolicyStatement(actions=list(DELIVERY_TABLE_ACTIONS), resources=[table.table_arn]),
                iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[secret.secret_arn]),
                iam.PolicyStatement(
                    actions=["sqs:SendMessage"],
                    resources=[delivery_queue.queue_arn, dead_letter_queue.queue_arn],
                ),
            ],
            memory_size=MEMORY_SIZE,
            timeout=Duration.seconds(props.fanout_timeout_seconds),
        )
        self.function: lambda_.Function = self.bot_function.function
        self.alias: lambda_.Alias = self.bot_function.alias
        self.render_charts = (
            allow_rendering(self, self.bot_function.role, charts) if charts is not None else None
        )
        for target in (self.alias, self.function):
            self._handle_failures(target, dead_letter_queue)
            self._allow_alarm_actions(target)
        self._subscribe(topic, delivery_queue, dead_letter_queue)
        self.event_source = event_sources.SqsEventSource(
            delivery_queue,
            batch_size=BATCH_SIZE,
            report_batch_item_failures=True,
            max_concurrency=props.fanout_max_concurrency,
        )
        self.alias.add_event_source(self.event_source)
        for child in self.alias.node.children:
            if isinstance(child, lambda_.EventSourceMapping):
                acknowledge(child, "Serverless-LambdaEventSourceMappingDestination", _SQS_FAILURES)
        acknowledge(
            self.function.node.default_child or self.function,
            "Serverless-LambdaDLQ",
            "Failed asynchronous events go to the dead-letter queue through the on-failure destination "
            "(EventInvokeConfig, Serverless-LambdaAsyncFailureDestination), whose record keeps the error "
            "and the invocation context that the older DeadLetterConfig mechanism leaves out.",
        )

    @staticmethod
    def _subscribe(topic: sns.ITopic, delivery_queue: sqs.IQueue, dead_letter_queue: sqs.IQueue) -> None:
        """The topic's messages to the delivery queue, as SNS envelopes (they keep the MessageId).

        What SNS cannot deliver to the queue goes to the dead-letter queue (the subscription's
        redrive policy); CDK adds the queue policy that lets this topic send.
        """
        topic.add_subscription(
            subscriptions.SqsSubscription(delivery_queue, dead_letter_queue=dead_letter_queue)
        )

    @staticmethod
    def _handle_failures(target: lambda_.Alias | lambda_.Function, queue: sqs.IQueue) -> None:
        """Retries, then the dead-letter queue, for ``live`` and for the unqualified name.

        Alarm actions created before the alias existed name the function itself; their events must
        not lose the failure handling. SqsDestination also lets the function's role send to the queue.
        """
        target.configure_async_invoke(
            on_failure=destinations.SqsDestination(queue),
            retry_attempts=RETRY_ATTEMPTS,
            max_event_age=MAX_EVENT_AGE,
        )

    def _allow_alarm_actions(self, target: lambda_.Alias | lambda_.Function) -> None:
        """A CloudWatch alarm of this account may name ``target`` as its action (no topic needed).

        The alias (output ``FanoutAliasArn``) is the one to use: it resumes from the SnapStart
        snapshot. The bare function stays allowed so that older alarm actions keep working.
        """
        stack = Stack.of(self)
        target.add_permission(
            "CloudWatchAlarmActions",
            principal=iam.ServicePrincipal(CLOUDWATCH_LAMBDA_ACTIONS),
            action="lambda:InvokeFunction",
            source_account=stack.account,
            source_arn=any_alarm_arn(self),
        )
        if isinstance(target, lambda_.Function):
            Annotations.of(target).acknowledge_warning(
                "@aws-cdk/aws-lambda:addPermissionsToVersionOrAlias",
                "The alias has a permission of its own; this one is for alarm actions naming the function.",
            )


@dataclass(frozen=True)
class DeliveryQueues:
    url: str
    dead_letter_url: str


def delivery_function_environment(
    props: AlarmDeliveryProps,
    table_name: str,
    secret_arn: str,
    endpoint_url: str,
    queues: DeliveryQueues,
    *,
    charts: ChartStore | None = None,
) -> dict[str, str]:
    """The variables ``alarm_bot.settings.DeliverySettings.from_env`` reads (test-only ones never set).

    Without ``CHARTS_BUCKET`` the function draws no charts, so none of the chart variables is set.
    """
    environment = {
        env_names.DELIVERY_QUEUE_URL: queues.url,
        env_names.DEAD_LETTER_QUEUE_URL: queues.dead_letter_url,
        env_names.SPACE_WRITES_PER_MINUTE: str(props.space_writes_per_minute),
        env_names.PROJECT_WRITES_PER_MINUTE: str(props.project_writes_per_minute),
        env_names.GROUP_WINDOW_SECONDS: str(props.group_window_seconds),
        env_names.GROUP_INTERVAL_SECONDS: str(props.group_interval_seconds),
        env_names.SUBSCRIPTIONS_TABLE: table_name,
        env_names.BOT_ID: props.bot_id,
        env_names.GOOGLE_CREDENTIALS_SECRET_ARN: secret_arn,
        env_names.LOCALE: props.locale,
        env_names.TIME_ZONE: props.time_zone,
        env_names.DELIVERY_CONCURRENCY: str(props.delivery_concurrency),
        env_names.POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        env_names.CHAT_ENDPOINT_URL: endpoint_url,
    }
    if props.addon_project_number is not None:
        environment[env_names.ADDON_PROJECT_NUMBER] = props.addon_project_number
    if props.account_names:
        environment[env_names.ACCOUNT_NAMES] = account_names_json(props.account_names)
    if charts is not None:
        environment[env_names.CHARTS_BUCKET] = charts.bucket.bucket_name
        environment[env_names.CHARTS_URL] = charts.url
        environment[env_names.CHART_HOURS] = str(props.chart_hours)
        environment[env_names.CHART_BUDGET_SECONDS] = f"{props.chart_budget_seconds:g}"
    return environment
