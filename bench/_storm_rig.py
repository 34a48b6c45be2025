"""The parts of the storm benchmark: Google and DynamoDB in processes of their own, the delivery
queue with Lambda's poller, consumers that are the real function, and a publisher on a schedule.

Each consumer is one function instance: its own pipeline, Chat client and AWS clients (as separate
Lambda containers have), fed by :class:`~tests.support.local_queue.LocalQueue` through Lambda's
rules for SQS event sources (batches of ten, at most ``fanoutMaxConcurrency`` instances, partial
batch responses). The queue honours fractional delays, so time can be scaled (see ``storm.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3

# The consumers' EMF lines (AlarmsReceived per batch) would fill the benchmark's output.
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")

from alarm_bot.delivery.chat_client import ChatClient
from alarm_bot.delivery.credentials import chat_credentials
from alarm_bot.handlers import alarm_events
from alarm_bot.settings import DeliverySettings
from tests.support.aws import create_spaces_table
from tests.support.local_queue import LocalQueue

BENCH = Path(__file__).resolve().parent
BOT_ID = "alarm-chat-bot"
SAMPLE = BENCH.parent / "tests/fixtures/real/notify-slack/messages/cloudwatch_alarm.json"


def alarm_body(name: str, state: str, moment: float) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(json.loads(SAMPLE.read_text())["Records"][0]["Sns"]["Message"])
    when = datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds").replace("+00:00", "+0000")
    body.update(
        AlarmName=name,
        AlarmArn=f"arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:{name}",
        NewStateValue=state,
        OldStateValue="OK" if state == "ALARM" else "ALARM",
        StateChangeTime=when,
        NewStateReason=f"Threshold Crossed: {name} is {state}",
    )
    return body


class Process:
    """A helper process speaking one JSON line at start, then line commands (see its module)."""

    def __init__(self, script: str) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(BENCH / script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._stdin, self._stdout = self._process.stdin, self._process.stdout
        self.hello: dict[str, Any] = json.loads(self._stdout.readline())

    def ask(self, command: str) -> str:
        self._stdin.write(command + "\n")
        self._stdin.flush()
        return self._stdout.readline().strip()

    def close(self) -> None:
        try:
            self._stdin.write("stop\n")
            self._stdin.close()
            self._process.wait(timeout=30)
        except (BrokenPipeError, subprocess.TimeoutExpired):
            self._process.kill()


@contextmanager
def process(script: str) -> Iterator[Process]:
    helper = Process(script)
    try:
        yield helper
    finally:
        helper.close()


def dynamodb_client(url: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="ap-northeast-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def new_table(url: str, name: str) -> str:
    create_spaces_table(dynamodb_client(url), name)
    return name


@dataclass
class Consumer:
    """One function instance: the real ``consume`` with dependencies of its own."""

    dependencies: alarm_events.DeliveryDependencies
    client: ChatClient

    def __call__(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        try:
            return alarm_events.consume(
                {"Records": records}, self.dependencies, deadline=time.monotonic() + 85
            )
        finally:
            alarm_events.metrics.clear_metrics()  # Lambda would publish them; nobody reads them here


def consumer(settings: DeliverySettings, chat: Process, dynamodb_url: str, queue: LocalQueue) -> Consumer:
    client = ChatClient(chat_credentials(chat.hello["service_account"]), base_url=chat.hello["url"])
    dependencies = alarm_events.build_dependencies(
        settings, make_chat=lambda: client, queue=queue, dynamodb=dynamodb_client(dynamodb_url)
    )
    return Consumer(dependencies, client)


@dataclass
class Pollers:
    """Lambda's SQS poller: ``len(consumers)`` invocations at most, batches of ten."""

    queue: LocalQueue
    consumers: list[Consumer]
    invocations: int = 0
    errors: list[str] = field(default_factory=list)
    busy: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> None:
        for instance in self.consumers:
            thread = threading.Thread(target=self._poll, args=(instance,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _poll(self, instance: Consumer) -> None:
        while not self._stop.is_set():
            records = self.queue.receive(10)
            if not records:
                self.queue.wait(0.02)
                continue
            with self._lock:
                self.invocations += 1
                self.busy += 1
            try:
                response = instance(records)
            except Exception as error:  # the batch comes back after its visibility timeout
                self.errors.append(f"{type(error).__name__}: {error}")
                response = {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records]}
            finally:
                with self._lock:
                    self.busy -= 1
            failed = {item["itemIdentifier"] for item in response.get("batchItemFailures", [])}
            for record in records:
                if record["messageId"] not in failed:
                    self.queue.delete(record["receiptHandle"])

    def idle(self) -> bool:
        with self._lock:
            return self.busy == 0 and len(self.queue) == 0

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        for instance in self.consumers:
            instance.client.close()


def publish_on_schedule(
    queue: LocalQueue, schedule: list[tuple[float, str]], start: float
) -> threading.Thread:
    """Send each ``(offset, body)`` when its time comes; the thread ends after the last one."""

    def run() -> None:
        for offset, body in sorted(schedule, key=lambda item: item[0]):
            pause = start + offset - time.time()
            if pause > 0:
                time.sleep(pause)
            queue.send(body)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread
