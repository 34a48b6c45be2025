"""moto-backed AWS for tests: a subscriptions table with the production key schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.support.moto_atomic import make_dynamodb_atomic

make_dynamodb_atomic()  # DynamoDB's per-item atomicity, which moto lacks under threads

TABLE_NAME = "alarm-chat-bot-spaces"
BOT_ID = "alarm-chat-bot"


def create_spaces_table(client: Any, name: str = TABLE_NAME) -> None:
    client.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "bot_id", "KeyType": "HASH"},
            {"AttributeName": "space_id", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "bot_id", "AttributeType": "S"},
            {"AttributeName": "space_id", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fake credentials and region so nothing can reach a real account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "ap-northeast-2",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield


@pytest.fixture
def dynamodb(aws: None) -> Any:
    client = boto3.client("dynamodb")
    create_spaces_table(client)
    return client


def all_items(client: Any, table: str = TABLE_NAME) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table):
        items.extend(page["Items"])
    return items
