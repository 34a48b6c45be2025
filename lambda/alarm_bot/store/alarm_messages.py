"""The ALARM cards the bot posted, kept so they can change later: acknowledged, muted, resolved.

One item per (space, alarm) in the subscriptions table, sort key ``<space>#alarm#<alarm key>``: it
belongs to the space, so removing the space removes it and listing spaces skips it. The item keeps
the message's resource name (to edit it), the transition that posted it (so a retried or duplicate
delivery of the same ALARM does not reset it), when the alarm began, who acknowledged it, and the
rendered message itself (zlib-compressed: listing the spaces reads the partition, these items too).

Nothing grows forever: ``expires_at`` (epoch seconds, the table's TTL attribute) is moved 30 days
past every write, so DynamoDB deletes cards nobody touched for a month.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from alarm_bot.alarms.card_facts import Acknowledgement, CardState
from alarm_bot.store.spaces import RELATED_SEPARATOR

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

ALARM_KIND = f"{RELATED_SEPARATOR}alarm{RELATED_SEPARATOR}"
EXPIRES_AT = "expires_at"
TTL_SECONDS = 30 * 86400
OPEN = "ALARM"
RESOLVED = "OK"
_BATCH_GET_LIMIT = 100


@dataclass(frozen=True)
class AlarmMessage:
    """One posted ALARM card and what has happened to it since."""

    space: str
    alarm_key: str
    message_name: str  # spaces/S/messages/M
    transition: str  # the ALARM transition that posted it
    since: int  # when the alarm began, epoch seconds
    message: Mapping[str, Any] = field(hash=False)  # as rendered, without status lines or buttons
    alarm_name: str = ""
    alarm_arn: str = ""
    state: str = OPEN
    acknowledgements: tuple[Acknowledgement, ...] = ()
    resolved_at: int | None = None
    expires_at: int = 0

    @property
    def resolved(self) -> bool:
        return self.state != OPEN

    def card_state(self, muted_until: int | None = None) -> CardState:
        return CardState(self.since, self.acknowledgements, muted_until, self.resolved_at)


class AlarmMessageStore(Protocol):
    def record_posted(self, record: AlarmMessage, now: float) -> bool: ...
    def get(self, space: str, alarm_key: str) -> AlarmMessage | None: ...
    def get_many(self, spaces: Sequence[str], alarm_key: str) -> list[AlarmMessage]: ...
    def acknowledge(
        self, space: str, alarm_key: str, ack: Acknowledgement, now: float
    ) -> AlarmMessage | None: ...
    def resolve(
        self, space: str, alarm_key: str, message_name: str, resolved_at: int, now: float
    ) -> bool: ...


def sort_key(space: str, alarm_key: str) -> str:
    return f"{space}{ALARM_KIND}{alarm_key}"


class DynamoAlarmMessages:
    """:class:`AlarmMessageStore` in the subscriptions table (``bot_id`` / ``space_id``)."""

    def __init__(self, table_name: str, bot_id: str, client: DynamoDBClient | None = None) -> None:
        self._table = table_name
        self._bot_id = bot_id
        self._client_instance = client

    @property
    def _client(self) -> DynamoDBClient:
        if self._client_instance is None:
            import boto3  # noqa: PLC0415 - deferred: built on first use, not at import

            self._client_instance = boto3.client("dynamodb")
        return self._client_instance

    def _key(self, space: str, alarm_key: str) -> dict[str, Any]:
        return {"bot_id": {"S": self._bot_id}, "space_id": {"S": sort_key(space, alarm_key)}}

    def record_posted(self, record: AlarmMessage, now: float) -> bool:
        """Store a newly posted card; False when this transition's card is already stored.

        A Lambda retry or the same ALARM arriving through SNS and EventBridge returns the message
        Google already created: keeping the stored item keeps its acknowledgements.
        """
        client = self._client
        try:
            client.put_item(
                TableName=self._table,
                Item=self._item(replace(record, expires_at=_expiry(now))),
                ConditionExpression="attribute_not_exists(space_id) OR #t <> :t",
                ExpressionAttributeNames={"#t": "transition"},
                ExpressionAttributeValues={":t": {"S": record.transition}},
            )
        except client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def get(self, space: str, alarm_key: str) -> AlarmMessage | None:
        found = self._client.get_item(
            TableName=self._table, Key=self._key(space, alarm_key), ConsistentRead=True
        )
        return _record(found["Item"]) if "Item" in found else None

    def get_many(self, spaces: Sequence[str], alarm_key: str) -> list[AlarmMessage]:
        """The cards of one alarm in any of ``spaces`` (BatchGetItem, 100 keys a call)."""
        unique = list(dict.fromkeys(spaces))
        found: list[AlarmMessage] = []
        for start in range(0, len(unique), _BATCH_GET_LIMIT):
            keys = [self._key(space, alarm_key) for space in unique[start : start + _BATCH_GET_LIMIT]]
            found += [_record(item) for item in self._batch_get(keys)]
        return found

    def acknowledge(
        self, space: str, alarm_key: str, ack: Acknowledgement, now: float
    ) -> AlarmMessage | None:
        """Add ``ack`` unless that person already acknowledged; the card as it is afterwards.

        Only an open alarm can be acknowledged: for a resolved one (or a missing one) nothing
        changes and the stored card (or None) comes back for the caller to explain.
        """
        client = self._client
        try:
            updated = client.update_item(
                TableName=self._table,
                Key=self._key(space, alarm_key),
                UpdateExpression="SET acks.#u = if_not_exists(acks.#u, :a), expires_at = :e",
                ConditionExpression="attribute_exists(space_id) AND #s = :open",
                ExpressionAttributeNames={"#u": ack.user, "#s": "state"},
                ExpressionAttributeValues={
                    ":a": _ack_item(ack),
                    ":e": {"N": str(_expiry(now))},
                    ":open": {"S": OPEN},
                },
                ReturnValues="ALL_NEW",
            )
        except client.exceptions.ConditionalCheckFailedException:
            return self.get(space, alarm_key)
        return _record(updated["Attributes"])

    def resolve(self, space: str, alarm_key: str, message_name: str, resolved_at: int, now: float) -> bool:
        """Mark the card resolved, if it is still the card ``message_name`` (not a newer one)."""
        client = self._client
        try:
            client.update_item(
                TableName=self._table,
                Key=self._key(space, alarm_key),
                UpdateExpression="SET #s = :ok, resolved_at = :r, expires_at = :e",
                ConditionExpression="attribute_exists(space_id) AND message_name = :m",
                ExpressionAttributeNames={"#s": "state"},
                ExpressionAttributeValues={
                    ":ok": {"S": RESOLVED},
                    ":r": {"N": str(resolved_at)},
                    ":e": {"N": str(_expiry(now))},
                    ":m": {"S": message_name},
                },
            )
        except client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def _batch_get(self, keys: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        request: Any = {self._table: {"Keys": keys, "ConsistentRead": True}}
        for attempt in range(8):
            response = self._client.batch_get_item(RequestItems=request)
            yield from response.get("Responses", {}).get(self._table, [])
            request = response.get("UnprocessedKeys") or {}
            if not request.get(self._table):
                return
            time.sleep(0.05 * (attempt + 1))  # throttled: back off a little before asking again
        raise RuntimeError("DynamoDB left keys unprocessed")

    def _item(self, record: AlarmMessage) -> dict[str, Any]:
        item: dict[str, Any] = {
            **self._key(record.space, record.alarm_key),
            "message_name": {"S": record.message_name},
            "transition": {"S": record.transition},
            "state": {"S": record.state},
            "since": {"N": str(record.since)},
            "message": {"B": _pack(record.message)},
            "acks": {"M": {ack.user: _ack_item(ack) for ack in record.acknowledgements}},
            EXPIRES_AT: {"N": str(record.expires_at)},
        }
        for name, value in (("alarm_name", record.alarm_name), ("alarm_arn", record.alarm_arn)):
            if value:
                item[name] = {"S": value}
        if record.resolved_at is not None:
            item["resolved_at"] = {"N": str(record.resolved_at)}
        return item


def _expiry(now: float) -> int:
    return int(now) + TTL_SECONDS


def _pack(message: Mapping[str, Any]) -> bytes:
    return zlib.compress(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode(), 9)


def _ack_item(ack: Acknowledgement) -> dict[str, Any]:
    person: dict[str, Any] = {"at": {"N": str(ack.at)}}
    if ack.name:
        person["name"] = {"S": ack.name}
    return {"M": person}


def _record(item: Mapping[str, Any]) -> AlarmMessage:
    def text(name: str) -> str:
        return str(item.get(name, {}).get("S", ""))

    def number(name: str) -> int | None:
        value = item.get(name, {}).get("N")
        return int(value) if value is not None else None

    space, _, alarm_key = text("space_id").rpartition(ALARM_KIND)
    return AlarmMessage(
        space=space,
        alarm_key=alarm_key,
        message_name=text("message_name"),
        transition=text("transition"),
        since=number("since") or 0,
        message=json.loads(zlib.decompress(bytes(item["message"]["B"]))),
        alarm_name=text("alarm_name"),
        alarm_arn=text("alarm_arn"),
        state=text("state") or OPEN,
        acknowledgements=_acks(item.get("acks", {}).get("M", {})),
        resolved_at=number("resolved_at"),
        expires_at=number(EXPIRES_AT) or 0,
    )


def _acks(raw: Mapping[str, Any]) -> tuple[Acknowledgement, ...]:
    """In the order people acknowledged (DynamoDB maps have none of their own)."""
    acks = [
        Acknowledgement(user, str(value["M"].get("name", {}).get("S", "")), int(value["M"]["at"]["N"]))
        for user, value in raw.items()
        if isinstance(value, dict) and "at" in value.get("M", {})
    ]
    return tuple(sorted(acks, key=lambda ack: (ack.at, ack.user)))
