"""Posted ALARM cards in the subscriptions table: keys, TTL, idempotency, acknowledgements, and the
move of cards stored by earlier versions among the spaces."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from alarm_bot.alarms.card_facts import Acknowledgement
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.store.alarm_messages import TTL_SECONDS, AlarmMessage, DynamoAlarmMessages
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.aws import BOT_ID, TABLE_NAME, all_items

NOW = 1_800_000_000.0
KEY = "0123456789abcdef0123456789abcdef01234567"
MESSAGE = {"text": "🚨 ALARM: 결제", "cardsV2": [{"cardId": "alarm-1", "card": {"sections": []}}]}


@pytest.fixture
def cards(dynamodb: Any) -> DynamoAlarmMessages:
    return DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=dynamodb)


@pytest.fixture
def spaces(dynamodb: Any) -> DynamoSpaceStore:
    return DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)


def card(space: str = "spaces/AAA", **fields: Any) -> AlarmMessage:
    base: dict[str, Any] = {
        "space": space,
        "alarm_key": KEY,
        "message_name": f"{space}/messages/M1",
        "transition": "t1",
        "since": int(NOW) - 600,
        "message": MESSAGE,
        "alarm_name": "결제",
        "alarm_arn": "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:결제",
    }
    return AlarmMessage(**{**base, **fields})


def test_a_card_is_stored_under_its_space_with_a_ttl(cards: DynamoAlarmMessages, dynamodb: Any) -> None:
    assert cards.record_posted(card(), NOW) is True
    (item,) = all_items(dynamodb)
    assert (item["bot_id"], item["space_id"]) == ({"S": f"{BOT_ID}#spaces/AAA"}, {"S": f"alarm#{KEY}"})
    assert item["expires_at"] == {"N": str(int(NOW) + TTL_SECONDS)}
    assert isinstance(item["message"]["B"], bytes)  # compressed: each card is read on every OK
    assert cards.get("spaces/AAA", KEY) == replace(card(), expires_at=int(NOW) + TTL_SECONDS)


def test_the_same_transition_is_not_stored_twice(cards: DynamoAlarmMessages) -> None:
    cards.record_posted(card(), NOW)
    cards.acknowledge("spaces/AAA", KEY, Acknowledgement("users/1", "Jane", int(NOW)), NOW)
    assert cards.record_posted(card(), NOW + 5) is False  # a retry, or SNS and EventBridge both
    stored = cards.get("spaces/AAA", KEY)
    assert stored is not None and [a.name for a in stored.acknowledgements] == ["Jane"]


def test_a_new_alarm_episode_replaces_the_old_card(cards: DynamoAlarmMessages) -> None:
    cards.record_posted(card(), NOW)
    cards.resolve("spaces/AAA", KEY, "spaces/AAA/messages/M1", int(NOW), NOW)
    assert cards.record_posted(card(transition="t2", message_name="spaces/AAA/messages/M9"), NOW + 60)
    stored = cards.get("spaces/AAA", KEY)
    assert stored is not None
    assert (stored.message_name, stored.resolved, stored.acknowledgements) == (
        "spaces/AAA/messages/M9",
        False,
        (),
    )


def test_acknowledgements_count_each_person_once_in_order(cards: DynamoAlarmMessages, dynamodb: Any) -> None:
    cards.record_posted(card(), NOW)
    cards.acknowledge("spaces/AAA", KEY, Acknowledgement("users/2", "Bob", int(NOW) + 60), NOW + 60)
    cards.acknowledge("spaces/AAA", KEY, Acknowledgement("users/1", "Jane", int(NOW) + 30), NOW + 30)
    again = cards.acknowledge("spaces/AAA", KEY, Acknowledgement("users/2", "Bobby", int(NOW) + 90), NOW + 90)
    assert again is not None
    assert [(a.user, a.name, a.at) for a in again.acknowledgements] == [
        ("users/1", "Jane", int(NOW) + 30),
        ("users/2", "Bob", int(NOW) + 60),
    ]
    assert all_items(dynamodb)[0]["expires_at"] == {"N": str(int(NOW) + 90 + TTL_SECONDS)}


def test_a_resolved_or_missing_card_cannot_be_acknowledged(cards: DynamoAlarmMessages) -> None:
    ack = Acknowledgement("users/1", "Jane", int(NOW))
    assert cards.acknowledge("spaces/AAA", KEY, ack, NOW) is None
    cards.record_posted(card(), NOW)
    cards.resolve("spaces/AAA", KEY, "spaces/AAA/messages/M1", int(NOW), NOW)
    resolved = cards.acknowledge("spaces/AAA", KEY, ack, NOW)
    assert resolved is not None and resolved.resolved and resolved.acknowledgements == ()


def test_resolve_only_touches_the_card_it_edited(cards: DynamoAlarmMessages) -> None:
    cards.record_posted(card(), NOW)
    assert cards.resolve("spaces/AAA", KEY, "spaces/AAA/messages/OLD", int(NOW), NOW) is False
    assert cards.resolve("spaces/AAA", KEY, "spaces/AAA/messages/M1", int(NOW) + 5, NOW + 5) is True
    stored = cards.get("spaces/AAA", KEY)
    assert stored is not None and (stored.state, stored.resolved_at) == ("OK", int(NOW) + 5)
    assert stored.expires_at == int(NOW) + 5 + TTL_SECONDS


def test_one_alarm_is_read_across_many_spaces_in_batches(cards: DynamoAlarmMessages) -> None:
    names = [f"spaces/S{index:03d}" for index in range(230)]
    for name in names[::2]:
        cards.record_posted(card(name), NOW)
    cards.record_posted(card("spaces/S001", alarm_key="f" * 40), NOW)  # another alarm
    found = cards.get_many([*names, names[0]], KEY)
    assert sorted(record.space for record in found) == names[::2]


def test_space_listing_skips_cards_and_removal_deletes_them(
    cards: DynamoAlarmMessages, spaces: DynamoSpaceStore, dynamodb: Any
) -> None:
    spaces.put(SpaceRecord("spaces/AAA"))
    spaces.put(SpaceRecord("spaces/BBB"))
    cards.record_posted(card("spaces/AAA"), NOW)
    cards.record_posted(card("spaces/BBB"), NOW)
    assert [record.space for record in spaces.list_spaces()] == ["spaces/AAA", "spaces/BBB"]
    assert spaces.leftovers == []
    assert spaces.remove("spaces/AAA") == 2
    assert sorted((item["bot_id"]["S"], item["space_id"]["S"]) for item in all_items(dynamodb)) == [
        (BOT_ID, "spaces/BBB"),
        (f"{BOT_ID}#spaces/BBB", f"alarm#{KEY}"),
    ]


def test_listing_spaces_reads_no_card_however_many_are_stored(
    cards: DynamoAlarmMessages, spaces: DynamoSpaceStore, dynamodb: Any
) -> None:
    for index in range(20):
        spaces.put(SpaceRecord(f"spaces/S{index:02d}"))
        for alarm in range(10):
            cards.record_posted(card(f"spaces/S{index:02d}", alarm_key=f"{alarm:040x}"), NOW)
    read = dynamodb.query(
        TableName=TABLE_NAME,
        KeyConditionExpression="bot_id = :b",
        ExpressionAttributeValues={":b": {"S": BOT_ID}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert read["Count"] == 20 == len(spaces.list_spaces())


def legacy_item(space: str, message_name: str) -> dict[str, Any]:
    """A card as the version before stored it: among the spaces, ``<space>#alarm#<key>``."""
    fresh = DynamoAlarmMessages(TABLE_NAME, BOT_ID).item(card(space, message_name=message_name), NOW)
    return {**fresh, "bot_id": {"S": BOT_ID}, "space_id": {"S": f"{space}#alarm#{KEY}"}}


def test_cards_of_the_earlier_layout_are_handed_over_and_moved(
    cards: DynamoAlarmMessages, spaces: DynamoSpaceStore, dynamodb: Any
) -> None:
    spaces.put(SpaceRecord("spaces/AAA"))
    dynamodb.put_item(TableName=TABLE_NAME, Item=legacy_item("spaces/AAA", "spaces/AAA/messages/OLD"))
    assert [record.space for record in spaces.list_spaces()] == ["spaces/AAA"]
    (leftover,) = spaces.leftovers
    assert cards.migrate(spaces.leftovers) == 1
    spaces.list_spaces()
    assert spaces.leftovers == []
    moved = cards.get("spaces/AAA", KEY)
    assert moved is not None and moved.message_name == "spaces/AAA/messages/OLD"
    assert cards.migrate([leftover]) == 0  # moved already: a second move changes nothing


def test_a_click_on_a_card_of_the_earlier_layout_finds_it(cards: DynamoAlarmMessages, dynamodb: Any) -> None:
    dynamodb.put_item(TableName=TABLE_NAME, Item=legacy_item("spaces/AAA", "spaces/AAA/messages/OLD"))
    found = cards.get("spaces/AAA", KEY)  # the click handler reads the card first: that moves it
    assert found is not None and found.message_name == "spaces/AAA/messages/OLD"
    assert cards.acknowledge("spaces/AAA", KEY, Acknowledgement("users/1", "Jane", int(NOW)), NOW) is not None
    assert [item["bot_id"]["S"] for item in all_items(dynamodb)] == [f"{BOT_ID}#spaces/AAA"]
