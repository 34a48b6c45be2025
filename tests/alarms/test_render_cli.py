"""``alarm-bot render``: what an operator runs to preview a card, and how it fails."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from alarm_bot_cli import main
from tests.alarms.alarm_samples import SNAPSHOTS, sample_path
from tests.support.chat_schema import validate_message
from tests.support.cli_runner import checkout_env

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_renders_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["render", str(sample_path("sns_korean_name")), "--time-zone", "Asia/Seoul"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    message = json.loads(out)
    validate_message(message)
    snapshot = json.loads((SNAPSHOTS / "sns_korean_name.en.json").read_text(encoding="utf-8"))
    sections = message["cardsV2"][0]["card"].pop("sections")
    expected_sections = snapshot["cardsV2"][0]["card"].pop("sections")
    # The card as rendered, and as delivered: the Acknowledge and Mute buttons join the last section
    # (tests/cli/test_cli_render.py compares the whole message with what delivery posts).
    assert message == snapshot and sections[:-1] == expected_sections[:-1]
    assert "결제 API" in out, "non-ASCII is printed as it is"


def test_several_records_print_an_array(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(sample_path("sns_backup")), "--time-zone", "UTC"]) == 0
    messages = json.loads(capsys.readouterr().out)
    assert isinstance(messages, list) and len(messages) == 4


def test_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(sample_path("event_guardduty").read_text()))
    assert main(["render", "-", "--locale", "ko"]) == 0
    assert json.loads(capsys.readouterr().out)["text"].startswith("🔔 GuardDuty Finding")


def test_locale_and_zone_default_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LOCALE", "ko")
    monkeypatch.setenv("TIME_ZONE", "Asia/Seoul")
    assert main(["render", str(sample_path("sns_korean_name"))]) == 0
    out = capsys.readouterr().out
    assert "알람이 발생했습니다" in out and "KST" in out


def test_unknown_text_is_rendered_not_refused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("what is this?\n{not json"))
    assert main(["render", "-"]) == 0
    message = json.loads(capsys.readouterr().out)
    assert (
        message["cardsV2"][0]["card"]["sections"][0]["widgets"][0]["textParagraph"]["text"]
        == "what is this?\n{not json"
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["render", "/no/such/file.json"],
            "alarm-bot: cannot read /no/such/file.json: No such file or directory\n",
        ),
        (["render", "tests"], "alarm-bot: cannot read tests: Is a directory\n"),
        (["render", "-", "--time-zone", "Mars/Olympus"], "alarm-bot: unknown time zone 'Mars/Olympus'"),
        (["render", "-", "--locale", "fr"], "alarm-bot: unknown locale 'fr'"),
    ],
)
def test_errors_are_one_line_and_status_2(
    argv: list[str], expected: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setattr(sys, "stdin", io.StringIO("{}"))
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(expected) and err.count("\n") == 1 and "Traceback" not in err


def test_help_documents_the_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--help"]) == 0
    assert "JSON array" in capsys.readouterr().out


def test_no_command_shows_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "render" in capsys.readouterr().err


def test_real_process(tmp_path: Path) -> None:
    payload = tmp_path / "alarm.json"
    payload.write_bytes(sample_path("sns_anomaly").read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "alarm_bot_cli", "render", str(payload), "--time-zone", "Asia/Seoul"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=REPO_ROOT,
        env=checkout_env(),
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout)["text"].startswith("🚨 ALARM: prod-orders-per-minute-anomaly")
    missing = subprocess.run(
        [sys.executable, "-m", "alarm_bot_cli", "render", str(tmp_path / "gone.json")],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
        env=checkout_env(),
    )
    assert missing.returncode == 2
    assert missing.stderr == f"alarm-bot: cannot read {tmp_path / 'gone.json'}: No such file or directory\n"
