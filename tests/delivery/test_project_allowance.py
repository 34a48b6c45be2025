"""This instance's project allowance: blocks from the shared counter, kept only within their slot."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from alarm_bot.delivery.project_allowance import MAX_BLOCK, ProjectAllowance, block_for

SLOT = 10.0


@dataclass
class Counter:
    """The shared counter: ``cap`` writes per slot, never more (as DynamoProjectWrites)."""

    cap: int = 100
    used: dict[int, int] = field(default_factory=dict)
    calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reserve(self, wanted: int, now: float) -> int:
        with self.lock:
            self.calls += 1
            slot = int(now // SLOT)
            granted = max(0, min(wanted, self.cap - self.used.get(slot, 0)))
            self.used[slot] = self.used.get(slot, 0) + granted
            return granted

    def refund(self, count: int, at: float) -> None:
        with self.lock:
            self.used[int(at // SLOT)] -= count


def allowance(counter: Counter, block: int = 5) -> ProjectAllowance:
    return ProjectAllowance(counter.reserve, counter.refund, slot_seconds=SLOT, block=block)


def test_a_block_serves_the_next_flushes_of_the_slot_without_asking_again() -> None:
    counter = Counter()
    writes = allowance(counter)
    assert [writes.take(2, 1.0), writes.take(2, 2.0), writes.take(1, 3.0)] == [2, 2, 1]
    assert (counter.calls, counter.used[0]) == (1, 5)
    assert writes.take(1, 4.0) == 1 and counter.calls == 2


def test_more_than_a_block_is_asked_for_as_it_is() -> None:
    counter = Counter()
    assert allowance(counter).take(12, 1.0) == 12
    assert counter.used[0] == 12


def test_what_was_not_used_is_kept_up_to_a_block_and_the_rest_goes_back() -> None:
    counter = Counter()
    writes = allowance(counter)
    assert writes.take(8, 1.0) == 8
    writes.give_back(7, 1.0)
    assert counter.used[0] == 8 - 2  # five kept here, two back to the counter
    assert writes.take(5, 2.0) == 5 and counter.calls == 1


def test_a_new_slot_drops_what_the_last_one_left_and_gives_back_nothing_stale() -> None:
    counter = Counter()
    writes = allowance(counter)
    writes.take(1, 9.0)  # four held for slot 0
    assert writes.take(1, 11.0) == 1  # slot 1: asks again, the four are not used here
    assert counter.used == {0: 5, 1: 5} and counter.calls == 2
    writes.give_back(1, 9.5)  # reserved in slot 0, which is over: back to that slot's counter
    assert counter.used[0] == 4


def test_the_counter_running_dry_grants_what_it_has() -> None:
    counter = Counter(cap=3)
    writes = allowance(counter)
    assert writes.take(2, 1.0) == 2  # a block of five asked for, three granted, one kept
    assert writes.take(2, 2.0) == 1
    assert counter.used[0] == 3


def test_concurrent_flushes_never_take_more_than_the_counter_granted() -> None:
    counter = Counter(cap=1_000)
    writes = allowance(counter)
    taken: list[int] = []

    def flush() -> None:
        for _ in range(50):
            taken.append(writes.take(1, 5.0))

    threads = [threading.Thread(target=flush) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(taken) == 400
    assert 400 <= counter.used[0] <= 400 + 5  # at most one block held on top
    assert counter.calls <= 400 // 5 + 8


def test_flushes_that_miss_together_wait_for_one_block_instead_of_each_asking() -> None:
    """Four spaces flushing at once while the counter is slow to answer: one call, one block."""
    counter = Counter()
    slow = counter.reserve

    def reserve(wanted: int, now: float) -> int:
        time.sleep(0.2)
        return slow(wanted, now)

    writes = ProjectAllowance(reserve, counter.refund, slot_seconds=SLOT, block=10)
    taken: list[int] = []
    threads = [threading.Thread(target=lambda: taken.append(writes.take(2, 5.0))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert taken == [2, 2, 2, 2]
    assert (counter.calls, counter.used[0]) == (1, 10)


def test_a_block_is_small_next_to_a_slot() -> None:
    assert block_for(337) == MAX_BLOCK  # the default project budget's slot share
    assert block_for(60) == 3
    assert block_for(5) == 1  # a tiny budget: one at a time, as before
