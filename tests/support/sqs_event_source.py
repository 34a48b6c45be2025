"""Lambda's SQS event source mapping over a moto queue, for tests of the real handler.

Receives up to ten messages (with their attributes), hands them to the handler in the SQS event
shape Lambda uses (the real sample tests/fixtures/real/powertools-python/snsSqsEvent.json has the
same keys), deletes the records the handler did not name in ``batchItemFailures``. Delays and
visibility timeouts are moto's, so they run on the wall clock: tests keep them short.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

Handler = Callable[[dict[str, Any]], dict[str, Any]]


def lambda_records(messages: list[dict[str, Any]], queue_arn: str, region: str) -> list[dict[str, Any]]:
    return [
        {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": {},
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": queue_arn,
            "awsRegion": region,
        }
        for message in messages
    ]


class SqsEventSource:
    def __init__(self, sqs: Any, queue_url: str, handler: Handler) -> None:
        self._sqs = sqs
        self._url = queue_url
        self._handler = handler
        self._arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self.invocations = 0
        self.responses: list[dict[str, Any]] = []

    def poll(self) -> bool:
        """One receive and one invocation; False when no message was visible."""
        received = self._sqs.receive_message(
            QueueUrl=self._url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"], WaitTimeSeconds=0
        ).get("Messages", [])
        if not received:
            return False
        self.invocations += 1
        response = self._handler({"Records": lambda_records(received, self._arn, "ap-northeast-2")})
        self.responses.append(response)
        failed = {item["itemIdentifier"] for item in response.get("batchItemFailures", [])}
        for message in received:
            if message["MessageId"] not in failed:
                self._sqs.delete_message(QueueUrl=self._url, ReceiptHandle=message["ReceiptHandle"])
        return True

    def drain(self, *, patience: float = 0.0, limit: int = 50) -> None:
        """Poll until nothing is visible, waiting up to ``patience`` seconds for delayed messages."""
        deadline = time.monotonic() + patience
        while self.invocations < limit:
            if self.poll():
                continue
            if time.monotonic() >= deadline or self.depth() == 0:
                return
            time.sleep(0.1)

    def depth(self) -> int:
        attributes = self._sqs.get_queue_attributes(
            QueueUrl=self._url,
            AttributeNames=[
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            ],
        )["Attributes"]
        return sum(int(value) for value in attributes.values())
