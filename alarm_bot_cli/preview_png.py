"""A PNG of a preview page, taken by headless Chromium: two runs, one to measure, one to shoot.

Chromium's ``--screenshot`` takes exactly the window, so the window must be as tall as the page.
The first run lays the page out at the picture's width with a one-line script added (only to a
copy) that writes the page's height into the DOM, read back with ``--dump-dom``; the second run
takes the picture at that height. ``--force-device-scale-factor=2`` makes pictures sharp on the
high-density screens README images are mostly read on.

Chromium runs with a new, throw-away profile and without the background traffic it makes on its
own (component updates, sync, QUIC), and without its sandbox, which containers and CI runners
often cannot provide; the page is our own HTML with every alarm value escaped.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Final

from alarm_bot_cli.errors import CommandError

__all__ = ["CHROMIUM_FLAGS", "INSTALL_HINT", "chromium_path", "screenshot"]

INSTALL_HINT = (
    "Chromium is needed for --png and was not found: install it with `sudo apt-get install chromium` "
    "(or run `make screenshots`, which installs it), or set CHROMIUM to its path"
)
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SCALE = 2
TIMEOUT_SECONDS = 60
MAX_HEIGHT = 16_000  # CSS pixels: beyond this a "picture" is a bug, not a card
_MEASURE = (
    '<script>addEventListener("load",()=>{document.documentElement.setAttribute("data-height",'
    "Math.ceil(document.documentElement.getBoundingClientRect().height))})</script>"
)
_HEIGHT = re.compile(r'<html[^>]*\sdata-height="(\d+)"')

# What headless Chromium needs on a machine without a GPU or a sandbox, and to make no connections of
# its own (a closed network refuses them, many at a time, at every start).
CHROMIUM_FLAGS: Final = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> str | None:
    """``$CHROMIUM`` if set, else the first Chromium or Chrome on ``PATH``."""
    configured = os.environ.get("CHROMIUM", "").strip()
    if configured:
        return configured if Path(configured).is_file() else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def screenshot(page: str, out: Path, *, width: int) -> None:
    """Write a PNG of the HTML ``page`` at ``width`` CSS pixels, as tall as the page."""
    browser = chromium_path()
    if browser is None:
        configured = os.environ.get("CHROMIUM", "").strip()
        raise CommandError(f"CHROMIUM={configured} is not a file" if configured else INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="alarm-bot-preview-") as work:
        folder = Path(work)
        measured = folder / "measure.html"
        measured.write_text(page.replace("</body>", f"{_MEASURE}</body>", 1), encoding="utf-8")
        dom = _run(browser, folder, [f"--window-size={width},800", "--dump-dom", measured.as_uri()])
        height = _height(dom)
        shown = folder / "page.html"
        shown.write_text(page, encoding="utf-8")
        target = folder / "shot.png"
        _run(browser, folder, [f"--window-size={width},{height}", f"--screenshot={target}", shown.as_uri()])
        if not target.is_file():
            raise CommandError(f"Chromium ({browser}) made no screenshot")
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, out)


def _run(browser: str, folder: Path, extra: list[str]) -> str:
    """One headless Chromium run with a profile of its own; its stdout."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=folder)
    command = [
        browser,
        "--headless",
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "--hide-scrollbars",
        f"--force-device-scale-factor={SCALE}",
        *extra,
    ]
    try:
        done = subprocess.run(  # noqa: S603 - our own arguments, no shell
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise CommandError(f"Chromium ({browser}) could not run: {error}") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise CommandError(f"Chromium ({browser}) failed with status {done.returncode}: {last}")
    return done.stdout


def _height(dom: str) -> int:
    """The page height the measuring run wrote into the DOM."""
    found = _HEIGHT.search(dom)
    if found is None:
        raise CommandError("Chromium did not report the page's height (was the page loaded?)")
    return min(max(int(found.group(1)), 1), MAX_HEIGHT)
