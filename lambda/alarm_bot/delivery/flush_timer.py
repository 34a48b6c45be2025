"""When a space's outbox must be read, and which timer a flush leaves behind (pure).

A storm sends a space a batch of notifications every few hundred milliseconds while its digest is
collecting. Reading hundreds of waiting entries again for each batch would cost more than the
batch: while stored entries only wait for a time of their own (``due_at``: the digest's, an edit's
interval, a budget slot), newcomers are planned on their own and the stored ones are left alone.

That is safe only if someone looks at the stored entries at ``due_at``. The state's ``timer_at``
records the earliest flush message still to come; a flush sends a new one unless one already comes
no later than it needs, and never records a time for which no message was sent. A timer that fires
before ``due_at`` (it was scheduled for another reason) finds the entries still waiting and
schedules the look at ``due_at``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from alarm_bot.store.space_state import SpaceState, StateChange


@dataclass(frozen=True)
class Timer:
    """What a flush leaves: the state change (with ``timer_at``) and a flush message to send."""

    change: StateChange
    send_in: float | None  # seconds until the flush message is due (None: send none)


def outbox_waits(state: SpaceState, now: float) -> bool:
    """Entries are stored and none is due yet (no write failed: a retry goes before anything newer).

    Newcomers are then planned on their own. They cannot overtake a stored entry of their own
    alarm: that waits for the same digest, or the same budget slot, as they would.
    """
    waiting = state.due_at is not None and state.due_at > now
    return state.outbox > 0 and waiting and state.failures == 0 and state.intent is None


def must_read_outbox(state: SpaceState, now: float) -> bool:
    if state.outbox <= 0 and state.intent is None and state.digest_due is None:
        return False
    return not outbox_waits(state, now)


def timer_after(
    state: SpaceState,
    change: StateChange,
    *,
    wake: float | None,
    retry_in: float | None,
    remaining: int,
    now: float,
) -> Timer:
    """The change to write after a round that started from ``state``, and the flush to schedule."""
    if outbox_waits(state, now):  # the stored entries still wait, as they were: someone looks at due_at
        assert state.due_at is not None
        due = state.due_at if change.due_at is None else min(change.due_at, state.due_at)
        change = replace(change, outbox=state.outbox + remaining, due_at=due)
        wake = due if wake is None else min(wake, due)
    if retry_in is not None:  # the timer that ran this flush is itself returned, that much later
        return Timer(replace(change, timer_at=now + retry_in), None)
    if wake is None or covered(state, wake, now):
        return Timer(replace(change, timer_at=state.timer_at), None)
    return Timer(replace(change, timer_at=wake), max(wake - now, 0.0))


def covered(state: SpaceState, wake: float, now: float) -> bool:
    """A flush is scheduled already, still to come and due no later than ``wake``.

    One due by now has fired (this may be it) or is about to: another costs one empty look at most.
    """
    return state.timer_at is not None and now < state.timer_at <= wake
