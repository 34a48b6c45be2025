"""Parsers for the multi-account context keys: ``organizationId``, ``accountNames``, ``alarmBusArn``.

Like :mod:`chatbot_stack.config_values`, every parser names its context key in its error, and
accepts the text form ``cdk -c key=value`` delivers (``accountNames`` as a JSON string).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from alarm_bot.settings import ACCOUNT_NAME_MAX_LENGTH
from chatbot_stack import config_values as parse

# AWS Organizations' format for an organization id (the CDK's OrganizationPrincipal checks the same).
ORGANIZATION_ID: Final = re.compile(r"^o-[a-z0-9]{10,32}$")
# Lambda allows 4 KB for all of a function's environment variables together; the bot's own take
# about 1 KB (queue URLs, ARNs), so the names get what is safely left.
MAX_ACCOUNT_NAMES_BYTES: Final = 2500
# An EventBridge event bus ARN: partition, region, account, then the bus name (letters, digits, . - _ /).
EVENT_BUS_ARN: Final = re.compile(
    r"^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]{1,256}$"
)
_CONTROL_CHARACTERS: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")


# An AWS Organizations id such as ``o-a1b2c3d4e5``, or ``None`` for the empty string.
organization_id: Final = parse.optional_pattern(
    ORGANIZATION_ID,
    must_be="an AWS Organizations id such as 'o-a1b2c3d4e5' (o- and 10-32 lowercase letters or "
    "digits; the Organizations console shows it)",
)


def account_names(key: str, value: object) -> Mapping[str, str]:
    """12-digit account id → display name, from an object or its JSON text; ``""`` means none."""
    parsed = _json_object(key, value)
    names: dict[str, str] = {}
    for account, name in parsed.items():
        if not isinstance(account, str) or not parse.ACCOUNT_ID.match(account.strip()):
            raise ValueError(f"context key {key!r}: {account!r} is not a 12-digit AWS account id")
        names[account.strip()] = _account_name(key, account.strip(), name)
    size = len(account_names_json(names).encode())
    if size > MAX_ACCOUNT_NAMES_BYTES:
        raise ValueError(
            f"context key {key!r} is {size} bytes as JSON, more than {MAX_ACCOUNT_NAMES_BYTES}: it becomes "
            "the functions' ACCOUNT_NAMES variable and Lambda allows 4 KB for all variables together; "
            "use shorter names or name fewer accounts"
        )
    return MappingProxyType(names)


def account_names_json(names: Mapping[str, str]) -> str:
    """The ``ACCOUNT_NAMES`` variable: compact JSON, names as written (UTF-8 is shorter than escapes)."""
    return json.dumps(dict(names), separators=(",", ":"), ensure_ascii=False)


# An EventBridge event bus ARN, or ``None`` for the empty string.
event_bus_arn: Final = parse.optional_pattern(
    EVENT_BUS_ARN,
    must_be="an event bus ARN such as 'arn:aws:events:eu-west-1:111122223333:event-bus/AlarmChatBot-alarms'",
)


def _json_object(key: str, value: object) -> Mapping[object, object]:
    parsed = value
    if isinstance(value, str):
        stripped = value.strip()
        try:
            parsed = json.loads(stripped) if stripped else {}
        except json.JSONDecodeError as error:
            raise ValueError(f"context key {key!r} is not valid JSON: {error.msg}") from None
    if not isinstance(parsed, Mapping):
        raise ValueError(
            f"context key {key!r} must be an object of account id to name, such as "
            f'{{"111122223333": "prod"}}, not {value!r}'
        )
    return parsed


def _account_name(key: str, account: str, name: object) -> str:
    """A name fit for a card and a log line: 1-64 characters, none of them control characters."""
    text = name.strip() if isinstance(name, str) else ""
    if not text or len(text) > ACCOUNT_NAME_MAX_LENGTH or _CONTROL_CHARACTERS.search(text):
        raise ValueError(
            f"context key {key!r}: the name of {account} must be a string of 1-{ACCOUNT_NAME_MAX_LENGTH} "
            f"characters without control characters, not {name!r}"
        )
    return text
