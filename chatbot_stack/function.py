"""A bot Lambda function with its own log group, least-privilege role and ``live`` alias.

Every function of the bot (the Chat endpoint, the alarm fan-out, the chart images) is built the same
way, so the logging, tracing, IAM and SnapStart rules are written once.

Everything that invokes a function (the HTTP API, the alarm topic, the EventBridge rule, CloudWatch
alarm actions) names its ``live`` alias, never the function itself: SnapStart resumes snapshots
only of published versions, and ``$LATEST`` is not one. Each deploy that changes the function
publishes a new version and moves the alias to it; the replaced version is deleted, because with
SnapStart every version keeps a cached snapshot that is billed while it exists. The alias is there
with ``snapStart`` off too, so switching SnapStart on or off never rewires the callers. A function
whose cold start is already cheap can opt out (``snap_start=False``): it never gets SnapStart, and
so no snapshot to pay for, whatever ``snapStart`` says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from aws_cdk import Annotations, CfnResource, Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from alarm_bot import env_names
from chatbot_stack.bundling import ARCHITECTURE, RUNTIME, lambda_code
from chatbot_stack.config_choices import RETENTION_DAYS
from chatbot_stack.nag import acknowledge
from chatbot_stack.snap_start import (
    VERSION_WITHOUT_SNAPSTART,
    snap_start_condition,
    snap_start_where_available,
    version_description,
)

SERVICE_NAME = "alarm-chat-bot"
ALIAS_NAME: Final = "live"


@dataclass(frozen=True)
class FunctionOptions:
    """What every function of the bot shares: its logs' retention (the API's access log's too) and
    whether SnapStart is wanted (``logRetentionDays`` and ``snapStart``; BotConfig's fields)."""

    log_retention_days: int
    snap_start: bool

    @property
    def log_retention(self) -> logs.RetentionDays:
        return RETENTION_DAYS[self.log_retention_days]


class BotFunction(Construct):
    """``function``, ``alias``, ``role`` and ``log_group`` for one handler of the shared asset.

    The role has no AWS managed policy (AWSLambdaBasicExecutionRole allows writing to every log
    group): an inline policy grants this function's own log group and the caller's ``statements``,
    and CDK adds X-Ray for ``Tracing.ACTIVE`` to the role's default policy, as it does for any later
    ``grant_*(function)``. Callers invoke ``alias`` (see the module docstring). ``snap_start=False``
    keeps this function off SnapStart whatever ``options.snap_start`` asks for.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        options: FunctionOptions,
        handler: str,
        description: str,
        environment: Mapping[str, str],
        statements: Sequence[iam.PolicyStatement] = (),
        memory_size: int = 256,
        timeout: Duration | None = None,
        snap_start: bool = True,
    ) -> None:
        super().__init__(scope, construct_id)
        condition = snap_start_condition(self, requested=options.snap_start) if snap_start else None
        self.log_group = logs.LogGroup(self, "Logs", retention=options.log_retention)
        own_logs = iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"],
            resources=[self.log_group.log_group_arn],
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Runs {handler}",
            inline_policies={"Access": iam.PolicyDocument(statements=[own_logs, *statements])},
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=description,
            runtime=RUNTIME,
            architecture=ARCHITECTURE,
            code=lambda_code(),
            handler=handler,
            memory_size=memory_size,
            timeout=timeout or Duration.seconds(10),
            tracing=lambda_.Tracing.ACTIVE,
            log_group=self.log_group,
            role=self.role,
            environment={
                env_names.POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
                env_names.POWERTOOLS_LOG_LEVEL: "INFO",
                **environment,
            },
            # Set whenever the function may use SnapStart, then made conditional (snap_start.py): the
            # switch must not change the function resource, or its version's logical id would change.
            snap_start=lambda_.SnapStartConf.ON_PUBLISHED_VERSIONS if condition is not None else None,
            current_version_options=lambda_.VersionOptions(
                removal_policy=RemovalPolicy.DESTROY,
                description=(
                    VERSION_WITHOUT_SNAPSTART if condition is None else version_description(condition)
                ),
            ),
        )
        if condition is not None:
            snap_start_where_available(self.function, condition)
            # current_version publishes one, so the warning that SnapStart needs one does not apply.
            Annotations.of(self.function).acknowledge_warning(
                "@aws-cdk/aws-lambda:snapStartRequirePublish", "current_version publishes a version"
            )
        self.alias = lambda_.Alias(
            self,
            "Live",
            alias_name=ALIAS_NAME,
            version=self.function.current_version,
            description="The version every caller invokes (SnapStart needs a published version)",
        )
        self._explain_generated_findings()

    def _explain_generated_findings(self) -> None:
        """Two findings come from what CDK itself generates for every traced function."""
        acknowledge(
            self.role.node.find_child("DefaultPolicy"),
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray's PutTraceSegments and PutTelemetryRecords do not support resource-level "
            "permissions, so the statement CDK adds for Tracing.ACTIVE must use '*'.",
        )
        cfn_function = self.function.node.default_child
        if isinstance(cfn_function, CfnResource):
            # CDK's Function always adds DependsOn its role (aws/aws-cdk#24578) next to the GetAtt.
            cfn_function.add_metadata("cfn-lint", {"config": {"ignore_checks": ["W3005"]}})
