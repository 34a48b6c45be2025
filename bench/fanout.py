"""Fan-out: one alarm to many spaces against a Chat API stand-in that answers after 50 ms.

Runs the real ChatClient (google-auth token flow, pooled keep-alive connections, budgeted retries)
against tests.support.chat_api.FakeChatApi on 127.0.0.1, in a process of its own as Google's
servers are (see ``_chat_api_process.py``), through the direct path's ``deliver_all``
(``_direct_path.py``). Compares concurrent delivery with sending to the spaces one after another in
the same run, and with the ideal for the pool size: ceil(spaces / pool) round trips. Targets for
200 spaces: ≥ 8x faster than serial, ≤ 1.5x ideal.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _direct_path import DeliveryJob, deliver_all
from _report import figure, finish

from alarm_bot.delivery.chat_client import ChatClient
from alarm_bot.delivery.credentials import chat_credentials
from alarm_bot.delivery.request_ids import request_id_for

STAND_IN = Path(__file__).with_name("_chat_api_process.py")

LATENCY = 0.050
POOL = 16
MESSAGE = {"text": "🚨 ALARM: bench", "cardsV2": [{"cardId": "c", "card": {"header": {"title": "bench"}}}]}


def jobs(count: int, run: str) -> list[DeliveryJob]:
    spaces = [f"spaces/BENCH{index:05d}" for index in range(count)]
    return [DeliveryJob(space, MESSAGE, request_id_for(run, space), "alarm-bench") for space in spaces]


def timed(client: ChatClient, batch: list[DeliveryJob], workers: int) -> float:
    start = time.perf_counter()
    outcomes = deliver_all(client, batch, deadline=time.monotonic() + 600, max_workers=workers)
    elapsed = time.perf_counter() - start
    if not all(outcome.delivered for outcome in outcomes):
        raise SystemExit("a bench delivery failed: the stand-in or client is broken")
    return elapsed


class StandIn:
    """The stand-in process: its URL, a key it trusts, and its answer delay."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        assert process.stdin is not None and process.stdout is not None
        self._process, self._stdin, self._stdout = process, process.stdin, process.stdout
        hello = json.loads(self._stdout.readline())
        self.url: str = hello["url"]
        self.service_account: dict[str, Any] = hello["service_account"]

    def slow(self, seconds: float) -> None:
        self._stdin.write(f"slow {seconds}\n")
        self._stdin.flush()
        if self._stdout.readline().strip() != "ok":
            raise SystemExit("the Chat API stand-in did not take the delay")


@contextmanager
def stand_in() -> Iterator[StandIn]:
    process = subprocess.Popen(
        [sys.executable, str(STAND_IN)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        yield StandIn(process)
    finally:
        try:
            if process.stdin is not None:
                process.stdin.write("stop\n")
                process.stdin.close()
            process.wait(timeout=30)
        except (BrokenPipeError, subprocess.TimeoutExpired):  # it died or hangs: the error above matters
            process.kill()


def main() -> None:
    delay = f"{LATENCY * 1000:.0f} ms"
    print(f"Fan-out (Chat API stand-in in its own process answering after {delay}, pool of {POOL})")
    with stand_in() as api:
        client = ChatClient(chat_credentials(api.service_account), base_url=api.url, pool_size=POOL)
        timed(client, jobs(POOL, "warm-up"), POOL)  # token and connections, as a warm container has
        api.slow(LATENCY)
        serial = timed(client, jobs(200, "serial"), 1)
        results = {count: timed(client, jobs(count, f"run-{count}"), POOL) for count in (1, 10, 200, 1000)}
        tracemalloc.start()  # a separate run: tracing slows Python down too much to time it
        timed(client, jobs(1000, "memory"), POOL)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        client.close()
    for count, seconds in results.items():
        ideal = math.ceil(count / POOL) * LATENCY
        figure(f"{count} spaces", f"{seconds * 1000:.0f} ms ({seconds / ideal:.2f}x ideal)")
    speedup = serial / results[200]
    over_ideal = results[200] / (math.ceil(200 / POOL) * LATENCY)
    figure("200 spaces one after another", f"{serial * 1000:.0f} ms")
    figure("200 spaces: speed-up over serial", f"{speedup:.1f}x", ">= 8x", speedup >= 8)
    figure("200 spaces: time / ideal for the pool", f"{over_ideal:.2f}x", "<= 1.5x", over_ideal <= 1.5)
    figure("1000 spaces: peak Python memory", f"{peak / 1e6:.1f} MB")
    finish("fan-out")


if __name__ == "__main__":
    main()
