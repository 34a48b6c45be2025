"""``make demo`` end to end, driven in a real browser the way a person would use it.

The playground runs as ``make demo`` runs it (``python -m playground``, a free ``DEMO_PORT``), so
everything is real but the two services: the Chat function behind its HTTP endpoint verifying
locally signed tokens, the delivery function fed from the queue in moto's server, the Chat API
stand-in keeping the messages. Headless Chromium (Debian's) adds the app to a space, subscribes,
fires an alarm through the intake, acknowledges the card, follows the console link into a new tab,
fires the OK and sees the card resolved; then Ctrl-C must stop every process the playground
started. The browser may reach the playground only: every other request is refused (the console
link is answered locally), so nothing leaves the machine.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from alarm_bot_cli.preview_png import CHROMIUM_FLAGS

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = list(CHROMIUM_FLAGS)
CONSOLE = "https://ap-northeast-2.console.aws.amazon.com/"
START_TIMEOUT = 60.0
DELIVERY_TIMEOUT_MS = 20_000


@dataclass
class Started:
    url: str
    process: subprocess.Popen[bytes]
    output: Path

    def text(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")

    def child_pids(self) -> list[int]:
        line = re.search(r"Processes\s+(.+)", self.text())
        return [int(pid) for pid in re.findall(r"\b(\d+)\b", line.group(1))] if line else []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def playground(tmp_path: Path) -> Iterator[Started]:
    """``python -m playground`` on a free port, until the test is done with it."""
    port = free_port()
    output = tmp_path / "playground.out"
    with output.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "playground"],
            cwd=REPO,
            env={**os.environ, "DEMO_PORT": str(port), "DEMO_LOCALE": "en"},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    started = Started(f"http://127.0.0.1:{port}/", process, output)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while f"Playground: {started.url}" not in started.text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the playground did not start:\n{started.text()}")
            time.sleep(0.2)
        yield started
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def only_local(playground_url: str) -> Any:
    """A route handler: the playground passes, the console link gets a local page, the rest fails."""

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(playground_url):
            request_route.continue_()
        elif url.startswith(CONSOLE):
            request_route.fulfill(status=200, content_type="text/html", body="<title>CloudWatch</title>")
        else:
            request_route.abort()

    return route


def test_a_person_adds_the_bot_subscribes_and_follows_an_alarm_to_ok(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed: apt-get install chromium (as root; .ci/run does it in CI)")
    from playwright.sync_api import expect, sync_playwright

    with playground(tmp_path) as started, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.route("**/*", only_local(started.url))
        page = context.new_page()
        page.goto(started.url)
        threads = page.locator("#threads")

        page.get_by_role("button", name="Add AWS Alarms").click()
        expect(threads).to_contain_text("This space now receives AWS CloudWatch alarms")
        page.locator("#text").fill("subscribe prod-*")
        page.locator("#text").press("Enter")
        expect(threads).to_contain_text("This space now receives alarms matching")
        expect(page.locator("#answer")).to_contain_text("HTTP 200")

        page.locator('[data-sample="api-5xx"] button[data-state="ALARM"]').click()
        thread = page.locator(".thread", has=page.locator(".card-title", has_text="prod-api-5xx-high"))
        card = thread.locator(".pg-msg").first
        expect(card).to_contain_text("ALARM", timeout=DELIVERY_TIMEOUT_MS)

        card.get_by_role("button", name="Acknowledge").click()
        expect(card).to_contain_text("Acknowledged by Jane Doe")
        with context.expect_page() as console:
            card.get_by_role("link", name="Open in CloudWatch").click()
        assert console.value.url.startswith(CONSOLE)
        console.value.close()

        page.locator('[data-sample="api-5xx"] button[data-state="OK"]').click()
        expect(card).to_contain_text("Resolved at", timeout=DELIVERY_TIMEOUT_MS)
        expect(card.get_by_role("button", name="Acknowledge")).to_have_count(0)
        expect(thread.locator(".replies")).to_contain_text("OK")
        page.screenshot(path=str(tmp_path / "playground.png"))
        browser.close()

        children = started.child_pids()
        assert len(children) == 3, started.text()
        started.process.send_signal(signal.SIGINT)  # Ctrl-C
        assert started.process.wait(timeout=30) == 0, started.text()
    assert "Playground stopped." in started.text()
    assert not [pid for pid in children if _alive(pid)], f"left running: {children}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a child that ended but was not yet reaped by anyone is a zombie, not a process left running
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return False
