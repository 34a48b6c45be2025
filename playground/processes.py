"""The playground's child processes: started, awaited until ready, logged, and stopped in order.

Each child (moto, the Chat function, the delivery function) says it is ready with one JSON line
(``{"playground": "ready", …}``); whatever else it prints is its log, copied to a file of its own
as it comes, so a person can follow a function's log lines as in CloudWatch Logs. Stopping closes
the child's standard input, which it waits on; one that does not end in time is terminated, then
killed, so Ctrl-C never leaves a process behind.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

from playground.config import REPO

READY_KEY = "playground"


class ChildFailed(RuntimeError):
    """A child ended, or said nothing, before it was ready; the message quotes its last lines."""


class ChildProcess:
    """One helper process; its ready line is :attr:`hello`."""

    def __init__(self, name: str, argv: Sequence[str], env: Mapping[str, str], log_path: Path) -> None:
        self.name = name
        self.log_path = log_path
        self.hello: dict[str, Any] = {}
        self._ready: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            list(argv),
            cwd=REPO,
            env=dict(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        assert self._process.stdout is not None
        self._pump = threading.Thread(target=self._copy_log, args=(self._process.stdout,), daemon=True)
        self._pump.start()

    @property
    def pid(self) -> int:
        return self._process.pid

    def wait_ready(self, timeout: float) -> dict[str, Any]:
        """The child's ready line; :class:`ChildFailed` if it ended or stayed silent first."""
        try:
            hello = self._ready.get(timeout=timeout)
        except queue.Empty:
            hello = None
        if hello is None:
            raise ChildFailed(f"{self.name} did not start:\n{self.log_tail()}")
        self.hello = hello
        return hello

    def running(self) -> bool:
        return self._process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Close its standard input, then terminate and kill it if it has not ended in time."""
        if self._process.stdin is not None and not self._process.stdin.closed:
            with suppress(OSError):  # it has already gone
                self._process.stdin.write("stop\n")
                self._process.stdin.close()
        if not self._ended_within(timeout):
            self._process.terminate()
            if not self._ended_within(3.0):
                self._process.kill()
                self._ended_within(3.0)
        self._pump.join(timeout=2.0)

    def _ended_within(self, seconds: float) -> bool:
        try:
            self._process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(no output)"

    def _copy_log(self, stream: IO[str]) -> None:
        with self.log_path.open("a", encoding="utf-8") as log:
            for line in stream:
                hello = _ready_line(line) if not self.hello and self._ready.empty() else None
                if hello is not None:
                    self._ready.put(hello)
                    continue
                log.write(line)
                log.flush()
        self._ready.put(None)  # ended: wake a waiter that is still waiting


def _ready_line(line: str) -> dict[str, Any] | None:
    if not line.startswith("{"):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return data if isinstance(data, dict) and data.get(READY_KEY) == "ready" else None
