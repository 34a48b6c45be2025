"""Which timer a flush leaves: never a recorded time without a message, never waiting entries
without a look at their time."""

from __future__ import annotations

from alarm_bot.delivery.flush_timer import must_read_outbox, outbox_waits, timer_after
from alarm_bot.store.space_state import SpaceState, StateChange

NOW = 1_000.0


def change(**fields: object) -> StateChange:
    return StateChange(writes=(), outbox=0, failures=0, **fields)  # type: ignore[arg-type]


def test_a_wake_covered_by_an_earlier_timer_keeps_that_timers_time() -> None:
    state = SpaceState("s", timer_at=NOW + 5)
    timer = timer_after(state, change(), wake=NOW + 60, retry_in=None, remaining=1, now=NOW)
    assert timer.send_in is None
    assert timer.change.timer_at == NOW + 5  # not NOW + 60: no message was sent for that


def test_a_wake_no_timer_covers_is_sent_and_recorded() -> None:
    state = SpaceState("s", timer_at=NOW - 1)  # that one has fired
    timer = timer_after(state, change(), wake=NOW + 60, retry_in=None, remaining=1, now=NOW)
    assert (timer.send_in, timer.change.timer_at) == (60.0, NOW + 60)


def test_an_early_timer_schedules_the_look_when_the_stored_entries_are_due() -> None:
    state = SpaceState("s", outbox=12, due_at=NOW + 25, timer_at=NOW)
    assert outbox_waits(state, NOW) and not must_read_outbox(state, NOW)
    timer = timer_after(state, change(), wake=None, retry_in=None, remaining=0, now=NOW)
    assert (timer.send_in, timer.change.timer_at) == (25.0, NOW + 25)
    assert (timer.change.outbox, timer.change.due_at) == (12, NOW + 25)  # they still wait, counted


def test_newcomers_that_wait_are_added_to_the_stored_count_and_the_earlier_time_kept() -> None:
    state = SpaceState("s", outbox=12, due_at=NOW + 25, timer_at=NOW + 25)
    timer = timer_after(state, change(due_at=NOW + 40), wake=NOW + 40, retry_in=None, remaining=3, now=NOW)
    assert (timer.change.outbox, timer.change.due_at, timer.change.timer_at) == (15, NOW + 25, NOW + 25)
    assert timer.send_in is None  # the timer at +25 comes first


def test_a_failed_flush_run_by_a_timer_returns_that_timer() -> None:
    state = SpaceState("s", timer_at=NOW)
    timer = timer_after(state, change(), wake=NOW + 8, retry_in=8.0, remaining=1, now=NOW)
    assert (timer.send_in, timer.change.timer_at) == (None, NOW + 8)


def test_the_outbox_is_read_when_anything_may_be_due() -> None:
    assert not must_read_outbox(SpaceState("s"), NOW)
    assert must_read_outbox(SpaceState("s", outbox=1), NOW)
    assert must_read_outbox(SpaceState("s", outbox=1, due_at=NOW - 1), NOW)
    assert must_read_outbox(SpaceState("s", outbox=1, due_at=NOW + 9, failures=1), NOW)  # a retry first
    assert must_read_outbox(SpaceState("s", digest_due=NOW + 9), NOW)
