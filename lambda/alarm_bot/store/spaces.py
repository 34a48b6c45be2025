"""The subscribed spaces, kept in DynamoDB under the old bot's key schema.

Items live in one partition per bot (``bot_id``) with the space name as sort key (``space_id``),
exactly as the Node.js bot stored them, so an existing table keeps working: an item holding only
the two keys reads as "subscribed to every alarm". That partition holds nothing but spaces, so
listing them costs O(spaces); what delivery keeps for a space lives in a partition of its own
(:mod:`alarm_bot.store.delivery_keys`), and removing the space deletes that partition too. Cards
stored by earlier versions among the spaces (``<space>#alarm#…``) are handed to the caller of
:meth:`DynamoSpaceStore.list_spaces` (``leftovers``) to be moved out.
Filters are a DynamoDB string set, changed with ADD/DELETE so concurrent edits never overwrite
each other. Per-alarm mutes are a map (alarm key → until, epoch seconds) on the space's own item, so
the fan-out reads them with the space and needs no extra read per space. The record itself,
:class:`~alarm_bot.alarms.space_record.SpaceRecord`, is the domain's: storage is one of its users.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from aws_lambda_powertools import Logger

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.space_names import is_space_name
from alarm_bot.store.delivery_keys import (
    SEPARATOR,
    DynamoTable,
    condition_held,
    outbox_partition,
    space_partition,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

RELATED_SEPARATOR = SEPARATOR
logger = Logger(child=True)


class SpaceNotFound(LookupError):
    """The space has no record (the bot was removed, or never added)."""


class SpaceStore(Protocol):
    """What the handlers need from storage; tests may substitute their own."""

    def get(self, space: str) -> SpaceRecord | None: ...
    def put(self, record: SpaceRecord) -> None: ...
    def put_if_absent(self, record: SpaceRecord) -> bool: ...
    def add_filters(self, space: str, patterns: tuple[str, ...]) -> None: ...
    def remove_filters(self, space: str, patterns: tuple[str, ...]) -> None: ...
    def subscribe_all(self, space: str) -> None: ...
    def unsubscribe_all(self, space: str) -> None: ...
    def set_muted_until(self, space: str, until: int | None) -> None: ...
    def remove(self, space: str) -> int: ...
    def list_spaces(self) -> list[SpaceRecord]: ...


class ChatSpaceStore(SpaceStore, Protocol):
    """What the Chat handler needs on top: the space's options and per-alarm mutes."""

    def set_mention(self, space: str, enabled: bool) -> None: ...
    def mute_alarm(self, space: str, alarm_key: str, until: int, expired: tuple[str, ...] = ()) -> None: ...
    def clear_mutes(self, space: str) -> None: ...


class DynamoSpaceStore(DynamoTable):
    """:class:`SpaceStore` on a DynamoDB table with keys ``bot_id`` / ``space_id``."""

    def __init__(self, table_name: str, bot_id: str, client: DynamoDBClient | None = None) -> None:
        super().__init__(table_name, bot_id, client)
        # Items of the earlier layout met by the last list_spaces(), for the caller to migrate;
        # and how many records it skipped because their name is not a space name.
        self.leftovers: list[dict[str, Any]] = []
        self.malformed = 0

    def _key(self, space_id: str) -> dict[str, Any]:
        return {"bot_id": {"S": self._bot_id}, "space_id": {"S": space_id}}

    def get(self, space: str) -> SpaceRecord | None:
        item = self._client.get_item(TableName=self._table, Key=self._key(space), ConsistentRead=True)
        return _record(item["Item"]) if "Item" in item else None

    def put(self, record: SpaceRecord) -> None:
        self._client.put_item(TableName=self._table, Item=self._item(record))

    def put_if_absent(self, record: SpaceRecord) -> bool:
        client = self._client
        return condition_held(
            client,
            lambda: client.put_item(
                TableName=self._table,
                Item=self._item(record),
                ConditionExpression="attribute_not_exists(space_id)",
            ),
        )

    def add_filters(self, space: str, patterns: tuple[str, ...]) -> None:
        self._update(space, "ADD filters :p SET subscribed = :t", {":p": {"SS": list(patterns)}})

    def remove_filters(self, space: str, patterns: tuple[str, ...]) -> None:
        self._update(space, "DELETE filters :p", {":p": {"SS": list(patterns)}})

    def subscribe_all(self, space: str) -> None:
        self._update(space, "REMOVE filters SET subscribed = :t", {})

    def unsubscribe_all(self, space: str) -> None:
        self._update(space, "REMOVE filters SET subscribed = :f", {})

    def set_muted_until(self, space: str, until: int | None) -> None:
        if until is None:
            self._update(space, "REMOVE muted_until", {})
        else:
            self._update(space, "SET muted_until = :u", {":u": {"N": str(until)}})

    def set_mention(self, space: str, enabled: bool) -> None:
        self._update(space, "SET mention = :t" if enabled else "SET mention = :f", {})

    def mute_alarm(self, space: str, alarm_key: str, until: int, expired: tuple[str, ...] = ()) -> None:
        """Silence one alarm in this space until ``until``, dropping the ``expired`` entries.

        Each alarm is its own map entry, so two people muting two alarms at once both succeed. The
        map is created by the first mute; if two first mutes race, the loser retries as an entry.
        """
        stale = {f"#e{index}": key for index, key in enumerate(k for k in expired if k != alarm_key)}
        removals = ", ".join(f"alarm_mutes.{name}" for name in stale)
        entry = "SET alarm_mutes.#k = :u" + (f" REMOVE {removals}" if removals else "")
        for _ in range(2):
            if self._try_update(
                space,
                entry,
                "attribute_exists(alarm_mutes)",
                names={"#k": alarm_key, **stale},
                values={":u": {"N": str(until)}},
            ):
                return
            if self._try_update(
                space,
                "SET alarm_mutes = :m",
                "attribute_exists(space_id) AND attribute_not_exists(alarm_mutes)",
                values={":m": {"M": {alarm_key: {"N": str(until)}}}},
            ):
                return
            if self.get(space) is None:
                raise SpaceNotFound(space)
        raise RuntimeError(f"could not record the mute of alarm {alarm_key} in {space}")

    def clear_mutes(self, space: str) -> None:
        """``unmute``: the space-wide mute and every per-alarm mute go."""
        self._update(space, "REMOVE muted_until, alarm_mutes", {})

    def remove(self, space: str) -> int:
        """Delete the space and every record stored for it; returns how many items went.

        That includes notifications still waiting in its outbox: nobody will read them there.
        """
        keys = [self._key(space)] + [
            self._key(item["space_id"]["S"]) for item in self._query(prefix=space + RELATED_SEPARATOR)
        ]
        for partition in (space_partition(self._bot_id, space), outbox_partition(self._bot_id, space)):
            keys += [
                {"bot_id": {"S": partition}, "space_id": item["space_id"]}
                for item in self._query(partition=partition)
            ]
        for start in range(0, len(keys), 25):  # BatchWriteItem takes at most 25 requests
            self._batch_delete(keys[start : start + 25])
        return len(keys)

    def list_spaces(self) -> list[SpaceRecord]:
        """Every stored space; a record whose name breaks the rule is skipped (``malformed``)."""
        spaces: list[SpaceRecord] = []
        self.leftovers, self.malformed = [], 0
        for item in self._query():
            name = item["space_id"]["S"]
            if RELATED_SEPARATOR in name:
                self.leftovers.append(item)
            elif is_space_name(name):
                spaces.append(_record(item))
            else:
                self.malformed += 1
                logger.error("a stored space name is malformed; it is skipped", extra={"space": name[:80]})
        return spaces

    def _update(self, space: str, expression: str, values: dict[str, Any]) -> None:
        _check_name(space)
        names = {":t": {"BOOL": True}, ":f": {"BOOL": False}}
        used = {name: value for name, value in names.items() if name in expression}
        if not self._try_update(space, expression, "attribute_exists(space_id)", values={**used, **values}):
            raise SpaceNotFound(space)

    def _try_update(
        self,
        space: str,
        expression: str,
        condition: str,
        *,
        names: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> bool:
        """One conditional update; False when the condition did not hold."""
        extra: dict[str, Any] = {}
        if names:
            extra["ExpressionAttributeNames"] = names
        if values:
            extra["ExpressionAttributeValues"] = values
        return self._update_if(
            self._key(space), UpdateExpression=expression, ConditionExpression=condition, **extra
        )

    def _query(self, prefix: str | None = None, partition: str | None = None) -> Iterator[dict[str, Any]]:
        condition = "bot_id = :b" + (" AND begins_with(space_id, :p)" if prefix else "")
        values: dict[str, Any] = {":b": {"S": partition or self._bot_id}}
        if prefix:
            values[":p"] = {"S": prefix}
        paginator = self._client.get_paginator("query")
        for page in paginator.paginate(
            TableName=self._table, KeyConditionExpression=condition, ExpressionAttributeValues=values
        ):
            yield from page.get("Items", [])

    def _batch_delete(self, keys: list[dict[str, Any]]) -> None:
        requests: Any = [{"DeleteRequest": {"Key": key}} for key in keys]
        for _ in range(8):
            response = self._client.batch_write_item(RequestItems={self._table: requests})
            requests = response.get("UnprocessedItems", {}).get(self._table)
            if not requests:
                return
        raise RuntimeError(f"DynamoDB left {len(requests)} deletes unprocessed")

    def _item(self, record: SpaceRecord) -> dict[str, Any]:
        _check_name(record.space)
        item: dict[str, Any] = {**self._key(record.space), "subscribed": {"BOOL": record.subscribed}}
        for attribute in ("display_name", "space_type", "added_by", "added_at"):
            value = getattr(record, attribute)
            if value:
                item[attribute] = {"S": value}
        if record.filters:
            item["filters"] = {"SS": list(record.filters)}
        if record.muted_until is not None:
            item["muted_until"] = {"N": str(record.muted_until)}
        if record.mention:
            item["mention"] = {"BOOL": True}
        if record.alarm_mutes:
            item["alarm_mutes"] = {"M": {key: {"N": str(until)} for key, until in record.alarm_mutes.items()}}
        return item


def _check_name(space: str) -> None:
    if not is_space_name(space):
        raise ValueError(f"not a space name: {space[:80]!r}")


def _record(item: dict[str, Any]) -> SpaceRecord:
    def text(name: str) -> str:
        return str(item.get(name, {}).get("S", ""))

    muted = item.get("muted_until", {}).get("N")
    return SpaceRecord(
        space=text("space_id"),
        display_name=text("display_name"),
        space_type=text("space_type"),
        added_by=text("added_by"),
        added_at=text("added_at"),
        filters=tuple(sorted(item.get("filters", {}).get("SS", []))),
        subscribed=bool(item.get("subscribed", {}).get("BOOL", True)),
        muted_until=int(muted) if muted is not None else None,
        mention=bool(item.get("mention", {}).get("BOOL", False)),
        alarm_mutes={
            key: int(value["N"])
            for key, value in item.get("alarm_mutes", {}).get("M", {}).items()
            if isinstance(value, dict) and "N" in value
        },
    )
