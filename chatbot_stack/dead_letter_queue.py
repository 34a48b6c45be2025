"""The SQS queue that keeps every alarm notification the bot failed to deliver.

One queue for every way an alarm can get lost between AWS and the fan-out function: the function's
asynchronous on-failure destination (it raised on every retry, or the event grew too old), the SNS
subscription's redrive policy (SNS could not invoke the function) and the EventBridge target's
dead-letter queue (EventBridge could not). One queue means one depth alarm and one place for an
operator to look; each message says where it came from (a Lambda destination record, an SNS message
with its attributes, or an EventBridge event with ``ERROR_CODE`` attributes).
"""

from __future__ import annotations

from constructs import Construct

from chatbot_stack.encrypted_queues import unconsumed_dead_letter_queue


class DeadLetterQueue(Construct):
    """``queue``: encrypted with SQS-managed keys, HTTPS only, messages kept for 14 days (time to
    notice the alarm and redrive by hand; see :mod:`chatbot_stack.encrypted_queues`)."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.queue = unconsumed_dead_letter_queue(
            self,
            "Queue",
            reason=(
                "This queue is itself the dead-letter queue of the alarm delivery (Lambda on-failure "
                "destination, SNS subscription redrive policy, EventBridge target DLQ): nothing consumes "
                "it, so a redrive policy would never trigger; a CloudWatch alarm watches its depth instead."
            ),
        )
