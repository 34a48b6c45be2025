"""``alarm-bot``: the bot's tools on the command line (console script ``alarm_bot_cli:main``).

``render`` previews a message offline and ``preflight`` checks a shell before ``make deploy``; the
other commands operate a deployed stack, found through its CloudFormation outputs: ``credentials
set``, ``attach`` / ``detach``, ``test``, ``spaces``, ``redrive`` and ``doctor``. Whatever goes
wrong, the operator gets one line on stderr that says what to do and a non-zero exit status, never
a traceback: 2 for a usage problem, 1 for everything else (including a bug, reported as an
internal error).

The package is installed by ``pip install -e .`` but never bundled into the Lambda asset: it sits
above the whole runtime and may import any of ``alarm_bot``, which never imports it (checked by
``lint-imports``, as is that no two of its modules import each other in a circle).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any, cast

from alarm_bot_cli.errors import CommandError, UsageError
from alarm_bot_cli.parser import PROG, build_parser

__all__ = ["PROG", "CommandError", "UsageError", "main"]

INTERRUPTED_STATUS = 130


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_request:  # --help, or a usage error argparse already printed
        return _exit_status(exit_request.code)
    command = getattr(args, "command", None)
    if not isinstance(command, str):
        parser.print_help(sys.stderr)
        return 2
    return _run(command, args)


def _run(command: str, args: Any) -> int:
    """Run the command; every failure becomes one line on stderr and an exit status."""
    try:
        return int(_load(command)(args))
    except (UsageError, CommandError) as error:
        message, status = str(error), error.status
    except KeyboardInterrupt:
        message, status = "interrupted", INTERRUPTED_STATUS
    except BrokenPipeError:  # the reader (e.g. `| head`) went away: nothing left to say
        return 1
    except Exception as error:
        message, status = _describe(error), 1
    print(f"{PROG}: {message}", file=sys.stderr)
    return status


def _load(command: str) -> Callable[[Any], int]:
    """``module:function`` → the function; a command's module is imported only when it runs."""
    module_name, _, function = command.partition(":")
    return cast("Callable[[Any], int]", getattr(importlib.import_module(module_name), function))


def _describe(error: Exception) -> str:
    """AWS errors become advice (no credentials, expired token…); anything else is a bug."""
    if type(error).__module__.startswith(("botocore", "boto3")):
        from alarm_bot_cli.aws import describe_aws_error  # noqa: PLC0415 - CLI start: it imports boto3, 150 ms

        return describe_aws_error(error)
    return f"internal error: {type(error).__name__}: {error}"


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 2
