"""Notifications through the delivery queue to the Chat API stand-in: each intake, cards, threads,
resolves, duplicates and retries, with the real consumer, pipeline, moto and the real ChatClient."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alarm_bot.alarms.parse import parse_notification
from alarm_bot.alarms.render import render_message
from alarm_bot.alarms.render_limits import message_bytes
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.delivery.outgoing import outgoing_card
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.alarm_messages import DynamoAlarmMessages
from tests.support.alarm_bodies import eventbridge_alarm_event, sample_alarm_key, sns_alarm_body
from tests.support.aws import BOT_ID, TABLE_NAME, all_items
from tests.support.chat_api import Fault
from tests.support.delivery_rig import DeliveryRig, running_delivery_rig

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
SPACES = [f"spaces/ROOM{index}" for index in range(4)]


@pytest.fixture
def rig(dynamodb: Any) -> Iterator[DeliveryRig]:
    with running_delivery_rig(dynamodb, *SPACES) as built:
        yield built


def texts(rig: DeliveryRig, space: str) -> list[str]:
    return [message["text"] for message in rig.chat_api.messages(space)]


def test_an_sns_alarm_reaches_every_space_once_as_a_card(rig: DeliveryRig) -> None:
    rig.publish(sns_alarm_body())
    rig.drain()
    for space in SPACES:
        (message,) = rig.chat_api.messages(space)
        assert message["text"].startswith("🚨 ALARM: DBMigrationRequired")
        assert message["thread"]["threadKey"].startswith("alarm-")
    assert len(rig.queue) == 0 and len(rig.dead_letters) == 0


def test_every_intake_reaches_the_spaces(rig: DeliveryRig) -> None:
    rig.put_event(eventbridge_alarm_event(sns_alarm_body(name="via-eventbridge")))
    action = json.loads((REAL / "powertools-python/cloudWatchAlarmEventSingleMetric.json").read_text())
    assert rig.invoke_directly(action) == {"queued": 1}
    rig.drain()
    for space in SPACES:
        lines = sorted(text.split(" —")[0] for text in texts(rig, space))
        assert lines == ["🚨 ALARM: Test alert", "🚨 ALARM: via-eventbridge"]
    assert len(rig.queue) == 0


def test_ok_resolves_the_card_in_place_and_replies_in_its_thread(rig: DeliveryRig) -> None:
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"))
    rig.drain()
    rig.publish(sns_alarm_body("OK", "2026-11-27T01:20:00.000+0000"))
    rig.drain()
    for space in SPACES:
        (thread,) = rig.chat_api.threads(space).values()
        card, reply = thread
        assert reply["text"].startswith("✅ OK: DBMigrationRequired")
        assert card["text"].endswith("✅ Resolved at 10:20 after 20 min")
        (patch,) = rig.chat_api.patch_requests(space)
        assert patch.name == card["name"]


def test_the_same_transition_via_sns_eventbridge_and_a_redelivery_posts_once(rig: DeliveryRig) -> None:
    body = sns_alarm_body()
    rig.publish(body, "m-1")
    rig.put_event(eventbridge_alarm_event(body))
    rig.drain()
    rig.publish(body, "m-1")  # SNS delivered it twice
    rig.drain()
    assert all(len(rig.chat_api.messages(space)) == 1 for space in SPACES)
    assert all(rig.chat_api.message_requests(space) == 1 for space in SPACES), "duplicates cost no quota"


def test_an_ok_that_arrives_before_its_alarm_leaves_no_open_card(rig: DeliveryRig) -> None:
    rig.publish(sns_alarm_body("OK", "2026-11-27T01:20:00.000+0000"))
    rig.drain()
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"))  # retried, redriven, late
    rig.drain()
    for space in SPACES:
        ok, late = texts(rig, space)
        assert ok.startswith("✅ OK")
        assert late.startswith("⏪ Late: ALARM of DBMigrationRequired")
        assert not any("cardsV2" in message for message in rig.chat_api.messages(space)[1:])
        record = DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=rig.dynamodb).get(space, sample_alarm_key())
        assert record is None or record.resolved or not record.message_name


def test_a_failing_space_is_retried_from_the_queue_alone(rig: DeliveryRig) -> None:
    rig.chat_api.script(SPACES[0], Fault(503), Fault(503), Fault(503), Fault(503), Fault(503), Fault(503))
    rig.publish(sns_alarm_body())
    rig.drain()
    assert all(len(rig.chat_api.messages(space)) == 1 for space in SPACES)
    assert all(rig.chat_api.message_requests(space) == 1 for space in SPACES[1:]), (
        "the others are not re-sent"
    )
    assert len(rig.dead_letters) == 0


def test_a_429_waits_for_retry_after_in_the_queue_and_costs_the_others_nothing(rig: DeliveryRig) -> None:
    rig.chat_api.script(SPACES[1], Fault.rate_limited(retry_after=30))
    start = rig.clock.now
    rig.publish(sns_alarm_body())
    rig.drain()
    assert all(len(rig.chat_api.messages(space)) == 1 for space in SPACES)
    assert rig.chat_api.message_requests(SPACES[1]) == 2
    assert rig.clock.now - start >= 30, "the retry waited in the queue, not in the function"


def test_a_card_chat_refuses_goes_to_the_dead_letter_queue_alone(rig: DeliveryRig) -> None:
    rig.chat_api.script(SPACES[2], Fault(400))
    rig.publish(sns_alarm_body())
    rig.drain()
    (letter,) = rig.dead_letters.bodies()
    assert json.loads(letter)["alarmChatBot"] == "undelivered"
    assert json.loads(letter)["space"] == SPACES[2]
    assert [len(rig.chat_api.messages(space)) for space in SPACES] == [1, 1, 0, 1]


def test_state_items_live_outside_the_spaces_partition(rig: DeliveryRig) -> None:
    rig.publish(sns_alarm_body())
    rig.drain()
    partitions = {item["bot_id"]["S"] for item in all_items(rig.dynamodb)}
    assert partitions == {BOT_ID, *(f"{BOT_ID}#{space}" for space in SPACES), f"{BOT_ID}#project"}


class FlushWrites:
    """What the flushes take from the project's budget and give back (``ports.reserve``/``refund``,
    above this instance's allowance), and when, next to ``events`` of the test's own."""

    def __init__(self, rig: DeliveryRig, events: list[str]) -> None:
        self.ports = rig.dependencies.pipeline.ports
        self.events = events
        self.taken = 0
        reserve, refund = self.ports.reserve, self.ports.refund

        def noted_reserve(writes: int, now: float) -> int:
            granted = reserve(writes, now)
            events.append("reserved")
            self.taken += granted
            return granted

        def noted_refund(writes: int, at: float) -> None:
            self.taken -= writes
            refund(writes, at)

        self.ports.reserve, self.ports.refund = noted_reserve, noted_refund  # type: ignore[method-assign]

    def settled(self) -> int:
        self.ports.side_calls.shutdown(wait=True)  # the give-backs run off the critical path
        return self.taken


def test_a_quiet_space_reserves_its_project_writes_once_and_tops_them_up_when_more_are_needed(
    rig: DeliveryRig,
) -> None:
    """A lone alarm: one write and one retry per space, reserved while the records are read. Its
    OK needs two (resolve and reply): the early two are topped up by one (two plus one retry)."""
    events: list[str] = []
    writes = FlushWrites(rig, events)
    read_cards = writes.ports.cards.get_keys

    def slow_read(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.2)
        events.append("cards read")
        return read_cards(*args, **kwargs)

    writes.ports.cards.get_keys = slow_read  # type: ignore[method-assign]
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"))
    rig.drain()
    assert writes.taken == 2 * len(SPACES)
    assert events.index("reserved") < events.index("cards read"), "asked for while the cards are read"
    rig.publish(sns_alarm_body("OK", "2026-11-27T01:20:00.000+0000"))
    rig.drain()
    assert writes.settled() == (2 + 3) * len(SPACES)
    assert all(len(rig.chat_api.messages(space)) == 2 for space in SPACES)


def test_a_space_left_quiet_reserves_while_taking_the_lease_and_gives_back_what_it_did_not_need(
    rig: DeliveryRig,
) -> None:
    """The second alarm in a space this instance left quiet: the project's writes are asked for
    before the lease is taken. A redelivered copy needs no write: what it reserved goes back."""
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"))
    rig.drain()
    ports = rig.dependencies.pipeline.ports
    assert set(ports.quiet_spaces) == set(SPACES)
    events: list[str] = []
    writes = FlushWrites(rig, events)
    acquire = ports.states.acquire

    def slow_acquire(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.2)
        events.append("acquired")
        return acquire(*args, **kwargs)

    ports.states.acquire = slow_acquire  # type: ignore[method-assign]
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"), "redelivered")  # shown already
    rig.drain()
    assert events[0] == "reserved", events
    assert writes.settled() == 0, "nothing written, nothing kept"
    assert all(len(rig.chat_api.messages(space)) == 1 for space in SPACES)


def test_the_shared_counter_is_asked_once_for_a_block_the_spaces_then_share(rig: DeliveryRig) -> None:
    """Four spaces' flushes at once need eight writes: one block of ten from the counter, not four
    calls; the two left over wait in this instance for its next flush in the same slot."""
    ports = rig.dependencies.pipeline.ports
    calls: list[int] = []
    reserve = ports.project.reserve

    def counted(wanted: int, now: float, **kwargs: Any) -> int:
        calls.append(wanted)
        return reserve(wanted, now, **kwargs)

    ports.project.reserve = counted  # type: ignore[method-assign]
    rig.publish(sns_alarm_body("ALARM", "2026-11-27T01:00:00.000+0000"))
    rig.drain()
    assert len(calls) < len(SPACES) and calls[0] == 10, calls
    assert all(len(rig.chat_api.messages(space)) == 1 for space in SPACES)


def test_a_malformed_stored_space_is_skipped_and_the_others_get_their_card(
    rig: DeliveryRig, caplog: pytest.LogCaptureFixture
) -> None:
    """A record no endpoint would store (say, written by hand) costs nothing but a log and a metric."""
    item = {"bot_id": {"S": BOT_ID}, "space_id": {"S": "spaces/AAA/messages/M1"}}
    rig.dynamodb.put_item(TableName=TABLE_NAME, Item=item)
    report = rig.dependencies.pipeline.deliver(
        parse_notification(json.dumps(sns_alarm_body())), deadline=time.monotonic() + 30
    )
    assert report.counts["MalformedSpaceRecords"] == 1
    (skipped,) = [line for line in caplog.records if line.getMessage().startswith("a stored space name")]
    assert (skipped.levelname, getattr(skipped, "space", None)) == ("ERROR", "spaces/AAA/messages/M1")
    rig.publish(sns_alarm_body(name="second"))
    rig.drain()
    assert all(len(rig.chat_api.messages(space)) == 2 for space in SPACES)
    assert len(rig.queue) == 0 and len(rig.dead_letters) == 0


def test_a_lone_surrogate_in_any_intake_is_delivered_whole(rig: DeliveryRig) -> None:
    """``\\ud800`` is valid JSON; as a name it once failed every retry of the whole batch."""
    body = sns_alarm_body(name="db-\ud800")
    body["NewStateReason"] = "reason \udfff"
    rig.publish(json.dumps(body))  # the SNS Message spells the escape, as a publisher may
    event = eventbridge_alarm_event(sns_alarm_body(name="queue-\ud800", when="2026-11-27T01:00:01.000+0000"))
    rig.put_event(event)
    rig.invoke_directly(
        eventbridge_alarm_event(sns_alarm_body(name="cache-\udbff", when="2026-11-27T01:00:02.000+0000"))
    )
    rig.drain()
    for space in SPACES:
        shown = texts(rig, space)
        assert len(shown) == 3 and all("\ufffd" in text for text in shown)
    assert len(rig.queue) == 0 and len(rig.dead_letters) == 0


def _alarm_carded_at_the_limit(settings: DeliverySettings) -> dict[str, Any]:
    """An alarm whose card, buttons and all, is drawn within a few bytes of 32,000 (the cap)."""
    for length in range(4_000, 8_000):
        body = sns_alarm_body(name="payments-api")
        body.update(NewStateReason="초" * 8_000, AlarmDescription="d" * length)
        (alarm,) = parse_notification(json.dumps(body))
        base = render_message(alarm, locale=settings.locale, time_zone=settings.time_zone)
        if message_bytes(outgoing_card(alarm, base, settings).plain) >= 31_990:
            return body
    raise AssertionError("no description length draws a card at the limit")


def test_the_body_as_sent_fits_chats_limit_with_thread_key_and_mention(rig: DeliveryRig) -> None:
    """Rendering caps a card at 32,000 bytes; the thread key and the mention come on top of it."""
    rig.spaces.put(SpaceRecord(space="spaces/LOUD", mention=True))
    rig.publish(_alarm_carded_at_the_limit(rig.settings))
    rig.drain()
    for space in [*SPACES, "spaces/LOUD"]:
        (message,) = rig.chat_api.messages(space)
        (sent,) = rig.chat_api.requests(space)
        assert int(sent.headers["content-length"]) <= 32_000  # the bytes that crossed the wire
        assert sent.headers["content-type"] == "application/json; charset=utf-8"
        assert "thread" in sent.body and message["text"].startswith(
            "<users/all> 🚨" if space == "spaces/LOUD" else "🚨"
        )
    assert len(rig.dead_letters) == 0
