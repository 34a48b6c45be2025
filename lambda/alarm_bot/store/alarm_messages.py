"""What shows each alarm in each space: its card (or digest line), and what has happened to it.

One item per (space, alarm), ``alarm#<alarm key>`` in the space's delivery partition
(:mod:`alarm_bot.store.delivery_keys`). It keeps the message showing the alarm (its own ALARM card,
or the digest it is a line of: ``digest_id``), the ALARM transition that opened it, when the alarm
began, who acknowledged it, whether it is resolved, the rendered card itself (zlib-compressed, to
redraw it on a click) and the latest transition shown in the space (``shown_at``/``shown_tid``):
delivery shows nothing older than that as if it were new.

Nothing grows forever: ``expires_at`` (the table's TTL attribute) is moved 30 days past every
write. Items of the layout before (``<space>#alarm#<key>`` among the spaces) are moved here when
first seen, by :meth:`DynamoAlarmMessages.migrate` or on a click.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from alarm_bot.alarms.card_facts import Acknowledgement, CardState
from alarm_bot.store.delivery_keys import (
    ALARM_PREFIX,
    EXPIRES_AT,
    SEPARATOR,
    DynamoTable,
    condition_held,
    dynamo_number,
    key,
    read_number,
    read_text,
)

LEGACY_KIND = f"{SEPARATOR}alarm{SEPARATOR}"  # <space>#alarm#<key>, the layout before
TTL_SECONDS = 30 * 86400
OPEN = "ALARM"
RESOLVED = "OK"


@dataclass(frozen=True)
class AlarmMessage:
    """The card (or digest line) showing one alarm in one space, and what has happened to it."""

    space: str
    alarm_key: str
    message_name: str  # spaces/S/messages/M: the card, or the digest the alarm is a line of
    transition: str  # the ALARM transition that opened it
    since: int  # when the alarm began, epoch seconds
    message: Mapping[str, Any] = field(hash=False)  # as rendered, without status lines or buttons
    alarm_name: str = ""
    alarm_arn: str = ""
    state: str = OPEN
    acknowledgements: tuple[Acknowledgement, ...] = ()
    resolved_at: int | None = None
    expires_at: int = 0
    digest_id: str | None = None  # set when the alarm is a line of a digest, not a card of its own
    shown_at: float = 0.0  # change time of the latest transition shown in the space
    shown_tid: str = ""

    @property
    def resolved(self) -> bool:
        return self.state != OPEN

    def card_state(self, muted_until: int | None = None) -> CardState:
        return CardState(self.since, self.acknowledgements, muted_until, self.resolved_at)


class AlarmMessageStore(Protocol):
    def record_posted(self, record: AlarmMessage, now: float) -> bool: ...
    def get(self, space: str, alarm_key: str) -> AlarmMessage | None: ...
    def get_many(self, spaces: Sequence[str], alarm_key: str) -> list[AlarmMessage]: ...
    def get_keys(self, space: str, alarm_keys: Sequence[str]) -> dict[str, AlarmMessage]: ...
    def acknowledge(
        self, space: str, alarm_key: str, ack: Acknowledgement, now: float
    ) -> AlarmMessage | None: ...
    def resolve(
        self, space: str, alarm_key: str, message_name: str, resolved_at: int, now: float
    ) -> bool: ...


class DynamoAlarmMessages(DynamoTable):
    """:class:`AlarmMessageStore` in the subscriptions table (``bot_id`` / ``space_id``)."""

    def _key(self, space: str, alarm_key: str) -> dict[str, Any]:
        return self._space_key(space, ALARM_PREFIX + alarm_key)

    def record_posted(self, record: AlarmMessage, now: float) -> bool:
        """Store a newly posted card; False when this transition's card is already stored.

        A retry, or the same ALARM through SNS and EventBridge, finds the card stored: keeping it
        keeps its acknowledgements.
        """
        client = self._client
        return condition_held(
            client,
            lambda: client.put_item(
                TableName=self._table,
                Item=self.item(record, now),
                ConditionExpression="attribute_not_exists(space_id) OR #t <> :t",
                ExpressionAttributeNames={"#t": "transition"},
                ExpressionAttributeValues={":t": {"S": record.transition}},
            ),
        )

    def put_request(self, record: AlarmMessage, now: float) -> dict[str, Any]:
        """A new card or digest line replaces what showed the alarm before (a transaction item)."""
        return {"Put": {"TableName": self._table, "Item": self.item(record, now)}}

    def shown_request(
        self, space: str, alarm_key: str, tid: str, at: float, now: float, *, resolved_at: int | None = None
    ) -> dict[str, Any]:
        """Record the latest transition shown (and, for a digest line, that it was resolved)."""
        expression = "SET shown_at = :a, shown_tid = :t, expires_at = :e"
        values: dict[str, Any] = {
            ":a": dynamo_number(at),
            ":t": {"S": tid},
            ":e": dynamo_number(int(now) + TTL_SECONDS),
        }
        names: dict[str, str] = {}
        if resolved_at is not None:
            expression += ", #s = :ok, resolved_at = :r"
            values |= {":ok": {"S": RESOLVED}, ":r": {"N": str(resolved_at)}}
            names["#s"] = "state"
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": self._key(space, alarm_key),
            "UpdateExpression": expression,
            "ExpressionAttributeValues": values,
        }
        if names:
            update["ExpressionAttributeNames"] = names
        return {"Update": update}

    def get(self, space: str, alarm_key: str) -> AlarmMessage | None:
        found = self._client.get_item(
            TableName=self._table, Key=self._key(space, alarm_key), ConsistentRead=True
        )
        if "Item" in found:
            return _record(space, found["Item"])
        legacy = self._client.get_item(
            TableName=self._table, Key=key(self._bot_id, space + LEGACY_KIND + alarm_key), ConsistentRead=True
        )
        if "Item" not in legacy:
            return None
        self.migrate([legacy["Item"]])
        return self.get(space, alarm_key)

    def get_many(self, spaces: Sequence[str], alarm_key: str) -> list[AlarmMessage]:
        """The cards of one alarm in any of ``spaces`` (BatchGetItem, 100 keys a call)."""
        unique = list(dict.fromkeys(spaces))
        items = self._get_all([self._key(space, alarm_key) for space in unique])
        return [_record(_space_of(item, self._bot_id), item) for item in items]

    def get_keys(self, space: str, alarm_keys: Sequence[str]) -> dict[str, AlarmMessage]:
        """The records of several alarms in one space, by alarm key."""
        items = self._get_all([self._key(space, alarm_key) for alarm_key in dict.fromkeys(alarm_keys)])
        records = (_record(space, item) for item in items)
        return {record.alarm_key: record for record in records}

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
                    ":e": {"N": str(int(now) + TTL_SECONDS)},
                    ":open": {"S": OPEN},
                },
                ReturnValues="ALL_NEW",
            )
        except client.exceptions.ConditionalCheckFailedException:
            return self.get(space, alarm_key)
        return _record(space, updated["Attributes"])

    def resolve(self, space: str, alarm_key: str, message_name: str, resolved_at: int, now: float) -> bool:
        """Mark the card resolved, if it is still the card ``message_name`` (not a newer one)."""
        client = self._client
        update = self.resolve_update(space, alarm_key, message_name, resolved_at, now)
        return condition_held(client, lambda: client.update_item(**update))

    def resolve_update(
        self, space: str, alarm_key: str, message_name: str, resolved_at: int, now: float
    ) -> dict[str, Any]:
        return {
            "TableName": self._table,
            "Key": self._key(space, alarm_key),
            "UpdateExpression": "SET #s = :ok, resolved_at = :r, expires_at = :e",
            "ConditionExpression": "attribute_exists(space_id) AND message_name = :m",
            "ExpressionAttributeNames": {"#s": "state"},
            "ExpressionAttributeValues": {
                ":ok": {"S": RESOLVED},
                ":r": {"N": str(resolved_at)},
                ":e": {"N": str(int(now) + TTL_SECONDS)},
                ":m": {"S": message_name},
            },
        }

    def migrate(self, legacy_items: Sequence[Mapping[str, Any]]) -> int:
        """Move cards of the layout before into their spaces' partitions; returns how many moved.

        A card already in its new place (moved by a concurrent call) is kept as it is there.
        """
        client = self._client
        moved = 0
        for item in legacy_items:
            space, _, alarm_key = read_text(dict(item), "space_id").partition(LEGACY_KIND)
            if not space or not alarm_key:
                continue
            fresh = {**item, **self._key(space, alarm_key)}
            try:
                client.put_item(
                    TableName=self._table, Item=fresh, ConditionExpression="attribute_not_exists(space_id)"
                )
                moved += 1
            except client.exceptions.ConditionalCheckFailedException:
                pass
            old_key = {"bot_id": item["bot_id"], "space_id": item["space_id"]}
            client.delete_item(TableName=self._table, Key=old_key)
        return moved

    def item(self, record: AlarmMessage, now: float) -> dict[str, Any]:
        record = replace(record, expires_at=int(now) + TTL_SECONDS)
        item: dict[str, Any] = {
            **self._key(record.space, record.alarm_key),
            "message_name": {"S": record.message_name},
            "transition": {"S": record.transition},
            "state": {"S": record.state},
            "since": {"N": str(record.since)},
            "message": {"B": _pack(record.message)},
            "acks": {"M": {ack.user: _ack_item(ack) for ack in record.acknowledgements}},
            EXPIRES_AT: {"N": str(record.expires_at)},
            "shown_at": dynamo_number(record.shown_at),
        }
        for name, value in (
            ("alarm_name", record.alarm_name),
            ("alarm_arn", record.alarm_arn),
            ("digest_id", record.digest_id or ""),
            ("shown_tid", record.shown_tid),
        ):
            if value:
                item[name] = {"S": value}
        if record.resolved_at is not None:
            item["resolved_at"] = {"N": str(record.resolved_at)}
        return item


def is_legacy_card(sort_key: str) -> bool:
    return LEGACY_KIND in sort_key


def _space_of(item: Mapping[str, Any], bot_id: str) -> str:
    return read_text(dict(item), "bot_id").removeprefix(bot_id + SEPARATOR)


def with_message(update: dict[str, Any], message: Mapping[str, Any] | None) -> dict[str, Any]:
    """``update`` (a transaction's ``Update``) also storing the card as redrawn, when there is one:
    a resolve that put the recovery chart on it, so later redraws show that chart too."""
    if message is not None:
        update["UpdateExpression"] += ", message = :b"
        update["ExpressionAttributeValues"][":b"] = {"B": _pack(message)}
    return update


def _pack(message: Mapping[str, Any]) -> bytes:
    return zlib.compress(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode(), 9)


def _ack_item(ack: Acknowledgement) -> dict[str, Any]:
    person: dict[str, Any] = {"at": {"N": str(ack.at)}}
    if ack.name:
        person["name"] = {"S": ack.name}
    return {"M": person}


def _record(space: str, raw: Mapping[str, Any]) -> AlarmMessage:
    item = dict(raw)
    resolved = read_number(item, "resolved_at")
    return AlarmMessage(
        space=space,
        alarm_key=read_text(item, "space_id").removeprefix(ALARM_PREFIX),
        message_name=read_text(item, "message_name"),
        transition=read_text(item, "transition"),
        since=int(read_number(item, "since") or 0),
        message=json.loads(zlib.decompress(bytes(item["message"]["B"]))) if "message" in item else {},
        alarm_name=read_text(item, "alarm_name"),
        alarm_arn=read_text(item, "alarm_arn"),
        state=read_text(item, "state") or OPEN,
        acknowledgements=_acks(item.get("acks", {}).get("M", {})),
        resolved_at=int(resolved) if resolved is not None else None,
        expires_at=int(read_number(item, EXPIRES_AT) or 0),
        digest_id=read_text(item, "digest_id") or None,
        shown_at=read_number(item, "shown_at") or 0.0,
        shown_tid=read_text(item, "shown_tid"),
    )


def _acks(raw: Mapping[str, Any]) -> tuple[Acknowledgement, ...]:
    """In the order people acknowledged (DynamoDB maps have none of their own)."""
    acks = [
        Acknowledgement(user, str(value["M"].get("name", {}).get("S", "")), int(value["M"]["at"]["N"]))
        for user, value in raw.items()
        if isinstance(value, dict) and "at" in value.get("M", {})
    ]
    return tuple(sorted(acks, key=lambda ack: (ack.at, ack.user)))
