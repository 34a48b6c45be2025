"""The one way the app makes an SQS queue: SQS-managed keys, HTTPS only, messages kept 14 days.

SQS-managed encryption rather than a KMS key: SNS, EventBridge and Lambda can all write to such a
queue without a key policy to keep in step, and the messages are alarm notifications, not secrets.
Every queue keeps its messages as long as SQS allows, so that whatever waits in it (a storm's
backlog, or a dead letter) outlasts a weekend before anyone looks.
"""

from __future__ import annotations

from typing import Final

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from chatbot_stack.nag import acknowledge

RETENTION: Final = Duration.days(14)  # SQS's maximum


def encrypted_queue(
    scope: Construct,
    construct_id: str,
    *,
    visibility_timeout: Duration | None = None,
    dead_letter_queue: sqs.DeadLetterQueue | None = None,
) -> sqs.Queue:
    """A queue with the app's encryption, HTTPS and retention, and where its own dead letters go."""
    return sqs.Queue(
        scope,
        construct_id,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=RETENTION,
        visibility_timeout=visibility_timeout,
        dead_letter_queue=dead_letter_queue,
    )


def unconsumed_dead_letter_queue(scope: Construct, construct_id: str, *, reason: str) -> sqs.Queue:
    """A dead-letter queue that nothing consumes, so cdk-nag's wish for its own redrive is waived.

    ``reason`` says whose dead letters it keeps and what watches it instead.
    """
    queue = encrypted_queue(scope, construct_id)
    cfn_queue = queue.node.default_child or queue
    acknowledge(cfn_queue, "AwsSolutions-SQS3", reason)
    acknowledge(cfn_queue, "Serverless-SQSRedrivePolicy", reason)
    return queue
