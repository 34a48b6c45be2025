"""A space's write budget as a sliding window over the times of its recent writes (pure).

Google counts a space's writes over a rolling minute. The bot keeps the exact times of the writes
it made to each space (a short list on the space's delivery state, changed only by the consumer
that holds the space's lease, see :mod:`alarm_bot.store.space_state`), so the count is exact and a
quiet space can use its whole budget at once. Two limits come from it:

* the **window**: at most ``space_writes`` writes in any ``window`` seconds, whatever they are;
* the **pace**: at most ``burst`` writes in the last ``pace_window`` seconds. Within it a space gets
  one card per notification; beyond it notifications are waiting faster than the budget lets them
  through one by one, and they are grouped into a digest instead.

A write is counted from the moment it was allowed, and a :class:`WriteGate` allows each HTTP attempt
(retries included) separately, because Google counts attempts, not messages.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from alarm_bot.delivery.rules import DeliveryRules


def recent(writes: Sequence[float], now: float, seconds: float) -> int:
    """How many of ``writes`` (epoch seconds) happened in the last ``seconds``."""
    since = now - seconds
    return sum(1 for moment in writes if moment > since)


def window_left(writes: Sequence[float], now: float, rules: DeliveryRules) -> int:
    return max(rules.space_writes - recent(writes, now, rules.window), 0)


def pace_left(writes: Sequence[float], now: float, rules: DeliveryRules) -> int:
    return max(rules.burst - recent(writes, now, rules.pace_window), 0)


def free_at(writes: Sequence[float], now: float, rules: DeliveryRules, needed: int = 1) -> float:
    """When ``needed`` more writes fit in the window (``now`` if they already do)."""
    inside = sorted(moment for moment in writes if moment > now - rules.window)
    excess = len(inside) + needed - rules.space_writes
    if excess <= 0:
        return now
    if needed > rules.space_writes:
        raise ValueError(f"{needed} writes never fit a budget of {rules.space_writes}")
    return inside[excess - 1] + rules.window


def pace_free_at(writes: Sequence[float], now: float, rules: DeliveryRules) -> float:
    """When one more write fits the pace again."""
    inside = sorted(moment for moment in writes if moment > now - rules.pace_window)
    excess = len(inside) + 1 - rules.burst
    return now if excess <= 0 else inside[excess - 1] + rules.pace_window


def pruned(writes: Sequence[float], now: float, rules: DeliveryRules) -> tuple[float, ...]:
    """The writes that still count: the stored list never grows past one window."""
    return tuple(sorted(moment for moment in writes if moment > now - rules.window))


@dataclass
class WriteGate:
    """Allows one space's HTTP attempts during one flush, at most ``allowed`` of them.

    Thread-safe and cheap: it is asked before every attempt, including urllib3's retries. The
    times it allowed are what the space's budget records afterwards.
    """

    allowed: int
    clock: Callable[[], float] = time.time
    granted: list[float] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def permit(self, after: float = 0.0) -> bool:
        """Allow one attempt to be sent ``after`` seconds from now (counted from then)."""
        with self._lock:
            if len(self.granted) >= self.allowed:
                return False
            self.granted.append(self.clock() + after)
            return True

    @property
    def exhausted(self) -> bool:
        with self._lock:
            return len(self.granted) >= self.allowed


SLOTS_PER_WINDOW = 6


@dataclass(frozen=True)
class ProjectSlots:
    """How the project budget is cut into counters (see :mod:`alarm_bot.store.project_writes`).

    Any window of Google's, stretched by the time a flush takes to send what it reserved
    (``send_margin``), overlaps at most ``counted`` slots; each slot may grant ``cap`` writes, so
    those slots together never exceed the budget, and a burst can still take a slot's share at once.
    """

    seconds: float
    cap: int
    counted: int

    @classmethod
    def for_rules(cls, rules: DeliveryRules) -> ProjectSlots:
        seconds = rules.window / SLOTS_PER_WINDOW
        counted = math.ceil((rules.window + rules.send_margin) / seconds) + 1
        return cls(seconds=seconds, cap=max(rules.project_writes // counted, 1), counted=counted)
