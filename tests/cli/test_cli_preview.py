"""``alarm-bot preview``: what it reads (a payload, or messages already rendered), what it writes.

The reference for a payload is ``alarm-bot render`` itself: the page must draw exactly the message
render prints. The one test that starts Chromium runs only where Debian's ``/usr/bin/chromium`` is.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from alarm_bot_cli import preview_png
from alarm_bot_cli.preview import page_html
from alarm_bot_cli.preview.styles import PAGE_WIDTH
from tests.alarms.alarm_samples import sample_path
from tests.support.cli_runner import CliRunner

ALARM_FILE = sample_path("sns_korean_name")
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def rendered(cli: CliRunner, tmp_path: Path) -> Path:
    """The sample's message as ``alarm-bot render`` prints it, in a file."""
    result = cli("render", str(ALARM_FILE), "--locale", "ko", "--time-zone", "Asia/Seoul")
    assert result.status == 0
    path = tmp_path / "message.json"
    path.write_text(result.out, encoding="utf-8")
    return path


def test_a_payload_is_drawn_as_render_prints_it(cli: CliRunner, rendered: Path) -> None:
    result = cli("preview", str(ALARM_FILE), "--locale", "ko", "--time-zone", "Asia/Seoul")
    assert result.status == 0 and result.err == ""
    message = json.loads(rendered.read_text(encoding="utf-8"))
    title = f"alarm-bot preview: {ALARM_FILE.name}"
    assert result.out == page_html([message], title=title, locale="ko", threaded=False)
    assert "결제 API/오류율 높음" in result.out and "확인" in result.out


def test_a_rendered_message_is_drawn_as_it_is(cli: CliRunner, rendered: Path) -> None:
    result = cli("preview", str(rendered), "--locale", "ko")
    message = json.loads(rendered.read_text(encoding="utf-8"))
    assert result.status == 0
    assert result.out == page_html([message], title="alarm-bot preview: message.json", locale="ko")


def test_a_list_of_messages_is_one_thread(cli: CliRunner, tmp_path: Path) -> None:
    thread = tmp_path / "thread.json"
    thread.write_text(json.dumps([{"text": "🚨 ALARM: db"}, {"text": "✅ OK: db"}]), encoding="utf-8")
    result = cli("preview", str(thread))
    head, _, replies = result.out.partition('<div class="replies">')
    assert result.status == 0 and "ALARM: db" in head and "OK: db" in replies and "1 reply" in replies


def test_an_add_on_reply_is_unwrapped(cli: CliRunner, tmp_path: Path) -> None:
    wrapped = {"hostAppDataAction": {"chatDataAction": {"updateMessageAction": {"message": {"text": "hi"}}}}}
    path = tmp_path / "reply.json"
    path.write_text(json.dumps(wrapped), encoding="utf-8")
    result = cli("preview", str(path))
    assert result.status == 0 and '<div class="msg-text">hi</div>' in result.out


def test_as_decides_what_a_bare_text_object_is(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "text.json"
    path.write_text('{"text": "disk almost full"}', encoding="utf-8")
    as_message = cli("preview", str(path))
    as_payload = cli("preview", str(path), "--as", "payload")
    assert as_message.status == as_payload.status == 0
    assert 'class="card' not in as_message.out  # a text-only message
    assert 'class="card' in as_payload.out and "disk almost full" in as_payload.out  # the bot's card


def test_as_message_refuses_a_payload(cli: CliRunner) -> None:
    result = cli("preview", str(ALARM_FILE), "--as", "message")
    assert result.status == 2 and result.one_line_error and "holds no Chat message" in result.err


def test_input_that_is_not_json_is_drawn_with_a_warning(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("backup finished <ok>", encoding="utf-8")
    result = cli("preview", str(path))
    assert result.status == 0 and "input is not JSON" in result.err
    assert "backup finished &lt;ok&gt;" in result.out


def test_html_goes_to_the_file_asked_for(cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "card.html"
    result = cli("preview", str(ALARM_FILE), "--html", str(out))
    assert result.status == 0 and result.out == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_unwritable_html_file_is_a_usage_error(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    result = cli("preview", str(ALARM_FILE), "--html", str(tmp_path / "file" / "x.html"))
    assert result.status == 2 and result.one_line_error and "cannot write" in result.err


def test_a_bad_locale_is_refused(cli: CliRunner) -> None:
    result = cli("preview", str(ALARM_FILE), "--locale", "fr")
    assert result.status == 2 and result.one_line_error


def test_without_chromium_one_line_says_to_install_it(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setattr(preview_png.shutil, "which", lambda _name: None)
    page = tmp_path / "card.html"
    result = cli("preview", str(ALARM_FILE), "--html", str(page), "--png", str(tmp_path / "card.png"))
    assert result.status == 1 and result.one_line_error
    assert "sudo apt-get install chromium" in result.err and "make screenshots" in result.err
    assert page.is_file() and not (tmp_path / "card.png").exists()  # the HTML is written all the same


def test_a_chromium_that_is_not_there_is_named(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-such-browser"))
    result = cli("preview", str(ALARM_FILE), "--png", str(tmp_path / "card.png"))
    assert result.status == 1 and result.one_line_error and "no-such-browser is not a file" in result.err


@pytest.mark.skipif(not CHROMIUM.is_file(), reason="needs Debian's chromium (apt-get install chromium)")
def test_chromium_takes_a_picture_as_tall_as_the_card(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHROMIUM", str(CHROMIUM))
    out = tmp_path / "card.png"
    result = cli("preview", str(ALARM_FILE), "--locale", "ko", "--png", str(out))
    assert result.status == 0, result.err
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == PAGE_WIDTH * preview_png.SCALE
    assert 1000 < height < 4000  # the whole card, not an 800-pixel window
