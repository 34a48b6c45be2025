"""The project-wide write budget: Google's 3,000 message writes per minute for the whole Chat app.

Every space's holder draws on it, from any function instance, so it is one shared counter per time
slot that never over-grants: one conditional ``ADD`` reserves (no read, no lock, no retry loop).
How long a slot is and how much it may grant is decided by :mod:`alarm_bot.delivery.write_budget`
(``ProjectSlots``); this module only keeps the counters.
"""

from __future__ import annotations

from typing import Any

from alarm_bot.store.delivery_keys import DynamoTable, dynamo_number, key, project_partition


class DynamoProjectWrites(DynamoTable):
    def reserve(self, wanted: int, now: float, *, slot_seconds: float, cap: int) -> int:
        """Reserve up to ``wanted`` writes in the slot of ``now``; how many were granted (maybe 0)."""
        if wanted <= 0:
            return 0
        slot = int(now // slot_seconds)
        expires = now + 10 * slot_seconds + 3600
        granted = self._add(slot, min(wanted, cap), cap, expires)
        if granted:
            return granted
        used = self._used(slot)
        return self._add(slot, min(wanted, cap - used), cap, expires) if used < cap else 0

    def refund(self, count: int, at: float, *, slot_seconds: float) -> None:
        """Give back ``count`` writes reserved at ``at`` and not needed (they free the slot)."""
        if count <= 0:
            return
        values = {":n": {"N": str(-count)}, ":n_abs": {"N": str(count)}}
        # False: the slot expired meanwhile, so there is nothing to give back.
        self._count_if(int(at // slot_seconds), update="ADD #c :n", condition="#c >= :n_abs", values=values)

    def _slot_key(self, slot: int) -> dict[str, dict[str, str]]:
        return key(project_partition(self._bot_id), f"writes#{slot}")

    def _add(self, slot: int, count: int, cap: int, expires: float) -> int:
        if count <= 0:
            return 0
        values = {
            ":n": {"N": str(count)},
            ":left": {"N": str(cap - count)},
            ":e": {"N": dynamo_number(expires)["N"].split(".")[0]},
        }
        update, condition = "ADD #c :n SET expires_at = :e", "attribute_not_exists(#c) OR #c <= :left"
        return count if self._count_if(slot, update=update, condition=condition, values=values) else 0

    def _count_if(self, slot: int, *, update: str, condition: str, values: dict[str, Any]) -> bool:
        """Change the slot's ``count`` (``#c``) by ``update``; False when ``condition`` failed."""
        return self._update_if(
            self._slot_key(slot),
            UpdateExpression=update,
            ConditionExpression=condition,
            ExpressionAttributeNames={"#c": "count"},
            ExpressionAttributeValues=values,
        )

    def _used(self, slot: int) -> int:
        found = self._client.get_item(TableName=self._table, Key=self._slot_key(slot), ConsistentRead=True)
        return int(found.get("Item", {}).get("count", {}).get("N", "0"))
