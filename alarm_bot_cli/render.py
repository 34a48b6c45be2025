"""``alarm-bot render FILE``: the Chat message the bot would post for a payload, sent nowhere.

It is how an operator checks a new alarm (or a strange SNS message) without deploying anything, so
it prints what a space is sent, built by delivery's own code (:mod:`alarm_bot.delivery.outgoing`):
an ALARM card with its Acknowledge and Mute buttons, addressed as a classic Chat app's or, with
``--add-on URL``, an add-on's; with ``--mention``, as a space with ``mention on`` gets it. With
``--chart OUT.png`` it also draws the alarm's chart (:mod:`alarm_bot_cli.render_chart`); the card
printed is the card without it, as it has no public URL offline.

Content the bot does not recognise is not an error: it renders exactly as the bot would post it.
Input that is not JSON at all (text, nothing, binary) is posted as plain text too, but is more
often a wrong file than a plain-text notification, so it is said in one line on stderr. Only an
unreadable file, a locale, a time zone or an add-on URL the bot would not accept are errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfoNotFoundError

from alarm_bot.alarms.model import Notification
from alarm_bot.alarms.parse import parse_notification
from alarm_bot.alarms.render import render_message
from alarm_bot.delivery.outgoing import outgoing_card, within_limits
from alarm_bot.settings import DeliverySettings
from alarm_bot.timefmt import zone
from alarm_bot_cli.errors import UsageError
from alarm_bot_cli.output import note
from alarm_bot_cli.parser import PROG

LOCALES: Final = ("en", "ko")
AS_TEXT: Final = "it is posted as plain text"


def run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    data = _read(args.file)
    content = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    notifications = parse_notification(content)
    messages = [
        delivered_message(notification, settings, mention=args.mention) for notification in notifications
    ]
    warning = plain_text_warning(data)
    if warning:
        note(f"{PROG} render: {warning}")
    if getattr(args, "chart", None):
        from alarm_bot_cli.render_chart import chart_hours, write_chart  # noqa: PLC0415 - boto3, 170 ms, only with --chart

        why = write_chart(
            notifications,
            args.chart,
            locale=settings.locale,
            time_zone=settings.time_zone,
            hours=chart_hours(),
        )
        if why:
            note(f"{PROG} render: {why}; the card is printed without it")
    output = messages[0] if len(messages) == 1 else messages
    sys.stdout.write(json.dumps(output, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()
    return 0


def delivered_message(
    notification: Notification, settings: DeliverySettings, *, mention: bool
) -> dict[str, Any]:
    """What a space gets for ``notification``, without the ``thread`` delivery adds to it."""
    base = render_message(notification, locale=settings.locale, time_zone=settings.time_zone)
    outgoing = outgoing_card(notification, base, settings)
    message = outgoing.mentioning if mention else outgoing.plain
    thread = {"threadKey": notification.thread_key} if notification.thread_key else None
    return within_limits(message, thread, settings.locale)


def plain_text_warning(data: bytes | str) -> str | None:
    """Why the input is posted as plain text rather than read as JSON; ``None`` when it is JSON."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            return f"input is binary, not UTF-8 text; {AS_TEXT} with the bad bytes replaced by U+FFFD"
    if "\x00" in data:
        return f"input is binary (it holds NUL bytes); {AS_TEXT}"
    if not data.strip():
        return f"input is empty; {AS_TEXT} (an empty notification)"
    try:
        json.loads(data)
    except ValueError:
        return f"input is not JSON; {AS_TEXT}"
    return None


def _settings(args: argparse.Namespace) -> DeliverySettings:
    """Delivery's settings for what render shows; the AWS names are never used offline."""
    add_on_url = _checked_url(args.add_on)
    return DeliverySettings(
        subscriptions_table="",
        bot_id="",
        credentials_secret_arn="",
        locale=_checked_locale(args.locale),
        time_zone=_checked_zone(args.time_zone),
        add_on=add_on_url is not None,
        chat_endpoint_url=add_on_url,
    )


def _checked_url(url: str | None) -> str | None:
    """The endpoint URL as the deployed functions accept it (``CHAT_ENDPOINT_URL``): https only."""
    if url is None:
        return None
    if not url.startswith("https://") or len(url) <= len("https://") or any(c.isspace() for c in url):
        raise UsageError(
            f"--add-on needs the https:// URL of the Chat endpoint (output ChatEndpointUrl), not {url!r}"
        )
    return url


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


def _read(file: str) -> bytes | str:
    """The payload as read: bytes from a file or a binary stdin, text from a text-only stdin."""
    try:
        if file == "-":
            if sys.stdin is None:
                raise UsageError("cannot read -: there is no standard input")
            stream = getattr(sys.stdin, "buffer", None)
            data: bytes | str = stream.read() if stream is not None else sys.stdin.read()
        else:
            data = Path(file).read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {file}: {error.strerror or error}") from None
    return data
