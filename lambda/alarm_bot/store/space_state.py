"""One space's delivery state: who delivers to it now, what it has written lately, what is due.

Every function instance that consumes the delivery queue may receive notifications for the same
space at the same moment. Only one of them writes to a space at a time: it holds the space's
**lease** (a conditional update that succeeds only when no live lease exists), so the space's write
budget, the order of its threads and its digests need no other coordination. A lease ends when its
holder releases it or after ``lease`` seconds (a crashed holder); the next holder then counts the
crashed holder's unrecorded writes as spent (``unreleased``), so a crash never exceeds the budget.

Others that get a notification for a busy space store it in the space's outbox and bump ``seq``; the
holder releases only if ``seq`` is still what it saw, else it looks at the outbox again. So a
notification is never left behind by a holder that was just finishing. A scheduled flush that finds
the space busy bumps ``seq`` too: the look it was scheduled for is then the holder's to make.

``timer_at`` is when the space's next scheduled flush (a delayed queue message) is due, so that one
is scheduled, not one per notification; ``intent`` is a digest about to be posted, kept so that a
retry after a crash posts the same digest again (same ``requestId``, so Google keeps one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alarm_bot.store.delivery_keys import (
    EXPIRES_AT,
    STATE,
    DynamoTable,
    condition_held,
    dynamo_number,
    read_number,
    read_text,
)

STATE_TTL_SECONDS = 30 * 86400


@dataclass(frozen=True)
class Intent:
    """A digest message being posted (``kind`` ``digest``) or a posted digest being updated."""

    kind: str
    digest_id: str
    tids: tuple[str, ...]
    update: int = 0  # for ``digest_update``: which update of the digest (part of its requestId)
    first_part: int = 1  # for ``digest``: the rest of a digest in parts starts at this part…
    parts: int = 0  # …of this many (0: as many as it takes)


@dataclass(frozen=True)
class SpaceState:
    space: str
    seq: int = 0
    outbox: int = 0  # entries waiting (an upper bound: a duplicate counts until the holder looks)
    writes: tuple[float, ...] = ()
    lease_owner: str | None = None
    lease_until: float | None = None
    timer_at: float | None = None
    digest_due: float | None = None
    last_digest_at: float | None = None
    failures: int = 0
    intent: Intent | None = None
    due_at: float | None = None  # the earliest time a stored entry needs a look (None: now)
    leases: int = 0  # how often the lease was taken: unchanged between two takes, nobody held it


@dataclass(frozen=True)
class Lease:
    """The outcome of :meth:`DynamoSpaceStates.acquire`."""

    acquired: bool
    state: SpaceState
    unreleased: bool = False  # the previous holder's lease ran out without a release (a crash)


@dataclass(frozen=True)
class StateChange:
    """What a holder writes back to the state item (``None``: leave as it is, ``clear``: remove)."""

    writes: tuple[float, ...]
    outbox: int | None  # None: leave the count as it is (others may be adding to it)
    failures: int
    digest_due: float | None = None
    last_digest_at: float | None = None
    timer_at: float | None = None
    intent: Intent | None = None
    clear_digest_due: bool = False
    clear_intent: bool = False
    due_at: float | None = None  # None: removed (look at the outbox next time)
    outbox_added: int = 0  # with ``outbox`` None: entries this holder stored, added to the count


class DynamoSpaceStates(DynamoTable):
    """The ``state`` item of each space's delivery partition."""

    def get(self, space: str) -> SpaceState:
        found = self._client.get_item(
            TableName=self._table, Key=self._space_key(space, STATE), ConsistentRead=True
        )
        return read_state(space, found.get("Item", {}))

    def acquire(self, space: str, owner: str, now: float, lease_seconds: float) -> Lease:
        """Take the space's lease if nobody holds a live one (or ``owner`` already does)."""
        client = self._client
        try:
            old = client.update_item(
                TableName=self._table,
                Key=self._space_key(space, STATE),
                UpdateExpression="SET lease_owner = :o, lease_until = :u, expires_at = :e ADD leases :one",
                ConditionExpression=(
                    "attribute_not_exists(lease_until) OR lease_until < :now OR lease_owner = :o"
                ),
                ExpressionAttributeValues={
                    ":o": {"S": owner},
                    ":u": dynamo_number(now + lease_seconds),
                    ":now": dynamo_number(now),
                    ":e": dynamo_number(now + STATE_TTL_SECONDS),
                    ":one": {"N": "1"},
                },
                ReturnValues="ALL_OLD",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",  # who holds it, and until when
            ).get("Attributes", {})
        except client.exceptions.ConditionalCheckFailedException as error:
            current: dict[str, Any] = dict(error.response.get("Item") or {})  # type: ignore[call-overload]
            return Lease(False, read_state(space, current))
        before = read_state(space, old)
        crashed = before.lease_owner not in (None, owner) and (before.lease_until or 0) < now
        taken = {"lease_owner": owner, "lease_until": now + lease_seconds, "leases": before.leases + 1}
        state = SpaceState(**{**before.__dict__, **taken})
        return Lease(True, state, unreleased=crashed)

    def notify(self, space: str, added: int, now: float) -> SpaceState:
        """Tell the holder (if any) that ``added`` entries were stored (or, with none, that a
        scheduled flush found the space busy): it looks at the outbox again before it lets go.
        The state afterwards."""
        updated = self._client.update_item(
            TableName=self._table,
            Key=self._space_key(space, STATE),
            UpdateExpression="ADD seq :one, outbox :n SET expires_at = :e",
            ExpressionAttributeValues={
                ":one": {"N": "1"},
                ":n": {"N": str(added)},
                ":e": dynamo_number(now + STATE_TTL_SECONDS),
            },
            ReturnValues="ALL_NEW",
        )
        return read_state(space, updated.get("Attributes", {}))

    def claim_timer(self, space: str, due: float, now: float, grace: float) -> bool:
        """Record a flush due at ``due`` unless one is already due by then; True: schedule it."""
        return self._update_if(
            self._space_key(space, STATE),
            UpdateExpression="SET timer_at = :d",
            ConditionExpression="attribute_not_exists(timer_at) OR timer_at < :stale OR timer_at > :d",
            ExpressionAttributeValues={":d": dynamo_number(due), ":stale": dynamo_number(now - grace)},
        )

    def hold(self, space: str, owner: str, change: StateChange) -> bool:
        """Write ``change`` while keeping the lease; False if the lease is no longer ``owner``'s."""
        client = self._client
        request = self.change_request(space, owner, change, release_at_seq=None)
        return condition_held(client, lambda: client.update_item(**request))

    def release(self, space: str, owner: str) -> bool:
        """Let go of the lease whatever ``seq`` says (its holder scheduled a flush for the rest)."""
        return self._update_if(
            self._space_key(space, STATE),
            UpdateExpression="REMOVE lease_owner, lease_until, due_at",
            ConditionExpression="lease_owner = :me",
            ExpressionAttributeValues={":me": {"S": owner}},
        )

    def change_request(
        self, space: str, owner: str, change: StateChange, *, release_at_seq: int | None
    ) -> dict[str, Any]:
        """An UpdateItem request (also usable in a transaction) applying ``change``.

        With ``release_at_seq`` the lease is released, on condition that no entry was announced
        since the holder last looked (``seq`` unchanged); otherwise the lease is kept.
        """
        sets = ["writes = :w", "failures = :f"]
        removes: list[str] = []
        values: dict[str, Any] = {
            ":w": {"L": [dynamo_number(moment) for moment in change.writes]},
            ":f": {"N": str(change.failures)},
            ":me": {"S": owner},
        }
        if change.outbox is not None:
            sets.append("outbox = :o")
            values[":o"] = {"N": str(max(change.outbox, 0))}
        for name, value in (
            ("digest_due", change.digest_due),
            ("last_digest_at", change.last_digest_at),
            ("timer_at", change.timer_at),
        ):
            if value is not None:
                sets.append(f"{name} = :{name}")
                values[f":{name}"] = dynamo_number(value)
        if change.clear_digest_due:
            removes.append("digest_due")
        if change.due_at is not None:
            sets.append("due_at = :due_at")
            values[":due_at"] = dynamo_number(change.due_at)
        elif change.outbox is not None:
            removes.append("due_at")
        if change.intent is not None:
            sets.append("intent = :intent")
            values[":intent"] = _intent_item(change.intent)
        elif change.clear_intent:
            removes.append("intent")
        condition = "lease_owner = :me"
        if release_at_seq is not None:
            removes += ["lease_owner", "lease_until"]
            unseen = " OR attribute_not_exists(seq)" if release_at_seq == 0 else ""
            condition += f" AND (seq = :seen{unseen})"
            values[":seen"] = {"N": str(release_at_seq)}
        expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        if change.outbox is None and change.outbox_added > 0:
            expression += " ADD outbox :added"
            values[":added"] = {"N": str(change.outbox_added)}
        return {
            "TableName": self._table,
            "Key": self._space_key(space, STATE),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": values,
        }


def read_state(space: str, item: dict[str, Any]) -> SpaceState:
    writes = tuple(float(value["N"]) for value in item.get("writes", {}).get("L", []) if "N" in value)
    owner = read_text(item, "lease_owner") or None
    return SpaceState(
        space=space,
        seq=int(read_number(item, "seq") or 0),
        outbox=int(read_number(item, "outbox") or 0),
        writes=writes,
        lease_owner=owner,
        lease_until=read_number(item, "lease_until"),
        timer_at=read_number(item, "timer_at"),
        digest_due=read_number(item, "digest_due"),
        last_digest_at=read_number(item, "last_digest_at"),
        failures=int(read_number(item, "failures") or 0),
        intent=_read_intent(item.get("intent", {}).get("M")),
        due_at=read_number(item, "due_at"),
        leases=int(read_number(item, "leases") or 0),
    )


def _intent_item(intent: Intent) -> dict[str, Any]:
    return {
        "M": {
            "kind": {"S": intent.kind},
            "digest": {"S": intent.digest_id},
            "tids": {"L": [{"S": tid} for tid in intent.tids]},
            "update": {"N": str(intent.update)},
            "first_part": {"N": str(intent.first_part)},
            "parts": {"N": str(intent.parts)},
        }
    }


def _read_intent(raw: dict[str, Any] | None) -> Intent | None:
    if not raw or "digest" not in raw:
        return None
    return Intent(
        kind=str(raw.get("kind", {}).get("S", "digest")),
        digest_id=str(raw["digest"]["S"]),
        tids=tuple(str(value["S"]) for value in raw.get("tids", {}).get("L", []) if "S" in value),
        update=int(raw.get("update", {}).get("N", "0")),
        first_part=int(raw.get("first_part", {}).get("N", "1")),
        parts=int(raw.get("parts", {}).get("N", "0")),
    )


__all__ = ["EXPIRES_AT", "Intent", "Lease", "SpaceState", "StateChange", "read_state"]
