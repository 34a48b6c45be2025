"""``alarm-bot render FILE``: the Chat message the bot would post for a payload, sent nowhere.

It is how an operator checks a new alarm (or a strange SNS message) without deploying anything.
Content the bot does not recognise is not an error: it renders as a text card exactly as the bot
would post it. Only an unreadable file, a locale or a time zone the bot does not know are errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from zoneinfo import ZoneInfoNotFoundError

from alarm_bot.alarms.parse import parse_notification
from alarm_bot.alarms.render import render_message
from alarm_bot.cli.errors import UsageError
from alarm_bot.timefmt import zone

LOCALES = ("en", "ko")


def run(args: argparse.Namespace) -> int:
    locale = _checked_locale(args.locale)
    time_zone = _checked_zone(args.time_zone)
    content = _read(args.file)
    messages = [
        render_message(notification, locale=locale, time_zone=time_zone)
        for notification in parse_notification(content)
    ]
    output = messages[0] if len(messages) == 1 else messages
    sys.stdout.write(json.dumps(output, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
    return 0


def _checked_locale(locale: str) -> str:
    if locale not in LOCALES:
        raise UsageError(f"unknown locale {locale!r}: use one of {', '.join(LOCALES)}")
    return locale


def _checked_zone(name: str) -> str:
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UsageError(f"unknown time zone {name!r}: use an IANA name such as Asia/Seoul or UTC") from None
    return name


def _read(file: str) -> str:
    """The payload as text; bytes that are not UTF-8 are replaced, not refused."""
    try:
        if file == "-":
            if sys.stdin is None:
                raise UsageError("cannot read -: there is no standard input")
            stream = getattr(sys.stdin, "buffer", None)
            data = stream.read() if stream is not None else sys.stdin.read()
        else:
            data = Path(file).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {file}: {error.strerror or error}") from None
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data
