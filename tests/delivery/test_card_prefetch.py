"""A lone alarm in a space this instance left quiet: its card is read while the lease is taken,
and that read is used only when nobody else held the space since (the lease count says so)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest

from alarm_bot.store.space_state import DynamoSpaceStates
from tests.delivery.test_pipeline_queue import SPACES
from tests.support.alarm_bodies import sns_alarm_body
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.delivery_rig import DeliveryRig, running_delivery_rig


@pytest.fixture(name="rig")
def four_spaces(dynamodb: Any) -> Iterator[DeliveryRig]:
    with running_delivery_rig(dynamodb, *SPACES) as built:
        yield built


class Calls:
    """Per space, in order: each card read (``read``) and each lease taken (``acquired``)."""

    def __init__(self, rig: DeliveryRig) -> None:
        ports = rig.dependencies.pipeline.ports
        self.events: dict[str, list[str]] = defaultdict(list)
        self.lock = threading.Lock()
        get_keys, acquire = ports.cards.get_keys, ports.states.acquire

        def noted_get_keys(space: str, keys: Any) -> Any:
            found = get_keys(space, keys)
            self.note(space, "read")
            return found

        def slow_acquire(space: str, *args: Any, **kwargs: Any) -> Any:
            time.sleep(0.2)  # the early read has long finished
            lease = acquire(space, *args, **kwargs)
            self.note(space, "acquired")
            return lease

        ports.cards.get_keys = noted_get_keys  # type: ignore[method-assign]
        ports.states.acquire = slow_acquire  # type: ignore[method-assign]

    def note(self, space: str, event: str) -> None:
        with self.lock:
            self.events[space].append(event)


def resolved_in_place(rig: DeliveryRig, space: str) -> bool:
    (thread,) = rig.chat_api.threads(space).values()
    card, reply = thread
    return card["text"].endswith("✅ Resolved at 10:20 after 20 min") and reply["text"].startswith("✅ OK")


def test_the_card_is_read_while_the_lease_is_taken_and_only_once(rig: DeliveryRig) -> None:
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"))
    rig.drain()
    calls = Calls(rig)
    rig.publish(sns_alarm_body("OK", "2026-11-27T01:20:00.000+0000"))
    rig.drain()
    for space in SPACES:
        assert calls.events[space] == ["read", "acquired"], (space, calls.events[space])
        assert resolved_in_place(rig, space), "the card read early is the one resolved"


def test_a_space_someone_else_held_meanwhile_is_read_again_under_the_lease(rig: DeliveryRig) -> None:
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"))
    rig.drain()
    states = DynamoSpaceStates(TABLE_NAME, BOT_ID, client=rig.dynamodb)
    other = SPACES[0]
    assert states.acquire(other, "another-instance", rig.clock.now, 60.0).acquired
    assert states.release(other, "another-instance")
    calls = Calls(rig)
    rig.publish(sns_alarm_body("OK", "2026-11-27T01:20:00.000+0000"))
    rig.drain()
    assert calls.events[other] == ["read", "acquired", "read"], "the early read was not trusted"
    assert all(calls.events[space] == ["read", "acquired"] for space in SPACES[1:])
    assert all(resolved_in_place(rig, space) for space in SPACES)


def test_a_space_first_seen_by_this_instance_reads_after_the_lease(rig: DeliveryRig) -> None:
    calls = Calls(rig)
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"))
    rig.drain()
    assert all(calls.events[space] == ["acquired", "read"] for space in SPACES)
