"""``alarm-bot preflight``: credentials, region and bootstrap, checked against moto, one line each.

The CDK context (cdk.json, -c) is in test_cli_preflight_context.py; a real, timed process in
test_cli_preflight_process.py.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.core import set_initial_no_auth_action_count

from tests.cli.preflight_support import (
    ACCOUNT,
    AUDIENCE,
    MISSING_AUDIENCE,
    NO_CREDENTIALS,
    NO_REGION,
    PARAMETER,
    REGION,
    bootstrapped,
    problems,
    summary,
)
from tests.support.cli_runner import CliRunner


@pytest.fixture
def no_aws_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No credentials or profiles anywhere: empty config files, no instance metadata."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    config = tmp_path / "aws-config"
    config.write_text("", encoding="utf-8")
    (tmp_path / "aws-credentials").write_text("", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("HOME", str(tmp_path))
    return config


def test_ready_to_deploy(cli: CliRunner, aws: None, in_app: Any) -> None:
    bootstrapped()
    result = cli("preflight", *AUDIENCE)
    assert (result.status, result.out, result.err) == (0, summary(), "")


def test_json(cli: CliRunner, aws: None, in_app: Any) -> None:
    bootstrapped()
    result = cli("preflight", "--json", "-c", "addOnProjectNumber=42")
    assert result.status == 0 and result.err == ""
    assert result.json() == {
        "ok": True,
        "account": ACCOUNT,
        "region": REGION,
        "bootstrapVersion": 21,
        "chatAudience": "add-on:42",
        "problems": [],
    }
    failed = cli("preflight", "--json")
    assert failed.status == 1 and failed.err == ""
    assert failed.json()["problems"] == [MISSING_AUDIENCE]


def test_the_region_follows_aws_region(
    cli: CliRunner, aws: None, in_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bootstrapped(region="eu-west-1")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    assert cli("preflight", *AUDIENCE).out == summary(region="eu-west-1")
    result = cli("preflight", *AUDIENCE, "--region", REGION)  # --region first; not bootstrapped there
    assert problems(result, status=3) == [
        f"CDK is not bootstrapped in aws://{ACCOUNT}/{REGION} (no {PARAMETER}): run `make bootstrap`"
    ]


def test_not_bootstrapped_and_no_audience_say_both(cli: CliRunner, aws: None, in_app: Any) -> None:
    assert problems(cli("preflight")) == [
        f"CDK is not bootstrapped in aws://{ACCOUNT}/{REGION} (no {PARAMETER}): run `make bootstrap`",
        MISSING_AUDIENCE,
    ]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (
            "5",
            f"the CDK bootstrap in aws://{ACCOUNT}/{REGION} is version 5; this app needs 6 or newer: "
            "run `make bootstrap` to upgrade it",
        ),
        ("six", f"{PARAMETER} holds 'six', not a bootstrap version: run `make bootstrap`"),
    ],
)
def test_an_old_or_odd_bootstrap(value: str, problem: str, cli: CliRunner, aws: None, in_app: Any) -> None:
    bootstrapped(value)
    assert problems(cli("preflight", *AUDIENCE), status=3) == [problem]


def test_the_oldest_bootstrap_the_app_accepts(cli: CliRunner, aws: None, in_app: Any) -> None:
    bootstrapped("6")
    assert cli("preflight", *AUDIENCE).out == summary(version=6)


def test_a_custom_qualifier_from_the_context(cli: CliRunner, aws: None, in_app: Any) -> None:
    in_app({"@aws-cdk/core:bootstrapQualifier": "team42"})
    bootstrapped(name="/cdk-bootstrap/team42/version")
    assert cli("preflight", *AUDIENCE).out == summary()
    bootstrapped("30")  # the default qualifier's: not what this app uses
    result = cli("preflight", *AUDIENCE, "-c", "@aws-cdk/core:bootstrapQualifier=other")
    assert "no /cdk-bootstrap/other/version" in problems(result, status=3)[0]


def test_no_credentials(cli: CliRunner, no_aws_config: Path, in_app: Any) -> None:
    result = cli("preflight", "--region", "eu-west-1", *AUDIENCE)
    assert problems(result) == [NO_CREDENTIALS]


def test_no_credentials_and_no_region(
    cli: CliRunner, no_aws_config: Path, in_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    assert problems(cli("preflight")) == [NO_CREDENTIALS, NO_REGION, MISSING_AUDIENCE]


def test_no_region(cli: CliRunner, aws: None, in_app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    assert problems(cli("preflight", *AUDIENCE)) == [NO_REGION]


@pytest.mark.parametrize("how", ["option", "variable"])
def test_a_profile_that_does_not_exist(
    how: str, cli: CliRunner, no_aws_config: Path, in_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = ["--profile", "prod"] if how == "option" else []
    if how == "variable":
        monkeypatch.setenv("AWS_PROFILE", "prod")
    assert problems(cli("preflight", *argv, *AUDIENCE)) == [
        "AWS profile 'prod' not found: check ~/.aws/config or pass another --profile"
    ]


def test_an_unknown_region(cli: CliRunner, aws: None, in_app: Any) -> None:
    assert problems(cli("preflight", "--region", "mars-east-1", *AUDIENCE)) == [
        "unknown AWS region 'mars-east-1': pass --region with a code such as ap-northeast-2"
    ]


def test_an_expired_sso_session(cli: CliRunner, no_aws_config: Path, in_app: Any, tmp_path: Path) -> None:
    """An SSO profile whose cached token has expired (as `aws sso login` left it a day ago)."""
    start_url = "https://example.awsapps.com/start"
    no_aws_config.write_text(
        "[profile deploy]\n"
        f"sso_start_url = {start_url}\nsso_region = eu-west-1\nsso_account_id = {ACCOUNT}\n"
        "sso_role_name = Deployer\nregion = eu-west-1\n",
        encoding="utf-8",
    )
    cache = tmp_path / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True)
    token = {
        "startUrl": start_url,
        "region": "eu-west-1",
        "accessToken": "x",
        "expiresAt": "2020-01-01T00:00:00Z",
    }
    (cache / f"{hashlib.sha1(start_url.encode()).hexdigest()}.json").write_text(json.dumps(token))
    assert problems(cli("preflight", "--profile", "deploy", *AUDIENCE)) == [
        "your AWS SSO session has expired: run `aws sso login --profile deploy`"
    ]


@set_initial_no_auth_action_count(4)
def test_credentials_that_may_not_read_the_bootstrap_version(
    cli: CliRunner, aws: None, in_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deployers whose own identity may only assume the CDK roles: not a reason to stop the deploy."""
    iam = boto3.client("iam")
    iam.create_user(UserName="deployer")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}]}
    iam.put_user_policy(UserName="deployer", PolicyName="sts", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="deployer")["AccessKey"]
    bootstrapped()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    monkeypatch.delenv("AWS_SESSION_TOKEN")
    result = cli("preflight", *AUDIENCE)
    assert (result.status, result.err) == (0, "")
    assert result.out == (
        f"preflight: account {ACCOUNT}, region {REGION}, bootstrap not checked (ssm:GetParameter denied), "
        "chat audience project 1234\n"
    )


def test_cdk_args_as_make_deploy_passes_them(cli: CliRunner, aws: None, in_app: Any) -> None:
    """`make deploy` hands over CDK_ARGS whole: its -c pairs count, other cdk flags are passed over."""
    bootstrapped()
    cdk_args = "--require-approval never -c chatAudience=1234 --context=locale=ko"
    assert cli("preflight", f"--cdk-args={cdk_args}").out == summary()
    assert problems(cli("preflight", "--cdk-args=--require-approval never")) == [MISSING_AUDIENCE]


def test_cdk_args_that_are_not_shell_words_are_a_usage_error(cli: CliRunner, aws: None, in_app: Any) -> None:
    result = cli("preflight", "--cdk-args=-c 'chatAudience=1234")
    assert result.status == 2 and "CDK_ARGS cannot be read as shell words" in result.err
