"""The README's pictures (docs/screenshots/) still show what the bot sends.

Each picture is redrawn in memory from the real code and its digest compared with the one
``pictures.sha256`` recorded when the PNG was taken: a change to a card, a digest or the preview
fails here until ``make screenshots`` has taken the pictures again. Pixels are not compared; fonts
differ between machines.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from alarm_bot_cli.gallery_manifest import MANIFEST_NAME, digest_of, manifest_text, read_manifest
from alarm_bot_cli.preview_gallery import SCREENSHOTS, Picture, main, pictures
from tests.conftest import REPO_ROOT

PICTURES = {picture.name: picture for picture in pictures()}
REDRAW = "docs/screenshots/ is out of date: run `make screenshots` and commit the pictures"


def test_the_readme_pictures_are_all_there() -> None:
    assert list(PICTURES) == [
        "alarm",
        "alarm-with-chart",
        "acknowledged-muted",
        "resolved",
        "ok-in-thread",
        "digest",
        "korean",
        "welcome",
    ]
    assert sorted(read_manifest(SCREENSHOTS)) == sorted(
        f"{name}.{kind}" for name in PICTURES for kind in ("html", "png")
    )


@pytest.mark.parametrize("name", list(PICTURES))
def test_the_checked_in_picture_is_up_to_date(name: str, tmp_path: Path) -> None:
    recorded, png = read_manifest(SCREENSHOTS), SCREENSHOTS / f"{name}.png"
    assert png.is_file(), f"{name}: {REDRAW}"
    page = PICTURES[name].html()
    if recorded.get(f"{name}.html") != digest_of(page.encode("utf-8")):
        drawn = tmp_path / f"{name}.html"
        drawn.write_text(page, encoding="utf-8")
        pytest.fail(f"{name}: the page drawn now ({drawn}) is not the picture's: {REDRAW}", pytrace=False)
    assert recorded.get(f"{name}.png") == digest_of(png.read_bytes()), f"{name}.png: {REDRAW}"


def test_the_manifest_is_what_sha256sum_checks(tmp_path: Path) -> None:
    """GNU coreutils' ``sha256sum`` (on every Debian, so never skipped) reads the manifest as its own."""
    pages = {"one": "<p>one</p>", "two": "<p>두 번째</p>"}
    for name, page in pages.items():
        (tmp_path / f"{name}.png").write_bytes(b"\x89PNG " + page.encode("utf-8"))
        (tmp_path / f"{name}.html").write_text(page, encoding="utf-8")
    (tmp_path / MANIFEST_NAME).write_text(manifest_text(pages, tmp_path), encoding="utf-8")
    checked = subprocess.run(
        ["sha256sum", "-c", MANIFEST_NAME], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == 4
    (tmp_path / "two.html").write_text("<p>changed</p>", encoding="utf-8")
    recorded = read_manifest(tmp_path)
    assert recorded["two.html"] != digest_of((tmp_path / "two.html").read_bytes())
    assert recorded["one.html"] == digest_of(b"<p>one</p>")
    assert read_manifest(tmp_path / "nowhere") == {}


def html_of(name: str) -> str:
    picture: Picture = PICTURES[name]
    return picture.html()


def test_the_charted_card_shows_the_sample_chart_inlined_where_the_url_was() -> None:
    page = html_of("alarm-with-chart")
    assert "data:image/svg+xml;base64," in page and "execute-api" not in page
    assert "Graph of prod-api-5xx-high" in page  # the alt text the card carries


def test_the_alarm_card_has_its_buttons() -> None:
    page = html_of("alarm")
    assert "prod-api-5xx-high" in page
    assert all(label in page for label in ("Acknowledge", "Mute here 1h", "Open in CloudWatch"))
    assert "5xx responses from the production load balancer &lt;prod-alb&gt; &amp; its targets" in page


def test_the_clicked_card_says_who_and_until_when() -> None:
    page = html_of("acknowledged-muted")
    assert "Acknowledged by Jane Doe at 05:14" in page and "Muted here until 06:15" in page
    assert "Acknowledge</span>" in page  # still open: the buttons stay


def test_the_resolved_card_lost_its_buttons() -> None:
    page = html_of("resolved")
    assert "Resolved at 05:33 after 23 min" in page and "Acknowledge</span>" not in page


def test_the_ok_reply_is_in_the_alarms_thread() -> None:
    (picture,) = [PICTURES["ok-in-thread"]]
    assert [message["text"].split(":")[0] for message in picture.messages] == ["🚨 ALARM", "✅ OK"]
    head, _, replies = picture.html().partition('<div class="replies">')
    assert "Resolved at 05:33" in head and "1 reply" in replies and "was ALARM" in replies


def test_the_digest_shows_the_storm() -> None:
    page = html_of("digest")
    assert "5 alarms changed state" in page and "05:10:13 to 05:11:05" in page
    assert "Acknowledged by Jane Doe" in page and "Muted here until" in page


def test_the_korean_card_is_korean() -> None:
    page = html_of("korean")
    assert '<html lang="ko">' in page and "결제 API/오류율 높음 알람이 발생했습니다" in page and "KST" in page


def test_the_welcome_card_names_the_space_and_the_commands() -> None:
    page = html_of("welcome")
    assert "CloudWatch alarms for Payments on-call" in page and "Commands" in page


def test_the_gallery_writes_every_page_to_compare(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--html-only"]) == 0
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == sorted(f"{name}.html" for name in PICTURES)  # no PNG, no manifest
    assert (tmp_path / "digest.html").read_text(encoding="utf-8") == html_of("digest")
    assert capsys.readouterr().out.count(".html") == len(PICTURES)


def test_the_gallery_photographs_every_page_and_records_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chromium's own test is in test_cli_preview.py; here a stand-in writes the page as the PNG."""

    def photograph(page: str, out: Path, *, width: int) -> None:
        out.write_bytes(f"{width}:{page}".encode())

    monkeypatch.setattr("alarm_bot_cli.preview_gallery.screenshot", photograph)
    assert main([str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [MANIFEST_NAME, *(f"{name}.png" for name in PICTURES)]
    )
    recorded = read_manifest(tmp_path)
    for name, picture in PICTURES.items():
        assert recorded[f"{name}.html"] == digest_of(picture.html().encode("utf-8"))
        assert recorded[f"{name}.png"] == digest_of((tmp_path / f"{name}.png").read_bytes())


def test_a_picture_not_taken_again_records_no_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An old PNG left in place must not be recorded beside the new page's digest."""
    (tmp_path / "digest.png").write_bytes(b"an old picture")

    def photograph_all_but_the_digest(page: str, out: Path, *, width: int) -> None:
        if out.name != "digest.png":
            out.write_bytes(page.encode())

    monkeypatch.setattr("alarm_bot_cli.preview_gallery.screenshot", photograph_all_but_the_digest)
    assert main([str(tmp_path)]) == 1
    assert "digest.png" in capsys.readouterr().err
    assert not (tmp_path / "digest.png").exists() and not (tmp_path / MANIFEST_NAME).exists()


# `make screenshots`: Chromium and the fonts are installed when missing (apt-get as root, else the
# sudo command), then the gallery runs. Tools are replaced by scripts that say how they were called.

MAKE = shutil.which("make")


def fake_tools(tmp_path: Path, *, uid: int) -> dict[str, str]:
    """A PATH with no Chromium and no fonts, a fake apt-get and id, and a fake venv python."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("make", "sh", "bash", "grep"):
        found = shutil.which(name)
        assert found is not None
        (tools / name).symlink_to(found)
    for name, body in {"id": f"echo {uid}", "fc-list": "true", "apt-get": 'echo "apt-get $*"'}.items():
        write_script(tools / name, body)
    venv = tmp_path / "venv"
    venv.mkdir()
    write_script(venv / "python", 'echo "python $*"')
    return {"PATH": str(tools), "HOME": str(tmp_path)}


def write_script(path: Path, body: str) -> None:
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def make_screenshots(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    assert MAKE is not None
    return subprocess.run(
        [
            MAKE,
            "--no-print-directory",
            "-o",
            ".venv/.installed-deploy",
            "screenshots",
            f"BIN={tmp_path / 'venv'}",
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


PACKAGES = "chromium fonts-noto-cjk fonts-noto-color-emoji fonts-roboto-unhinted"


def test_make_screenshots_installs_chromium_as_root(tmp_path: Path) -> None:
    result = make_screenshots(tmp_path, fake_tools(tmp_path, uid=0))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"make screenshots: installing {PACKAGES}",
        f"apt-get install -y {PACKAGES}",
        f"{tmp_path / 'venv'}/python -m alarm_bot_cli.preview_gallery docs/screenshots",
        "python -m alarm_bot_cli.preview_gallery docs/screenshots",
    ]


def test_make_screenshots_prints_the_sudo_command_otherwise(tmp_path: Path) -> None:
    result = make_screenshots(tmp_path, fake_tools(tmp_path, uid=1000))
    assert result.returncode != 0 and "python -m" not in result.stdout
    assert f"make screenshots: missing {PACKAGES}: run sudo apt-get install -y {PACKAGES}" in result.stderr
