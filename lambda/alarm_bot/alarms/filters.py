"""A space's filters: alarm-name patterns and ``account:`` / ``region:`` terms, kept in one string set.

A space that gives several kinds of term receives what matches all kinds (AND), and within one kind
any of its terms (OR): ``payments-* account:111122223333 region:ap-northeast-2 region:us-east-1``
is a payments alarm of that account in either region. Name patterns are globs, case-sensitive as
CloudWatch alarm names are; they can only match alarms, while account and region terms match any
notification that says where it comes from (:func:`~alarm_bot.alarms.places.place_of`). A
notification whose account (or region) is unknown matches no account (or region) term.

Stored as the space record's ``filters`` string set, as before: a name pattern as it is (what the
old bot and earlier versions stored, so their records read unchanged), an account as
``account:<12-digit id>`` (the id, not the name, so renaming an account in ``ACCOUNT_NAMES`` keeps
every space's filter) and a region as ``region:<code>``. One set keeps a mixed ``subscribe`` a
single atomic ADD. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Final

from alarm_bot.alarms.model import Alarm, Notification
from alarm_bot.alarms.places import AccountNames, Place, place_of, typed_account

ACCOUNT: Final = "account"
REGION: Final = "region"
NAME: Final = "name"  # typed before a pattern that would otherwise read as a term (``name:ECS:*``)
# What reads as ``key:value`` when typed: a word of letters, then a colon.
TERM_KEY: Final = re.compile(r"([^\W\d_]+):(.*)", re.DOTALL)


@dataclass(frozen=True)
class Filters:
    names: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()

    @classmethod
    def of(cls, stored: Iterable[str]) -> Filters:
        """Read a stored set; what is not an account or region term is a name pattern."""
        names, accounts, regions = [], [], []
        for term in stored:
            if term.startswith(f"{ACCOUNT}:"):
                accounts.append(term.removeprefix(f"{ACCOUNT}:"))
            elif term.startswith(f"{REGION}:"):
                regions.append(term.removeprefix(f"{REGION}:"))
            else:
                names.append(term)
        return cls(tuple(names), tuple(accounts), tuple(regions))

    @property
    def empty(self) -> bool:
        return not (self.names or self.accounts or self.regions)

    @property
    def names_only(self) -> bool:
        return not (self.accounts or self.regions)

    def matches(self, notification: Notification) -> bool:
        name = notification.name if isinstance(notification, Alarm) else None
        return self.matches_alarm(name, place_of(notification))

    def matches_alarm(self, name: str | None, place: Place) -> bool:
        """``name`` is ``None`` for a notification that is not an alarm: no pattern can match it."""
        if self.names and (name is None or not any(fnmatchcase(name, p) for p in self.names)):
            return False
        if self.accounts and place.account not in self.accounts:
            return False
        return not self.regions or place.region in self.regions


def account_term(account_id: str) -> str:
    return f"{ACCOUNT}:{account_id}"


def region_term(code: str) -> str:
    return f"{REGION}:{code}"


def reads_as_term(pattern: str) -> bool:
    """A name pattern that starts like ``word:``: typed (and shown) as ``name:<pattern>``."""
    return TERM_KEY.fullmatch(pattern) is not None


def display_term(stored: str, names: AccountNames) -> str:
    """A stored term as people type it (so it can be given back to ``unsubscribe``): an account by
    its name when that name can be typed."""
    if stored.startswith(f"{ACCOUNT}:"):
        return account_term(typed_account(stored.removeprefix(f"{ACCOUNT}:"), names))
    if stored.startswith(f"{REGION}:"):
        return stored
    return f"{NAME}:{stored}" if reads_as_term(stored) else stored


def ordered(stored: Iterable[str]) -> list[str]:
    """Name patterns, then accounts, then regions, each sorted: how status and the CLI list them."""
    filters = Filters.of(stored)
    return (
        sorted(filters.names)
        + [account_term(account) for account in sorted(filters.accounts)]
        + [region_term(region) for region in sorted(filters.regions)]
    )
