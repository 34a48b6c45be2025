"""What the ``alarm-bot preflight`` tests share: the lines they expect, a bootstrap, a problem reader.

The ``in_app`` fixture (a directory with a cdk.json) is in conftest.py.
"""

from __future__ import annotations

import boto3

from tests.support.cli_runner import Run

REGION = "ap-northeast-2"  # the ``aws`` fixture's
ACCOUNT = "123456789012"  # moto's
PARAMETER = "/cdk-bootstrap/hnb659fds/version"
AUDIENCE = ("-c", "chatAudience=1234")
PREFIX = "alarm-bot preflight: "
NOT_A_PAIR = "argument -c/--context: expected KEY=VALUE, as for cdk -c, not "
NO_CREDENTIALS = "no AWS credentials: run `aws configure` or `aws sso login`, or set AWS_PROFILE"
NO_REGION = (
    "no AWS region: set AWS_REGION (e.g. `export AWS_REGION=eu-west-1`) or a region in your AWS "
    "profile (`aws configure set region eu-west-1`)"
)
MISSING_AUDIENCE = (
    'chatAudience is not set: pass CDK_ARGS="-c chatAudience=<project number>" with the project '
    "number of your Chat app's Google Cloud project (console: project dashboard, Project info card); "
    "-c addOnProjectNumber=<number> for a Workspace add-on, -c chatAudience=url to keep a stack "
    "deployed in URL mode (README, Security)"
)


def bootstrapped(version: str = "21", *, region: str = REGION, name: str = PARAMETER) -> None:
    """What ``cdk bootstrap`` leaves for the version check: a String parameter in SSM."""
    boto3.client("ssm", region_name=region).put_parameter(Name=name, Value=version, Type="String")


def summary(version: int = 21, audience: str = "chat audience project 1234", region: str = REGION) -> str:
    return f"preflight: account {ACCOUNT}, region {region}, bootstrapped (version {version}), {audience}\n"


def problems(result: Run, status: int = 1) -> list[str]:
    """The problem lines, each checked to be one ``alarm-bot preflight:`` line; exit ``status``
    (3 when a bootstrap is all that is missing, which ``make deploy`` then runs itself)."""
    assert result.status == status and result.out == "", (result.status, result.out)
    lines = result.err.splitlines()
    assert lines and all(line.startswith(PREFIX) for line in lines) and "Traceback" not in result.err
    return [line.removeprefix(PREFIX) for line in lines]
