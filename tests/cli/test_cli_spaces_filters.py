"""``alarm-bot spaces`` shows account and region filters: as typed in Chat, an account's id next to
its name from the function's ``ACCOUNT_NAMES``; ``--json`` adds them by kind."""

from __future__ import annotations

import json

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.aws import BOT_ID
from tests.support.cli_runner import CliRunner
from tests.support.deployed_stack import deploy_stack

FILTERS = ("pay-*", "account:111122223333", "account:999988887777", "region:eu-west-1", "ECS:High*")


def stack_with(names: str) -> None:
    deployed = deploy_stack(environment={"ACCOUNT_NAMES": names})
    store = DynamoSpaceStore(deployed.table, BOT_ID, client=deployed.client("dynamodb"))
    store.put(SpaceRecord("spaces/AAAA", "결제팀", "SPACE", filters=FILTERS))


def test_the_table_lists_filters_as_typed_with_names(cli: CliRunner, aws: None) -> None:
    stack_with(json.dumps({"111122223333": "prod"}))
    result = cli("spaces")
    assert result.status == 0, result.err
    (row,) = result.out.splitlines()[1:]
    assert "name:ECS:High*, pay-*, account:prod (111122223333), account:999988887777, region:eu-west-1" in row


def test_json_has_the_stored_filters_and_each_kind(cli: CliRunner, aws: None) -> None:
    stack_with(json.dumps({"111122223333": "prod"}))
    (space,) = cli("spaces", "--json").json()
    assert space["filters"] == sorted(FILTERS)
    assert space["name_patterns"] == ["ECS:High*", "pay-*"]
    assert space["accounts"] == [
        {"id": "111122223333", "name": "prod"},
        {"id": "999988887777", "name": None},
    ]
    assert space["regions"] == ["eu-west-1"]


def test_names_the_function_would_refuse_just_show_ids(cli: CliRunner, aws: None) -> None:
    stack_with("{not json")
    result = cli("spaces")
    assert result.status == 0, result.err
    assert "account:111122223333, account:999988887777" in result.out
