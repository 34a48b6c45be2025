"""The stack's AWS resources, created in moto as CloudFormation would create them in an account.

The same shapes as the stack's constructs, for what the functions can tell: the table's keys and
time to live (``chatbot_stack/subscriptions_table.py``), the delivery queue's visibility timeout
and redrive policy to the dead-letter queue (``delivery_queue.py``), the topic's subscription to the
queue as SNS envelopes, not raw, with the dead-letter queue for what SNS cannot deliver
(``delivery_function.py``), and the secret holding the service-account key
(``credentials_secret.py``), here a key generated for the Chat API stand-in. A test compares these
numbers with the stack's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3

from playground.config import (
    DEAD_LETTER_QUEUE_NAME,
    FAKE_CREDENTIALS,
    QUEUE_NAME,
    REGION,
    SECRET_NAME,
    TABLE_NAME,
    TOPIC_NAME,
)

PARTITION_KEY = "bot_id"
SORT_KEY = "space_id"
TTL_ATTRIBUTE = "expires_at"
RETENTION_SECONDS = 14 * 24 * 3600  # SQS's maximum, both queues
MAX_RECEIVES = 8  # then the dead-letter queue
VISIBILITY_PER_TIMEOUT = 6  # the visibility timeout is six times the delivery function's timeout


@dataclass(frozen=True)
class AwsResources:
    table: str
    topic_arn: str
    queue_url: str
    queue_arn: str
    dead_letter_url: str
    secret_arn: str


def client(service: str, moto_url: str) -> Any:
    """A boto3 client for moto, with made-up credentials whatever the shell has."""
    return boto3.client(
        service,  # type: ignore[call-overload]
        endpoint_url=moto_url,
        region_name=REGION,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
    )


def provision(moto_url: str, service_account: dict[str, Any], delivery_timeout: int) -> AwsResources:
    """Create everything the two functions use; moto starts empty, so this runs once per start."""
    _create_table(client("dynamodb", moto_url))
    sqs = client("sqs", moto_url)
    dead_letter_url = sqs.create_queue(
        QueueName=DEAD_LETTER_QUEUE_NAME, Attributes={"MessageRetentionPeriod": str(RETENTION_SECONDS)}
    )["QueueUrl"]
    dead_letter_arn = _queue_arn(sqs, dead_letter_url)
    queue_url = sqs.create_queue(
        QueueName=QUEUE_NAME,
        Attributes={
            "MessageRetentionPeriod": str(RETENTION_SECONDS),
            "VisibilityTimeout": str(delivery_timeout * VISIBILITY_PER_TIMEOUT),
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": MAX_RECEIVES}
            ),
        },
    )["QueueUrl"]
    queue_arn = _queue_arn(sqs, queue_url)
    topic_arn = _subscribed_topic(client("sns", moto_url), queue_arn, dead_letter_arn)
    secret_arn = client("secretsmanager", moto_url).create_secret(
        Name=SECRET_NAME,
        Description="Google service-account key of the Chat app (generated for the playground)",
        SecretString=json.dumps(service_account),
    )["ARN"]
    return AwsResources(TABLE_NAME, topic_arn, queue_url, queue_arn, dead_letter_url, secret_arn)


def _create_table(dynamodb: Any) -> None:
    dynamodb.create_table(
        TableName=TABLE_NAME,
        KeySchema=[
            {"AttributeName": PARTITION_KEY, "KeyType": "HASH"},
            {"AttributeName": SORT_KEY, "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": PARTITION_KEY, "AttributeType": "S"},
            {"AttributeName": SORT_KEY, "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_time_to_live(
        TableName=TABLE_NAME, TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE}
    )


def _subscribed_topic(sns: Any, queue_arn: str, dead_letter_arn: str) -> str:
    topic_arn: str = sns.create_topic(Name=TOPIC_NAME)["TopicArn"]
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dead_letter_arn})},
    )
    return topic_arn


def _queue_arn(sqs: Any, url: str) -> str:
    arn: str = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return arn
