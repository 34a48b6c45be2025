"""``alarm-bot credentials set``: only a real service-account key reaches the secret, never echoed."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.support.cli_runner import CliRunner
from tests.support.deployed_stack import DeployedStack
from tests.support.service_account import make_service_account

KEY = make_service_account("https://oauth2.googleapis.com/token").info


def secret_value(deployed: DeployedStack) -> str | None:
    client = deployed.client("secretsmanager")
    try:
        return str(client.get_secret_value(SecretId=deployed.secret_arn)["SecretString"])
    except client.exceptions.ResourceNotFoundException:
        return None


def assert_no_key_material(text: str) -> None:
    assert "PRIVATE KEY" not in text
    assert KEY["private_key"].splitlines()[1][:20] not in text
    assert KEY["private_key_id"] not in text


def test_stores_a_valid_key(cli: CliRunner, deployed: DeployedStack, tmp_path: Path) -> None:
    path = tmp_path / "key.json"
    path.write_text(json.dumps(KEY, indent=2))
    result = cli("credentials", "set", str(path))
    assert result.status == 0, result.err
    assert secret_value(deployed) == path.read_text()
    assert KEY["client_email"] in result.out and deployed.secret_arn in result.out
    assert_no_key_material(result.out + result.err)


def test_reads_standard_input_and_prints_json(
    cli: CliRunner, deployed: DeployedStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps(KEY).encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    result = cli("credentials", "set", "-", "--json")
    assert result.status == 0, result.err
    summary = result.json()
    assert summary["client_email"] == KEY["client_email"] and summary["secret"] == deployed.secret_arn
    assert json.loads(secret_value(deployed) or "") == KEY
    assert_no_key_material(result.out)


BAD_FILES = {
    "not JSON": ("{not json", "is not JSON"),
    "wrong type": (json.dumps({**KEY, "type": "authorized_user"}), "has type 'authorized_user'"),
    "no private key": (json.dumps({k: v for k, v in KEY.items() if k != "private_key"}), "lacks private_key"),
    "a list": (json.dumps([KEY]), "must hold a JSON object"),
    "empty": ("", "is empty"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_refuses_what_is_not_a_key(
    case: str, cli: CliRunner, deployed: DeployedStack, tmp_path: Path
) -> None:
    content, reason = BAD_FILES[case]
    path = tmp_path / "key.json"
    path.write_text(content)
    result = cli("credentials", "set", str(path))
    assert result.status == 2
    assert result.one_line_error and reason in result.err and "nothing was changed" in result.err
    assert result.out == ""
    assert_no_key_material(result.err)
    assert secret_value(deployed) is None


def test_a_bad_file_leaves_the_stored_key(cli: CliRunner, deployed: DeployedStack, tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text(json.dumps(KEY))
    bad.write_text(json.dumps({**KEY, "private_key": ""}))
    assert cli("credentials", "set", str(good)).status == 0
    assert cli("credentials", "set", str(bad)).status == 2
    assert secret_value(deployed) == good.read_text()


def test_missing_file(cli: CliRunner, deployed: DeployedStack, tmp_path: Path) -> None:
    result = cli("credentials", "set", str(tmp_path / "nope.json"))
    assert result.status == 2 and result.one_line_error
    assert "No such file or directory" in result.err
    assert secret_value(deployed) is None


def test_binary_file(cli: CliRunner, deployed: DeployedStack, tmp_path: Path) -> None:
    path = tmp_path / "key.p12"
    path.write_bytes(b"\x30\x82\xff\xfe" * 100)
    result = cli("credentials", "set", str(path))
    assert result.status == 2 and result.one_line_error and "binary" in result.err
    assert secret_value(deployed) is None
