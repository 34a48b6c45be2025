"""``alarm-bot doctor``'s ``chat audience`` check: a stack that accepts any project's Chat app warns.

Each case changes only the ``ChatAudience`` output of an otherwise healthy deployment, so the
check's verdict is the only thing that may change (``assert_only``).
"""

from __future__ import annotations

import pytest

from tests.cli.stack_outputs import PROJECT_NUMBER, set_outputs
from tests.cli.test_cli_doctor import assert_only, deployment, doctor, endpoint  # noqa: F401 - fixtures
from tests.support.cli_runner import CliRunner
from tests.support.deployed_stack import DeployedStack

CHECK = "chat audience"


@pytest.fixture
def healthy_stack(request: pytest.FixtureRequest) -> DeployedStack:
    """test_cli_doctor's healthy ``deployment`` (imported above as a fixture)."""
    deployed: DeployedStack = request.getfixturevalue("deployment")
    return deployed


@pytest.mark.parametrize(
    ("audience", "detail"),
    [
        (PROJECT_NUMBER, f"only the Chat app of project {PROJECT_NUMBER} is accepted"),
        ("add-on:987654321", "only the Workspace add-on of project 987654321 is accepted"),
    ],
)
def test_a_stack_bound_to_a_project_passes(
    cli: CliRunner, healthy_stack: DeployedStack, audience: str, detail: str
) -> None:
    set_outputs(healthy_stack, ChatAudience=audience)
    result, checks = doctor(cli)
    assert result.status == 0
    assert checks[CHECK] == {"check": CHECK, "status": "pass", "detail": detail, "fix": ""}


def test_url_mode_is_a_warning_with_the_way_out(cli: CliRunner, healthy_stack: DeployedStack) -> None:
    set_outputs(healthy_stack, ChatAudience="url")
    result, checks = doctor(cli)
    assert result.status == 0, "a warning is not a failure"
    assert_only(
        checks,
        CHECK,
        "warn",
        detail="URL mode (chatAudience=url): the endpoint accepts the Chat app of any Google Cloud project",
        fix='`make deploy CDK_ARGS="-c chatAudience=<project number>"`',
    )
    assert "Authentication Audience to Project Number" in checks[CHECK]["fix"]
    text = cli("doctor")
    assert "WARN  chat audience     URL mode (chatAudience=url)" in text.out
    assert text.out.endswith("No check failed; 1 warning(s).\n")


def test_a_stack_from_before_the_output_is_a_warning(cli: CliRunner, healthy_stack: DeployedStack) -> None:
    """Such a stack was deployed when the endpoint URL was the default audience: most likely URL mode."""
    set_outputs(healthy_stack, ChatAudience=None)
    assert_only(
        doctor(cli)[1],
        CHECK,
        "warn",
        detail="has no ChatAudience output: it was deployed by a version whose default was URL mode",
        fix="chatAudience=<project number>",
    )


def test_an_unknown_value_is_a_warning(cli: CliRunner, healthy_stack: DeployedStack) -> None:
    set_outputs(healthy_stack, ChatAudience="project-x")
    assert_only(doctor(cli)[1], CHECK, "warn", detail="unknown ChatAudience output 'project-x'")
