"""The bot's deployed stack, recreated in moto for the ``alarm-bot`` commands.

moto's CloudFormation cannot create most of the stack's resource types (secrets, alarms), so the
resources are created directly, as the stack would leave them (an empty secret, a topic encrypted
with a customer-managed key whose policy lets CloudWatch in, the fan-out function with the stack's
environment, the bot's own alarms named ``<stack>-…``), and a small stack is created whose
Outputs point at them, with the names the CDK app gives its outputs. The commands only ever find
resources through those outputs, as they do in a real account.

Usage (inside ``mock_aws``, e.g. the ``aws`` fixture)::

    deployed = deploy_stack(endpoint_url=endpoint.url)
    assert main(["spaces", "--json"]) == 0
"""

from __future__ import annotations

import functools
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import boto3

from tests.support.aws import BOT_ID, create_spaces_table

STACK_NAME = "AlarmChatBot"
REGION = "ap-northeast-2"
ACCOUNT = "123456789012"  # moto's default account
# What the function's environment says (always https in a deployment); the ChatEndpointUrl output
# may point elsewhere in tests, at a local server that doctor probes.
FUNCTION_ENDPOINT_URL = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat"
OWN_ALARMS = (
    "chat-errors",
    "chat-throttles",
    "fanout-errors",
    "fanout-throttles",
    "dead-letters",
    "delivery-queue-age",
)
CLOUDWATCH_KEY_STATEMENT = {
    "Sid": "CloudWatchAlarmsOfThisAccount",
    "Effect": "Allow",
    "Principal": {"Service": "cloudwatch.amazonaws.com"},
    "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
    "Resource": "*",
    "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}},
}
ROOT_KEY_STATEMENT = {
    "Sid": "AccountRoot",
    "Effect": "Allow",
    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
    "Action": "kms:*",
    "Resource": "*",
}


@dataclass
class DeployedStack:
    """Names and ARNs of what :func:`deploy_stack` created; ``outputs`` as the stack lists them."""

    name: str
    outputs: dict[str, str]
    table: str
    topic_arn: str
    key_id: str
    secret_arn: str
    queue_url: str
    function_name: str
    own_alarms: list[str] = field(default_factory=list)
    delivery_queue_url: str = ""
    charts_bucket: str = ""  # empty: deployed with charts off

    def client(self, service: str) -> Any:
        return _client(service)


def deploy_stack(
    *,
    name: str = STACK_NAME,
    endpoint_url: str = "http://127.0.0.1:9/chat",
    bot_id: str = BOT_ID,
    locale: str = "en",
    time_zone: str = "UTC",
    key_policy_statements: list[dict[str, Any]] | None = None,
    live_alias: bool = True,
    environment: dict[str, str] | None = None,
    charts: bool = True,
) -> DeployedStack:
    """Create the bot's resources and a stack named ``name`` whose outputs point at them.

    ``live_alias=False`` is a stack deployed before the fan-out had its ``live`` alias;
    ``environment`` adds to the fan-out's variables (``ACCOUNT_NAMES``…); ``charts=False`` is a
    stack deployed with ``charts=false`` (no chart bucket, no ``ChartsBucketName``). The chart
    route itself is the endpoint's (``tests/support/chat_endpoint.py``).
    """
    extra_environment = environment or {}
    table = f"{name}-Spaces"
    create_spaces_table(_client("dynamodb"), table)
    statements = (
        [ROOT_KEY_STATEMENT, CLOUDWATCH_KEY_STATEMENT]
        if key_policy_statements is None
        else key_policy_statements
    )
    key = _client("kms").create_key(
        Description=f"Encrypts the alarm topics of {name}",
        Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}),
    )["KeyMetadata"]
    topic_arn = _client("sns").create_topic(Name=f"{name}-Alarms", Attributes={"KmsMasterKeyId": key["Arn"]})[
        "TopicArn"
    ]
    secret_arn = _client("secretsmanager").create_secret(Name=f"{name}-GoogleKey", Description="empty")["ARN"]
    queue_url = _client("sqs").create_queue(QueueName=f"{name}-DeadLetters")["QueueUrl"]
    delivery_queue_url = _client("sqs").create_queue(QueueName=f"{name}-Delivery")["QueueUrl"]
    environment = {
        "SUBSCRIPTIONS_TABLE": table,
        "BOT_ID": bot_id,
        "GOOGLE_CREDENTIALS_SECRET_ARN": secret_arn,
        "LOCALE": locale,
        "TIME_ZONE": time_zone,
        "DELIVERY_CONCURRENCY": "4",
        "POWERTOOLS_METRICS_NAMESPACE": "AlarmChatBot",
        "CHAT_ENDPOINT_URL": FUNCTION_ENDPOINT_URL,
        "DELIVERY_QUEUE_URL": delivery_queue_url,
        "DEAD_LETTER_QUEUE_URL": queue_url,
        **extra_environment,
    }
    function_name = _create_function(f"{name}-Fanout", environment)
    own_alarms = [_own_alarm(f"{name}-{suffix}", topic_arn) for suffix in OWN_ALARMS]
    outputs = {
        "ChatEndpointUrl": endpoint_url,
        "SubscriptionsTableName": table,
        "AlarmTopicArn": topic_arn,
        "GoogleCredentialsSecretArn": secret_arn,
        "DeadLetterQueueUrl": queue_url,
        "FanoutFunctionName": function_name,
        "DeliveryQueueUrl": delivery_queue_url,
    }
    if live_alias:
        version = _client("lambda").publish_version(FunctionName=function_name)["Version"]
        outputs["FanoutAliasArn"] = _client("lambda").create_alias(
            FunctionName=function_name, Name="live", FunctionVersion=version
        )["AliasArn"]
    charts_bucket = _create_charts_bucket(f"{name.lower()}-charts") if charts else ""
    if charts_bucket:
        outputs["ChartsBucketName"] = charts_bucket
    create_stack_with_outputs(name, outputs)
    return DeployedStack(
        name,
        outputs,
        table,
        topic_arn,
        key["KeyId"],
        secret_arn,
        queue_url,
        function_name,
        own_alarms,
        delivery_queue_url,
        charts_bucket,
    )


def create_stack_with_outputs(name: str, outputs: dict[str, str]) -> None:
    """A stack that only carries ``outputs`` (one placeholder resource, as a template needs one)."""
    template = {
        "Resources": {"Placeholder": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
        "Outputs": {key: {"Value": value} for key, value in outputs.items()},
    }
    _client("cloudformation").create_stack(StackName=name, TemplateBody=json.dumps(template))


def _create_charts_bucket(name: str) -> str:
    """The chart bucket as the stack leaves it: every kind of public access blocked."""
    _client("s3").create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    _client("s3").put_public_access_block(
        Bucket=name,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    return name


def _create_function(name: str, environment: dict[str, str]) -> str:
    role = _client("iam").create_role(
        RoleName=f"{name}-Role",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        ),
    )["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("handler.py", "def handler(event, context):\n    return None\n")
    _client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.13",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": archive.getvalue()},
        Environment={"Variables": environment},
    )
    return name


def _own_alarm(name: str, topic_arn: str) -> str:
    """One of the bot's self-monitoring alarms, shaped like the stack's (≥ 1 in 5 minutes)."""
    _client("cloudwatch").put_metric_alarm(
        AlarmName=name,
        AlarmDescription="The bot watching itself",
        AlarmActions=[topic_arn],
        OKActions=[topic_arn],
        MetricName="Errors",
        Namespace="AWS/Lambda",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        TreatMissingData="notBreaching",
    )
    return name


@functools.cache
def _client(service: str) -> Any:
    """One client per service for the whole test session (moto intercepts them all the same)."""
    session: Any = boto3.Session(region_name=REGION)
    return session.client(service)
