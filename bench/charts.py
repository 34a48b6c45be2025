"""Charts on cards: what a chart costs the card, from the notification to the card existing in Chat.

One alarm at a time into a quiet space, through the real path (the SNS envelope on the delivery
queue, a warm consumer polling it, the pipeline, the real ChatClient against the Chat API stand-in
in its own process, DynamoDB and S3 in moto's server in another), in three deployments side by
side, each with a table and a space of its own:

* **off**: no ``CHARTS_BUCKET``, the card as before;
* **on**: the production renderer against a GetMetricWidgetImage stand-in that answers after
  800 ms (CloudWatch takes about that for a small graph), the PNG stored in moto's S3;
* **hanging**: the same against a stand-in that never answers.

Targets: a chart adds at most the stand-in's latency + 100 ms to the card (it starts while the
lease is taken, so it overlaps the flush's own work); with the hanging stand-in the card goes out,
without a chart, at most the chart budget (3 s) + 100 ms later than without charts. Trials are
spaced below the space's fair pace, so each alarm is a card of its own (faster, it would rightly
wait for a digest); the first two of each warm the clients and are left out. Prints one
``CHARTS {json}`` line last.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, redirect_stdout
from dataclasses import dataclass
from typing import Any

# The renderer's CloudWatch client signs its requests to the stand-in: any credentials will do.
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")  # "chart skipped", expected when hanging

import boto3
from _report import figure, finish
from _storm_latency import created_after
from _storm_rig import Consumer, Pollers, Process, alarm_body, dynamodb_client, new_table, process

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.charts.render import ChartRenderer, widget_image_client
from alarm_bot.charts.storage import S3Charts
from alarm_bot.delivery.chat_client import ChatClient
from alarm_bot.delivery.credentials import chat_credentials
from alarm_bot.handlers import alarm_events
from alarm_bot.settings import ChartSettings, DeliverySettings
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.charts.widget_image_server import HANG, Step, image, widget_image_server
from tests.support.delivery_rig import sns_envelope
from tests.support.local_queue import LocalQueue

LATENCY = 0.8
BUDGET = 3.0
SLACK = 0.1
TRIALS, WARM_UP = 8, 2
GOOGLE_WORK, ANSWER_TRIP = 0.08, 0.02  # as in storm.py's scenario D
REGION = "ap-northeast-2"
BUCKET = "bench-charts"
CHARTS_URL = "https://bench.execute-api.ap-northeast-2.amazonaws.com/charts"
ACCOUNT = "123456789012"  # the account of _storm_rig's alarms: the function's own


@dataclass
class Mode:
    name: str
    steps: list[Step] | None  # None: charts off
    queue: LocalQueue | None = None
    pollers: Pollers | None = None


def s3_client(url: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=url,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@contextmanager
def deployment(mode: Mode, chat: Process, moto_url: str, stack: ExitStack) -> Iterator[None]:
    """One function instance of ``mode``, polling a queue of its own into a table of its own."""
    table = new_table(moto_url, f"charts-{mode.name}-{int(time.time() * 1000)}")
    DynamoSpaceStore(table, "alarm-chat-bot", client=dynamodb_client(moto_url)).put(SpaceRecord(space(mode)))
    renderer = None
    charts = None
    if mode.steps is not None:
        cloudwatch = stack.enter_context(widget_image_server(mode.steps))
        renderer = ChartRenderer(
            S3Charts(BUCKET, s3_client(moto_url)),
            CHARTS_URL.removesuffix("/charts"),
            account=ACCOUNT,
            region=REGION,
            budget_seconds=BUDGET,
            own_clients=lambda region: widget_image_client(region, BUDGET, endpoint_url=cloudwatch.url),
        )
        renderer.prepare()
        charts = ChartSettings(BUCKET, CHARTS_URL, REGION, budget_seconds=BUDGET)
    settings = DeliverySettings(
        subscriptions_table=table,
        bot_id="alarm-chat-bot",
        credentials_secret_arn="arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:google",
        chat_api_base_url=chat.hello["url"],
        charts=charts,
    )
    client = ChatClient(chat_credentials(chat.hello["service_account"]), base_url=chat.hello["url"])
    mode.queue = LocalQueue(dead_letters=LocalQueue(max_receive_count=None))
    dependencies = alarm_events.build_dependencies(
        settings,
        make_chat=lambda: client,
        queue=mode.queue,
        dynamodb=dynamodb_client(moto_url),
        charts=renderer,
    )
    mode.pollers = Pollers(mode.queue, [Consumer(dependencies, client)])
    mode.pollers.start()
    try:
        yield
    finally:
        mode.pollers.stop()
        if renderer is not None:
            renderer.close()


def space(mode: Mode) -> str:
    return f"spaces/CHARTS{mode.name.upper()}"


def one_alarm(mode: Mode, trial: int) -> tuple[str, float]:
    """Publish one alarm to ``mode``'s queue and wait for its consumer; ``(name, publish time)``."""
    assert mode.queue is not None and mode.pollers is not None
    name = f"charts-{mode.name}-{trial:02d}"
    body = sns_envelope(alarm_body(name, "ALARM", time.time()))
    published = time.time()
    mode.queue.send(body)
    time.sleep(0.2)  # look rarely: polling would take the interpreter lock from the consumer
    while not mode.pollers.idle():
        time.sleep(0.05)
    return name, published


def with_chart(report: dict[str, Any], mode: Mode) -> int:
    """How many of ``mode``'s cards (after the warm-up) carry an image."""
    created = report["created"].get(space(mode), [])[WARM_UP:]
    return sum('"image"' in json.dumps(message.get("cardsV2", [])) for _, message in created)


def main() -> None:
    print(
        f"Charts on cards (stand-in answers after {LATENCY * 1000:.0f} ms, or never; budget {BUDGET:.0f} s)"
    )
    modes = [Mode("off", None), Mode("on", [image(delay=LATENCY)] * TRIALS), Mode("hanging", [HANG] * TRIALS)]
    runs: dict[str, list[tuple[str, float]]] = {mode.name: [] for mode in modes}
    with ExitStack() as stack:
        moto = stack.enter_context(process("_moto_process.py"))
        chat = stack.enter_context(process("_chat_api_process.py"))
        chat.ask(f"working {GOOGLE_WORK}")
        chat.ask(f"slow {ANSWER_TRIP}")
        s3_client(moto.hello["url"]).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        for mode in modes:
            stack.enter_context(deployment(mode, chat, moto.hello["url"], stack))
        with redirect_stdout(io.StringIO()):  # the consumers' EMF lines (printed even when disabled)
            for trial in range(TRIALS):
                for mode in modes:
                    runs[mode.name].append(one_alarm(mode, trial))
        report = json.loads(chat.ask("report"))
    figures = _print(report, runs, modes)
    try:
        finish("charts")
    finally:  # the machine-readable line comes last, targets met or not
        print("CHARTS " + json.dumps(figures))


def _print(
    report: dict[str, Any], runs: dict[str, list[tuple[str, float]]], modes: list[Mode]
) -> dict[str, Any]:
    seconds = {name: created_after(report, measured[WARM_UP:]) for name, measured in runs.items()}
    off, on, hanging = (statistics.median(seconds[name]) for name in ("off", "on", "hanging"))
    added_on, added_hanging = on - off, hanging - off
    worst_hanging = max(seconds["hanging"]) - off
    shown = {mode.name: with_chart(report, mode) for mode in modes}
    trials = TRIALS - WARM_UP
    figure("card, charts off (median)", f"{off * 1000:.0f} ms")
    figure("card, charts on, stand-in 800 ms (median)", f"{on * 1000:.0f} ms")
    figure("card, charts on, stand-in hanging (median)", f"{hanging * 1000:.0f} ms")
    target_on = f"<= {(LATENCY + SLACK) * 1000:.0f} ms"
    figure(
        "chart_added_ms (800 ms stand-in)",
        f"{added_on * 1000:.0f} ms",
        target_on,
        added_on <= LATENCY + SLACK,
    )
    target_hang = f"<= {(BUDGET + SLACK) * 1000:.0f} ms"
    figure(
        "hanging_added_ms (median)",
        f"{added_hanging * 1000:.0f} ms",
        target_hang,
        added_hanging <= BUDGET + SLACK,
    )
    figure("hanging_added_ms (worst)", f"{worst_hanging * 1000:.0f} ms")
    figure(
        "cards with their chart (800 ms)",
        f"{shown['on']}/{trials}",
        f"{trials}/{trials}",
        shown["on"] == trials,
    )
    figure("cards with a chart (hanging)", f"{shown['hanging']}/{trials}", "0", shown["hanging"] == 0)
    figures = {
        "trials": trials,
        "stand_in_latency_ms": round(LATENCY * 1000),
        "budget_ms": round(BUDGET * 1000),
        "off_ms": round(off * 1000),
        "on_ms": round(on * 1000),
        "hanging_ms": round(hanging * 1000),
        "chart_added_ms": round(added_on * 1000),
        "hanging_added_ms": round(added_hanging * 1000),
        "hanging_added_worst_ms": round(worst_hanging * 1000),
        "cards_with_chart": shown["on"],
        "cards_with_chart_hanging": shown["hanging"],
    }
    return figures


if __name__ == "__main__":
    main()
