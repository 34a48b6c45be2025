"""The delivery queue: where every alarm notification waits its turn, in a storm or not.

SNS (the alarm topic's subscription), the EventBridge rules, and the delivery function itself (for
events it is invoked with directly, CloudWatch's Lambda alarm action among them) put notifications
here; the function consumes the queue through an event source mapping with a bounded maximum
concurrency, so a burst of hundreds of alarms waits in the queue instead of starting hundreds of
functions. The function also schedules each space's next look here (delayed ``flush`` messages)
and returns a flush that failed with a visibility delay, so waiting for Google's quota happens in
the queue, never in a sleeping function.

A message received :data:`MAX_RECEIVES` times without being finished goes to the dead-letter
queue (its redrive policy): a poison message, or a space that keeps failing (a revoked key, Chat
refusing the app) after about a quarter of an hour of retries with growing delays.
"""

from __future__ import annotations

from typing import Final

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chatbot_stack.encrypted_queues import encrypted_queue

MAX_RECEIVES: Final = 8
# Lambda's advice for SQS event sources: at least six times the function timeout, so that a batch
# being retried after throttling is not delivered again while a function still works on it.
VISIBILITY_PER_TIMEOUT: Final = 6


class DeliveryQueue(Construct):
    """``queue``: encrypted with SQS-managed keys, HTTPS only, its dead letters to ``dead_letter_queue``."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        dead_letter_queue: sqs.IQueue,
        function_timeout: Duration,
    ) -> None:
        super().__init__(scope, construct_id)
        self.queue = encrypted_queue(
            self,
            "Queue",
            visibility_timeout=Duration.seconds(function_timeout.to_seconds() * VISIBILITY_PER_TIMEOUT),
            dead_letter_queue=sqs.DeadLetterQueue(max_receive_count=MAX_RECEIVES, queue=dead_letter_queue),
        )
