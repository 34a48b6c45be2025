"""An SQS queue and a Lambda event source mapping, as delivery sees them, on a clock of the test's.

``LocalQueue`` keeps what SQS keeps and does what it does with it: per-message delays, visibility
timeouts (a received message is hidden until deleted or its timeout ends, and
``ChangeMessageVisibility`` moves that end), receive counts, and a redrive policy (a message
received ``max_receive_count`` times moves to the dead-letter queue when next due). It implements
delivery's :class:`~alarm_bot.delivery.work_queue.WorkQueue` port, so the production code talks to
it as it talks to SQS; unlike SQS it takes fractional seconds, so a benchmark can scale time.

``EventSourceMapping`` is Lambda's poller: batches of up to ``batch_size`` records in the real SQS
event shape, at most ``max_concurrency`` invocations at once, successful records deleted, the
records named in ``batchItemFailures`` left to their visibility timeout (or to what the function
set), and a whole batch left when the function raises.

Tests use a :class:`VirtualClock` and :meth:`EventSourceMapping.drain`, which jumps the clock to
the next message that becomes visible instead of sleeping; the storm benchmark runs
:meth:`EventSourceMapping.run` on real time with real threads.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

QUEUE_ARN = "arn:aws:sqs:ap-northeast-2:123456789012:AlarmChatBot-Delivery"


class VirtualClock:
    """Time the test moves (:meth:`advance`, never backwards), read by calling it."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


@dataclass
class _Message:
    message_id: str
    body: str
    sent_at: float
    visible_at: float
    receive_count: int = 0
    receipt: str = ""
    first_received: float | None = None


class LocalQueue:
    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        *,
        visibility_timeout: float = 540.0,
        max_receive_count: int | None = 8,
        dead_letters: LocalQueue | None = None,
    ) -> None:
        self.clock = clock
        self.visibility_timeout = visibility_timeout
        self.max_receive_count = max_receive_count
        self.dead_letters = dead_letters
        self.sent = 0
        self._messages: dict[str, _Message] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Condition()

    # --- the WorkQueue port ---------------------------------------------------------------------

    def send(self, body: str, delay: float = 0.0) -> None:
        now = self.clock()
        with self._lock:
            message_id = f"m-{next(self._ids):06d}-{uuid.uuid4().hex[:8]}"
            self._messages[message_id] = _Message(message_id, body, now, now + max(delay, 0.0))
            self.sent += 1
            self._lock.notify_all()

    def return_later(self, receipt_handle: str, delay: float) -> None:
        with self._lock:
            for message in self._messages.values():
                if message.receipt == receipt_handle:
                    message.visible_at = self.clock() + max(delay, 0.0)
                    return
        raise KeyError("ReceiptHandleIsInvalid")

    def dead_letter(self, body: str) -> None:
        if self.dead_letters is None:
            raise RuntimeError("this queue has no dead-letter queue")
        self.dead_letters.send(body)

    # --- the consumer side ------------------------------------------------------------------------

    def receive(self, max_messages: int = 10) -> list[dict[str, Any]]:
        """Up to ``max_messages`` visible messages as Lambda's SQS records, hidden from now on."""
        now = self.clock()
        records = []
        with self._lock:
            for message in sorted(self._messages.values(), key=lambda m: (m.visible_at, m.message_id)):
                if len(records) >= max_messages or message.visible_at > now:
                    continue
                if self.max_receive_count is not None and message.receive_count >= self.max_receive_count:
                    del self._messages[message.message_id]
                    if self.dead_letters is not None:
                        self.dead_letters.send(message.body)
                    continue
                message.receive_count += 1
                message.receipt = uuid.uuid4().hex
                message.visible_at = now + self.visibility_timeout
                message.first_received = message.first_received or now
                records.append(_record(message))
        return records

    def delete(self, receipt_handle: str) -> None:
        with self._lock:
            for message_id, message in list(self._messages.items()):
                if message.receipt == receipt_handle:
                    del self._messages[message_id]
                    return

    def wait(self, seconds: float) -> None:
        """Real time only: sleep until something is sent or ``seconds`` pass."""
        with self._lock:
            self._lock.wait(timeout=seconds)

    def bodies(self) -> list[str]:
        with self._lock:
            return [message.body for message in self._messages.values()]

    def __len__(self) -> int:
        with self._lock:
            return len(self._messages)

    def next_visible_at(self) -> float | None:
        with self._lock:
            return min((message.visible_at for message in self._messages.values()), default=None)


def _record(message: _Message) -> dict[str, Any]:
    return {
        "messageId": message.message_id,
        "receiptHandle": message.receipt,
        "body": message.body,
        "attributes": {
            "ApproximateReceiveCount": str(message.receive_count),
            "SentTimestamp": str(int(message.sent_at * 1000)),
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": str(int((message.first_received or 0) * 1000)),
        },
        "messageAttributes": {},
        "md5OfBody": "",
        "eventSource": "aws:sqs",
        "eventSourceARN": QUEUE_ARN,
        "awsRegion": "ap-northeast-2",
    }


Function = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class EventSourceMapping:
    queue: LocalQueue
    function: Function
    batch_size: int = 10
    max_concurrency: int = 2
    invocations: int = 0
    errors: list[BaseException] = field(default_factory=list)

    def invoke_once(self) -> bool:
        """One poll and one invocation; False when nothing was visible."""
        records = self.queue.receive(self.batch_size)
        if not records:
            return False
        self.invocations += 1
        try:
            response = self.function({"Records": records})
        except Exception as error:  # Lambda: the whole batch comes back after its visibility timeout
            self.errors.append(error)
            return True
        failed = {item["itemIdentifier"] for item in (response or {}).get("batchItemFailures", [])}
        for record in records:
            if record["messageId"] not in failed:
                self.queue.delete(record["receiptHandle"])
        return True

    def drain(self, clock: VirtualClock, *, horizon: float = 3600.0, max_invocations: int = 10_000) -> None:
        """Deliver until the queue is empty, moving the virtual clock to each next visible message."""
        end = clock.now + horizon
        while len(self.queue) and clock.now <= end and self.invocations < max_invocations:
            if not self.invoke_once():
                due = self.queue.next_visible_at()
                if due is None or due > end:
                    return
                clock.advance(due - clock.now)

    def run(self, stop: threading.Event, poll: float = 0.02) -> None:
        """Real time: ``max_concurrency`` pollers until ``stop`` is set (the benchmark)."""

        def poller() -> None:
            while not stop.is_set():
                if not self.invoke_once():
                    self.queue.wait(poll)

        with ThreadPoolExecutor(max_workers=self.max_concurrency, thread_name_prefix="esm") as pool:
            for _ in range(self.max_concurrency):
                pool.submit(poller)
