"""Cold start: what importing each handler costs next to the third-party modules it cannot avoid.

"Handler" = import the handler module and do the work its first invocation must do before real
I/O (build dependencies, import what is imported lazily, create the boto3 clients). "Floor" = only
the third-party part of that: the same libraries and clients, none of the project's code. Target:
handler <= 1.10 x floor, in a fresh interpreter (as a new Lambda execution environment would be).

Two measurements, both repeated and reported as medians:

* stacked (the target figure): one fresh interpreter times the floor, then the project's part of
  the handler on top of it (its clients are the floor's). The handler's cost is the floor plus
  what the project adds, and both parts run back to back in one process, so a shared machine's
  bursts of load hit them alike. Third-party modules the handler needs beyond the floor would
  land in the project's part and count against it.
* separate: the handler alone and the floor alone, each in its own interpreter, alternating, with
  peak memory. The same ratio, but wall times of separate processes on a 2-core shared machine
  swing by +-10 %, so it is shown for comparison only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass

from _report import ROOT, figure, finish, median

REPETITIONS = 15
TARGET = 1.10

_PRELUDE = """
import os, sys, time, resource
sys.path[:0] = [{root!r}, {lam!r}]
os.environ.update({env!r})
laps = [time.perf_counter()]
"""
_LAP = "\nlaps.append(time.perf_counter())\n"
_EPILOGUE = """
print(*(b - a for a, b in zip(laps, laps[1:])), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

ENV = {
    "AWS_DEFAULT_REGION": "ap-northeast-2",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "SUBSCRIPTIONS_TABLE": "spaces",
    "BOT_ID": "alarm-chat-bot",
    "CHAT_AUDIENCE": "123456789012",
    "GOOGLE_CREDENTIALS_SECRET_ARN": "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:k",
    "POWERTOOLS_SERVICE_NAME": "alarm-chat-bot",
    "POWERTOOLS_METRICS_NAMESPACE": "AlarmChatBot",
    "DELIVERY_QUEUE_URL": "https://sqs.ap-northeast-2.amazonaws.com/123456789012/delivery",
    "DEAD_LETTER_QUEUE_URL": "https://sqs.ap-northeast-2.amazonaws.com/123456789012/dead-letters",
}

# "project": the project's own work before the first real I/O; "clients": the boto3 clients the
# handler then creates (third-party work: the floor creates the same ones). Handler = both.
SCENARIOS = {
    "chat events": {
        "project": """
from alarm_bot.handlers import chat_events
from alarm_bot.settings import Settings
deps = chat_events.build_dependencies(Settings.from_env())
import requests  # the first request fetches Google's certificates
""",
        "clients": """
deps.bot._store._client  # the DynamoDB client of the space store
""",
        "floor": """
from aws_lambda_powertools import Logger
Logger()
import google.auth.jwt, google.auth.crypt, requests, boto3
boto3.client("dynamodb")
""",
    },
    "alarm fan-out": {
        "project": """
from alarm_bot.handlers import alarm_events
from alarm_bot.settings import DeliverySettings
deps = alarm_events.build_dependencies(DeliverySettings.from_env())
from alarm_bot.delivery import credentials, chat_client  # first delivery
from aws_lambda_powertools.utilities import parameters
""",
        "clients": """
import boto3
boto3.client("secretsmanager")  # what Powertools Parameters creates to read the key
deps.pipeline.ports.spaces._client  # the DynamoDB client every store shares
""",
        "floor": """
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities import parameters
Logger(); Metrics(namespace="x")
import google.oauth2.service_account, google.auth.transport.requests, requests, urllib3, boto3
boto3.client("secretsmanager"); boto3.client("dynamodb")
""",
    },
}


@dataclass(frozen=True)
class Sample:
    laps: tuple[float, ...]  # seconds of each snippet, in order
    rss_kb: int


def run(*snippets: str) -> Sample:
    """Run ``snippets`` one after another in a fresh interpreter, timing each."""
    code = _PRELUDE.format(root=str(ROOT), lam=str(ROOT / "lambda"), env=ENV)
    code += "".join(snippet + _LAP for snippet in snippets) + _EPILOGUE
    # Bytecode caches allowed for every module, ours included, so both sides are measured alike.
    env = {**os.environ, **ENV, "PYTHONDONTWRITEBYTECODE": ""}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    *laps, rss = result.stdout.split()[-(len(snippets) + 1) :]
    return Sample(tuple(float(lap) for lap in laps), int(rss))


def stacked_ratio(project: str, floor: str) -> tuple[float, float, float]:
    """Median floor seconds, median seconds the project adds, median (floor + added) / floor."""
    samples = [run(floor, project) for _ in range(REPETITIONS)]
    ratios = [(s.laps[0] + s.laps[1]) / s.laps[0] for s in samples]
    return median([s.laps[0] for s in samples]), median([s.laps[1] for s in samples]), median(ratios)


def separate(handler: str, floor: str) -> tuple[list[Sample], list[Sample]]:
    """Each alone in its own interpreter, alternating which goes first."""
    handlers, floors = [], []
    for repetition in range(REPETITIONS):
        pair = (floor, handler) if repetition % 2 else (handler, floor)
        first, second = run(pair[0]), run(pair[1])
        handler_sample, floor_sample = (second, first) if repetition % 2 else (first, second)
        handlers.append(handler_sample)
        floors.append(floor_sample)
    return handlers, floors


def describe(samples: list[Sample]) -> str:
    seconds = median([s.laps[0] for s in samples]) * 1000
    return f"{seconds:.0f} ms, {median([float(s.rss_kb) for s in samples]) / 1024:.0f} MB peak"


def main() -> None:
    print(f"Cold start (fresh interpreters, median of {REPETITIONS}, Python {sys.version.split()[0]})")
    results = {}
    for name, snippets in SCENARIOS.items():
        handler, floor = snippets["project"] + snippets["clients"], snippets["floor"]
        run(handler), run(floor)  # warm the OS file cache, as a real cold start would find the files
        handlers, floors = separate(handler, floor)
        separate_ratio = median([s.laps[0] for s in handlers]) / median([s.laps[0] for s in floors])
        floor_seconds, added, ratio = stacked_ratio(snippets["project"], floor)
        results[name] = {"floor_ms": floor_seconds * 1000, "added_ms": added * 1000, "ratio": ratio}
        figure(f"{name}: handler alone", describe(handlers))
        figure(f"{name}: third-party floor alone", describe(floors))
        figure(f"{name}: separate handler / floor", f"{separate_ratio:.3f}x")
        added_text = f"+{added * 1000:.0f} ms on {floor_seconds * 1000:.0f} ms"
        figure(f"{name}: project code on the floor", added_text)
        figure(f"{name}: handler / floor", f"{ratio:.3f}x", f"<= {TARGET:.2f}x", ratio <= TARGET)
    if os.environ.get("BENCH_JSON"):
        print(json.dumps(results))
    finish("cold start")


if __name__ == "__main__":
    main()
