"""Read a command from what a user typed or picked, and check its arguments.

Users reach the bot three ways: a registered slash command (Chat sends only its id), ``/status``
typed as text, or ``@Bot status`` in a room. All three end in one :class:`Command`. Arguments are
checked here, before anything is stored, so a typo produces a precise reply and changes nothing;
filter terms (``prod-*``, ``account:prod``, ``region:ap-northeast-2``) become their stored form
(:mod:`alarm_bot.alarms.filters`), an account name its id. Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from alarm_bot.alarms.filters import ACCOUNT, NAME, REGION, TERM_KEY, Filters, account_term, region_term
from alarm_bot.alarms.parse_values import region_hint
from alarm_bot.alarms.places import NO_NAMES, AccountNames, is_region_code, resolve_account, typed_account
from alarm_bot.chat.command_names import COMMAND_NAMES
from alarm_bot.literal import literal

MAX_PATTERNS = 20
MAX_PATTERN_LENGTH = 255  # CloudWatch's own limit for alarm names
MIN_MUTE_SECONDS = 60
MAX_MUTE_SECONDS = 30 * 24 * 3600

# Korean words accepted as command names, for the team that used the old bot.
_ALIASES = {
    "도움말": "help",
    "상태": "status",
    "구독": "subscribe",
    "구독취소": "unsubscribe",
    "구독해지": "unsubscribe",
    "음소거": "mute",
    "음소거해제": "unmute",
    "멘션": "mention",
}
# Filter keys as typed, in either language (any capitalisation).
_KEYS = {ACCOUNT: ACCOUNT, REGION: REGION, NAME: NAME, "계정": ACCOUNT, "리전": REGION, "이름": NAME}
MAX_NAMES_LISTED = 10  # account names an error lists
_SWITCH = {"on": True, "off": False}
_DURATION = re.compile(r"^(?:(?P<d>\d{1,3})d)?(?:(?P<h>\d{1,4})h)?(?:(?P<m>\d{1,5})m)?$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class CommandArgumentError(ValueError):
    """A command's arguments are wrong. ``code`` and ``params`` select a localized reply."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Command:
    name: str
    terms: tuple[str, ...] = ()  # subscribe / unsubscribe: filter terms, as stored
    mute_seconds: int = 0
    enabled: bool = False  # mention on | off


@dataclass(frozen=True)
class UnknownCommand:
    """Text that names no command; the bot answers with short help."""

    word: str


def read_command(
    text: str,
    command_id: str | None,
    slash_commands: Mapping[str, str],
    account_names: AccountNames = NO_NAMES,
) -> Command | UnknownCommand:
    """Resolve a command from a slash-command id or the text, then validate its arguments."""
    words = text.split()
    if command_id is not None:
        name = slash_commands.get(command_id)
        if name is None:
            return UnknownCommand(word=f"#{command_id}")
        if words and words[0].startswith("/"):
            words = words[1:]  # APP_COMMAND text repeats the command: "/mute 1h"
        return _validated(name, words, account_names)
    if not words:
        return Command(name="help")
    word = words[0].lstrip("/").lower()
    name = _ALIASES.get(word, word)
    if name not in COMMAND_NAMES:
        return UnknownCommand(word=words[0])
    return _validated(name, words[1:], account_names)


def _validated(name: str, args: list[str], account_names: AccountNames) -> Command:
    if name in ("subscribe", "unsubscribe"):
        return Command(name=name, terms=read_terms(args, account_names))
    if name == "mute":
        if len(args) != 1:
            raise CommandArgumentError("mute_needs_duration")
        return Command(name=name, mute_seconds=parse_duration(args[0]))
    if name == "mention":
        if len(args) != 1 or args[0].lower() not in _SWITCH:
            raise CommandArgumentError("mention_needs_switch")
        return Command(name=name, enabled=_SWITCH[args[0].lower()])
    if args:
        raise CommandArgumentError("no_arguments", command=name)
    return Command(name=name)


def read_terms(args: list[str], account_names: AccountNames = NO_NAMES) -> tuple[str, ...]:
    """Typed filter terms in their stored form, in order, once each; the first bad one raises."""
    if len(dict.fromkeys(args)) > MAX_PATTERNS:
        raise CommandArgumentError("too_many_patterns", limit=MAX_PATTERNS)
    return tuple(dict.fromkeys(_term(arg, account_names) for arg in args))


def _term(arg: str, account_names: AccountNames) -> str:
    if len(arg) > MAX_PATTERN_LENGTH:
        raise CommandArgumentError("pattern_too_long", limit=MAX_PATTERN_LENGTH)
    if _CONTROL.search(arg):
        raise CommandArgumentError("pattern_bad_character")
    match = TERM_KEY.fullmatch(arg)
    if match is None:
        return _name_pattern(arg, arg)
    key = _KEYS.get(match.group(1).lower())
    value = match.group(2)
    if key is None:
        raise CommandArgumentError("term_unknown_key", term=literal(arg), kind=literal(match.group(1) + ":"))
    if not value:
        raise CommandArgumentError("term_empty", term=literal(arg))
    if key == ACCOUNT:
        return _account(value, account_names)
    if key == REGION:
        return _region(value)
    return _name_pattern(value, arg)


def _name_pattern(pattern: str, typed: str) -> str:
    """Stored as it is, so it must not read back as an account or region term."""
    if not Filters.of([pattern]).names:
        raise CommandArgumentError("pattern_reads_as_term", term=literal(typed))
    return pattern


def _account(value: str, account_names: AccountNames) -> str:
    account = resolve_account(value, account_names)
    if account is not None:
        return account_term(account)
    typed = (typed_account(account, account_names) for account in account_names)
    known = sorted((name for name in typed if name not in account_names), key=str.casefold)
    if not known:  # no names, or none that can be typed: there is nothing to offer
        raise CommandArgumentError("account_not_id", value=literal(value))
    listed = ", ".join(known[:MAX_NAMES_LISTED]) + (", …" if len(known) > MAX_NAMES_LISTED else "")
    raise CommandArgumentError("account_unknown", value=literal(value), names=literal(listed))


def _region(value: str) -> str:
    code = value.lower()
    if is_region_code(code):
        return region_term(code)
    hint = region_hint(value)
    if hint is not None:
        raise CommandArgumentError("region_hint", value=literal(value), suggestion=hint)
    raise CommandArgumentError("region_not_code", value=literal(value))


def parse_duration(raw: str) -> int:
    """``30m``, ``2h``, ``1d`` or combinations like ``1h30m`` → seconds, within 1 minute … 30 days."""
    match = _DURATION.match(raw)
    if not raw or match is None:
        raise CommandArgumentError("bad_duration", value=literal(raw))
    days, hours, minutes = (int(match.group(unit) or 0) for unit in ("d", "h", "m"))
    seconds = days * 86400 + hours * 3600 + minutes * 60
    if not MIN_MUTE_SECONDS <= seconds <= MAX_MUTE_SECONDS:
        raise CommandArgumentError("duration_out_of_range", value=literal(raw))
    return seconds
