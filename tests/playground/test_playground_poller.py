"""The playground's SQS poller keeps Lambda's rules for an SQS event source on moto's queue.

Batches of up to ten in the SQS event shape with system attributes and a fresh context each time;
what the handler names in ``batchItemFailures`` stays on the queue, everything else is deleted;
an invocation that fails deletes nothing.
"""

from __future__ import annotations

from typing import Any

import boto3

from playground.lambda_context import LambdaContext
from playground.poller import QueuePoller


def _queue(aws: None, *bodies: str) -> tuple[Any, str]:
    sqs = boto3.client("sqs")
    url = sqs.create_queue(QueueName="delivery", Attributes={"VisibilityTimeout": "0"})["QueueUrl"]
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=body)
    return sqs, url


def _depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def _context() -> LambdaContext:
    return LambdaContext("AlarmChatBot-AlarmEvents", 512, 90)


def test_a_batch_is_handed_over_as_lambda_hands_it_and_the_failures_stay(aws: None) -> None:
    sqs, url = _queue(aws, "one", "two", "three")
    seen: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        seen.append(event)
        assert context.get_remaining_time_in_millis() > 80_000
        failed = [record["messageId"] for record in event["Records"] if record["body"] == "two"]
        return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}

    poller = QueuePoller(sqs, url, handler, _context, "ap-northeast-2")
    assert poller.poll_once() is True
    (record, *_) = seen[0]["Records"]
    assert record["eventSource"] == "aws:sqs" and record["awsRegion"] == "ap-northeast-2"
    assert record["eventSourceARN"].endswith(":delivery")
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert len(seen[0]["Records"]) == 3
    assert [message["Body"] for message in sqs.receive_message(QueueUrl=url).get("Messages", [])] == ["two"]


def test_a_failed_invocation_deletes_nothing(aws: None) -> None:
    sqs, url = _queue(aws, "one", "two")

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        raise RuntimeError("the function crashed")

    assert QueuePoller(sqs, url, handler, _context, "ap-northeast-2").poll_once() is True
    assert _depth(sqs, url) == 2


def test_an_empty_queue_invokes_nothing(aws: None) -> None:
    sqs, url = _queue(aws)
    calls: list[object] = []
    poller = QueuePoller(sqs, url, lambda event, context: calls.append(event), _context, "ap-northeast-2")
    poller.start()
    poller.stop()
    assert calls == [] and poller.invocations == 0


def test_the_context_names_the_live_alias_and_counts_down() -> None:
    context = LambdaContext("AlarmChatBot-ChatEvents", 256, 10)
    assert context.invoked_function_arn == (
        "arn:aws:lambda:ap-northeast-2:123456789012:function:AlarmChatBot-ChatEvents:live"
    )
    assert 9_000 < context.get_remaining_time_in_millis() <= 10_000
    assert context.aws_request_id != LambdaContext("x", 1, 1).aws_request_id
