"""Command-line habits of the AWS CLI: where the region comes from, options on either side of the
command, ``--version``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alarm_bot_cli.aws import requested_region
from tests.support.cli_runner import CliRunner
from tests.support.deployed_stack import REGION, DeployedStack

REPO_ROOT = Path(__file__).resolve().parents[2]
ELSEWHERE = "us-east-1"  # a region where the stack is not
MISSING = f"stack AlarmChatBot not found in {ELSEWHERE}"


@pytest.fixture
def profile_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A config file with profile ``ops`` (credentials stay the fixture's environment variables)."""
    config = tmp_path / "config"
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    return config


def profile_region(config: Path, region: str) -> None:
    """Profile ``ops`` in ``region`` (a named profile ignores the credentials in the environment)."""
    config.write_text(
        f"[profile ops]\nregion = {region}\naws_access_key_id = testing\naws_secret_access_key = testing\n",
        encoding="utf-8",
    )


def found(cli: CliRunner, *argv: str) -> bool:
    """Whether ``spaces`` found the stack (it exists only in the fixture's region)."""
    result = cli("spaces", "--json", *argv)
    if result.status == 0:
        return True
    assert result.err == f"alarm-bot: {MISSING}: deploy with `make deploy` or pass --stack/--region\n"
    return False


def test_aws_region_is_read(cli: CliRunner, deployed: DeployedStack, monkeypatch: pytest.MonkeyPatch) -> None:
    """`AWS_REGION=… alarm-bot test` used to say "no AWS region": boto3 reads only AWS_DEFAULT_REGION."""
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", REGION)
    result = cli("test")
    assert result.status == 0 and result.err == "", result.err


def test_region_option_wins_over_aws_region(
    cli: CliRunner, deployed: DeployedStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", ELSEWHERE)
    assert not found(cli)
    assert found(cli, "--region", REGION)


def test_aws_region_wins_over_aws_default_region(
    cli: CliRunner, deployed: DeployedStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", ELSEWHERE)
    assert not found(cli)
    monkeypatch.setenv("AWS_REGION", REGION)
    assert found(cli)


def test_aws_default_region_wins_over_the_profile(
    cli: CliRunner, deployed: DeployedStack, profile_config: Path
) -> None:
    profile_region(profile_config, ELSEWHERE)
    assert found(cli, "--profile", "ops")  # AWS_DEFAULT_REGION is the fixture's, where the stack is


def test_the_profile_region_comes_last(
    cli: CliRunner, deployed: DeployedStack, profile_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    profile_region(profile_config, REGION)
    assert found(cli, "--profile", "ops")
    profile_region(profile_config, ELSEWHERE)
    assert not found(cli, "--profile", "ops")
    monkeypatch.setenv("AWS_PROFILE", "ops")  # the same through the variable
    assert not found(cli)


def test_an_aws_profile_variable_that_names_no_profile(
    cli: CliRunner, aws: None, profile_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "prod")
    result = cli("spaces")
    assert result.status == 1 and result.one_line_error
    assert result.err == (
        "alarm-bot: AWS profile 'prod' not found: check ~/.aws/config or pass another --profile\n"
    )


@pytest.mark.parametrize(
    ("explicit", "environ", "expected"),
    [
        ("eu-west-1", {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-west-2"}, "eu-west-1"),
        (None, {"AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-west-2"}, "us-east-1"),
        (None, {"AWS_REGION": " ", "AWS_DEFAULT_REGION": "us-west-2"}, "us-west-2"),
        ("", {"AWS_DEFAULT_REGION": " us-west-2 "}, "us-west-2"),
        (None, {}, None),
    ],
)
def test_requested_region(explicit: str | None, environ: dict[str, str], expected: str | None) -> None:
    assert requested_region(explicit, environ) == expected


@pytest.mark.parametrize(
    "argv",
    [
        ["--region", ELSEWHERE, "spaces"],
        ["spaces", "--region", ELSEWHERE],
        ["--json", "--region", ELSEWHERE, "spaces"],
        ["--region", "ap-south-1", "spaces", "--region", ELSEWHERE],  # the later one wins
    ],
    ids=["before", "after", "several-before", "both"],
)
def test_global_options_before_or_after_the_command(
    argv: list[str], cli: CliRunner, deployed: DeployedStack
) -> None:
    result = cli(*argv)
    assert result.status == 1 and result.err.startswith(f"alarm-bot: {MISSING}")


def test_options_before_the_command_reach_it(cli: CliRunner, deployed: DeployedStack) -> None:
    assert cli("--region", REGION, "--json", "spaces").json() == []
    assert cli("--stack", "Nope", "spaces").err.startswith("alarm-bot: stack Nope not found")
    doctor = cli("--region", ELSEWHERE, "doctor")
    assert doctor.status == 1 and f"{MISSING}" in doctor.out.splitlines()[0]
    stored = cli("--region", ELSEWHERE, "credentials", "set", "/no/such/key.json")
    assert stored.status != 0 and stored.one_line_error


def test_options_after_credentials_reach_set(cli: CliRunner, deployed: DeployedStack, tmp_path: Path) -> None:
    key = tmp_path / "key.json"
    key.write_text("{}", encoding="utf-8")
    result = cli("credentials", "--region", ELSEWHERE, "set", str(key))
    assert result.status != 0 and result.one_line_error


def test_version(cli: CliRunner) -> None:
    result = cli("--version")
    assert (result.status, result.err) == (0, "")
    assert re.fullmatch(r"alarm-bot \d+\.\d+\.\d+\S*\n", result.out), result.out


def _version_of_a_copy(root: Path, *, with_pyproject: bool) -> subprocess.CompletedProcess[str]:
    """``--version`` of the packages copied to ``root`` (``alarm_bot_cli/``, ``lambda/alarm_bot/``),
    run without site-packages (``-S``): no metadata anywhere, as in a checkout that was never installed."""
    for package in ("alarm_bot_cli", "lambda/alarm_bot"):
        shutil.copytree(REPO_ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__"))
    if with_pyproject:
        shutil.copy(REPO_ROOT / "pyproject.toml", root / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(root / "lambda")}  # the copy's, not this checkout's
    return subprocess.run(
        [sys.executable, "-S", "-m", "alarm_bot_cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=root,
        env=env,
    )


def test_version_of_an_uninstalled_checkout_comes_from_pyproject(tmp_path: Path) -> None:
    result = _version_of_a_copy(tmp_path, with_pyproject=True)
    assert (result.returncode, result.stderr) == (0, "")
    pyproject = re.escape(str(tmp_path / "pyproject.toml"))
    assert re.fullmatch(rf"alarm-bot \d+\.\d+\.\d+\S* \(not installed: from {pyproject}\)\n", result.stdout)


def test_version_of_a_copy_without_pyproject_is_unknown(tmp_path: Path) -> None:
    result = _version_of_a_copy(tmp_path, with_pyproject=False)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "alarm-bot unknown (not installed: `pip install -e .` in the repository)\n"


def test_the_installed_console_script_prints_the_version() -> None:
    script = Path(sys.executable).with_name("alarm-bot")
    assert script.exists(), "make test installs the alarm-bot console script into the virtualenv"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("alarm-bot ")
    assert "not installed" not in result.stdout
