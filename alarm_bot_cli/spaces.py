"""``alarm-bot spaces [list]`` and ``alarm-bot spaces remove SPACE``: who receives alarms.

Read and changed through the bot's own :class:`DynamoSpaceStore`, so the table, the bot id
partition and the "a space and its related records" rule are the ones the functions use. The bot
id (and ``ACCOUNT_NAMES``, so filters name accounts as Chat does) comes from the fan-out function's
environment, the table from the stack's outputs.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from alarm_bot.alarms.filters import Filters, display_term, ordered
from alarm_bot.alarms.places import NO_NAMES, AccountNames, account_detail
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.settings import SettingsError, account_names
from alarm_bot.store.spaces import DynamoSpaceStore
from alarm_bot.timefmt import format_epoch, zone
from alarm_bot_cli.errors import CommandError, UsageError
from alarm_bot_cli.output import print_json, print_table, say
from alarm_bot_cli.stack import TABLE_NAME, Deployment, connect

SPACE_PREFIX = "spaces/"


def run(args: argparse.Namespace) -> int:
    if args.action == "list":
        if args.space:
            raise UsageError("spaces list takes no SPACE (did you mean: alarm-bot spaces remove SPACE?)")
        return _list(args)
    if not args.space:
        raise UsageError(
            "spaces remove needs the SPACE to remove, e.g. spaces/AAAAxyz (see: alarm-bot spaces)"
        )
    return _remove(args, _space_name(args.space))


def store_for(deployment: Deployment) -> DynamoSpaceStore:
    table = deployment.stack.output(TABLE_NAME)
    return DynamoSpaceStore(table, deployment.bot_id(), client=deployment.dynamodb())


def _list(args: argparse.Namespace) -> int:
    deployment = connect(args)
    records = sorted(store_for(deployment).list_spaces(), key=lambda record: record.space)
    names = _account_names(deployment)
    if args.json:
        print_json([_as_json(record, names) for record in records])
        return 0
    if not records:
        say("No spaces yet: add the bot to a space in Google Chat (Apps & integrations > Add apps).")
        return 0
    time_zone = _time_zone(deployment)
    now = time.time()
    rows = [
        (
            record.space,
            record.display_name,
            record.space_type,
            receives(record, names),
            _mute(record, now, time_zone),
            record.added_by,
            record.added_at,
        )
        for record in records
    ]
    print_table(("SPACE", "NAME", "TYPE", "RECEIVES", "MUTED UNTIL", "ADDED BY", "ADDED AT"), rows)
    return 0


def _remove(args: argparse.Namespace, space: str) -> int:
    deployment = connect(args)
    store = store_for(deployment)
    record = store.get(space)
    if record is None:
        raise CommandError(
            f"{space} is not a subscribed space of {deployment.stack.name} (see: alarm-bot spaces)"
        )
    removed = store.remove(space)
    if args.json:
        print_json({"space": space, "display_name": record.display_name, "items_removed": removed})
        return 0
    name = f" ({record.display_name})" if record.display_name else ""
    say(f"Removed {space}{name} and everything stored for it ({removed} item(s)).")
    say("The bot is still a member of the space in Google Chat: remove it there too, or it comes back")
    say("the next time someone mentions it.")
    return 0


def receives(record: SpaceRecord, names: AccountNames = NO_NAMES) -> str:
    """What the space gets: everything, nothing, or its filters as typed in Chat (an account's id
    next to its name), patterns first: ``pay-*, account:prod (111122223333), region:eu-west-1``."""
    if not record.subscribed:
        return "nothing (unsubscribed)"
    if record.filters:
        return ", ".join(_shown_term(term, names) for term in ordered(record.filters))
    return "all alarms"


def _shown_term(term: str, names: AccountNames) -> str:
    accounts = Filters.of([term]).accounts
    if accounts and names.get(accounts[0]):
        return f"account:{account_detail(accounts[0], names)}"
    return display_term(term, names)


def _account_names(deployment: Deployment) -> AccountNames:
    """The bot's ``ACCOUNT_NAMES``; a value the function would refuse just means ids are shown."""
    try:
        return account_names(deployment.function_environment().get("ACCOUNT_NAMES", ""))
    except SettingsError:
        return NO_NAMES


def _mute(record: SpaceRecord, now: float, time_zone: str) -> str:
    """The space's mute, else how many single alarms are muted there (from their cards)."""
    if record.muted_until is not None and record.is_muted(now):
        return format_epoch(record.muted_until, time_zone)
    muted_alarms = _muted_alarms(record, now)
    return f"{muted_alarms} alarm(s)" if muted_alarms else ""


def _muted_alarms(record: SpaceRecord, now: float) -> int:
    return sum(1 for key in record.alarm_mutes if record.alarm_muted_until(key, now) is not None)


def _time_zone(deployment: Deployment) -> str:
    """The bot's ``TIME_ZONE``, so mutes read as they do in Chat; UTC if it is unusable."""
    name = deployment.function_environment().get("TIME_ZONE", "").strip() or "UTC"
    try:
        zone(name)
    except (KeyError, ValueError, OSError):
        return "UTC"
    return name


def _as_json(record: SpaceRecord, names: AccountNames) -> dict[str, Any]:
    now = time.time()
    filters = Filters.of(record.filters)
    return {
        "space": record.space,
        "display_name": record.display_name,
        "space_type": record.space_type,
        "subscribed": record.subscribed,
        "filters": list(record.filters),  # as stored: name patterns, account:ID, region:CODE
        "name_patterns": sorted(filters.names),
        "accounts": [{"id": account, "name": names.get(account)} for account in sorted(filters.accounts)],
        "regions": sorted(filters.regions),
        "muted_until": record.muted_until if record.is_muted(now) else None,
        "alarms_muted": _muted_alarms(record, now),
        "mention": record.mention,
        "added_by": record.added_by,
        "added_at": record.added_at,
    }


def _space_name(space: str) -> str:
    """``spaces/AAAA`` as Chat names it; the bare id is accepted too."""
    space = space.strip()
    return space if space.startswith(SPACE_PREFIX) else SPACE_PREFIX + space
