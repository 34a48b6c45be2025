"""One space-name rule: the endpoint refuses, the store never writes, delivery skips a bad record."""

from __future__ import annotations

from typing import Any

import pytest

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.space_names import MAX_SPACE_NAME_LENGTH, is_space_name
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.aws import BOT_ID, TABLE_NAME

GOOD = ["spaces/AAAAMpdlehY", "spaces/a_b-C9", "spaces/" + "A" * (MAX_SPACE_NAME_LENGTH - 7)]
BAD = [
    "spaces/AAA/messages/M1",  # another resource of the Chat API
    "spaces/AAA#alarm#0123",  # the store's own key separator
    "spaces/AAA\x00",
    "spaces/AAA\n",  # `$` in a regular expression would let this through
    "spaces/",
    "spaces/AA A",
    "spaces/AAA?x=1",
    "spaces/../users",
    "spaces/ÄÄÄ",
    "users/AAA",
    " spaces/AAA",
    "spaces/" + "A" * (MAX_SPACE_NAME_LENGTH - 6),
    "",
    None,
    42,
]


@pytest.mark.parametrize("name", GOOD)
def test_space_names_google_gives(name: str) -> None:
    assert is_space_name(name)


@pytest.mark.parametrize("name", BAD, ids=repr)
def test_anything_else_is_not_a_space_name(name: Any) -> None:
    assert not is_space_name(name)


def test_the_store_never_writes_a_bad_name(dynamodb: Any) -> None:
    store = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)
    for write in (
        lambda: store.put(SpaceRecord("spaces/AAA/messages/M1")),
        lambda: store.put_if_absent(SpaceRecord("spaces/A#alarm#1")),
        lambda: store.add_filters("spaces/A B", ("prod-*",)),
    ):
        with pytest.raises(ValueError, match="not a space name"):
            write()
    assert dynamodb.scan(TableName=TABLE_NAME)["Items"] == []


def test_a_bad_record_found_stored_is_skipped_and_counted(dynamodb: Any) -> None:
    store = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)
    store.put(SpaceRecord("spaces/GOOD"))
    item = {"bot_id": {"S": BOT_ID}, "space_id": {"S": "spaces/AAA/messages/M1"}}
    dynamodb.put_item(TableName=TABLE_NAME, Item=item)
    assert [record.space for record in store.list_spaces()] == ["spaces/GOOD"]
    assert store.malformed == 1
