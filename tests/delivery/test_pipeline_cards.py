"""Interactive ALARM cards through the delivery queue: real SNS samples in, the real google-auth
flow against the Chat API stand-in, spaces and stored cards on moto.

ALARM posts a card with buttons into every space and remembers it; OK replies in the thread and
edits each space's card in place, once, whatever retries or duplicates happen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from alarm_bot.alarms.card_drawing import interactive_message
from alarm_bot.alarms.card_facts import Acknowledgement, CardState
from alarm_bot.store.alarm_messages import TTL_SECONDS, DynamoAlarmMessages
from tests.support.alarm_bodies import sample_alarm_key, sns_alarm_body
from tests.support.alarm_cards import button_labels
from tests.support.aws import BOT_ID, TABLE_NAME, all_items
from tests.support.chat_api import Fault
from tests.support.chat_schema import validate_message
from tests.support.delivery_rig import DeliveryRig, running_delivery_rig

SPACES = [f"spaces/ROOM{index}" for index in range(4)]
ENDPOINT = "https://abc123.execute-api.eu-west-2.amazonaws.com/chat"
ALARM_AT = "2026-11-27T01:00:00.000+0000"  # 10:00 in Seoul
OK_AT = "2026-11-27T01:20:00.000+0000"


@pytest.fixture
def rig(dynamodb: Any) -> Iterator[DeliveryRig]:
    with running_delivery_rig(dynamodb, *SPACES) as built:
        yield built


@pytest.fixture
def cards(dynamodb: Any) -> DynamoAlarmMessages:
    return DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=dynamodb)


def alarm(rig: DeliveryRig, message_id: str = "m-alarm") -> None:
    rig.publish(sns_alarm_body("ALARM", ALARM_AT), message_id)
    rig.drain()


def ok(rig: DeliveryRig, message_id: str = "m-ok") -> None:
    rig.publish(sns_alarm_body("OK", OK_AT), message_id)
    rig.drain()


def test_alarm_cards_carry_buttons_and_are_remembered_with_a_ttl(
    rig: DeliveryRig, cards: DynamoAlarmMessages, dynamodb: Any
) -> None:
    alarm(rig)
    for space in SPACES:
        (message,) = rig.chat_api.messages(space)
        validate_message({key: value for key, value in message.items() if key != "createTime"})
        assert button_labels(message) == ["Acknowledge", "Mute here 1h", "Mute here 1d", "Open in CloudWatch"]
        stored = cards.get(space, sample_alarm_key())
        assert stored is not None and stored.message_name == message["name"]
    items = [item for item in all_items(dynamodb) if item["space_id"]["S"].startswith("alarm#")]
    assert len(items) == len(SPACES)
    assert all(int(item["expires_at"]["N"]) >= int(rig.clock.now) + TTL_SECONDS for item in items)


def test_ok_resolves_every_card_in_place_once_and_replies_in_the_thread(
    rig: DeliveryRig, cards: DynamoAlarmMessages
) -> None:
    alarm(rig)
    ok(rig)
    for space in SPACES:
        (patch,) = rig.chat_api.patch_requests(space)
        assert patch.query == {"updateMask": "text,cards_v2"}
        validate_message(patch.body)
        (thread,) = rig.chat_api.threads(space).values()
        card, reply = thread
        assert patch.name == card["name"]
        assert reply["text"].startswith("✅ OK: DBMigrationRequired")
        assert card["text"].endswith("\n✅ Resolved at 10:20 after 20 min")
        assert button_labels(card) == ["Open in CloudWatch"]
        stored = cards.get(space, sample_alarm_key())
        assert stored is not None and stored.resolved
    ok(rig, "m-ok-again")  # the same OK through EventBridge, or redelivered
    assert all(len(rig.chat_api.patch_requests(space)) == 1 for space in SPACES)
    assert all(len(rig.chat_api.messages(space)) == 2 for space in SPACES)


def test_a_retried_alarm_neither_posts_nor_stores_twice(rig: DeliveryRig, cards: DynamoAlarmMessages) -> None:
    alarm(rig)
    before = {space: cards.get(space, sample_alarm_key()) for space in SPACES}
    alarm(rig, "m-alarm-retry")
    assert all(len(rig.chat_api.messages(space)) == 1 for space in SPACES)
    assert all(rig.chat_api.message_requests(space) == 1 for space in SPACES)
    assert {space: cards.get(space, sample_alarm_key()) for space in SPACES} == before


def test_a_card_that_cannot_be_edited_is_not_fatal_and_fixed_later(
    rig: DeliveryRig, cards: DynamoAlarmMessages, caplog: pytest.LogCaptureFixture
) -> None:
    alarm(rig)
    rig.chat_api.script_patch(SPACES[0], Fault(400))
    rig.chat_api.script_patch(SPACES[1], Fault(404))  # someone deleted the card
    ok(rig)
    assert "could not mark the alarm card resolved" in caplog.text
    assert [len(rig.chat_api.messages(space)) for space in SPACES] == [2, 2, 2, 2]  # every OK delivered
    still_open = cards.get(SPACES[0], sample_alarm_key())
    assert still_open is not None and not still_open.resolved
    gone = cards.get(SPACES[1], sample_alarm_key())
    assert gone is not None and gone.resolved  # nothing left to edit: let go
    ok(rig, "m-ok-again")  # the same OK again (EventBridge): the failed card is tried once more
    assert len(rig.chat_api.patch_requests(SPACES[0])) == 2
    assert len(rig.chat_api.patch_requests(SPACES[1])) == 1
    assert rig.chat_api.messages(SPACES[0])[0]["text"].endswith("after 20 min")
    assert [len(rig.chat_api.messages(space)) for space in SPACES] == [2, 2, 2, 2]


def test_cards_are_resolved_even_where_the_ok_is_not_delivered(rig: DeliveryRig) -> None:
    alarm(rig)
    rig.spaces.unsubscribe_all(SPACES[0])
    rig.spaces.mute_alarm(SPACES[1], sample_alarm_key(), 4_000_000_000)
    ok(rig)
    for space in SPACES[:2]:
        assert len(rig.chat_api.messages(space)) == 1  # no OK reply: unsubscribed, muted
        assert len(rig.chat_api.patch_requests(space)) == 1  # but the card no longer says it is open


def test_mention_on_mentions_everyone_in_alarm_cards_only(rig: DeliveryRig) -> None:
    rig.spaces.set_mention(SPACES[0], True)
    alarm(rig)
    assert rig.chat_api.messages(SPACES[0])[0]["text"].startswith("<users/all> 🚨 ALARM: DBMigrationRequired")
    assert "<users/all>" not in rig.chat_api.messages(SPACES[1])[0]["text"]
    ok(rig)
    card, reply = rig.chat_api.messages(SPACES[0])
    assert "<users/all>" not in reply["text"]
    # The resolved card still says what it said: an edit does not notify anyone again.
    assert card["text"].startswith("<users/all> 🚨 ALARM: DBMigrationRequired")
    assert "✅" in card["text"]
    assert "<users/all>" not in rig.chat_api.messages(SPACES[1])[0]["text"]


def test_a_per_alarm_mute_skips_that_space_only(rig: DeliveryRig) -> None:
    rig.spaces.mute_alarm(SPACES[2], sample_alarm_key(), 4_000_000_000)
    alarm(rig)
    assert [len(rig.chat_api.messages(space)) for space in SPACES] == [1, 1, 0, 1]


def test_an_add_on_deployment_addresses_buttons_to_its_endpoint(dynamodb: Any) -> None:
    add_on = {"add_on": True, "chat_endpoint_url": ENDPOINT}
    with running_delivery_rig(dynamodb, *SPACES, extra=add_on) as rig:
        alarm(rig)
        (message,) = rig.chat_api.messages(SPACES[0])
    buttons = message["cardsV2"][0]["card"]["sections"][-1]["widgets"][0]["buttonList"]["buttons"]
    functions = [button["onClick"].get("action", {}).get("function") for button in buttons]
    assert functions == [ENDPOINT, ENDPOINT, ENDPOINT, None]  # the last one opens the console
    parameters = {p["key"]: p["value"] for p in buttons[1]["onClick"]["action"]["parameters"]}
    assert parameters == {"action": "mute_alarm", "alarm": sample_alarm_key(), "duration": "1h"}
    assert re.fullmatch(r"[0-9a-f]{40}", parameters["alarm"])


def test_acknowledge_and_mute_redraw_a_mentioning_card_with_its_mention(
    rig: DeliveryRig, cards: DynamoAlarmMessages
) -> None:
    """Clicks redraw the card from the stored original: in a mention space that original mentions."""
    rig.spaces.set_mention(SPACES[0], True)
    alarm(rig)
    loud, quiet = cards.get(SPACES[0], sample_alarm_key()), cards.get(SPACES[1], sample_alarm_key())
    assert loud is not None and quiet is not None
    acknowledged = CardState(loud.since, (Acknowledgement("users/1", "Ada", loud.since + 60),))
    for record, mentioned in ((loud, True), (quiet, False)):
        redrawn = interactive_message(
            record.message, record.alarm_key, acknowledged, target=None, locale="en", time_zone="UTC"
        )
        assert redrawn["text"].startswith("<users/all> ") is mentioned
        assert "👀 Acknowledged by Ada" in redrawn["text"]
