"""The DynamoDB space store, against moto, with the old bot's key schema."""

from __future__ import annotations

from typing import Any

import pytest

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.store.spaces import DynamoSpaceStore, SpaceNotFound
from tests.support.aws import BOT_ID, TABLE_NAME, all_items


@pytest.fixture
def store(dynamodb: Any) -> DynamoSpaceStore:
    return DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)


def record(space: str = "spaces/AAA", **fields: Any) -> SpaceRecord:
    base: dict[str, Any] = {
        "display_name": "운영팀",
        "space_type": "SPACE",
        "added_by": "Ada",
        "added_at": "2026-11-27T10:00:00Z",
    }
    return SpaceRecord(space=space, **{**base, **fields})


def test_put_and_get_round_trip(store: DynamoSpaceStore) -> None:
    original = record(filters=("a-*", "b-*"), muted_until=1_900_000_000)
    store.put(original)
    assert store.get("spaces/AAA") == original
    assert store.get("spaces/OTHER") is None


def test_items_use_the_old_key_schema(store: DynamoSpaceStore, dynamodb: Any) -> None:
    store.put(record())
    (item,) = all_items(dynamodb)
    assert item["bot_id"] == {"S": BOT_ID}
    assert item["space_id"] == {"S": "spaces/AAA"}


def test_an_item_written_by_the_old_bot_reads_as_subscribed_to_everything(
    store: DynamoSpaceStore, dynamodb: Any
) -> None:
    dynamodb.put_item(TableName=TABLE_NAME, Item={"bot_id": {"S": BOT_ID}, "space_id": {"S": "spaces/OLD"}})
    assert store.get("spaces/OLD") == SpaceRecord(space="spaces/OLD")
    assert [r.space for r in store.list_spaces()] == ["spaces/OLD"]


def test_put_if_absent_keeps_an_existing_record(store: DynamoSpaceStore) -> None:
    store.put(record(filters=("x",)))
    assert store.put_if_absent(record(added_by="someone else")) is False
    stored = store.get("spaces/AAA")
    assert stored is not None and stored.added_by == "Ada" and stored.filters == ("x",)
    assert store.put_if_absent(record("spaces/NEW")) is True


def test_filters_are_added_and_removed_as_a_set(store: DynamoSpaceStore) -> None:
    store.put(record())
    store.add_filters("spaces/AAA", ("b-*", "a-*"))
    store.add_filters("spaces/AAA", ("a-*", "c"))
    assert store.get("spaces/AAA").filters == ("a-*", "b-*", "c")  # type: ignore[union-attr]
    store.remove_filters("spaces/AAA", ("a-*", "c"))
    assert store.get("spaces/AAA").filters == ("b-*",)  # type: ignore[union-attr]
    store.remove_filters("spaces/AAA", ("b-*",))
    assert store.get("spaces/AAA").filters == ()  # type: ignore[union-attr]


def test_subscribe_and_unsubscribe_all(store: DynamoSpaceStore) -> None:
    store.put(record(filters=("a",)))
    store.unsubscribe_all("spaces/AAA")
    assert store.get("spaces/AAA") == record(subscribed=False)
    store.subscribe_all("spaces/AAA")
    assert store.get("spaces/AAA") == record()


def test_mute_and_unmute(store: DynamoSpaceStore) -> None:
    store.put(record())
    store.set_muted_until("spaces/AAA", 2_000_000_000)
    muted = store.get("spaces/AAA")
    assert muted is not None and muted.muted_until == 2_000_000_000
    assert muted.is_muted(1_999_999_999) and not muted.is_muted(2_000_000_000)
    store.set_muted_until("spaces/AAA", None)
    assert store.get("spaces/AAA").muted_until is None  # type: ignore[union-attr]


def test_updates_never_create_a_record_for_an_unknown_space(store: DynamoSpaceStore, dynamodb: Any) -> None:
    for update in (
        lambda: store.add_filters("spaces/GONE", ("a",)),
        lambda: store.remove_filters("spaces/GONE", ("a",)),
        lambda: store.subscribe_all("spaces/GONE"),
        lambda: store.unsubscribe_all("spaces/GONE"),
        lambda: store.set_muted_until("spaces/GONE", 1),
    ):
        with pytest.raises(SpaceNotFound):
            update()
    assert all_items(dynamodb) == []


def test_remove_deletes_the_space_and_everything_stored_for_it(
    store: DynamoSpaceStore, dynamodb: Any
) -> None:
    store.put(record("spaces/AAA"))
    store.put(record("spaces/AAAB"))  # shares a prefix, must survive
    for index in range(30):  # more than one BatchWriteItem call
        dynamodb.put_item(
            TableName=TABLE_NAME,
            Item={"bot_id": {"S": BOT_ID}, "space_id": {"S": f"spaces/AAA#alarm#{index:02d}"}},
        )
    assert store.remove("spaces/AAA") == 31
    assert [item["space_id"]["S"] for item in all_items(dynamodb)] == ["spaces/AAAB"]


def test_list_returns_spaces_of_this_bot_only(store: DynamoSpaceStore, dynamodb: Any) -> None:
    store.put(record("spaces/A"))
    store.put(record("spaces/B", subscribed=False))
    dynamodb.put_item(
        TableName=TABLE_NAME, Item={"bot_id": {"S": BOT_ID}, "space_id": {"S": "spaces/A#alarm#x"}}
    )
    DynamoSpaceStore(TABLE_NAME, "another-bot", client=dynamodb).put(record("spaces/C"))
    assert sorted(r.space for r in store.list_spaces()) == ["spaces/A", "spaces/B"]


def test_mention_and_per_alarm_mutes_round_trip(store: DynamoSpaceStore) -> None:
    original = record(mention=True, alarm_mutes={"a" * 40: 1_900_000_000})
    store.put(original)
    assert store.get("spaces/AAA") == original


def test_mention_is_switched(store: DynamoSpaceStore) -> None:
    store.put(record())
    store.set_mention("spaces/AAA", True)
    assert store.get("spaces/AAA").mention is True  # type: ignore[union-attr]
    store.set_mention("spaces/AAA", False)
    assert store.get("spaces/AAA").mention is False  # type: ignore[union-attr]
    with pytest.raises(SpaceNotFound):
        store.set_mention("spaces/GONE", True)


def test_per_alarm_mutes_are_entries_of_one_map(store: DynamoSpaceStore) -> None:
    store.put(record())
    store.mute_alarm("spaces/AAA", "a" * 40, 1_000)  # creates the map
    store.mute_alarm("spaces/AAA", "b" * 40, 2_000)  # adds an entry, keeps the first
    store.mute_alarm("spaces/AAA", "c" * 40, 3_000, expired=("a" * 40,))  # and drops the expired one
    stored = store.get("spaces/AAA")
    assert stored is not None and stored.alarm_mutes == {"b" * 40: 2_000, "c" * 40: 3_000}
    assert stored.alarm_muted_until("b" * 40, 1_999) == 2_000
    assert stored.alarm_muted_until("b" * 40, 2_000) is None
    assert stored.expired_alarm_mutes(2_500) == ("b" * 40,)


def test_muting_again_moves_the_end(store: DynamoSpaceStore) -> None:
    store.put(record())
    store.mute_alarm("spaces/AAA", "a" * 40, 1_000)
    store.mute_alarm("spaces/AAA", "a" * 40, 5_000, expired=("a" * 40,))  # never drops what it sets
    assert store.get("spaces/AAA").alarm_mutes == {"a" * 40: 5_000}  # type: ignore[union-attr]


def test_muting_an_alarm_of_an_unknown_space_fails(store: DynamoSpaceStore) -> None:
    with pytest.raises(SpaceNotFound):
        store.mute_alarm("spaces/GONE", "a" * 40, 1_000)


def test_clear_mutes_ends_every_mute(store: DynamoSpaceStore) -> None:
    store.put(record(muted_until=9_000, alarm_mutes={"a" * 40: 9_000}))
    store.clear_mutes("spaces/AAA")
    stored = store.get("spaces/AAA")
    assert stored is not None and (stored.muted_until, stored.alarm_mutes) == (None, {})
