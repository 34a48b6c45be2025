"""This instance's share of the project's writes in the current slot, reserved a few at a time.

Every flush needs writes from the project's budget (:mod:`alarm_bot.store.project_writes`: one
shared counter per slot, one conditional update per reservation). Asked for flush by flush, that is
one DynamoDB call on a single hot item for every flush of every space: during a storm thousands a
minute, and for a lone alarm one more call before its post. So an instance reserves a small
**block** when it has to ask, and keeps what its flushes did not use for its next flushes **in the
same slot**. A write reserved in a slot is still used within that slot (plus the send margin), which
is all :class:`~alarm_bot.delivery.write_budget.ProjectSlots` assumes, so no guarantee changes; what
is left when the slot ends is dropped (at most one block per instance, a few percent of a slot's
share), and what would make the instance hold more than a block goes back to the shared counter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["ProjectAllowance", "block_for"]

MAX_BLOCK = 10


def block_for(slot_cap: int) -> int:
    """How many writes to reserve at least: small next to what one slot may grant."""
    return max(1, min(MAX_BLOCK, slot_cap // 20))


@dataclass
class ProjectAllowance:
    """``reserve(n, now)`` and ``refund(n, at)`` are the shared counter's; thread-safe."""

    reserve: Callable[[int, float], int]
    refund: Callable[[int, float], None]
    slot_seconds: float
    block: int
    _slot: int = field(default=-1, init=False)
    _held: int = field(default=0, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _refilling: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def take(self, wanted: int, now: float) -> int:
        """Up to ``wanted`` writes for ``now``: held ones first, then a block from the counter."""
        if wanted <= 0:
            return 0
        local = self._draw(wanted, now)
        if local == wanted:
            return wanted
        with self._refilling:  # flushes that miss together wait for one block, not one each
            local += self._draw(wanted - local, now)
            if local == wanted:
                return wanted
            missing = wanted - local
            granted = self.reserve(max(missing, self.block), now)
            used = min(granted, missing)
            self.give_back(granted - used, now)
        return local + used

    def give_back(self, count: int, at: float) -> None:
        """Writes reserved at ``at`` and not used: kept for this slot, the rest to the counter."""
        if count <= 0:
            return
        with self._lock:
            if self._current(at):
                kept = min(count, self.block - self._held)
                self._held += kept
                count -= kept
        if count > 0:
            self.refund(count, at)

    def _draw(self, wanted: int, now: float) -> int:
        with self._lock:
            if not self._current(now):
                self._slot, self._held = int(now // self.slot_seconds), 0
            drawn = min(self._held, wanted)
            self._held -= drawn
            return drawn

    def _current(self, moment: float) -> bool:
        """Whether ``moment`` is in the slot held writes belong to (call with the lock held)."""
        return int(moment // self.slot_seconds) == self._slot
