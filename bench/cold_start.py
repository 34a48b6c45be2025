"""Cold start: what importing each handler costs next to the third-party modules it cannot avoid.

Each scenario runs in a fresh interpreter (as a new Lambda execution environment would), several
times; the median is reported. "Handler" = import the handler module and do the work its first
invocation must do before real I/O (build dependencies, import what is imported lazily, create the
boto3 clients). "Floor" = only the third-party part of that: the same libraries and clients, none
of the project's code. Target: handler ≤ 1.10 x floor. Peak RSS is reported too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from _report import ROOT, figure, finish, median

REPETITIONS = 7
TARGET = 1.10

_PRELUDE = """
import os, sys, time, resource
sys.path[:0] = [{root!r}, {lam!r}]
os.environ.update({env!r})
start = time.perf_counter()
"""
_EPILOGUE = """
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
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
}

SCENARIOS = {
    "chat events": {
        "handler": """
from alarm_bot.handlers import chat_events
from alarm_bot.settings import Settings
deps = chat_events.build_dependencies(Settings.from_env())
import requests  # the first request fetches Google's certificates
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
        "handler": """
from alarm_bot.handlers import alarm_events
from alarm_bot.settings import DeliverySettings
deps = alarm_events.build_dependencies(DeliverySettings.from_env())
from alarm_bot.delivery import credentials, chat_client, fanout  # first delivery
from aws_lambda_powertools.utilities import parameters
import boto3
boto3.client("secretsmanager")  # what Powertools Parameters creates to read the key
deps.store._client
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


def run(snippet: str) -> tuple[float, int]:
    code = _PRELUDE.format(root=str(ROOT), lam=str(ROOT / "lambda"), env=ENV) + snippet + _EPILOGUE
    # Bytecode caches allowed for every module, ours included, so both sides are measured alike.
    env = {**os.environ, **ENV, "PYTHONDONTWRITEBYTECODE": ""}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    seconds, rss = result.stdout.split()[-2:]
    return float(seconds), int(rss)


def measure(snippet: str) -> tuple[float, int]:
    run(snippet)  # warm the OS file cache, as a real cold start would find the files on disk
    samples = [run(snippet) for _ in range(REPETITIONS)]
    return median([s for s, _ in samples]), int(median([float(r) for _, r in samples]))


def main() -> None:
    print(f"Cold start (fresh interpreter, median of {REPETITIONS}, Python {sys.version.split()[0]})")
    results = {}
    for name, snippets in SCENARIOS.items():
        handler, handler_rss = measure(snippets["handler"])
        floor, floor_rss = measure(snippets["floor"])
        ratio = handler / floor
        results[name] = {"handler_ms": handler * 1000, "floor_ms": floor * 1000, "ratio": ratio}
        figure(f"{name}: handler", f"{handler * 1000:.0f} ms, {handler_rss / 1024:.0f} MB peak")
        figure(f"{name}: third-party floor", f"{floor * 1000:.0f} ms, {floor_rss / 1024:.0f} MB peak")
        figure(f"{name}: handler / floor", f"{ratio:.3f}x", f"<= {TARGET:.2f}x", ratio <= TARGET)
    if os.environ.get("BENCH_JSON"):
        print(json.dumps(results))
    finish("cold start")


if __name__ == "__main__":
    main()
