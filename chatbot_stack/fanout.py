"""The alarm fan-out function: one alarm in, one card posted to every subscribed Chat space.

Alarms reach it three ways, all asynchronous invocations of the same function: the alarm topic's
subscription, a CloudWatch alarm's Lambda action (``lambda.alarms.cloudwatch.amazonaws.com``) and,
optionally, an EventBridge rule (:mod:`chatbot_stack.alarm_rule`). Lambda retries a failed event
twice, then hands it to the dead-letter queue with the error, so an alarm is never dropped unseen.
"""

from __future__ import annotations

from typing import Final

from aws_cdk import Annotations, Duration, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chatbot_stack.alarm_topic import any_alarm_arn
from chatbot_stack.chat_endpoint import TABLE_ACTIONS
from chatbot_stack.config import BotConfig
from chatbot_stack.function import BotFunction
from chatbot_stack.nag import acknowledge

HANDLER: Final = "alarm_bot.handlers.alarm_events.handler"
MEMORY_SIZE: Final = 512
METRICS_NAMESPACE: Final = "AlarmChatBot"
CLOUDWATCH_LAMBDA_ACTIONS: Final = "lambda.alarms.cloudwatch.amazonaws.com"
# An error that survives two retries is a bug or an outage, not a blip: more retries would only
# delay the dead-letter message (and could post the same card again to spaces that got it).
RETRY_ATTEMPTS: Final = 2
MAX_EVENT_AGE: Final = Duration.hours(6)  # Lambda's maximum; an older alarm goes to the queue.
# The Chat function's table actions, plus reading every space's card of an alarm that returned to OK.
FANOUT_TABLE_ACTIONS: Final = (*TABLE_ACTIONS, "dynamodb:BatchGetItem")


class AlarmFanout(Construct):
    """``bot_function`` (a :class:`BotFunction` on the shared asset) wired to the alarm topic.

    It reads and updates the subscriptions table (spaces, mutes, posted alarm cards) and reads the
    credentials secret; nothing else. ``function`` is the Lambda function itself, ``alias`` what
    invokes it (``live``). ``endpoint_url``
    is the Chat endpoint: a Workspace add-on's card buttons must name it.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: BotConfig,
        table: dynamodb.ITable,
        secret: secretsmanager.ISecret,
        topic: sns.ITopic,
        dead_letter_queue: sqs.IQueue,
        endpoint_url: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.bot_function = BotFunction(
            self,
            "AlarmEvents",
            config=config,
            handler=HANDLER,
            description="Posts CloudWatch alarms to the subscribed Google Chat spaces",
            environment=fanout_environment(config, table.table_name, secret.secret_arn, endpoint_url),
            statements=[
                iam.PolicyStatement(actions=list(FANOUT_TABLE_ACTIONS), resources=[table.table_arn]),
                iam.PolicyStatement(actions=["secretsmanager:GetSecretValue"], resources=[secret.secret_arn]),
            ],
            memory_size=MEMORY_SIZE,
            timeout=Duration.seconds(config.fanout_timeout_seconds),
        )
        self.function: lambda_.Function = self.bot_function.function
        self.alias: lambda_.Alias = self.bot_function.alias
        for target in (self.alias, self.function):
            self._handle_failures(target, dead_letter_queue)
            self._allow_alarm_actions(target)
        self._subscribe(topic, dead_letter_queue)
        acknowledge(
            self.function.node.default_child or self.function,
            "Serverless-LambdaDLQ",
            "Failed asynchronous events go to the dead-letter queue through the on-failure destination "
            "(EventInvokeConfig, Serverless-LambdaAsyncFailureDestination), whose record keeps the error "
            "and the invocation context that the older DeadLetterConfig mechanism leaves out.",
        )

    def _subscribe(self, topic: sns.ITopic, dead_letter_queue: sqs.IQueue) -> None:
        subscription = topic.add_subscription(
            subscriptions.LambdaSubscription(self.alias, dead_letter_queue=dead_letter_queue)
        )
        acknowledge(
            subscription,
            "CloudFormation-Validate::W3694",
            "SNS delivers to a qualified function ARN as well as to a bare one; the subscription "
            "names the live alias (its Ref is the alias ARN) so that SnapStart serves the alarms.",
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


def fanout_environment(
    config: BotConfig, table_name: str, secret_arn: str, endpoint_url: str
) -> dict[str, str]:
    """The variables ``alarm_bot.settings.DeliverySettings.from_env`` reads (test-only ones never set)."""
    environment = {
        "SUBSCRIPTIONS_TABLE": table_name,
        "BOT_ID": config.bot_id,
        "GOOGLE_CREDENTIALS_SECRET_ARN": secret_arn,
        "LOCALE": config.locale,
        "TIME_ZONE": config.time_zone,
        "DELIVERY_CONCURRENCY": str(config.delivery_concurrency),
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        "CHAT_ENDPOINT_URL": endpoint_url,
    }
    if config.addon_project_number is not None:
        environment["ADDON_PROJECT_NUMBER"] = config.addon_project_number
    return environment
