"""Write what one flush decided: the records first, the space's state last and conditional.

Every record a flush writes is idempotent (``sent`` records, cards and digests keyed by what they
show, outbox entries keyed by their transition), so they need no transaction: puts and deletes go in
batches of 25, card updates one by one (an update never overwrites an acknowledgement made
meanwhile). Only then is the state written, on condition that the lease is still the writer's and
no entry was announced since it looked (``seq``); if that condition fails, :class:`StateChanged`
tells the caller to look at the outbox again. A crash between the two leaves records that the next
holder finds and does not repeat.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from alarm_bot.store.delivery_keys import BATCH_WRITE_LIMIT, DynamoTable, condition_held


class StateChanged(RuntimeError):
    """The state's condition failed: new entries were announced (or the lease was lost)."""


PARALLEL_WRITES = 8  # calls in flight at once: a digest's records are a few dozen calls


class DynamoRecordWrites(DynamoTable):
    def write(self, items: Sequence[dict[str, Any]], state_update: dict[str, Any] | None = None) -> None:
        """Write ``items`` (``{"Put": …}``, ``{"Delete": …}``, ``{"Update": …}``), then ``state_update``."""
        batch: list[dict[str, Any]] = []
        calls: list[Callable[[], object]] = []
        for item in items:
            if "Put" in item:
                batch.append({"PutRequest": {"Item": item["Put"]["Item"]}})
            elif "Delete" in item:
                batch.append({"DeleteRequest": {"Key": item["Delete"]["Key"]}})
            else:
                calls.append(functools.partial(self._update, item["Update"]))
        for start in range(0, len(batch), BATCH_WRITE_LIMIT):
            calls.append(functools.partial(self._batch_write, batch[start : start + BATCH_WRITE_LIMIT]))
        _run_all(calls)
        if state_update is None:
            return
        client = self._client
        if not condition_held(client, lambda: client.update_item(**state_update)):
            raise StateChanged("the space's delivery state changed meanwhile")

    def _update(self, update: dict[str, Any]) -> None:
        self._client.update_item(**update)


def _run_all(calls: Sequence[Callable[[], object]]) -> None:
    """Run the calls, a few at once (one alone in this thread); the first error is raised."""
    if len(calls) <= 1:
        for call in calls:
            call()
        return
    with ThreadPoolExecutor(
        max_workers=min(PARALLEL_WRITES, len(calls)), thread_name_prefix="records"
    ) as pool:
        for future in [pool.submit(call) for call in calls]:
            future.result()
