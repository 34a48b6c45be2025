"""``alarm-bot``: the bot's tools on the command line.

``alarm-bot render FILE`` shows the Chat message the bot would post for a payload, which is how an
operator checks a new alarm (or a strange SNS message) without deploying anything. Errors are one
line on stderr and exit status 2; content the bot does not recognise is not an error, it renders
as a text card exactly as the bot would post it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfoNotFoundError

from alarm_bot.alarms.parse import parse_notification
from alarm_bot.alarms.render import render_message
from alarm_bot.timefmt import zone

PROG = "alarm-bot"
LOCALES = ("en", "ko")
_RENDER_HELP = """\
FILE may hold an SNS Lambda event, a bare SNS message body (CloudWatch alarm JSON or plain text),
an EventBridge event, or a CloudWatch Lambda alarm-action event; "-" reads standard input.

Prints the Google Chat API Message (JSON) the bot would post: one JSON object when FILE holds one
notification, or a JSON array of messages when it holds several (an SNS event with several
records). Threading is added at delivery and is not shown.
"""


class UsageError(Exception):
    """A problem the user can fix; shown as one line, exit status 2."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help, or a usage error argparse already printed
        return _exit_status(exit_request.code)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except UsageError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (e.g. `| head`) went away: nothing left to say
        return 1
    except Exception as error:  # a bug: still one line, never a traceback
        print(f"{PROG}: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return 1


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Tools for the AWS Alarms Google Chat bot.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    render = commands.add_parser(
        "render",
        help="print the Chat message the bot would post for a payload",
        description=_RENDER_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    render.add_argument("file", metavar="FILE", help='payload file, or "-" for standard input')
    render.add_argument(
        "--locale",
        default=os.environ.get("LOCALE", "").strip() or "en",
        help="language of the card: en or ko (default: $LOCALE, else en)",
    )
    render.add_argument(
        "--time-zone",
        default=os.environ.get("TIME_ZONE", "").strip() or "UTC",
        help="IANA time zone for times, e.g. Asia/Seoul (default: $TIME_ZONE, else UTC)",
    )
    render.set_defaults(run=_render)
    return parser


def _render(args: argparse.Namespace) -> int:
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


if __name__ == "__main__":
    raise SystemExit(main())
