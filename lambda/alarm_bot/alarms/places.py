"""Where a notification comes from (an AWS account and a region), checked and shown one way everywhere.

Three readers need the same rules: the filters (``account:`` and ``region:`` terms), the
``AlarmsReceived`` metric (whose dimensions must never be whatever a payload claims, or hostile
input could create metrics at will) and the cards (an account is shown by its name from
``ACCOUNT_NAMES``). An account id is 12 ASCII digits; a region code has the shape every AWS region
has had so far (``ap-northeast-2``, ``us-gov-west-1``, ``us-isob-east-1``). Pure functions.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from alarm_bot.alarms.model import Alarm, Notification
from alarm_bot.alarms.parse_values import arn_parts

# ASCII only and anchored at both ends: ``\d`` would accept other scripts' digits, ``$`` a newline.
ACCOUNT_ID: Final = re.compile(r"[0-9]{12}")
REGION_CODE: Final = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]")

AccountNames = Mapping[str, str]  # 12-digit account id → the name people know it by
NO_NAMES: Final[AccountNames] = MappingProxyType({})


@dataclass(frozen=True)
class Place:
    """The account and region a notification is filed under; either may be unknown."""

    account: str | None = None
    region: str | None = None


def is_account_id(value: object) -> bool:
    return isinstance(value, str) and ACCOUNT_ID.fullmatch(value) is not None


def is_region_code(value: object) -> bool:
    return isinstance(value, str) and REGION_CODE.fullmatch(value) is not None


def place_of(notification: Notification) -> Place:
    """Its own account and region when well-formed; for an alarm that names neither (the old bot's
    hand-published JSON), those of the SNS topic it was published to: the bot's own."""
    account, region = notification.account, notification.region
    if isinstance(notification, Alarm) and notification.topic_arn:
        topic = arn_parts(notification.topic_arn)
        account = account or topic.account
        region = region or topic.region
    return Place(
        account if is_account_id(account) else None,
        region if is_region_code(region) else None,
    )


def account_label(account: str | None, names: AccountNames) -> str | None:
    """What a card calls an account: its name when it has one, else its id."""
    if not account:
        return None
    return names.get(account) or account


def account_detail(account: str | None, names: AccountNames) -> str | None:
    """The name and the id (``prod (111122223333)``): the id is what a console sign-in asks for."""
    if not account:
        return None
    name = names.get(account)
    return f"{name} ({account})" if name else account


def resolve_account(value: str, names: AccountNames) -> str | None:
    """The id a person means by ``value``: an id as it is, else a name exactly as configured, else
    the one name equal to it in any capitalisation (two such names: ``None``, it is ambiguous)."""
    if is_account_id(value):
        return value
    exact = [account for account, name in names.items() if name == value]
    if len(exact) == 1:
        return exact[0]
    wanted = value.casefold()
    folded = [account for account, name in names.items() if name.casefold() == wanted]
    return folded[0] if len(folded) == 1 else None


def typed_account(account: str, names: AccountNames) -> str:
    """How to type ``account`` in ``account:…``: its name if that reads back as this account (one
    word, unambiguous, not an id itself), else its id."""
    name = names.get(account)
    if name is None or any(character.isspace() for character in name):
        return account
    return name if resolve_account(name, names) == account else account


def alarm_sources(notifications: Iterable[Notification]) -> Counter[tuple[str, str]]:
    """How many alarms came from each (account, region); alarms whose place is unknown or
    malformed are left out, so these can be metric dimensions whatever a payload says."""
    counts: Counter[tuple[str, str]] = Counter()
    for notification in notifications:
        place = place_of(notification)
        if isinstance(notification, Alarm) and place.account and place.region:
            counts[(place.account, place.region)] += 1
    return counts
