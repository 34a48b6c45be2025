"""The space's delivery state on DynamoDB (moto): the lease, the outbox count, timers."""

from __future__ import annotations

from typing import Any

import pytest

from alarm_bot.store.space_state import DynamoSpaceStates, Intent, StateChange
from tests.support.aws import BOT_ID, TABLE_NAME

SPACE = "spaces/AAA"
NOW = 1_800_000_000.0


@pytest.fixture
def states(dynamodb: Any) -> DynamoSpaceStates:
    return DynamoSpaceStates(TABLE_NAME, BOT_ID, client=dynamodb)


def test_one_consumer_holds_the_lease_until_it_releases_or_the_lease_runs_out(
    states: DynamoSpaceStates,
) -> None:
    first = states.acquire(SPACE, "one", NOW, 60)
    second = states.acquire(SPACE, "two", NOW + 1, 60)
    assert first.acquired and not second.acquired
    assert second.state.lease_owner == "one"
    assert states.release(SPACE, "one")
    assert states.acquire(SPACE, "two", NOW + 2, 60).acquired
    taken_over = states.acquire(SPACE, "three", NOW + 63, 60)  # "two" crashed: its lease ran out
    assert taken_over.acquired and taken_over.unreleased


def test_the_holder_releases_only_if_nothing_was_announced_since_it_looked(
    states: DynamoSpaceStates,
) -> None:
    seen = states.acquire(SPACE, "holder", NOW, 60).state
    notified = states.notify(SPACE, 3, NOW + 1)
    assert (notified.seq, notified.outbox) == (seen.seq + 1, 3)
    release = states.change_request(
        SPACE, "holder", StateChange(writes=(), outbox=0, failures=0), release_at_seq=seen.seq
    )
    with pytest.raises(states._client.exceptions.ConditionalCheckFailedException):
        states._client.update_item(**release)
    assert states.get(SPACE).lease_owner == "holder"


def test_a_change_that_leaves_the_count_adds_what_its_holder_stored(states: DynamoSpaceStates) -> None:
    """After a failed release the holder must not overwrite the count others added to, nor lose
    the entries it stored itself: it adds them (the count stays an upper bound)."""
    states.acquire(SPACE, "holder", NOW, 60)
    states.notify(SPACE, 4, NOW + 1)
    kept = StateChange(writes=(NOW,), outbox=None, failures=0, outbox_added=2, due_at=NOW + 30)
    assert states.hold(SPACE, "holder", kept)
    after = states.get(SPACE)
    assert (after.outbox, after.due_at, after.writes) == (6, NOW + 30, (NOW,))
    states.hold(SPACE, "holder", StateChange(writes=(), outbox=1, failures=0, outbox_added=5))
    assert states.get(SPACE).outbox == 1  # a count set from a full read of the outbox is exact


def test_hold_fails_for_a_holder_that_lost_the_lease(states: DynamoSpaceStates) -> None:
    states.acquire(SPACE, "old", NOW, 60)
    states.acquire(SPACE, "new", NOW + 61, 60)
    intent = Intent("digest", "d1", ("t1",))
    assert not states.hold(SPACE, "old", StateChange(writes=(), outbox=None, failures=0, intent=intent))
    assert states.get(SPACE).intent is None


def test_a_timer_is_claimed_only_if_none_comes_earlier(states: DynamoSpaceStates) -> None:
    assert states.claim_timer(SPACE, NOW + 10, NOW, grace=5)
    assert not states.claim_timer(SPACE, NOW + 20, NOW, grace=5)  # one comes at +10 already
    assert states.claim_timer(SPACE, NOW + 4, NOW, grace=5)  # earlier than that one
    assert states.claim_timer(SPACE, NOW + 30, NOW + 20, grace=5)  # +4 is long past: it fired
    assert states.get(SPACE).timer_at == NOW + 30
