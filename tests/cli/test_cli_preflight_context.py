"""``alarm-bot preflight``: the CDK context it judges, from ./cdk.json, --cdk-json and -c pairs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.preflight_support import (
    AUDIENCE,
    MISSING_AUDIENCE,
    NOT_A_PAIR,
    bootstrapped,
    problems,
    summary,
)
from tests.support.cli_runner import CliRunner


@pytest.mark.parametrize(
    ("context", "argv", "audience"),
    [
        ({"chatAudience": "987"}, [], "chat audience project 987"),
        ({"chatAudience": 987}, [], "chat audience project 987"),  # a bare number in cdk.json
        ({"chatAudience": "987"}, ["-c", "chatAudience=55"], "chat audience project 55"),  # -c wins
        ({}, ["-c", "chatAudience=url"], "chat audience url (any project's Chat app: see README, Security)"),
        ({}, ["--context", "addOnProjectNumber=77"], "chat audience add-on project 77"),
        ({}, ["-c", "locale=ko", "chatAudience=66"], "chat audience project 66"),  # several after one -c
    ],
)
@pytest.mark.usefixtures("aws")
def test_the_audience_from_cdk_json_and_the_command_line(
    context: dict[str, Any], argv: list[str], audience: str, cli: CliRunner, in_app: Any
) -> None:
    in_app(context)
    bootstrapped()
    result = cli("preflight", *argv)
    assert (result.status, result.out, result.err) == (0, summary(audience=audience), "")


def test_an_explicit_cdk_json(cli: CliRunner, aws: None, in_app: Any, tmp_path: Path) -> None:
    bootstrapped()
    elsewhere = tmp_path / "app" / "cdk.json"
    elsewhere.parent.mkdir()
    elsewhere.write_text(json.dumps({"context": {"chatAudience": "31"}}), encoding="utf-8")
    result = cli("preflight", "--cdk-json", str(elsewhere))
    assert result.out == summary(audience="chat audience project 31")


def test_no_cdk_json_is_no_context(
    cli: CliRunner, aws: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    bootstrapped()
    assert cli("preflight", *AUDIENCE).out == summary()
    assert problems(cli("preflight")) == [MISSING_AUDIENCE]


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        (
            "chatAudience",
            "my-project",
            "chatAudience must be a Google Cloud project number (digits) or 'url', not 'my-project': "
            'pass CDK_ARGS="-c chatAudience=<project number>" with the project number of your Chat '
            "app's Google Cloud project (console: project dashboard, Project info card)",
        ),
        (
            "addOnProjectNumber",
            "12ab",
            "addOnProjectNumber must be a Google Cloud project number (digits), not '12ab'",
        ),
    ],
)
@pytest.mark.usefixtures("aws", "in_app")
def test_a_bad_audience(key: str, value: str, problem: str, cli: CliRunner) -> None:
    bootstrapped()
    assert problems(cli("preflight", "-c", f"{key}={value}")) == [problem]


def test_a_value_of_the_wrong_type_in_cdk_json(cli: CliRunner, aws: None, in_app: Any) -> None:
    in_app({"chatAudience": True})
    bootstrapped()
    assert problems(cli("preflight")) == [
        "chatAudience must be a string (in cdk.json or -c chatAudience=...), not True"
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-c", "chatAudience"], f"{NOT_A_PAIR}'chatAudience'"),
        (["-c", "=1"], f"{NOT_A_PAIR}'=1'"),
        (["--cdk-json", "/no/such/cdk.json"], "cannot read /no/such/cdk.json: No such file or directory"),
    ],
)
def test_bad_input_is_a_usage_error(argv: list[str], message: str, cli: CliRunner, aws: None) -> None:
    result = cli("preflight", *argv)
    assert result.status == 2 and result.out == ""
    assert message in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "cdk.json is not valid JSON: Expecting property name enclosed in double quotes"),
        ('{"context": []}', 'cdk.json: "context" must be a JSON object'),
        ("[]", 'cdk.json: "context" must be a JSON object'),
    ],
)
@pytest.mark.usefixtures("aws")
def test_a_broken_cdk_json(
    text: str, message: str, cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cdk.json").write_text(text, encoding="utf-8")
    result = cli("preflight", *AUDIENCE)
    assert result.status == 2 and result.one_line_error and result.err.startswith(f"alarm-bot: {message}")
