"""Fixtures for the ``alarm-bot`` command tests: moto AWS with the bot's stack, the Chat API stand-in."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import moto.kms.models
import pytest

from tests.support.aws import aws  # noqa: F401 - fixture
from tests.support.chat_api import FakeChatApi
from tests.support.cli_runner import CliRunner, runner
from tests.support.deployed_stack import DeployedStack, deploy_stack

_KMS_KEYS: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def reused_kms_key_material(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto generates a 2048-bit RSA key for every KMS key (~75 ms); tests never use the material."""

    def generate(key_spec: str) -> Any:
        if key_spec not in _KMS_KEYS:
            _KMS_KEYS[key_spec] = original(key_spec)
        return _KMS_KEYS[key_spec]

    original = moto.kms.models.generate_private_key  # type: ignore[attr-defined]
    monkeypatch.setattr(moto.kms.models, "generate_private_key", generate)


@pytest.fixture(autouse=True)
def no_aws_region_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """``AWS_REGION`` wins over the ``aws`` fixture's ``AWS_DEFAULT_REGION``: a shell's must not leak in."""
    monkeypatch.delenv("AWS_REGION", raising=False)


@pytest.fixture
def in_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[[dict[str, Any]], Path]:
    """Run in a CDK app's directory: a cdk.json whose context (no Chat audience yet) tests change."""
    document: dict[str, Any] = {
        "app": "python3 app.py",
        "context": {"chatAudience": "", "addOnProjectNumber": "", "locale": "en"},
    }

    def write(changes: dict[str, Any]) -> Path:
        document["context"].update(changes)
        path = tmp_path / "cdk.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    monkeypatch.chdir(tmp_path)
    write({})
    return write


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    return runner(capsys)


@pytest.fixture
def deployed(request: pytest.FixtureRequest) -> DeployedStack:
    """The bot's stack in moto (``aws``: fake credentials, region ap-northeast-2)."""
    request.getfixturevalue("aws")
    return deploy_stack()


@pytest.fixture
def google_key(deployed: DeployedStack, chat_api: FakeChatApi) -> dict[str, Any]:
    """A service-account key trusted by the stand-in, stored in the stack's secret."""
    info = chat_api.service_account().info
    deployed.client("secretsmanager").put_secret_value(
        SecretId=deployed.secret_arn, SecretString=json.dumps(info)
    )
    return info
