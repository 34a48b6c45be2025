"""Print the deployed bot's event bus ARN, for ``make deploy-forwarder``.

The forwarder stacks need the ARN as their ``AlarmBusArn`` parameter; the bot's stack publishes it
as the output ``AlarmEventBusArn``. This reads it from CloudFormation in the bot's region (the
shell's, or ``--region``), and says in one line on stderr what to do when the stack is not there
or predates the bus. It imports boto3 only, not the CDK, so it answers in a moment.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from chatbot_stack.stack_names import BUS_ARN_OUTPUT, STACK_ID

if TYPE_CHECKING:
    from mypy_boto3_cloudformation.client import CloudFormationClient


class BusNotFoundError(Exception):
    """The stack or its output is missing; the message says what to do."""


def bus_arn(cloudformation: CloudFormationClient, stack_name: str = STACK_ID) -> str:
    """The ``AlarmEventBusArn`` output of ``stack_name``."""
    try:
        stacks = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as error:
        raise BusNotFoundError(
            f"cannot read stack {stack_name}: {error.response.get('Error', {}).get('Message', error)} "
            "(deploy the bot first with `make deploy`, or set ALARM_BUS_ARN or BOT_REGION)"
        ) from None
    outputs = {output.get("OutputKey"): output.get("OutputValue") for output in stacks[0].get("Outputs", [])}
    value = outputs.get(BUS_ARN_OUTPUT)
    if not value:
        raise BusNotFoundError(
            f"stack {stack_name} has no output {BUS_ARN_OUTPUT}: "
            "deploy the current version with `make deploy`"
        )
    return value


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m chatbot_stack.deployed_bus [--stack NAME] [--region REGION]``: the ARN on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--stack", default=STACK_ID, help="the bot's stack name (default: %(default)s)")
    parser.add_argument("--region", default=None, help="the bot's region (default: the shell's)")
    arguments = parser.parse_args(argv)
    try:
        client = boto3.client("cloudformation", region_name=arguments.region or None)
        print(bus_arn(client, arguments.stack))
    except (BusNotFoundError, BotoCoreError) as error:
        print(f"Cannot find the bot's event bus: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
