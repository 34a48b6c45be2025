"""``alarm-bot spaces``: the subscribed spaces as the bot stores them, and removing one."""

from __future__ import annotations

import time
from typing import Any

import pytest

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.store.spaces import DynamoSpaceStore
from alarm_bot_cli.output import width
from tests.support.aws import BOT_ID, all_items
from tests.support.cli_runner import CliRunner
from tests.support.deployed_stack import DeployedStack, deploy_stack

MUTED_UNTIL = int(time.time()) + 3600


@pytest.fixture
def store(deployed: DeployedStack) -> DynamoSpaceStore:
    spaces = DynamoSpaceStore(deployed.table, BOT_ID, client=deployed.client("dynamodb"))
    spaces.put(
        SpaceRecord(
            "spaces/AAAA",
            "결제팀 알람",
            "SPACE",
            "users/1",
            "2026-01-02T03:04:05Z",
            filters=("pay-*", "api-?"),
        )
    )
    spaces.put(
        SpaceRecord("spaces/BBBB", "Ops", "SPACE", "users/2", "2026-02-03T04:05:06Z", muted_until=MUTED_UNTIL)
    )
    spaces.put(
        SpaceRecord("spaces/CCCC", "", "DIRECT_MESSAGE", "users/3", "2026-03-04T05:06:07Z", subscribed=False)
    )
    return spaces


def related_item(deployed: DeployedStack, space: str) -> None:
    """A record stored for a space under ``<space>#…``, which removing the space must take along."""
    item: Any = {"bot_id": {"S": BOT_ID}, "space_id": {"S": f"{space}#thread#1"}}
    deployed.client("dynamodb").put_item(TableName=deployed.table, Item=item)


def test_lists_spaces_as_a_table(cli: CliRunner, store: DynamoSpaceStore) -> None:
    result = cli("spaces")
    assert result.status == 0, result.err
    header, *rows = result.out.splitlines()
    assert header.split()[:3] == ["SPACE", "NAME", "TYPE"]
    assert [row.split()[0] for row in rows] == ["spaces/AAAA", "spaces/BBBB", "spaces/CCCC"]
    assert "api-?, pay-*" in rows[0] and "all alarms" in rows[1] and "nothing (unsubscribed)" in rows[2]
    assert "UTC" in rows[1], "the mute, in the bot's time zone"
    type_column = width(header[: header.index("TYPE")])
    assert width(rows[0][: rows[0].index(" SPACE ") + 1]) == type_column, (
        "a Korean name keeps columns aligned"
    )


def test_lists_spaces_as_json(cli: CliRunner, store: DynamoSpaceStore) -> None:
    result = cli("spaces", "list", "--json")
    assert result.status == 0
    spaces = {space["space"]: space for space in result.json()}
    assert spaces["spaces/AAAA"]["filters"] == ["api-?", "pay-*"]
    assert spaces["spaces/BBBB"]["muted_until"] == MUTED_UNTIL
    assert spaces["spaces/CCCC"]["subscribed"] is False
    assert spaces["spaces/AAAA"]["added_by"] == "users/1"


def test_no_spaces_says_how_to_add_one(cli: CliRunner, deployed: DeployedStack) -> None:
    result = cli("spaces")
    assert result.status == 0 and "add the bot to a space" in result.out
    assert cli("spaces", "--json").json() == []


def test_bot_id_comes_from_the_function(cli: CliRunner, aws: None) -> None:
    deployed = deploy_stack(bot_id="other-bot")
    DynamoSpaceStore(deployed.table, "other-bot", client=deployed.client("dynamodb")).put(
        SpaceRecord("spaces/X")
    )
    DynamoSpaceStore(deployed.table, BOT_ID, client=deployed.client("dynamodb")).put(SpaceRecord("spaces/Y"))
    assert [space["space"] for space in cli("spaces", "--json").json()] == ["spaces/X"]


def test_remove_deletes_the_space_and_its_records(
    cli: CliRunner, deployed: DeployedStack, store: DynamoSpaceStore
) -> None:
    related_item(deployed, "spaces/AAAA")
    result = cli("spaces", "remove", "AAAA")
    assert result.status == 0, result.err
    assert "Removed spaces/AAAA (결제팀 알람)" in result.out and "2 item(s)" in result.out
    remaining = sorted(
        item["space_id"]["S"] for item in all_items(deployed.client("dynamodb"), deployed.table)
    )
    assert remaining == ["spaces/BBBB", "spaces/CCCC"]


def test_remove_an_unknown_space(cli: CliRunner, deployed: DeployedStack, store: DynamoSpaceStore) -> None:
    result = cli("spaces", "remove", "spaces/NOPE")
    assert result.status == 1 and result.one_line_error
    assert "spaces/NOPE is not a subscribed space of AlarmChatBot" in result.err
    assert len(all_items(deployed.client("dynamodb"), deployed.table)) == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["spaces", "remove"], "spaces remove needs the SPACE"),
        (["spaces", "list", "x"], "spaces list takes no SPACE"),
    ],
)
def test_usage_errors(argv: list[str], message: str, cli: CliRunner, deployed: DeployedStack) -> None:
    result = cli(*argv)
    assert result.status == 2 and result.one_line_error and message in result.err


def test_shows_mention_and_alarms_muted_from_cards(cli: CliRunner, store: DynamoSpaceStore) -> None:
    store.set_mention("spaces/AAAA", True)
    store.mute_alarm("spaces/AAAA", "alarm-0123456789abcdef", MUTED_UNTIL)
    spaces = {space["space"]: space for space in cli("spaces", "--json").json()}
    assert spaces["spaces/AAAA"]["mention"] is True and spaces["spaces/AAAA"]["alarms_muted"] == 1
    assert spaces["spaces/BBBB"]["mention"] is False and spaces["spaces/BBBB"]["alarms_muted"] == 0
    row = next(line for line in cli("spaces").out.splitlines() if line.startswith("spaces/AAAA"))
    assert "1 alarm(s)" in row
