"""The Makefile's own behaviour: `make help`, and `make deploy`'s preflight before any CDK call.

The CDK CLI and the preflight are replaced by small scripts that say how they were called, so the
tests see exactly what `make deploy` runs, in which order, and what it does with each exit status.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def make(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-o", "deploy-install", "-o", ".venv/.installed-deploy", *arguments],
        cwd=REPO_ROOT,
        env={key: value for key, value in os.environ.items() if not key.startswith("AWS_")},
        capture_output=True,
        text=True,
        check=False,
    )


def test_help_lists_every_described_target() -> None:
    result = make("help")
    assert result.returncode == 0, result.stderr
    listed = re.findall(r"^  make (\S+)", result.stdout, flags=re.MULTILINE)
    described = re.findall(r"^([a-z][a-z-]*):.*## ", (REPO_ROOT / "Makefile").read_text(), flags=re.MULTILINE)
    assert listed == described
    assert {"deploy", "test", "preflight", "bootstrap", "deploy-forwarder", "help"} <= set(listed)


@pytest.mark.parametrize(
    ("preflight_status", "expected_calls"),
    [
        (0, ["deploy AlarmChatBot -c chatAudience=1234"]),
        (3, ["bootstrap -c chatAudience=1234", "deploy AlarmChatBot -c chatAudience=1234"]),
        (1, []),
    ],
)
def test_deploy_runs_the_preflight_first(
    tmp_path: Path, preflight_status: int, expected_calls: list[str]
) -> None:
    """0: deploy; 3 (only the bootstrap is missing): bootstrap, then deploy; 1: stop, no CDK call."""
    preflight = script(tmp_path, "preflight", f'echo "preflight $*"; exit {preflight_status}')
    cdk = script(tmp_path, "cdk", 'echo "cdk $*"')
    result = make("deploy", f"PREFLIGHT={preflight}", f"CDK={cdk}", "CDK_ARGS=-c chatAudience=1234")
    lines = result.stdout.splitlines()
    assert lines[0] == "preflight --cdk-args=-c chatAudience=1234", result.stdout + result.stderr
    assert [line.removeprefix("cdk ") for line in lines if line.startswith("cdk ")] == expected_calls
    assert (result.returncode == 0) is (preflight_status != 1)


def test_the_real_preflight_stops_a_deploy_without_credentials(tmp_path: Path) -> None:
    cdk = script(tmp_path, "cdk", 'echo "cdk $*"')
    empty = tmp_path / "empty"
    empty.write_text("")
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-o",
            "deploy-install",
            "-o",
            ".venv/.installed-deploy",
            "deploy",
            f"CDK={cdk}",
            "CDK_ARGS=-c chatAudience=1234",
        ],
        cwd=REPO_ROOT,
        env={
            **{key: value for key, value in os.environ.items() if not key.startswith("AWS_")},
            "AWS_CONFIG_FILE": str(empty),
            "AWS_SHARED_CREDENTIALS_FILE": str(empty),
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_REGION": "eu-west-1",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "alarm-bot preflight: no AWS credentials: run `aws configure` or `aws sso login`" in result.stderr
    assert "cdk " not in result.stdout
