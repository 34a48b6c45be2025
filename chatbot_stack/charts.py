"""Chart images on alarm cards: a private bucket, ``GET /charts/{file}``, and the function between.

The fan-out function asks CloudWatch to draw the alarm's metric (GetMetricWidgetImage), writes the
PNG to ``charts/<id>.png`` and puts ``<CHARTS_URL>/<id>.png`` on the card; Google Chat then fetches
that URL, without credentials, through the bot's own HTTP API. Choices, and why:

* **A private bucket behind a function**, not a public bucket or presigned URLs. A presigned URL
  lives at most as long as the credentials that signed it (a Lambda role's: hours), a card lives
  for weeks; a public bucket needs the account's Block Public Access lifted and serves whatever
  lands in it. Behind the route, only ``charts/<well-formed id>.png`` is ever read, and an id is
  160 random bits (``alarm_bot.charts.ids``): the id is the credential.
* **Objects expire after** :data:`LIFETIME` (the life of a card): an image a card no longer
  shows is worth nothing, and the bucket never grows past a month of charts. Versioning is off,
  so an expired chart is gone, not kept as a noncurrent version.
* **Kept when the stack is deleted** (``RetainExceptOnCreate``). CloudFormation cannot delete a
  bucket that still holds objects, so ``Delete`` would leave ``make destroy`` failed on it;
  emptying it first (``autoDeleteObjects``) takes a custom-resource Lambda function of CDK's
  with its own asset, role and bucket policy, for images that expire by themselves anyway. A
  retained bucket empties itself within :data:`LIFETIME`, costs nothing then, and its generated
  name never collides with a new stack's; a first deploy that rolls back still deletes it.
* **No server access logs.** The bucket is reached only by the two functions' roles; every fetch
  from outside goes through the API, whose access log records it (route key and status, not the
  id). A log bucket would hold more about these images than they are worth.
* **No SnapStart** on the image function: it imports little (boto3 only on its first request),
  so a snapshot would save a fraction of a cold start at the price of a cached snapshot per month.
* **Throttling** is the stage's default route settings (``apiThrottleRateLimit`` /
  ``apiThrottleBurstLimit``), which HTTP APIs apply to each route on its own: a scanner hammering
  ``/charts`` cannot use up what Google Chat needs on ``/chat``, and the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from aws_cdk import CfnElement, Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.aws_apigatewayv2_integrations import HttpLambdaIntegration
from constructs import Construct

from alarm_bot.charts.ids import PREFIX as KEY_PREFIX  # where the runtime keeps every chart
from alarm_bot.env_names import CHARTS_BUCKET
from alarm_bot.settings import CHART_ROUTE as URL_PATH  # what CHARTS_URL ends in
from chatbot_stack.function import BotFunction, FunctionOptions
from chatbot_stack.nag import acknowledge

HANDLER: Final = "alarm_bot.handlers.chart_images.handler"
# A path variable is a whole segment, so the route takes any one file name; the handler answers 404
# to anything but "<id>.png".
ROUTE_PATH: Final = f"{URL_PATH}/{{file}}"
LIFETIME: Final = Duration.days(30)
MEMORY_SIZE: Final = 256
# The handler's S3 client makes at most 2 attempts of 1 s to connect and 2 s to read, with a
# backoff of up to 1 s between them: 8 s lets it answer 503 itself instead of being cut off.
TIMEOUT: Final = Duration.seconds(8)
# The route reads by key and nothing else; ListBucket only makes S3 say NoSuchKey (a 404) instead
# of AccessDenied for a chart that expired (alarm_bot.charts.storage.S3Charts.get_png).
READ_ACTIONS: Final = ("s3:GetObject",)
LIST_ACTIONS: Final = ("s3:ListBucket",)
# What the fan-out needs to make a chart: CloudWatch draws it, the function writes it.
RENDER_ACTIONS: Final = ("cloudwatch:GetMetricWidgetImage",)
WRITE_ACTIONS: Final = ("s3:PutObject",)


@dataclass(frozen=True)
class ChartStore:
    """Where the fan-out writes charts (``bucket``) and the public URL prefix that serves them."""

    bucket: s3.Bucket
    url: str

    @property
    def objects_arn(self) -> str:
        """``<bucket ARN>/charts/*``: every chart, and nothing else of the bucket."""
        return self.bucket.arn_for_objects(f"{KEY_PREFIX}*")

    @property
    def objects_finding(self) -> str:
        """cdk-nag's finding for a grant on :attr:`objects_arn` (it names the bucket's logical id)."""
        cfn_bucket = self.bucket.node.default_child
        if not isinstance(cfn_bucket, CfnElement):
            raise TypeError(f"{self.bucket.node.path} has no CloudFormation bucket")
        logical_id = Stack.of(cfn_bucket).resolve(cfn_bucket.logical_id)
        return f"AwsSolutions-IAM5[Resource::<{logical_id}.Arn>/{KEY_PREFIX}*]"

    def objects_reason(self, who: str) -> str:
        return (
            f"{who} charts/<id>.png, where every id is 160 random bits chosen when the chart is "
            "drawn: charts/* is the narrowest pattern that names them, and it reaches nothing "
            "else in the bucket."
        )


class ChartImages(Construct):
    """``bucket``, ``bot_function`` (behind ``GET /charts/{file}`` of ``http_api``) and ``route``.

    ``store`` is what the fan-out needs to put charts on cards: the bucket and ``url``,
    ``https://<api id>.execute-api.<region>.<suffix>/charts`` (no trailing slash). The function never
    uses SnapStart (see the module docstring); ``function_options`` gives its log retention.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        function_options: FunctionOptions,
        http_api: apigwv2.IHttpApi,
    ) -> None:
        super().__init__(scope, construct_id)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            versioned=False,
            lifecycle_rules=[
                s3.LifecycleRule(id="ExpireCharts", prefix=KEY_PREFIX, expiration=LIFETIME),
            ],
            removal_policy=RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,  # see the module docstring
        )
        self.url: str = f"{http_api.api_endpoint}{URL_PATH}"
        self.store = ChartStore(self.bucket, self.url)
        self.bot_function = BotFunction(
            self,
            "ChartImages",
            options=function_options,
            handler=HANDLER,
            description="Serves the chart images of alarm cards (GET /charts/<id>.png)",
            environment={CHARTS_BUCKET: self.bucket.bucket_name},
            statements=[
                iam.PolicyStatement(actions=list(READ_ACTIONS), resources=[self.store.objects_arn]),
                iam.PolicyStatement(actions=list(LIST_ACTIONS), resources=[self.bucket.bucket_arn]),
            ],
            memory_size=MEMORY_SIZE,
            timeout=TIMEOUT,
            snap_start=False,
        )
        self.route = apigwv2.HttpRoute(
            self,
            "Route",
            http_api=http_api,
            route_key=apigwv2.HttpRouteKey.with_(ROUTE_PATH, apigwv2.HttpMethod.GET),
            integration=HttpLambdaIntegration(
                "ChartImagesIntegration",
                self.bot_function.alias,
                payload_format_version=apigwv2.PayloadFormatVersion.VERSION_2_0,
            ),
        )
        self._acknowledge_findings()

    def _acknowledge_findings(self) -> None:
        """What a public image route and a bucket of throw-away images do not need."""
        acknowledge(
            self.route.node.default_child or self.route,
            "AwsSolutions-APIG4",
            "Google Chat fetches a card's image without any credentials, so the route cannot have "
            "an authorizer; the unguessable chart id in the path is the credential, and the "
            "function answers 404 to everything but an existing chart.",
        )
        acknowledge(
            self.bucket.node.default_child or self.bucket,
            "AwsSolutions-S1",
            "Only the bot's two function roles reach the bucket; every outside fetch goes through "
            "the HTTP API, whose access log records it. The objects are chart images that expire "
            "after 30 days: a log bucket would outweigh what it protects.",
        )
        role = self.bot_function.role  # the inline policy, not the X-Ray DefaultPolicy under it
        acknowledge(
            role.node.default_child or role,
            self.store.objects_finding,
            self.store.objects_reason("The route reads"),
        )
        function = self.bot_function.function
        acknowledge(
            function.node.default_child or function,
            "Serverless-LambdaDLQ",
            "API Gateway invokes this function synchronously (an image fetch), so there is no "
            "asynchronous event that a dead-letter queue could keep.",
        )


def allow_rendering(scope: Construct, role: iam.IRole, store: ChartStore) -> iam.Policy:
    """A policy of its own for ``role``: draw charts and write them, and nothing else of the bucket.

    GetMetricWidgetImage has no resource-level permissions (the Service Authorization Reference
    lists no resource type for it), so it can only be granted on ``*``; the policy is separate so
    that this ``*`` is acknowledged here and nowhere else.
    """
    policy = iam.Policy(
        scope,
        "RenderCharts",
        statements=[
            iam.PolicyStatement(actions=list(RENDER_ACTIONS), resources=["*"]),
            iam.PolicyStatement(actions=list(WRITE_ACTIONS), resources=[store.objects_arn]),
        ],
        roles=[role],
    )
    acknowledge(
        policy,
        "AwsSolutions-IAM5[Resource::*]",
        "cloudwatch:GetMetricWidgetImage supports no resource-level permissions (only '*'); it only "
        "draws metrics the account already has, as a PNG returned to the caller.",
    )
    acknowledge(policy, store.objects_finding, store.objects_reason("The fan-out writes"))
    return policy
