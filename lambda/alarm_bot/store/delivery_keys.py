"""Where delivery state lives in the subscriptions table, and the one client every store shares.

The table's key schema is the old bot's (partition ``bot_id``, sort ``space_id``) and stays so:

* ``bot_id = <bot>``, ``space_id = spaces/X``: the subscribed spaces, and nothing else. Listing the
  spaces for a notification is one Query of this partition, so it costs O(spaces), however many
  cards, outbox entries or delivery records the spaces have.
* ``bot_id = <bot>#spaces/X``: what delivery keeps for one space, one partition per space so that
  a storm in one space never contends with another's: ``state`` (lease, write budget, timers),
  ``alarm#<key>`` (the card or digest line showing an alarm), ``sent#<transition>`` (what was
  shown, for exactly-once), ``digest#<id>`` (posted digests). All are read by key.
* ``bot_id = <bot>#spaces/X#out``: the space's outbox, ``out#<time>#<transition>`` (notifications
  waiting to be shown, in order of their state change), read by one Query of its own.
* ``bot_id = <bot>#project``, ``space_id = writes#<n>``: the project-wide write count per slot.

Before this layout, cards were stored as ``<space>#alarm#<key>`` in the spaces partition; they are
moved on first sight (:meth:`alarm_bot.store.alarm_messages.DynamoAlarmMessages.migrate`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

SEPARATOR: Final = "#"
STATE: Final = "state"
ALARM_PREFIX: Final = "alarm#"
OUTBOX_PREFIX: Final = "out#"
SENT_PREFIX: Final = "sent#"
DIGEST_PREFIX: Final = "digest#"
PROJECT: Final = "project"
EXPIRES_AT: Final = "expires_at"  # the table's TTL attribute
BATCH_GET_LIMIT: Final = 100
BATCH_WRITE_LIMIT: Final = 25


def space_partition(bot_id: str, space: str) -> str:
    return f"{bot_id}{SEPARATOR}{space}"


def outbox_partition(bot_id: str, space: str) -> str:
    return f"{space_partition(bot_id, space)}{SEPARATOR}out"


def project_partition(bot_id: str) -> str:
    return f"{bot_id}{SEPARATOR}{PROJECT}"


def key(partition: str, sort: str) -> dict[str, Any]:
    return {"bot_id": {"S": partition}, "space_id": {"S": sort}}


def dynamo_number(value: float) -> dict[str, str]:
    """A DynamoDB number; times keep milliseconds."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return {"N": text if text not in ("", "-0") else "0"}


def read_number(item: dict[str, Any], name: str) -> float | None:
    value = item.get(name, {}).get("N")
    return float(value) if value is not None else None


def read_text(item: dict[str, Any], name: str) -> str:
    return str(item.get(name, {}).get("S", ""))


def condition_held(client: DynamoDBClient, write: Callable[[], object]) -> bool:
    """Make one conditional write; False when DynamoDB refused it because its condition failed.

    A failed condition is an answer (someone else holds the lease, the card is stored already),
    not an error: every other exception goes on to the caller.
    """
    try:
        write()
    except client.exceptions.ConditionalCheckFailedException:
        return False
    return True


class DynamoTable:
    """A table and a boto3 client built on first use (not at import: cold starts stay short)."""

    def __init__(self, table_name: str, bot_id: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        self._bot_id = bot_id
        self._client_instance = client

    @property
    def table_name(self) -> str:
        return self._table

    @property
    def bot_id(self) -> str:
        return self._bot_id

    @property
    def _client(self) -> DynamoDBClient:
        if self._client_instance is None:
            import boto3  # noqa: PLC0415 - cold start: boto3, 70 ms; a refused Chat request never calls AWS

            self._client_instance = boto3.client("dynamodb")
        return self._client_instance

    def _space_key(self, space: str, sort: str) -> dict[str, Any]:
        return key(space_partition(self._bot_id, space), sort)

    def _update_if(self, item_key: dict[str, Any], **request: Any) -> bool:
        """One conditional UpdateItem of the item at ``item_key``; False when its condition failed."""
        client = self._client
        return condition_held(
            client, lambda: client.update_item(TableName=self._table, Key=item_key, **request)
        )

    def _batch_get(self, keys: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """BatchGetItem of at most 100 keys, asking again for what DynamoDB left unprocessed."""
        request: Any = {self._table: {"Keys": keys, "ConsistentRead": True}}
        for attempt in range(8):
            response = self._client.batch_get_item(RequestItems=request)
            yield from response.get("Responses", {}).get(self._table, [])
            request = response.get("UnprocessedKeys") or {}
            if not request.get(self._table):
                return
            time.sleep(0.05 * (attempt + 1))  # throttled: back off a little before asking again
        raise RuntimeError("DynamoDB left keys unprocessed")

    def _get_all(self, keys: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for start in range(0, len(keys), BATCH_GET_LIMIT):
            yield from self._batch_get(list(keys[start : start + BATCH_GET_LIMIT]))

    def _batch_write(self, requests: list[dict[str, Any]]) -> None:
        """BatchWriteItem of at most 25 puts/deletes, repeating what DynamoDB left unprocessed."""
        pending: Any = requests
        for attempt in range(8):
            response = self._client.batch_write_item(RequestItems={self._table: pending})
            pending = response.get("UnprocessedItems", {}).get(self._table)
            if not pending:
                return
            time.sleep(0.05 * (attempt + 1))
        raise RuntimeError(f"DynamoDB left {len(pending)} writes unprocessed")

    def _query_partition(self, partition: str) -> Iterator[dict[str, Any]]:
        """Every item of one partition, in sort-key order."""
        paginator = self._client.get_paginator("query")
        for page in paginator.paginate(
            TableName=self._table,
            KeyConditionExpression="bot_id = :p",
            ExpressionAttributeValues={":p": {"S": partition}},
            ConsistentRead=True,
        ):
            yield from page.get("Items", [])
