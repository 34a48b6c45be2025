"""A storm through the real queue consumer and pipeline: a burst becomes cards then a digest, later
changes edit the digest and are announced in its thread, every alarm is shown once per space, the
budget holds, and two consumers never write to one space at once."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from alarm_bot.alarms.parse import parse_notification
from alarm_bot.store.alarm_messages import DynamoAlarmMessages
from alarm_bot.store.space_state import DynamoSpaceStates
from tests.support.alarm_bodies import sns_alarm_body
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.chat_faults import Fault
from tests.support.chat_schema import validate_message
from tests.support.delivery_rig import DeliveryRig, running_delivery_rig

SPACES = ("spaces/AAA", "spaces/BBB", "spaces/CCC")
NAMES = [f"storm-{index:02d}" for index in range(30)]


def at(second: int) -> str:
    return f"2026-11-27T01:{second // 60:02d}:{second % 60:02d}.000+0000"


@pytest.fixture
def rig(dynamodb: Any) -> Iterator[DeliveryRig]:
    with running_delivery_rig(dynamodb, *SPACES) as built:
        yield built


def storm(rig: DeliveryRig, state: str = "ALARM", offset: int = 0) -> None:
    for index, name in enumerate(NAMES):
        rig.publish(sns_alarm_body(state, at(offset + index), name=name), f"{state}-{name}")


def digests(rig: DeliveryRig, space: str) -> list[dict[str, Any]]:
    return [m for m in rig.chat_api.messages(space) if m.get("cardsV2", [{}])[0].get("cardId") == "digest"]


def lines(message: dict[str, Any]) -> list[dict[str, Any]]:
    widgets = message["cardsV2"][0]["card"]["sections"][0]["widgets"]
    return [widget["decoratedText"] for widget in widgets if "decoratedText" in widget]


def line_names(message: dict[str, Any]) -> list[str]:
    return [line["text"].split("</b>")[0].removeprefix("<b>") for line in lines(message)]


def test_a_burst_is_cards_at_once_then_one_digest_of_the_rest(rig: DeliveryRig) -> None:
    start = rig.clock.now
    storm(rig)
    rig.drain()
    for space in SPACES:
        messages = rig.chat_api.messages(space)
        cards = [m for m in messages if m["cardsV2"][0]["cardId"].startswith("alarm-")]
        assert len(cards) == rig.dependencies.pipeline.ports.rules.burst == 10
        (digest,) = digests(rig, space)
        validate_message({key: value for key, value in digest.items() if key != "createTime"})
        shown = [card["cardsV2"][0]["card"]["header"]["title"] for card in cards] + line_names(digest)
        assert sorted(shown) == NAMES, "every alarm once: as its own card or as a line of the digest"
        assert digest["text"] == "🚨 20 alarms changed state: 20 ALARM"
        assert digest["thread"]["threadKey"].startswith("digest-")
        assert len(messages) == 11
    assert rig.clock.now - start >= 30, "the digest waited for the group window"
    assert len(rig.dead_letters) == 0


def test_later_changes_edit_the_digest_and_are_announced_in_its_thread(rig: DeliveryRig) -> None:
    storm(rig)
    rig.drain()
    storm(rig, "OK", offset=600)
    rig.drain()
    cards = DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=rig.dynamodb)
    for space in SPACES:
        (digest,) = digests(rig, space)
        assert all(line["topLabel"].startswith("OK") for line in lines(digest)), "the card shows the latest"
        assert all(" → OK " in line["bottomLabel"] for line in lines(digest))
        thread = rig.chat_api.threads(space)[digest["thread"]["name"]]
        digest_post, *replies = thread
        assert digest_post["name"] == digest["name"]
        assert len(replies) == 1, "the 20 OKs were coalesced into one announcement"
        assert replies[0]["text"].startswith("Changes in the digest above: 20 OK")
        for name in NAMES:
            from alarm_bot.alarms.model import Alarm

            (alarm,) = parse_notification(json.dumps(sns_alarm_body("OK", at(0), name=name)))
            assert isinstance(alarm, Alarm)
            record = cards.get(space, alarm.key)
            assert record is not None and record.resolved, name
        open_cards = [
            m
            for m in rig.chat_api.messages(space)
            if m["cardsV2"][0]["cardId"].startswith("alarm-")
            and "Resolved at" not in m["text"]
            and m["text"].startswith("🚨")
        ]
        assert open_cards == [], "no card shows ALARM for an alarm that is OK now"
    assert len(rig.dead_letters) == 0


def test_the_space_budget_is_never_exceeded(rig: DeliveryRig) -> None:
    storm(rig)
    storm(rig, "OK", offset=20)
    rig.drain()
    rules = rig.dependencies.pipeline.ports.rules
    states = DynamoSpaceStates(TABLE_NAME, BOT_ID, client=rig.dynamodb)
    for space in SPACES:
        writes = sorted(states.get(space).writes)
        assert writes, space
        for index, moment in enumerate(writes):
            inside = [w for w in writes[index:] if w < moment + rules.window]
            assert len(inside) <= rules.space_writes
        requests = rig.chat_api.message_requests(space) + len(rig.chat_api.patch_requests(space))
        assert requests <= rules.space_writes * 2, "two minutes of virtual time at most"


def test_two_consumers_never_write_to_one_space_at_once(rig: DeliveryRig) -> None:
    """The second consumer finds the space leased, leaves its alarm in the outbox, and the holder
    shows it before it lets go; nothing is shown twice and the budget counts every write."""
    rig.chat_api.slow(0.3)
    pipeline = rig.dependencies.pipeline
    first = parse_notification(json.dumps(sns_alarm_body("ALARM", at(1), name="first")))
    second = parse_notification(json.dumps(sns_alarm_body("ALARM", at(2), name="second")))
    results: dict[str, Any] = {}

    def consume(name: str, notifications: list[Any]) -> None:
        results[name] = pipeline.deliver(notifications, deadline=time.monotonic() + 30)

    threads = [threading.Thread(target=consume, args=("first", first))]
    threads[0].start()
    time.sleep(0.15)  # the first holds every space's lease now, waiting for Google
    threads.append(threading.Thread(target=consume, args=("second", second)))
    threads[1].start()
    for thread in threads:
        thread.join()
    assert results["second"].counts["NotificationsQueued"] == len(SPACES)
    assert results["second"].counts["MessagesDelivered"] == 0
    assert results["first"].counts["MessagesDelivered"] == 2 * len(SPACES)
    states = DynamoSpaceStates(TABLE_NAME, BOT_ID, client=rig.dynamodb)
    for space in SPACES:
        titles = [m["cardsV2"][0]["card"]["header"]["title"] for m in rig.chat_api.messages(space)]
        assert titles == ["first", "second"]
        assert len(states.get(space).writes) == 2
        assert states.get(space).lease_owner is None


def click_digest(rig: DeliveryRig, space: str, digest: dict[str, Any], item: dict[str, Any]) -> Any:
    """Jane picks ``item`` of a digest line's menu: the Chat function's answer."""
    from alarm_bot.chat.actions import ChatBot
    from alarm_bot.chat.events import ChatEvent, EventFormat, EventKind, Space, User
    from alarm_bot.settings import Settings
    from alarm_bot.store.digests import DynamoDigests
    from alarm_bot.store.spaces import DynamoSpaceStore

    settings = Settings(
        subscriptions_table=TABLE_NAME, bot_id=BOT_ID, chat_audience="1", time_zone="Asia/Seoul"
    )
    chat = ChatBot(
        settings,
        DynamoSpaceStore(TABLE_NAME, BOT_ID, client=rig.dynamodb),
        rig.clock,
        messages=DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=rig.dynamodb),
        digests=DynamoDigests(TABLE_NAME, BOT_ID, client=rig.dynamodb),
    )
    action = item["onClick"]["action"]
    event = ChatEvent(
        kind=EventKind.CARD_CLICKED,
        format=EventFormat.CLASSIC,
        space=Space(space),
        user=User("users/1", "Jane"),
        action=action["function"],
        parameters={p["key"]: p["value"] for p in action["parameters"]},
        message_name=digest["name"],
    )
    return chat.handle(event)


def test_acknowledge_and_mute_work_on_a_line_of_the_digest(rig: DeliveryRig) -> None:
    from alarm_bot.store.spaces import DynamoSpaceStore

    storm(rig)
    rig.drain()
    (digest,) = digests(rig, SPACES[0])
    line = lines(digest)[0]
    items = line["button"]["onClick"]["overflowMenu"]["items"]
    store = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=rig.dynamodb)

    def click(item: dict[str, Any]) -> Any:
        return click_digest(rig, SPACES[0], digest, item)

    acked = click(items[0])
    assert (acked.action, acked.update) == ("acknowledged", True)
    validate_message(acked.message)
    first = lines(acked.message)[0]
    assert first["topLabel"] == line["topLabel"] and "Acknowledged by Jane" in first["bottomLabel"]
    assert len(lines(acked.message)) == len(lines(digest)), "the whole digest, redrawn"
    muted = click(items[1])
    assert muted.action == "alarm_muted"
    assert "Muted here until" in lines(muted.message)[0]["bottomLabel"]
    alarm_key = {p["key"]: p["value"] for p in items[1]["onClick"]["action"]["parameters"]}["alarm"]
    space = store.get(SPACES[0])
    assert space is not None and space.alarm_muted_until(alarm_key, rig.clock.now) is not None


def test_alarms_a_digest_has_no_room_for_are_shown_in_the_next_one(rig: DeliveryRig) -> None:
    """Long names and reasons: fewer lines fit in 32,000 bytes; none is lost, none shown twice."""
    long_names = [f"storm-{index:02d}-" + "payments-api-latency-p99-" * 8 for index in range(60)]
    for index, name in enumerate(long_names):
        body = sns_alarm_body("ALARM", at(index), name=name)
        body["NewStateReason"] = "Threshold Crossed: " + "the p99 latency was far above its threshold; " * 6
        rig.publish(body, f"long-{index}")
    rig.drain()
    for space in SPACES:
        posted = digests(rig, space)
        assert len(posted) >= 3
        cards = [m for m in rig.chat_api.messages(space) if m["cardsV2"][0]["cardId"].startswith("alarm-")]
        shown = [card["cardsV2"][0]["card"]["header"]["title"] for card in cards]
        shown += [name for digest in posted for name in line_names(digest)]
        assert sorted(shown) == sorted(long_names)
        for digest in posted:
            validate_message({key: value for key, value in digest.items() if key != "createTime"})
    titles = [digest["cardsV2"][0]["card"]["header"]["title"] for digest in digests(rig, SPACES[0])]
    parts = len(titles)  # the cards' alarms aside, one digest in numbered messages
    assert parts >= 3 and [title.split(" (")[-1] for title in titles] == [
        f"{n}/{parts})" for n in range(1, parts + 1)
    ]
    for index, name in enumerate(long_names):  # every line resolved: each part edited, keeping its number
        rig.publish(sns_alarm_body("OK", at(600 + index), name=name), f"long-ok-{index}")
    rig.drain()
    edited = digests(rig, SPACES[0])
    assert [digest["cardsV2"][0]["card"]["header"]["title"].split(" (")[-1] for digest in edited] == [
        title.split(" (")[-1] for title in titles
    ]
    assert all(line["topLabel"].startswith("OK") for digest in edited for line in lines(digest))


def test_removing_a_space_deletes_its_outbox_digests_and_records(rig: DeliveryRig) -> None:
    from tests.support.aws import all_items

    storm(rig)
    rig.drain(horizon=10)  # the digest is still being collected: entries wait in the outbox
    assert any(item["bot_id"]["S"] == f"{BOT_ID}#{SPACES[0]}#out" for item in all_items(rig.dynamodb))
    rig.drain()
    storm(rig, "OK", offset=600)
    rig.publish(sns_alarm_body("ALARM", at(900), name="one-more"), "one-more")
    rig.drain(horizon=1)
    removed = rig.spaces.remove(SPACES[0])
    left = [
        item for item in all_items(rig.dynamodb) if SPACES[0] in item["bot_id"]["S"] + item["space_id"]["S"]
    ]
    assert removed > 30 and left == []


def test_a_flush_that_comes_early_looks_again_when_the_waiting_entries_are_due(rig: DeliveryRig) -> None:
    """A flush scheduled for another reason (a consumer that left entries for the holder, as
    ``_leave_for_holder`` does) comes before the digest's edit is due: it must leave a look at the
    edit's time behind, and the edit's own time must not be recorded as if it were scheduled."""
    from alarm_bot.delivery.work_queue import flush_body

    storm(rig)
    rig.drain()
    posted = {space: len(digests(rig, space)) for space in SPACES}
    assert all(posted.values())
    states = DynamoSpaceStates(TABLE_NAME, BOT_ID, client=rig.dynamodb)
    rig.clock.advance(2)
    for space in SPACES:  # a leaver's timer, due in 5 s
        assert states.claim_timer(space, rig.clock.now + 5, rig.clock.now, grace=1)
        rig.queue.send(flush_body(space), 5.0)
    storm(rig, "OK", offset=120)  # each OK waits for the digest's next edit, due in a minute
    rig.drain()
    for space in SPACES:
        for digest in digests(rig, space):
            assert {line["topLabel"].split(" · ")[0] for line in lines(digest)} == {"OK"}


def test_a_card_google_may_have_created_is_posted_again_as_itself_never_in_a_digest(rig: DeliveryRig) -> None:
    """Google created the card but every answer was lost (500 after creating it); a storm then makes
    the space digest. The card is retried with its own requestId (Google returns it), so it is
    shown once, known, and resolved in place by its OK: no second showing, no open card left."""
    space = SPACES[0]
    rig.chat_api.script(space, *[Fault(500, after_create=True)] * 2)  # the post and its one retry
    rig.publish(sns_alarm_body("ALARM", at(0), name="answer-lost"), "ALARM-answer-lost")
    rig.mapping.invoke_once()
    assert rig.chat_api.message_requests(space) == 2 and len(rig.chat_api.messages(space)) == 1
    storm(rig, offset=1)
    rig.drain()
    rig.publish(sns_alarm_body("OK", at(50), name="answer-lost"), "OK-answer-lost")
    rig.drain()
    (card, *_), threads = rig.chat_api.messages(space), rig.chat_api.threads(space)
    assert card["text"].startswith("🚨 ALARM: answer-lost"), "the card, created once"
    assert card["text"].endswith("✅ Resolved at 10:00 after 50 s"), "resolved in place by its OK"
    assert [m["text"][:22] for m in threads[card["thread"]["name"]]] == [
        card["text"][:22],
        "✅ OK: answer-lost — Th",
    ]
    assert all("answer-lost" not in line_names(digest) for digest in digests(rig, space))
    assert len(rig.dead_letters) == 0


def test_a_digest_announcement_google_may_have_created_is_not_announced_again(rig: DeliveryRig) -> None:
    """The announcement of a digest's changes is created but its answers are lost; OKs that come
    later are announced in a next update, and no OK is announced twice."""
    storm(rig)
    rig.drain()
    space = SPACES[0]
    first_oks = NAMES[10:15]  # lines of the digest (the first ten alarms were cards)
    for index, name in enumerate(first_oks):
        rig.publish(sns_alarm_body("OK", at(600 + index), name=name), f"OK-{name}")
    rig.chat_api.script(space, *[Fault(500, after_create=True)] * 2)  # the announcement and its retry
    rig.drain()
    for index, name in enumerate(NAMES[15:20]):
        rig.publish(sns_alarm_body("OK", at(700 + index), name=name), f"OK-{name}")
    rig.drain()
    (digest,) = digests(rig, space)
    _, *replies = rig.chat_api.threads(space)[digest["thread"]["name"]]
    announced = [line_names({"cardsV2": reply["cardsV2"]}) for reply in replies]
    flat = [name for names in announced for name in names]
    assert sorted(flat) == sorted(NAMES[10:20]), f"each OK announced once: {announced}"
    assert len(rig.dead_letters) == 0


def test_a_flush_whose_lease_was_taken_meanwhile_schedules_a_look_at_what_waits(rig: DeliveryRig) -> None:
    """The state write fails (more arrived) and holding on fails too (the lease is gone, or that
    very write released it and its answer was lost): a flush is queued so nothing is left waiting."""
    from alarm_bot.delivery.work_queue import flush_body
    from alarm_bot.store.record_writes import StateChanged

    ports = rig.dependencies.pipeline.ports
    write, hold = ports.records.write, ports.states.hold
    failing = {"write": True, "hold": True}

    def write_then_refuse(items: Any, state_update: Any = None) -> None:
        write(items, None)
        if state_update is not None and failing.pop("write", False):
            raise StateChanged("more arrived")
        if state_update is not None:
            write([], state_update)

    def refuse_hold(*args: Any, **kwargs: Any) -> bool:
        return False if failing.pop("hold", False) else hold(*args, **kwargs)

    ports.records.write, ports.states.hold = write_then_refuse, refuse_hold  # type: ignore[method-assign]
    rig.publish(sns_alarm_body("ALARM", at(0), name="lease-taken"), "ALARM-lease-taken")
    rig.mapping.invoke_once()
    assert any(flush_body(space) in rig.queue.bodies() for space in SPACES), "a look is queued"
    rig.drain()
    assert all(len(rig.chat_api.messages(space)) == 1 for space in SPACES), "shown once everywhere"


def test_with_two_digests_to_update_a_lost_answer_for_the_second_announces_nothing_twice(
    rig: DeliveryRig,
) -> None:
    """One digest step per round, so the intent written before it always covers the step that may
    fail: the second digest's announcement, created but unanswered, is retried as itself."""
    second = [f"later-{index:02d}" for index in range(30)]
    storm(rig)
    rig.drain()
    for index, name in enumerate(second):
        rig.publish(sns_alarm_body("ALARM", at(300 + index), name=name), f"ALARM-{name}")
    rig.drain()
    space = SPACES[0]
    posted = digests(rig, space)
    first_digest, second_digest = posted[0], posted[-1]
    assert len(posted) >= 2 and first_digest["thread"] != second_digest["thread"]
    second_names = list(dict.fromkeys(line_names(second_digest)))
    assert len(second_names) >= 6, second_names
    oks = line_names(first_digest)[:3] + second_names[:3]
    for index, name in enumerate(oks):
        rig.publish(sns_alarm_body("OK", at(900 + index), name=name), f"OK-{name}")
    answer_lost = Fault(500, after_create=True)
    rig.chat_api.script(space, Fault(200, after_create=True), answer_lost, answer_lost)
    while rig.mapping.invoke_once():  # everything visible now; the failed announcement waits
        pass
    more = second_names[3:6]  # more OKs for the second digest, before its retry is due
    for index, name in enumerate(more):
        rig.publish(sns_alarm_body("OK", at(1000 + index), name=name), f"OK-{name}")
    rig.drain()
    threads = rig.chat_api.threads(space)
    announced = [
        name
        for digest in (first_digest, second_digest)
        for reply in threads[digest["thread"]["name"]][1:]
        for name in line_names({"cardsV2": reply["cardsV2"]})
    ]
    assert sorted(announced) == sorted(oks + more), "every OK announced once in its digest's thread"
    assert len(rig.dead_letters) == 0


def test_what_one_space_learns_about_its_lease_does_not_leak_into_another(rig: DeliveryRig) -> None:
    """Space AAA finds its lease held, stores its newcomers and then takes over (they are stored);
    BBB, flushed at the same time, must still store its own newcomers before they wait."""
    from alarm_bot.store.space_state import Lease, SpaceState

    ports = rig.dependencies.pipeline.ports
    acquire = ports.states.acquire
    took_over = threading.Event()
    refused: set[str] = set()

    def racing_acquire(space: str, *args: Any, **kwargs: Any) -> Lease:
        if space == SPACES[0] and space not in refused:
            refused.add(space)  # held a moment ago, released by the time it looks again
            return Lease(False, SpaceState(space))
        if space == SPACES[0]:
            lease = acquire(space, *args, **kwargs)
            took_over.set()
            return lease
        if space == SPACES[1]:
            took_over.wait(5)
        return acquire(space, *args, **kwargs)

    ports.states.acquire = racing_acquire  # type: ignore[method-assign]
    names = NAMES[:12]  # more than the pace: the space collects them for a digest, in its outbox
    notifications = [
        notification
        for index, name in enumerate(names)
        for notification in parse_notification(json.dumps(sns_alarm_body("ALARM", at(index), name=name)))
    ]
    rig.dependencies.pipeline.deliver(notifications, deadline=time.monotonic() + 30)
    ports.states.acquire = acquire  # type: ignore[method-assign]
    rig.drain()
    for space in SPACES:
        (digest,) = digests(rig, space)
        assert sorted(line_names(digest)) == names, space


def test_the_rest_of_a_digest_whose_part_was_lost_keeps_its_numbers(rig: DeliveryRig) -> None:
    """A digest in four parts whose second part is created but its first answers lost: the retries
    spend the write allowance, so the last part waits; it comes as "(4/4)", not as a new digest or
    as cards, and nothing is shown twice."""
    space = SPACES[0]
    names = [f"many-{index:02d}" for index in range(90)]
    for index, name in enumerate(names):
        rig.publish(sns_alarm_body("ALARM", at(index // 3), name=name), f"ALARM-{name}")
    while rig.mapping.invoke_once():  # the first cards; the rest waits for the digest
        pass
    answer_lost = Fault(500, after_create=True)
    rig.chat_api.script(space, Fault(200, after_create=True), answer_lost, answer_lost)
    rig.drain()
    posted = digests(rig, space)
    titles = [digest["cardsV2"][0]["card"]["header"]["title"] for digest in posted]
    assert [title.rsplit(" ", 1)[-1] for title in titles] == ["(1/4)", "(2/4)", "(3/4)", "(4/4)"], titles
    cards = [m["cardsV2"][0]["card"]["header"]["title"] for m in rig.chat_api.messages(space)]
    shown = [title for title in cards if title in names] + [n for d in posted for n in line_names(d)]
    assert sorted(shown) == names, "every alarm once, as a card or a digest line"


def test_a_digest_posted_with_the_mention_keeps_it_when_edited_or_redrawn(rig: DeliveryRig) -> None:
    """A click's redraw and the OKs' edit are drawn from the stored digest, which says it mentioned."""
    rig.spaces.set_mention(SPACES[0], True)
    storm(rig)
    rig.drain()
    cases = ((SPACES[0], True), (SPACES[1], False))
    for space, mentioned in cases:
        (digest,) = digests(rig, space)
        assert digest["text"].startswith("<users/all> 🚨 20 alarms") is mentioned
        menu = lines(digest)[0]["button"]["onClick"]["overflowMenu"]["items"]
        redrawn = click_digest(rig, space, digest, menu[0]).message
        assert redrawn["text"].startswith("<users/all> ") is mentioned
    storm(rig, "OK", offset=600)
    rig.drain()
    for space, mentioned in cases:
        (digest,) = digests(rig, space)
        (edit,) = [patch.body for patch in rig.chat_api.patch_requests(space) if patch.name == digest["name"]]
        assert edit["text"].startswith("<users/all> 🚨 20 alarms") is mentioned


def test_a_timer_that_fires_while_a_newcomer_holds_the_space_still_gets_its_look(rig: DeliveryRig) -> None:
    """An OK waits for the digest's next edit (a flush is scheduled for then). A newcomer takes the
    lease just before that time and plans itself alone; the scheduled flush fires while it holds
    the lease and finds it busy. The holder must still look at what was due before it lets go:
    the flush that fired was the one it counted on, so nobody else would."""
    space, waiting, due = ok_waiting_for_the_next_edit(rig)

    ports = rig.dependencies.pipeline.ports
    write = ports.records.write
    fired: list[bool] = []

    def timer_fires_meanwhile(items: Any, state_update: Any = None) -> None:
        if state_update is not None and not fired:  # the newcomer's holder is about to let go
            fired.append(True)
            rig.clock.advance(due + 1 - rig.clock.now)
            assert rig.mapping.invoke_once(), "the scheduled flush, which finds the space held"
        write(items, state_update)

    ports.records.write = timer_fires_meanwhile  # type: ignore[method-assign]
    rig.clock.advance(due - 0.5 - rig.clock.now)
    newcomer = NAMES[12]
    notifications = parse_notification(json.dumps(sns_alarm_body("OK", at(122), name=newcomer)))
    rig.dependencies.pipeline.deliver(notifications, deadline=time.monotonic() + 30, only_space=space)
    ports.records.write = write  # type: ignore[method-assign]
    assert fired
    rig.drain()
    (digest,) = digests(rig, space)
    shown = dict(
        zip(line_names(digest), (line["topLabel"].split(" · ")[0] for line in lines(digest)), strict=True)
    )
    assert shown[waiting] == shown[newcomer] == "OK", "the edit that was due, made by the holder"
    assert ports.outbox.pending(space) == ([], [])


def test_a_timer_whose_first_round_failed_is_kept_when_a_later_round_relies_on_it(rig: DeliveryRig) -> None:
    """A scheduled flush fails to edit the digest, so its timer is to come back for the retry (and
    the state says so); newcomers arrive while it writes, so it goes round again. The retry
    succeeds, and the last newcomer waits for the next edit, a minute away: that round trusts the
    returned timer to come before then and schedules none. The timer must then really come back,
    or the newcomer waits in the outbox until some other notification happens to look."""
    space, waiting, due = ok_waiting_for_the_next_edit(rig)

    ports = rig.dependencies.pipeline.ports
    write = ports.records.write
    newcomers = [NAMES[12], NAMES[13]]
    arrived: list[str] = []

    def newcomer_meanwhile(items: Any, state_update: Any = None) -> None:
        this_space = state_update is not None and space in json.dumps(state_update["Key"])
        if this_space and len(arrived) < len(newcomers):  # the timer's flush is about to let go
            name = newcomers[len(arrived)]
            arrived.append(name)
            body = json.dumps(sns_alarm_body("OK", at(190 + len(arrived)), name=name))
            rig.dependencies.pipeline.deliver(
                parse_notification(body), deadline=time.monotonic() + 30, only_space=space
            )
        write(items, state_update)

    rig.chat_api.script_patch(space, Fault(500, retry_after=5))  # the edit fails; it is retried later
    ports.records.write = newcomer_meanwhile  # type: ignore[method-assign]
    rig.clock.advance(due + 1 - rig.clock.now)
    assert rig.mapping.invoke_once(), "the scheduled flush: it fails, retries, and leaves the last one"
    ports.records.write = write  # type: ignore[method-assign]
    assert arrived == newcomers
    rig.drain()
    (digest,) = digests(rig, space)
    shown = dict(
        zip(line_names(digest), (line["topLabel"].split(" · ")[0] for line in lines(digest)), strict=True)
    )
    assert [shown[name] for name in (waiting, *newcomers)] == ["OK"] * 3
    assert ports.outbox.pending(space) == ([], [])
    assert len(rig.dead_letters) == 0


def ok_waiting_for_the_next_edit(rig: DeliveryRig) -> tuple[str, str, float]:
    """After a storm's digest was edited, an OK stored for its next edit a minute away, with a
    flush scheduled for then: the space, the waiting alarm's name and when the flush is due."""
    from alarm_bot.delivery.work_queue import flush_body

    space = SPACES[0]
    storm(rig)
    rig.drain()
    rig.publish(sns_alarm_body("OK", at(120), name=NAMES[10]), f"OK-{NAMES[10]}")
    rig.drain()  # the digest is edited now: its next edit is a minute away
    states = DynamoSpaceStates(TABLE_NAME, BOT_ID, client=rig.dynamodb)
    waiting = NAMES[11]
    rig.publish(sns_alarm_body("OK", at(121), name=waiting), f"OK-{waiting}")
    rig.mapping.invoke_once()  # stored, for the edit due in a minute, with a flush for then
    due = states.get(space).due_at
    assert due is not None and due > rig.clock.now and states.get(space).timer_at == due
    assert flush_body(space) in rig.queue.bodies()
    return space, waiting, due
