"""The numbers that shape delivery in a storm: quotas, grouping times, leases and retry delays.

Google Chat allows 60 message writes (create, patch, delete) per space per minute, shared by every
app and webhook in the space, and 3,000 per project per minute; beyond that it answers 429. The bot
keeps below both with budgets of its own (``spaceWritesPerMinute``, ``projectWritesPerMinute``) and
groups bursts the way Alertmanager does: ``groupWindowSeconds`` is how long a space in a storm
collects notifications before its first digest (Alertmanager's ``group_wait``),
``groupIntervalSeconds`` how long it waits before the next digest or before editing a posted one
(``group_interval``).

Every duration here is multiplied by ``time_scale`` (1 in a deployment): the storm benchmark runs
the real pipeline four times faster with a 15-second "minute", and everything keeps its proportion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

from alarm_bot.settings import DeliverySettings

GOOGLE_SPACE_WRITES_PER_MINUTE = 60
GOOGLE_PROJECT_WRITES_PER_MINUTE = 3000


class _ScaledSeconds:
    """A fixed duration of the rules in seconds; read on the rules, it lasts ``time_scale`` times as long.

    A table of these reads better than one property per duration, and none can forget the scale.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    @overload
    def __get__(self, rules: None, owner: type[DeliveryRules]) -> _ScaledSeconds: ...
    @overload
    def __get__(self, rules: DeliveryRules, owner: type[DeliveryRules]) -> float: ...
    def __get__(self, rules: DeliveryRules | None, owner: type[DeliveryRules]) -> _ScaledSeconds | float:
        return self if rules is None else self.seconds * rules.time_scale


@dataclass(frozen=True)
class DeliveryRules:
    space_writes: int = 50  # per space per window
    project_writes: int = 2700  # per Google Cloud project per window
    group_window: float = 30.0
    group_interval: float = 60.0
    time_scale: float = 1.0

    # Google's quota window: one minute.
    window = _ScaledSeconds(60.0)
    # First wait in the queue after a failed write; doubles with each failure, up to retry_cap.
    retry_base = _ScaledSeconds(10.0)
    retry_cap = _ScaledSeconds(300.0)
    # The longest wait inside a function; a longer ``Retry-After`` or backoff waits in the queue.
    max_pause = _ScaledSeconds(2.0)
    # A notification that could not be shown for this long goes to the dead-letter queue.
    max_pending_age = _ScaledSeconds(6 * 3600.0)
    # A scheduled flush that is this late is taken as lost and scheduled again.
    timer_grace = _ScaledSeconds(30.0)
    # Project writes are counted this much later than reserved: a flush sends within it.
    send_margin = _ScaledSeconds(10.0)

    @property
    def burst(self) -> int:
        """Cards a quiet space gets one by one before a burst becomes a digest: a fifth of its budget."""
        return max(1, self.space_writes // 5)

    @property
    def pace_window(self) -> float:
        """The time in which ``burst`` writes are the space's fair share of its budget."""
        return self.window * self.burst / self.space_writes

    @property
    def group_wait(self) -> float:
        return self.group_window * self.time_scale

    @property
    def group_every(self) -> float:
        return self.group_interval * self.time_scale

    @property
    def lease(self) -> float:
        """How long one consumer owns a space's delivery at most (a crashed one's lease runs out).

        Not scaled: a flush takes as long as DynamoDB and Google take, which no benchmark speeds up.
        """
        return 60.0

    def retry_delay(self, failures: int, retry_after: float | None = None, *, jitter: float = 0.5) -> float:
        """Capped exponential delay after ``failures`` failed attempts, "equal jitter" applied.

        ``jitter`` in [0, 1] picks a point in the upper half of the delay, so that spaces failing
        together do not come back together. ``Retry-After`` (real seconds, from Google) wins when
        it is longer.
        """
        exponential = min(self.retry_cap, self.retry_base * 2.0 ** max(failures - 1, 0))
        jittered = exponential / 2 + exponential / 2 * min(max(jitter, 0.0), 1.0)
        return max(jittered, retry_after or 0.0)


def rules_for(settings: DeliverySettings) -> DeliveryRules:
    """The rules a deployment's settings ask for."""
    return DeliveryRules(
        space_writes=settings.space_writes_per_minute,
        project_writes=settings.project_writes_per_minute,
        group_window=settings.group_window_seconds,
        group_interval=settings.group_interval_seconds,
        time_scale=settings.time_scale,
    )
