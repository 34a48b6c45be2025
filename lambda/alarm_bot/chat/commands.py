"""Read a command from what a user typed or picked, and check its arguments.

Users reach the bot three ways: a registered slash command (Chat sends only its id), ``/status``
typed as text, or ``@Bot status`` in a room. All three end in one :class:`Command`. Arguments are
checked here, before anything is stored, so a typo produces a precise reply and changes nothing.
Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

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
_NAMES = ("help", "status", "subscribe", "unsubscribe", "mute", "unmute", "mention")
_SWITCH = {"on": True, "off": False}
_DURATION = re.compile(r"^(?:(?P<d>\d{1,3})d)?(?:(?P<h>\d{1,4})h)?(?:(?P<m>\d{1,5})m)?$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class CommandError(ValueError):
    """A command's arguments are wrong. ``code`` and ``params`` select a localized reply."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Command:
    name: str
    patterns: tuple[str, ...] = ()
    mute_seconds: int = 0
    enabled: bool = False  # mention on | off


@dataclass(frozen=True)
class UnknownCommand:
    """Text that names no command; the bot answers with short help."""

    word: str


def read_command(
    text: str, command_id: str | None, slash_commands: Mapping[str, str]
) -> Command | UnknownCommand:
    """Resolve a command from a slash-command id or the text, then validate its arguments."""
    words = text.split()
    if command_id is not None:
        name = slash_commands.get(command_id)
        if name is None:
            return UnknownCommand(word=f"#{command_id}")
        if words and words[0].startswith("/"):
            words = words[1:]  # APP_COMMAND text repeats the command: "/mute 1h"
        return _validated(name, words)
    if not words:
        return Command(name="help")
    word = words[0].lstrip("/").lower()
    name = _ALIASES.get(word, word)
    if name not in _NAMES:
        return UnknownCommand(word=words[0])
    return _validated(name, words[1:])


def _validated(name: str, args: list[str]) -> Command:
    if name in ("subscribe", "unsubscribe"):
        return Command(name=name, patterns=_patterns(args))
    if name == "mute":
        if len(args) != 1:
            raise CommandError("mute_needs_duration")
        return Command(name=name, mute_seconds=parse_duration(args[0]))
    if name == "mention":
        if len(args) != 1 or args[0].lower() not in _SWITCH:
            raise CommandError("mention_needs_switch")
        return Command(name=name, enabled=_SWITCH[args[0].lower()])
    if args:
        raise CommandError("no_arguments", command=name)
    return Command(name=name)


def _patterns(args: list[str]) -> tuple[str, ...]:
    unique = tuple(dict.fromkeys(args))
    if len(unique) > MAX_PATTERNS:
        raise CommandError("too_many_patterns", limit=MAX_PATTERNS)
    for pattern in unique:
        if len(pattern) > MAX_PATTERN_LENGTH:
            raise CommandError("pattern_too_long", limit=MAX_PATTERN_LENGTH)
        if _CONTROL.search(pattern):
            raise CommandError("pattern_bad_character")
    return unique


def parse_duration(raw: str) -> int:
    """``30m``, ``2h``, ``1d`` or combinations like ``1h30m`` → seconds, within 1 minute … 30 days."""
    match = _DURATION.match(raw)
    if not raw or match is None:
        raise CommandError("bad_duration", value=literal(raw))
    days, hours, minutes = (int(match.group(unit) or 0) for unit in ("d", "h", "m"))
    seconds = days * 86400 + hours * 3600 + minutes * 60
    if not MIN_MUTE_SECONDS <= seconds <= MAX_MUTE_SECONDS:
        raise CommandError("duration_out_of_range", value=literal(raw))
    return seconds
