"""Newcomers never pass a stored transition of their own alarm, even while stored entries wait."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from alarm_bot.alarms.model import Alarm
from alarm_bot.alarms.parse import parse_notification
from alarm_bot.store.outbox import OutboxEntry
from alarm_bot.store.space_state import DynamoSpaceStates, StateChange
from tests.support.alarm_bodies import sns_alarm_body
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.delivery_rig import DeliveryRig, running_delivery_rig

SPACE = "spaces/ORDER"


@pytest.fixture
def rig(dynamodb: Any) -> Iterator[DeliveryRig]:
    with running_delivery_rig(dynamodb, SPACE) as built:
        yield built


def left_by_a_storm(rig: DeliveryRig, change: StateChange) -> None:
    """The state a flush leaves when it lets go: ``change`` written, the lease released."""
    states = DynamoSpaceStates(TABLE_NAME, BOT_ID, client=rig.dynamodb)
    lease = states.acquire(SPACE, "storm", rig.clock.now, 60.0)
    assert lease.acquired
    request = states.change_request(SPACE, "storm", change, release_at_seq=lease.state.seq)
    rig.dynamodb.update_item(**request)
    assert states.get(SPACE).lease_owner is None and states.get(SPACE).due_at == change.due_at


def alarm_waiting_in_the_outbox(rig: DeliveryRig, name: str, *, digest_collecting: bool = False) -> None:
    """The space as a storm leaves it: the alarm's ALARM stored, due in half a minute."""
    (fired,) = parse_notification(json.dumps(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000", name)))
    assert isinstance(fired, Alarm) and fired.changed_at is not None
    now = rig.clock.now
    entry = OutboxEntry(fired, at=fired.changed_at.timestamp(), first_seen=now)
    rig.dependencies.pipeline.ports.outbox.store([(SPACE, entry)])
    due = now + 30
    left_by_a_storm(
        rig,
        StateChange(
            writes=(), outbox=1, failures=0, due_at=due, digest_due=due if digest_collecting else None
        ),
    )


def test_an_ok_arriving_while_its_alarm_waits_in_the_outbox_comes_after_it(rig: DeliveryRig) -> None:
    """Planned alone the OK would be posted at once, as a reply with no card to resolve, and the
    ALARM after it as a late note: the order of the changes lost."""
    alarm_waiting_in_the_outbox(rig, "db-order")
    cleared = sns_alarm_body("OK", "2026-11-27T01:00:10.000+0000", "db-order")
    rig.dependencies.pipeline.deliver(
        parse_notification(json.dumps(cleared)), deadline=time.monotonic() + 30, only_space=SPACE
    )
    rig.drain()
    texts = [message["text"] for message in rig.chat_api.messages(SPACE)]
    assert [text.split()[0] for text in texts] == ["🚨", "✅"], texts  # the card, then the OK in its thread
    assert "Resolved at" in texts[0] and "Late" not in " ".join(texts)
    assert rig.dependencies.pipeline.ports.outbox.pending(SPACE) == ([], [])


def test_newcomers_that_only_wait_leave_the_stored_entries_unread(rig: DeliveryRig) -> None:
    """The storm case the shortcut is for: a newcomer that waits anyway reads no outbox."""
    alarm_waiting_in_the_outbox(rig, "db-stored", digest_collecting=True)
    ports = rig.dependencies.pipeline.ports
    reads: list[str] = []
    pending = ports.outbox.pending

    def counted(space: str) -> Any:
        reads.append(space)
        return pending(space)

    ports.outbox.pending = counted  # type: ignore[method-assign]
    newcomer = sns_alarm_body("ALARM", "2026-11-27T01:00:05.000+0000", "db-newcomer")
    rig.dependencies.pipeline.deliver(
        parse_notification(json.dumps(newcomer)), deadline=time.monotonic() + 30, only_space=SPACE
    )
    assert reads == [] and rig.chat_api.messages(SPACE) == []  # it joins the digest that collects
    ports.outbox.pending = pending  # type: ignore[method-assign]
    rig.drain()
    shown = json.dumps(rig.chat_api.messages(SPACE))
    assert "db-stored" in shown and "db-newcomer" in shown
    assert ports.outbox.pending(SPACE) == ([], [])


def test_a_late_alarm_in_a_digest_is_a_line_for_the_record_that_reopens_nothing(rig: DeliveryRig) -> None:
    """A redriven ALARM older than the OK shown, arriving in a burst: its digest line says it came
    late, offers no Acknowledge or Mute, and the alarm's record still shows the OK."""
    name = "db-late"
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000", name))
    rig.publish(sns_alarm_body("OK", "2026-11-27T01:00:20.000+0000", name))
    rig.drain()
    for index in range(20):  # a burst, and in it the late ALARM
        rig.publish(sns_alarm_body("ALARM", f"2026-11-27T01:01:{index:02d}.000+0000", f"burst-{index:02d}"))
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:10.000+0000", name))
    rig.drain()
    digest_lines = [
        widget["decoratedText"]
        for message in rig.chat_api.messages(SPACE)
        if message.get("cardsV2", [{}])[0].get("cardId") == "digest"
        for widget in message["cardsV2"][0]["card"]["sections"][0]["widgets"]
        if "decoratedText" in widget and name in widget["decoratedText"]["text"]
    ]
    (late,) = digest_lines
    assert "arrived late" in late["bottomLabel"] and "overflowMenu" not in json.dumps(late)
    (card,) = rig.dependencies.pipeline.ports.cards.get_keys(SPACE, [_key(name)]).values()
    assert card.resolved and card.digest_id is None  # still the resolved card, not the late line


def _key(name: str) -> str:
    (alarm,) = parse_notification(json.dumps(sns_alarm_body("ALARM", name=name)))
    assert isinstance(alarm, Alarm)
    return alarm.key
