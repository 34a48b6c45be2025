"""The multi-account context keys: ``organizationId``, ``accountNames``, and the forwarder's keys."""

from __future__ import annotations

import json

import pytest

from chatbot_stack.alarm_topic import AlarmSources
from chatbot_stack.config import BotConfig
from chatbot_stack.config_accounts import MAX_ACCOUNT_NAMES_BYTES, account_names_json
from chatbot_stack.forwarder import ForwarderConfig
from tests.infra.test_bot_config import CHOSEN

BUS_ARN = "arn:aws:events:ap-northeast-2:123456789012:event-bus/AlarmChatBot-alarms"


def test_defaults() -> None:
    config = BotConfig.from_mapping(CHOSEN)
    assert config.organization_id is None
    assert dict(config.account_names) == {}
    assert config.alarm_sources == AlarmSources((), None)
    assert ForwarderConfig.from_mapping({}) == ForwarderConfig((), None)


def test_organization_and_trusted_accounts_make_the_alarm_sources() -> None:
    config = BotConfig.from_mapping(
        {**CHOSEN, "organizationId": " o-a1b2c3d4e5 ", "trustedAccountIds": "111122223333"}
    )
    assert config.organization_id == "o-a1b2c3d4e5"
    assert config.alarm_sources == AlarmSources(("111122223333",), "o-a1b2c3d4e5")


@pytest.mark.parametrize(
    "raw",
    [
        {"111122223333": "prod", "012345678901": " 운영 (서울) "},
        '{"111122223333": "prod", "012345678901": "운영 (서울)"}',  # what -c delivers
    ],
)
def test_account_names_as_object_or_json_text(raw: object) -> None:
    names = BotConfig.from_mapping({**CHOSEN, "accountNames": raw}).account_names
    assert dict(names) == {"111122223333": "prod", "012345678901": "운영 (서울)"}
    assert account_names_json(names) == '{"111122223333":"prod","012345678901":"운영 (서울)"}'


@pytest.mark.parametrize("raw", ["", " ", "{}", {}])
def test_no_account_names(raw: object) -> None:
    assert dict(BotConfig.from_mapping({**CHOSEN, "accountNames": raw}).account_names) == {}


def test_account_names_are_immutable() -> None:
    names = BotConfig.from_mapping({**CHOSEN, "accountNames": {"111122223333": "prod"}}).account_names
    with pytest.raises(TypeError):
        names["111122223333"] = "dev"  # type: ignore[index]


def test_account_names_must_fit_the_functions_environment() -> None:
    """Lambda's 4 KB is for all variables together; the names get what the bot leaves."""
    fits = {f"{100000000000 + index}": "n" * 10 for index in range(80)}
    assert len(account_names_json(fits).encode()) <= MAX_ACCOUNT_NAMES_BYTES
    assert len(BotConfig.from_mapping({**CHOSEN, "accountNames": fits}).account_names) == 80
    too_many = {f"{100000000000 + index}": "n" * 64 for index in range(40)}
    with pytest.raises(ValueError, match=r"context key 'accountNames' is .* bytes as JSON.*4 KB"):
        BotConfig.from_mapping({**CHOSEN, "accountNames": json.dumps(too_many)})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({}, ForwarderConfig((), None)),
        (
            {"alarmBusArn": BUS_ARN, "alarmNamePrefixes": "prod-, api-"},
            ForwarderConfig(("prod-", "api-"), BUS_ARN),
        ),
        ({"alarmBusArn": "", "alarmNamePrefixes": []}, ForwarderConfig((), None)),
        ({"alarmBusArn": f" {BUS_ARN} "}, ForwarderConfig((), BUS_ARN)),
    ],
)
def test_forwarder_config(raw: dict[str, object], expected: ForwarderConfig) -> None:
    assert ForwarderConfig.from_mapping(raw) == expected


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("alarmBusArn", "AlarmChatBot-alarms", "must be an event bus ARN"),
        ("alarmBusArn", "arn:aws:sns:eu-west-1:123456789012:alarms", "must be an event bus ARN"),
        ("alarmBusArn", "arn:aws:events:eu-west-1:1234:event-bus/x", "must be an event bus ARN"),
        ("alarmNamePrefixes", ["prod\x07-"], "cannot start an alarm name"),
    ],
)
def test_bad_forwarder_values_name_the_context_key(key: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"context key '{key}'") as error:
        ForwarderConfig.from_mapping({key: value})
    assert message in str(error.value)
