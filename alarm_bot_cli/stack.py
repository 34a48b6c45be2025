"""Find the deployed bot through its CloudFormation stack, and read what the commands need from it.

The stack's outputs are the contract between the CDK app and these commands (``chatbot_stack/
stack.py`` keeps their names stable), so nothing here guesses physical names. Settings that live
only in the fan-out function's environment (``BOT_ID``, ``LOCALE``, ``TIME_ZONE``) are read from
its configuration, so the commands always agree with what the deployed function does.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from botocore.config import Config
from botocore.exceptions import ClientError

from alarm_bot_cli.aws import CLIENT_CONFIG, error_code, session_from
from alarm_bot_cli.errors import CommandError

if TYPE_CHECKING:
    import boto3
    from mypy_boto3_cloudformation.type_defs import StackTypeDef
    from mypy_boto3_cloudwatch.client import CloudWatchClient
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_secretsmanager.client import SecretsManagerClient
    from mypy_boto3_sns.client import SNSClient
    from mypy_boto3_sqs.client import SQSClient

ENDPOINT_URL: Final = "ChatEndpointUrl"
TABLE_NAME: Final = "SubscriptionsTableName"
TOPIC_ARN: Final = "AlarmTopicArn"
SECRET_ARN: Final = "GoogleCredentialsSecretArn"  # noqa: S105 - an output name, not a secret
QUEUE_URL: Final = "DeadLetterQueueUrl"
FANOUT_FUNCTION: Final = "FanoutFunctionName"
FANOUT_ALIAS: Final = "FanoutAliasArn"  # not required: stacks deployed before the alias lack it
DELIVERY_QUEUE_URL: Final = "DeliveryQueueUrl"  # not required: stacks deployed before the queue lack it
REQUIRED_OUTPUTS: Final = (ENDPOINT_URL, TABLE_NAME, TOPIC_ARN, SECRET_ARN, QUEUE_URL, FANOUT_FUNCTION)


@dataclass(frozen=True)
class DeployedStack:
    """The stack as CloudFormation describes it: name, region, status and outputs."""

    name: str
    region: str
    status: str
    outputs: Mapping[str, str]

    def output(self, key: str) -> str:
        value = self.outputs.get(key)
        if not value:
            raise CommandError(
                f"stack {self.name} has no output {key}: deploy the current version with `make deploy`"
            )
        return value

    @property
    def missing_outputs(self) -> list[str]:
        return [key for key in REQUIRED_OUTPUTS if not self.outputs.get(key)]

    @property
    def account(self) -> str:
        """The account id, read from the topic ARN (``arn:aws:sns:region:account:name``)."""
        return self.output(TOPIC_ARN).split(":")[4]

    @property
    def partition(self) -> str:
        return self.output(TOPIC_ARN).split(":")[1]


@dataclass
class Deployment:
    """An AWS session and the bot's stack in it: what every AWS command starts from."""

    session: boto3.Session
    stack: DeployedStack
    _function_environment: dict[str, str] | None = field(default=None, init=False)

    def cloudwatch(self, config: Config = CLIENT_CONFIG) -> CloudWatchClient:
        return self.session.client("cloudwatch", config=config)

    def dynamodb(self) -> DynamoDBClient:
        return self.session.client("dynamodb", config=CLIENT_CONFIG)

    def secrets(self) -> SecretsManagerClient:
        return self.session.client("secretsmanager", config=CLIENT_CONFIG)

    def sns(self) -> SNSClient:
        return self.session.client("sns", config=CLIENT_CONFIG)

    def sqs(self) -> SQSClient:
        return self.session.client("sqs", config=CLIENT_CONFIG)

    def untyped_client(self, service: str) -> Any:
        """Services without type stubs in the dev environment (``lambda``, ``kms``)."""
        return self.session.client(service, config=CLIENT_CONFIG)  # type: ignore[call-overload]

    def function_environment(self) -> dict[str, str]:
        """The fan-out function's environment variables (``BOT_ID``, ``LOCALE``, ``TIME_ZONE``…)."""
        if self._function_environment is None:
            name = self.stack.output(FANOUT_FUNCTION)
            try:
                configuration = self.untyped_client("lambda").get_function_configuration(FunctionName=name)
            except ClientError as error:
                if error_code(error) == "ResourceNotFoundException":
                    raise CommandError(
                        f"the fan-out function {name} does not exist: deploy again with `make deploy`"
                    ) from None
                raise
            variables = configuration.get("Environment", {}).get("Variables", {})
            self._function_environment = {str(key): str(value) for key, value in variables.items()}
        return self._function_environment

    def bot_id(self) -> str:
        bot_id = self.function_environment().get("BOT_ID", "").strip()
        if not bot_id:
            raise CommandError(
                f"the fan-out function of {self.stack.name} has no BOT_ID: deploy again with `make deploy`"
            )
        return bot_id


def connect(args: argparse.Namespace) -> Deployment:
    """The session for the command's options and the stack ``--stack`` names in it."""
    session = session_from(args)
    return Deployment(session=session, stack=find_stack(session, args.stack))


def find_stack(session: boto3.Session, name: str) -> DeployedStack:
    region = str(session.region_name)
    client = session.client("cloudformation", config=CLIENT_CONFIG)
    try:
        stacks = client.describe_stacks(StackName=name)["Stacks"]
    except ClientError as error:
        if error_code(error) == "ValidationError" and "does not exist" in str(error):
            raise CommandError(
                f"stack {name} not found in {region}: deploy with `make deploy` or pass --stack/--region"
            ) from None
        raise
    if not stacks:
        raise CommandError(
            f"stack {name} not found in {region}: deploy with `make deploy` or pass --stack/--region"
        )
    return _deployed(stacks[0], region)


def _deployed(stack: StackTypeDef, region: str) -> DeployedStack:
    outputs = {
        str(output["OutputKey"]): str(output.get("OutputValue", ""))
        for output in stack.get("Outputs", [])
        if "OutputKey" in output
    }
    return DeployedStack(name=stack["StackName"], region=region, status=stack["StackStatus"], outputs=outputs)
