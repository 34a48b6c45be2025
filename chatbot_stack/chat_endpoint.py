"""The HTTPS endpoint Google Chat calls: an HTTP API with one route in front of one function."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import jsii
from aws_cdk import Aws, Fn, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration
from constructs import Construct

from alarm_bot import env_names
from chatbot_stack import chat_audience
from chatbot_stack.config_accounts import account_names_json
from chatbot_stack.function import BotFunction, FunctionOptions
from chatbot_stack.nag import acknowledge

HANDLER: Final = "alarm_bot.handlers.chat_events.handler"
ROUTE_PATH: Final = "/chat"
# What the Chat handler does with the table; nothing else (no Scan, no table management).
TABLE_ACTIONS: Final = (
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Query",
    "dynamodb:BatchWriteItem",
)
# status lists the alarms in ALARM; DescribeAlarms has no resource-level permissions.
READ_ALARM_ACTIONS: Final = ("cloudwatch:DescribeAlarms",)
# One JSON object per request: the fields needed to trace a Chat call through to the function.
ACCESS_LOG_FIELDS: Final = {
    "requestId": "$context.requestId",
    "requestTime": "$context.requestTime",
    "sourceIp": "$context.identity.sourceIp",
    "userAgent": "$context.identity.userAgent",
    "routeKey": "$context.routeKey",
    "protocol": "$context.protocol",
    "status": "$context.status",
    "responseLength": "$context.responseLength",
    "responseLatency": "$context.responseLatency",
    "integrationStatus": "$context.integrationStatus",
    "integrationLatency": "$context.integrationLatency",
    "integrationError": "$context.integrationErrorMessage",
}


# CloudWatch Logs lets services that deliver logs for you (API Gateway access logs among them) write
# to a log group through the account's resource policies: at most 10 per region, 5,120 characters
# each. Every group named elsewhere adds its ARN until "Policy document length breaking Cloudwatch
# Logs Constraints" stops the deploy; groups under this prefix are covered by one wildcard entry.
VENDED_LOGS_PREFIX: Final = "/aws/vendedlogs/apigateway/"


def access_log_group_name(scope: Construct) -> str:
    """``/aws/vendedlogs/apigateway/<stack>-chat-access-<first part of the stack's id>``.

    The group is retained when the stack is deleted (the access log is the record of who called the
    endpoint), so the name must not collide with the group a deleted stack of the same name left
    behind: a fixed name would make the next deploy fail with "already exists". The stack name
    keeps stacks of one account apart; the stack id's GUID, new for every created stack, keeps a
    redeployed stack apart from its retained predecessor. Both stay the same over updates, so the
    group is not replaced by an ordinary deploy.
    """
    stack_guid = Fn.select(2, Fn.split("/", Aws.STACK_ID))
    return Fn.join(
        "",
        [
            VENDED_LOGS_PREFIX,
            Stack.of(scope).stack_name,
            "-chat-access-",
            Fn.select(0, Fn.split("-", stack_guid)),
        ],
    )


@dataclass(frozen=True)
class ChatEndpointProps:
    """What the endpoint uses of the bot's settings (BotConfig's fields of the same names).

    ``chat_audience`` and ``addon_project_number`` are the ``chatAudience`` choice
    (:mod:`chatbot_stack.chat_audience`); the throttle limits are the stage's.
    """

    bot_id: str
    chat_audience: str
    addon_project_number: str | None
    locale: str
    slash_commands: Mapping[str, str]
    time_zone: str
    account_names: Mapping[str, str]
    api_throttle_rate_limit: float
    api_throttle_burst_limit: int


class ChatEndpoint(Construct):
    """``POST /chat`` on the API's default endpoint, handled by the Chat events function.

    Exposes ``http_api``, ``stage``, ``endpoint_url`` (what goes into the Google Cloud console) and
    ``bot_function`` (the :class:`BotFunction` with ``function``, ``role`` and ``log_group``). The
    function reads and writes ``table``; ``function_options`` also sets the access log's retention.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        props: ChatEndpointProps,
        function_options: FunctionOptions,
        table: dynamodb.ITable,
    ) -> None:
        super().__init__(scope, construct_id)
        self.http_api = apigwv2.HttpApi(
            self,
            "HttpApi",
            api_name=f"{Stack.of(self).stack_name}-chat",
            description="Google Chat events for the alarm chat bot",
            create_default_stage=False,
        )
        self.stage = self._stage(props, function_options)
        # The API resource does not depend on the function, so the function can name the URL.
        self.endpoint_url: str = f"{self.http_api.api_endpoint}{ROUTE_PATH}"
        self.bot_function = BotFunction(
            self,
            "ChatEvents",
            options=function_options,
            handler=HANDLER,
            description="Answers Google Chat events: commands, space membership, card clicks",
            environment=chat_environment(props, table.table_name, self.endpoint_url),
            statements=[iam.PolicyStatement(actions=list(TABLE_ACTIONS), resources=[table.table_arn])],
        )
        self.read_alarms = self._read_alarms_policy()
        self.route = self._route()
        self._acknowledge_findings()

    def _read_alarms_policy(self) -> iam.Policy:
        """Its own policy, so that the one ``*`` it needs is acknowledged on it and nowhere else."""
        policy = iam.Policy(
            self,
            "ReadAlarmStates",
            statements=[iam.PolicyStatement(actions=list(READ_ALARM_ACTIONS), resources=["*"])],
            roles=[self.bot_function.role],
        )
        acknowledge(
            policy,
            "AwsSolutions-IAM5[Resource::*]",
            "status lists the alarms in ALARM with cloudwatch:DescribeAlarms, which supports no "
            "resource-level permissions (only '*'); the action is read-only.",
        )
        return policy

    def _stage(self, props: ChatEndpointProps, options: FunctionOptions) -> apigwv2.HttpStage:
        """The ``$default`` stage: its URL has no stage prefix, throttled and access-logged."""
        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            log_group_name=access_log_group_name(self),
            retention=options.log_retention,
            removal_policy=RemovalPolicy.RETAIN,  # see access_log_group_name
        )
        return apigwv2.HttpStage(
            self,
            "DefaultStage",
            http_api=self.http_api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=props.api_throttle_rate_limit,
                burst_limit=props.api_throttle_burst_limit,
            ),
            access_log_settings=AccessLogSettings(
                destination=apigwv2.LogGroupLogDestination(access_logs),
                format=apigateway.AccessLogFormat.custom(json.dumps(ACCESS_LOG_FIELDS)),
            ),
        )

    def _route(self) -> apigwv2.HttpRoute:
        integration = HttpLambdaIntegration(
            "ChatEventsIntegration",
            self.bot_function.alias,
            payload_format_version=apigwv2.PayloadFormatVersion.VERSION_2_0,
        )
        (route,) = self.http_api.add_routes(
            path=ROUTE_PATH, methods=[apigwv2.HttpMethod.POST], integration=integration
        )
        return route

    def _acknowledge_findings(self) -> None:
        """Two rules that do not fit a webhook answering Google Chat synchronously."""
        acknowledge(
            self.route.node.default_child or self.route,
            "AwsSolutions-APIG4",
            "An HTTP API JWT authorizer cannot check Google Chat's bearer tokens: project-number "
            "tokens are signed with the x509 certificates of chat@system.gserviceaccount.com (no "
            "OIDC discovery), and endpoint-URL and add-on tokens are only Chat's if their email "
            "claim names the Chat (or add-on) service account, which an authorizer cannot test. "
            "The function verifies signature, issuer, audience and signer on every request.",
        )
        function = self.bot_function.function
        acknowledge(
            function.node.default_child or function,
            "Serverless-LambdaDLQ",
            "API Gateway invokes this function synchronously and Google Chat sees any failure "
            "as an HTTP error, so there is no asynchronous event that a dead-letter queue could keep.",
        )


def chat_environment(props: ChatEndpointProps, table_name: str, endpoint_url: str) -> dict[str, str]:
    """The variables ``alarm_bot.settings.Settings.from_env`` reads (test-only ones never set)."""
    by_url = chat_audience.is_endpoint_url(props.chat_audience, props.addon_project_number)
    environment = {
        env_names.SUBSCRIPTIONS_TABLE: table_name,
        env_names.BOT_ID: props.bot_id,
        env_names.CHAT_AUDIENCE: endpoint_url if by_url else props.chat_audience,
        env_names.LOCALE: props.locale,
        env_names.SLASH_COMMANDS: json.dumps(dict(props.slash_commands), separators=(",", ":")),
        env_names.TIME_ZONE: props.time_zone,
        env_names.CHAT_ENDPOINT_URL: endpoint_url,
    }
    if props.addon_project_number is not None:
        environment[env_names.ADDON_PROJECT_NUMBER] = props.addon_project_number
    if props.account_names:
        environment[env_names.ACCOUNT_NAMES] = account_names_json(props.account_names)
    return environment


@jsii.implements(apigwv2.IAccessLogSettings)
class AccessLogSettings:
    """``IAccessLogSettings`` is an interface in the CDK, not a struct, so Python implements it."""

    def __init__(
        self, *, destination: apigwv2.IAccessLogDestination, format: apigateway.AccessLogFormat
    ) -> None:
        self._destination = destination
        self._format = format

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return self._destination

    @property
    def format(self) -> apigateway.AccessLogFormat:
        return self._format
