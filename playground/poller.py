"""Lambda's SQS event source mapping over the delivery queue in moto: receive, invoke, delete.

As Lambda does with ``reportBatchItemFailures``: batches of up to ten messages with their system
attributes (the handler reads ``ApproximateReceiveCount`` and ``SentTimestamp``), each invocation
with a fresh context, and only the messages the handler did not name in ``batchItemFailures``
deleted. A failed invocation deletes nothing: SQS hands the batch out again when its visibility
timeout ends, as it would in AWS. One poller is one function instance, taking a batch at a time.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from playground.lambda_context import LambdaContext
from tests.support.sqs_event_source import lambda_records

Invoke = Callable[[dict[str, Any], LambdaContext], Any]
BATCH_SIZE = 10  # chatbot_stack/delivery_function.py
WAIT_SECONDS = 1  # long polling, short enough to stop promptly

logger = logging.getLogger(__name__)


class QueuePoller:
    """Feeds ``invoke`` (the real handler) from ``queue_url`` until :meth:`stop`."""

    def __init__(
        self, sqs: Any, queue_url: str, invoke: Invoke, context: Callable[[], LambdaContext], region: str
    ) -> None:
        self._sqs = sqs
        self._url = queue_url
        self._invoke = invoke
        self._context = context
        self._region = region
        self._arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqs-poller", daemon=True)
        self.invocations = 0

    def start(self) -> QueuePoller:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=WAIT_SECONDS + 5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.poll_once()
            except Exception:  # moto going away at shutdown, or a bug: say so, keep polling
                if not self._stopping.is_set():
                    logger.exception("the delivery queue could not be polled")
                    self._stopping.wait(1.0)

    def poll_once(self) -> bool:
        """One receive and, if anything came, one invocation; False when nothing was visible."""
        received = self._sqs.receive_message(
            QueueUrl=self._url,
            MaxNumberOfMessages=BATCH_SIZE,
            MessageSystemAttributeNames=["All"],
            WaitTimeSeconds=WAIT_SECONDS,
        ).get("Messages", [])
        if not received:
            return False
        records = lambda_records(received, self._arn, self._region)
        self.invocations += 1
        try:
            response = self._invoke({"Records": records}, self._context())
        except Exception:
            logger.exception("the delivery function failed; SQS will hand the batch out again")
            return True
        self._delete(received, _failed(response))
        return True

    def _delete(self, received: list[dict[str, Any]], failed: set[str]) -> None:
        done = [message for message in received if message["MessageId"] not in failed]
        if done:
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)]
            self._sqs.delete_message_batch(QueueUrl=self._url, Entries=entries)


def _failed(response: Any) -> set[str]:
    items = response.get("batchItemFailures", []) if isinstance(response, dict) else []
    return {str(item.get("itemIdentifier")) for item in items if isinstance(item, dict)}
