"""Parsers for the bot's own value sets: slash commands, time zone, bot id, log retention.

Split from :mod:`chatbot_stack.config` to keep it short; each parser names its context key in its
error, like :mod:`chatbot_stack.config_values`.
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from aws_cdk import aws_logs as logs

from alarm_bot.settings import COMMAND_NAMES
from chatbot_stack import config_values as parse

# The retention periods CloudWatch Logs accepts, by number of days.
RETENTION_DAYS: Final[Mapping[int, logs.RetentionDays]] = MappingProxyType(
    {
        1: logs.RetentionDays.ONE_DAY,
        3: logs.RetentionDays.THREE_DAYS,
        5: logs.RetentionDays.FIVE_DAYS,
        7: logs.RetentionDays.ONE_WEEK,
        14: logs.RetentionDays.TWO_WEEKS,
        30: logs.RetentionDays.ONE_MONTH,
        60: logs.RetentionDays.TWO_MONTHS,
        90: logs.RetentionDays.THREE_MONTHS,
        120: logs.RetentionDays.FOUR_MONTHS,
        150: logs.RetentionDays.FIVE_MONTHS,
        180: logs.RetentionDays.SIX_MONTHS,
        365: logs.RetentionDays.ONE_YEAR,
        400: logs.RetentionDays.THIRTEEN_MONTHS,
        545: logs.RetentionDays.EIGHTEEN_MONTHS,
        731: logs.RetentionDays.TWO_YEARS,
        1096: logs.RetentionDays.THREE_YEARS,
        1827: logs.RetentionDays.FIVE_YEARS,
        2192: logs.RetentionDays.SIX_YEARS,
        2557: logs.RetentionDays.SEVEN_YEARS,
        2922: logs.RetentionDays.EIGHT_YEARS,
        3288: logs.RetentionDays.NINE_YEARS,
        3653: logs.RetentionDays.TEN_YEARS,
    }
)

_BOT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_COMMAND_ID = re.compile(r"^[0-9]{1,4}$")


def slash_commands(value: object) -> Mapping[str, str]:
    """Chat sends the numeric command id; the console id must map to a command the bot knows."""
    key = "slashCommands"
    parsed = value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as error:
            raise ValueError(f"context key {key!r} is not valid JSON: {error.msg}") from None
    if not isinstance(parsed, dict):
        raise ValueError(f"context key {key!r} must be an object of command id to command name")
    commands: dict[str, str] = {}
    for command_id, name in parsed.items():
        if not _COMMAND_ID.match(str(command_id)):
            raise ValueError(f"context key {key!r}: command id {command_id!r} must be a number such as '1'")
        if not isinstance(name, str) or name.lstrip("/") not in COMMAND_NAMES:  # what the function knows
            raise ValueError(
                f"context key {key!r}: command id {command_id!r} maps to unknown command {name!r}; "
                f"known commands: {', '.join(COMMAND_NAMES)}"
            )
        commands[str(command_id)] = name.lstrip("/")
    return MappingProxyType(commands)


def time_zone(value: object) -> str:
    text = parse.text("timeZone", value)
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"context key 'timeZone' must be an IANA time zone such as 'UTC' or 'Asia/Seoul', not {text!r}"
        ) from None
    return text


def bot_id(value: object) -> str:
    text = parse.text("botId", value)
    if not _BOT_ID.match(text):
        raise ValueError(
            "context key 'botId' must be 1-128 letters, digits, '.', '_', ':' or '-' "
            f"(it is the table's partition key value), not {text!r}"
        )
    return text


def retention_days(value: object) -> int:
    days = parse.positive_integer("logRetentionDays", value)
    if days not in RETENTION_DAYS:
        allowed = ", ".join(str(day) for day in RETENTION_DAYS)
        raise ValueError(
            f"context key 'logRetentionDays' must be one of {allowed} (CloudWatch Logs), not {days}"
        )
    return days
