"""Whatever goes wrong before a command can work, the operator reads one line that says what to do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, TokenRetrievalError

from alarm_bot_cli.aws import describe_aws_error
from tests.support.cli_runner import CliRunner, checkout_env
from tests.support.deployed_stack import DeployedStack, create_stack_with_outputs

REPO_ROOT = Path(__file__).resolve().parents[2]
AWS_COMMANDS = [
    ["spaces"],
    ["doctor"],
    ["redrive", "--dry-run"],
    ["test"],
    ["attach", "--prefix", "prod-", "--dry-run"],
    ["credentials", "set", "-"],
]


@pytest.fixture
def no_aws_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No credentials or profiles anywhere: empty config files, no instance metadata."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


MISSING_STACK = "stack Nope not found in ap-northeast-2: deploy with `make deploy` or pass --stack/--region"


@pytest.mark.parametrize(
    "argv", [argv for argv in AWS_COMMANDS[:-1] if argv[0] != "doctor"], ids=lambda a: a[0]
)
def test_missing_stack(argv: list[str], cli: CliRunner, aws: None) -> None:
    result = cli(*argv, "--stack", "Nope")
    assert result.status == 1 and result.out == ""
    assert result.err == f"alarm-bot: {MISSING_STACK}\n"


def test_doctor_reports_a_missing_stack_as_its_first_check(cli: CliRunner, aws: None) -> None:
    result = cli("doctor")
    assert result.status == 1
    first, *rest = result.out.splitlines()
    assert first.startswith("FAIL  stack") and "stack AlarmChatBot not found in ap-northeast-2" in first
    assert all(line.startswith(("SKIP", " ")) for line in rest[:-1]), result.out


@pytest.mark.parametrize("argv", AWS_COMMANDS[:-1], ids=lambda argv: argv[0])
def test_no_credentials(argv: list[str], cli: CliRunner, aws: None, no_aws_config: None) -> None:
    result = cli(*argv)
    assert result.status == 1 and result.one_line_error
    assert result.err == "alarm-bot: no AWS credentials found: run `aws configure` or pass --profile\n"


def test_unknown_profile(cli: CliRunner, aws: None, no_aws_config: None) -> None:
    result = cli("spaces", "--profile", "prod")
    assert result.status == 1 and result.one_line_error
    assert "AWS profile 'prod' not found" in result.err


def test_no_region(cli: CliRunner, aws: None, no_aws_config: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION", raising=False)
    result = cli("spaces")
    assert result.status == 1 and result.one_line_error and "no AWS region: pass --region" in result.err


@pytest.mark.parametrize("region", ["mars-east-1", "not a region"])
def test_bad_region(region: str, cli: CliRunner, deployed: DeployedStack) -> None:
    result = cli("spaces", "--region", region)
    assert result.status == 1 and result.one_line_error
    assert f"unknown AWS region {region!r}" in result.err


def test_another_region_has_no_stack(cli: CliRunner, deployed: DeployedStack) -> None:
    result = cli("spaces", "--region", "us-east-1")
    assert result.status == 1 and "stack AlarmChatBot not found in us-east-1" in result.err


def test_a_stack_without_the_outputs(cli: CliRunner, aws: None) -> None:
    create_stack_with_outputs("AlarmChatBot", {"AlarmTopicArn": "arn:aws:sns:ap-northeast-2:123456789012:t"})
    result = cli("spaces")
    assert result.status == 1 and result.one_line_error
    assert "stack AlarmChatBot has no output SubscriptionsTableName: deploy the current version" in result.err


def test_aws_errors_become_advice() -> None:
    def client_error(code: str) -> ClientError:
        return ClientError({"Error": {"Code": code, "Message": "msg"}}, "DescribeStacks")

    assert "aws configure" in describe_aws_error(NoCredentialsError())
    assert "aws sso login" in describe_aws_error(TokenRetrievalError(provider="sso", error_msg="expired"))
    assert "check --region" in describe_aws_error(EndpointConnectionError(endpoint_url="https://x"))
    assert "have expired" in describe_aws_error(client_error("ExpiredToken"))
    assert "rejected your credentials" in describe_aws_error(client_error("InvalidClientTokenId"))
    assert describe_aws_error(client_error("AccessDenied")) == (
        "access denied to DescribeStacks: use credentials that are allowed it (msg)"
    )
    assert describe_aws_error(client_error("Throttling")) == "AWS DescribeStacks failed: Throttling: msg"


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["doctor", "--help"],
        ["attach", "--help"],
        ["spaces", "--help"],
        ["credentials", "set", "-h"],
    ],
)
def test_help(argv: list[str], cli: CliRunner) -> None:
    result = cli(*argv)
    assert result.status == 0 and "usage: alarm-bot" in result.out


def test_a_real_process_without_credentials_fails_in_one_line(tmp_path: Path) -> None:
    """The console entry point as a shell runs it; a proxy on a closed port keeps it off the network."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("AWS_")}
    env |= {
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
    }
    result = subprocess.run(
        [sys.executable, "-m", "alarm_bot_cli", "spaces", "--region", "ap-northeast-2"],
        capture_output=True,
        text=True,
        check=False,
        env=checkout_env(env),
        cwd=REPO_ROOT,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "alarm-bot: no AWS credentials found: run `aws configure` or pass --profile\n"
