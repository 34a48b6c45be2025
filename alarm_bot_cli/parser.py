"""The ``alarm-bot`` command line: every command and option (long help in :mod:`.help_texts`).

Commands are named here and implemented in their own modules, imported only when they run
(``command`` holds ``module:function``), so ``alarm-bot render`` and ``--help`` do not pay for
boto3, google-auth or Powertools. Every AWS command takes the options AWS CLI users expect
(``--stack``, ``--region``, ``--profile``) and ``--json`` for scripts.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias

from alarm_bot_cli import help_texts
from alarm_bot_cli.option_values import context_pair_option, positive_count, wait_seconds

Parser: TypeAlias = argparse.ArgumentParser
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # what add_subparsers() returns

PROG = "alarm-bot"
DEFAULT_STACK = "AlarmChatBot"
STATES = ("ALARM", "OK", "INSUFFICIENT_DATA")
DEFAULT_TEST_ALARM = "alarm-bot-test"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Tools for the AWS Alarms Google Chat bot.")
    parser.add_argument("--version", action=_Version, help="print the version and exit")
    _add_aws_options(parser, defaults=True)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    aws = argparse.ArgumentParser(add_help=False)
    _add_aws_options(aws, defaults=False)
    _add_commands(commands, _OFFLINE_COMMANDS, aws=None)
    _add_credentials(commands, aws)
    _add_commands(commands, _AWS_COMMANDS, aws=aws)
    no_stack = argparse.ArgumentParser(add_help=False)  # a preflight runs before there is a stack
    _add_aws_options(no_stack, defaults=False, stack=False)
    _add_commands(commands, [_PREFLIGHT], aws=no_stack)
    return parser


def _add_aws_options(parser: Parser, *, defaults: bool, stack: bool = True) -> None:
    """Options shared by every command that talks to AWS, accepted before or after the command.

    They are defined twice: on the main parser, where they take their defaults, and on each command
    with no default at all (``SUPPRESS``), so that ``alarm-bot --region X doctor`` keeps X; a
    command's own default would overwrite what was given before it.
    """

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    group = parser.add_argument_group("AWS options")
    if stack:
        group.add_argument(
            "--stack",
            default=default(DEFAULT_STACK),
            help=f"CloudFormation stack of the bot (default: {DEFAULT_STACK})",
        )
    group.add_argument(
        "--region",
        default=default(None),
        help="AWS region (default: AWS_REGION, else AWS_DEFAULT_REGION, else your profile's region)",
    )
    group.add_argument(
        "--profile", default=default(None), help="AWS profile from ~/.aws/config (default: AWS_PROFILE)"
    )
    group.add_argument(
        "--json", action="store_true", default=default(False), help="print JSON for scripts instead of tables"
    )


class _Version(argparse.Action):
    """``--version``: looked up only when asked, so other runs do not pay for package metadata."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest=argparse.SUPPRESS, nargs=0, help=str(kwargs.get("help")))

    def __call__(self, parser: Parser, *_: object) -> None:
        from alarm_bot_cli.version import version  # noqa: PLC0415 - CLI start: importlib.metadata, 25 ms, only for --version

        sys.stdout.write(f"{PROG} {version()}\n")
        parser.exit()


@dataclass(frozen=True)
class _CommandSpec:
    """One subcommand: ``run`` names the function that runs it, ``options`` adds its own arguments."""

    name: str
    run: str
    help: str
    description: str
    options: Callable[[Parser], None] | None = None


def _add_commands(commands: Commands, specs: Sequence[_CommandSpec], *, aws: Parser | None) -> None:
    """Each of ``specs`` as a subcommand, in order (``aws``: the shared options, if any)."""
    for spec in specs:
        parser = commands.add_parser(
            spec.name,
            help=spec.help,
            description=spec.description,
            parents=[aws] if aws is not None else [],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.set_defaults(command=f"alarm_bot_cli.{spec.run}")
        if spec.options is not None:
            spec.options(parser)


def _render_options(render: Parser) -> None:
    _add_message_options(render, file_help='payload file, or "-" for standard input')
    render.add_argument(
        "--chart",
        metavar="OUT.png",
        help="also draw the alarm's chart (as its card shows it) into OUT.png, with your AWS credentials",
    )


def _preview_options(preview: Parser) -> None:
    _add_message_options(preview, file_help='payload or rendered Chat message (list: a thread), or "-"')
    preview.add_argument("--html", metavar="OUT.html", help="write the page here (default: standard output)")
    preview.add_argument("--png", metavar="OUT.png", help="also take a picture of it with headless Chromium")
    preview.add_argument(
        "--as",
        dest="read_as",
        choices=("payload", "message"),
        help="read FILE as a notification payload or as Chat message(s) (default: guess)",
    )


def _add_message_options(parser: Parser, *, file_help: str) -> None:
    """FILE and how the bot is set up: what render and preview share."""
    parser.add_argument("file", metavar="FILE", help=file_help)
    parser.add_argument(
        "--locale",
        default=os.environ.get("LOCALE", "").strip() or "en",
        help="language of the card: en or ko (default: $LOCALE, else en)",
    )
    parser.add_argument(
        "--time-zone",
        default=os.environ.get("TIME_ZONE", "").strip() or "UTC",
        help="IANA time zone for times, e.g. Asia/Seoul (default: $TIME_ZONE, else UTC)",
    )
    parser.add_argument(
        "--add-on",
        metavar="URL",
        help="the bot is a Workspace add-on: address the buttons to this endpoint URL (ChatEndpointUrl)",
    )
    parser.add_argument(
        "--mention",
        action="store_true",
        help="as a space with `mention on` gets it: an ALARM card mentions everyone (<users/all>)",
    )


def _add_credentials(commands: Commands, aws: Parser) -> None:
    credentials = commands.add_parser(
        "credentials",
        parents=[aws],
        help="store the Google service-account key the bot posts with",
        description="Manage the Google service-account key the bot posts to Chat with.",
    )
    actions = credentials.add_subparsers(title="actions", metavar="ACTION", required=True)
    store = actions.add_parser(
        "set",
        parents=[aws],
        help="check a key file and store it in the stack's secret",
        description=(
            "Checks that FILE is a Google service-account key (JSON with type, client_email and "
            "private_key) and stores it in the secret of output GoogleCredentialsSecretArn. The key "
            "is never printed. A file that is not a key changes nothing."
        ),
    )
    store.add_argument(
        "file", metavar="KEY.json", help='key file from Google Cloud, or "-" for standard input'
    )
    store.set_defaults(command="alarm_bot_cli.credentials:run")


def _alarm_prefix_options(parser: Parser, *, insufficient_data: bool) -> None:
    """What attach and detach share; only attach can also add the INSUFFICIENT_DATA action."""
    parser.add_argument(
        "--prefix",
        action="append",
        required=True,
        metavar="PREFIX",
        help="alarm-name prefix (repeat for several)",
    )
    if insufficient_data:
        parser.add_argument(
            "--insufficient-data",
            action="store_true",
            help="also notify the bot on INSUFFICIENT_DATA",
        )
    parser.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")


def _test_options(test: Parser) -> None:
    test.add_argument("--state", choices=STATES, default="ALARM", help="state of the sample (default: ALARM)")
    test.add_argument(
        "--name", default=DEFAULT_TEST_ALARM, help=f"alarm name of the sample (default: {DEFAULT_TEST_ALARM})"
    )


def _spaces_options(spaces: Parser) -> None:
    spaces.add_argument("action", nargs="?", choices=("list", "remove"), default="list", help="default: list")
    spaces.add_argument("space", nargs="?", metavar="SPACE", help="space to remove, e.g. spaces/AAAAxyz")


def _redrive_options(redrive: Parser) -> None:
    redrive.add_argument(
        "--dry-run", action="store_true", help="list the waiting notifications, delete nothing"
    )
    redrive.add_argument(
        "--max",
        type=positive_count,
        default=500,
        metavar="N",
        help="handle at most N messages (default: 500)",
    )
    redrive.add_argument(
        "--wait",
        type=wait_seconds,
        default=2,
        metavar="SECONDS",
        help="long-poll time of each receive, 0-20 (default: 2)",
    )
    redrive.add_argument("--verbose", action="store_true", help="show the fan-out code's log lines on stderr")


def _preflight_options(preflight: Parser) -> None:
    preflight.add_argument(
        "-c",
        "--context",
        action="extend",
        nargs="+",
        type=context_pair_option,
        metavar="KEY=VALUE",
        help="CDK context, as for cdk -c (repeat, or several after one -c); wins over cdk.json",
    )
    preflight.add_argument(
        "--cdk-args",
        default="",
        metavar="STRING",
        help="the CDK_ARGS of make deploy, as one string: its -c pairs and --profile count, "
        "other cdk flags are passed over",
    )
    preflight.add_argument(
        "--cdk-json", metavar="PATH", help="the CDK app's cdk.json (default: ./cdk.json if there is one)"
    )


# The commands in the order ``--help`` lists them: those that need no AWS, then (after credentials)
# those that talk to the bot's stack, then the preflight, which runs before there is a stack.
_OFFLINE_COMMANDS: Final = (
    _CommandSpec(
        "render",
        "render:run",
        "print the Chat message the bot would post for a payload",
        help_texts.RENDER_HELP,
        _render_options,
    ),
    _CommandSpec(
        "preview",
        "preview_command:run",
        "draw that message as Google Chat shows it (HTML, or a PNG with Chromium)",
        help_texts.PREVIEW_HELP,
        _preview_options,
    ),
)
_AWS_COMMANDS: Final = (
    _CommandSpec(
        "attach",
        "attach:run_attach",
        "add the bot's topic to existing alarms",
        help_texts.ATTACH_HELP,
        functools.partial(_alarm_prefix_options, insufficient_data=True),
    ),
    _CommandSpec(
        "detach",
        "attach:run_detach",
        "remove the bot's topic from existing alarms",
        help_texts.DETACH_HELP,
        functools.partial(_alarm_prefix_options, insufficient_data=False),
    ),
    _CommandSpec(
        "test", "sample_alarm:run", "publish a sample alarm to the bot", help_texts.TEST_HELP, _test_options
    ),
    _CommandSpec(
        "spaces",
        "spaces:run",
        "list or remove the subscribed Chat spaces",
        help_texts.SPACES_HELP,
        _spaces_options,
    ),
    _CommandSpec(
        "redrive",
        "redrive:run",
        "deliver the notifications waiting in the dead-letter queue",
        help_texts.REDRIVE_HELP,
        _redrive_options,
    ),
    _CommandSpec("doctor", "doctor:run", "check the deployment end to end", help_texts.DOCTOR_HELP),
)
_PREFLIGHT: Final = _CommandSpec(
    "preflight",
    "preflight:run",
    "check credentials, region, CDK bootstrap and context before a deploy",
    help_texts.PREFLIGHT_HELP,
    _preflight_options,
)
