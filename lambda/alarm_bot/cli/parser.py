"""The ``alarm-bot`` command line: every command, option and help text, and nothing else.

Commands are named here and implemented in their own modules, imported only when they run
(``command`` holds ``module:function``), so ``alarm-bot render`` and ``--help`` do not pay for
boto3, google-auth or Powertools. Every AWS command takes the options AWS CLI users expect
(``--stack``, ``--region``, ``--profile``) and ``--json`` for scripts.
"""

from __future__ import annotations

import argparse
import os
from typing import TypeAlias

Parser: TypeAlias = argparse.ArgumentParser
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # what add_subparsers() returns

PROG = "alarm-bot"
DEFAULT_STACK = "AlarmChatBot"
STATES = ("ALARM", "OK", "INSUFFICIENT_DATA")
DEFAULT_TEST_ALARM = "alarm-bot-test"

_RENDER_HELP = """\
FILE may hold an SNS Lambda event, a bare SNS message body (CloudWatch alarm JSON or plain text),
an EventBridge event, or a CloudWatch Lambda alarm-action event; "-" reads standard input.

Prints the Google Chat API Message (JSON) the bot would post: one JSON object when FILE holds one
notification, or a JSON array of messages when it holds several (an SNS event with several
records). Threading is added at delivery and is not shown.
"""
_ATTACH_HELP = """\
Adds the bot's alarm topic (stack output AlarmTopicArn) to the "In alarm" and "OK" actions of the
existing metric and composite alarms whose names start with a prefix. Everything else about each
alarm is kept as it is; alarms that already notify the topic are left alone. Run with --dry-run
first to see the plan.
"""
_DETACH_HELP = """\
Removes the bot's alarm topic from the actions of the alarms whose names start with a prefix, and
changes nothing else. Alarms that do not notify the topic are left alone.
"""
_TEST_HELP = """\
Publishes a realistic CloudWatch alarm notification to the bot's topic, as CloudWatch itself would,
so a space can see a card arrive. Send --state OK afterwards to see the recovery in the same thread.
"""
_SPACES_HELP = """\
list (the default): the Chat spaces the bot posts to, with their filters and mutes.
remove SPACE: forget a space and everything stored for it (the bot stays a member in Chat).
"""
_REDRIVE_HELP = """\
Delivers again the notifications waiting in the dead-letter queue, from this machine, with the
fan-out function's own code and settings. A message is deleted from the queue only once every
space got it; spaces that already have it do not get it twice. Set CHAT_API_BASE_URL to use another
Chat API endpoint (tests).
"""
_DOCTOR_HELP = """\
Checks the deployment end to end (stack, Google key and token, topic encryption, endpoint,
spaces, dead-letter queue, the bot's own alarms) and prints what to fix. Exit status 1 if a check
fails.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Tools for the AWS Alarms Google Chat bot.")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    aws = _aws_options()
    _add_render(commands)
    _add_credentials(commands, aws)
    _add_attach(commands, aws)
    _add_test(commands, aws)
    _add_spaces(commands, aws)
    _add_redrive(commands, aws)
    _add_doctor(commands, aws)
    return parser


def _aws_options() -> argparse.ArgumentParser:
    """Options shared by every command that talks to AWS."""
    options = argparse.ArgumentParser(add_help=False)
    group = options.add_argument_group("AWS options")
    group.add_argument(
        "--stack", default=DEFAULT_STACK, help=f"CloudFormation stack of the bot (default: {DEFAULT_STACK})"
    )
    group.add_argument("--region", help="AWS region (default: AWS_REGION, or your profile's region)")
    group.add_argument("--profile", help="AWS profile from ~/.aws/config (default: AWS_PROFILE)")
    group.add_argument("--json", action="store_true", help="print JSON for scripts instead of tables")
    return options


def _command(
    commands: Commands, name: str, run: str, *, help: str, description: str, aws: Parser | None = None
) -> Parser:
    """A subcommand whose ``command`` names the function that runs it (``aws``: the shared options)."""
    parser = commands.add_parser(
        name,
        help=help,
        description=description,
        parents=[aws] if aws is not None else [],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(command=f"alarm_bot.cli.{run}")
    return parser


def _add_render(commands: Commands) -> None:
    render = _command(
        commands,
        "render",
        "render:run",
        help="print the Chat message the bot would post for a payload",
        description=_RENDER_HELP,
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


def _add_credentials(commands: Commands, aws: Parser) -> None:
    credentials = commands.add_parser(
        "credentials",
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
    store.set_defaults(command="alarm_bot.cli.credentials:run")


def _add_attach(commands: Commands, aws: Parser) -> None:
    for name, run, description in (
        ("attach", "attach:run_attach", _ATTACH_HELP),
        ("detach", "attach:run_detach", _DETACH_HELP),
    ):
        verb = "add the bot's topic to" if name == "attach" else "remove the bot's topic from"
        parser = _command(
            commands, name, run, help=f"{verb} existing alarms", description=description, aws=aws
        )
        parser.add_argument(
            "--prefix",
            action="append",
            required=True,
            metavar="PREFIX",
            help="alarm-name prefix (repeat for several)",
        )
        if name == "attach":
            parser.add_argument(
                "--insufficient-data",
                action="store_true",
                help="also notify the bot on INSUFFICIENT_DATA",
            )
        parser.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")


def _add_test(commands: Commands, aws: Parser) -> None:
    test = _command(
        commands,
        "test",
        "sample_alarm:run",
        help="publish a sample alarm to the bot",
        description=_TEST_HELP,
        aws=aws,
    )
    test.add_argument("--state", choices=STATES, default="ALARM", help="state of the sample (default: ALARM)")
    test.add_argument(
        "--name", default=DEFAULT_TEST_ALARM, help=f"alarm name of the sample (default: {DEFAULT_TEST_ALARM})"
    )


def _add_spaces(commands: Commands, aws: Parser) -> None:
    spaces = _command(
        commands,
        "spaces",
        "spaces:run",
        help="list or remove the subscribed Chat spaces",
        description=_SPACES_HELP,
        aws=aws,
    )
    spaces.add_argument("action", nargs="?", choices=("list", "remove"), default="list", help="default: list")
    spaces.add_argument("space", nargs="?", metavar="SPACE", help="space to remove, e.g. spaces/AAAAxyz")


def _add_redrive(commands: Commands, aws: Parser) -> None:
    redrive = _command(
        commands,
        "redrive",
        "redrive:run",
        help="deliver the notifications waiting in the dead-letter queue",
        description=_REDRIVE_HELP,
        aws=aws,
    )
    redrive.add_argument(
        "--dry-run", action="store_true", help="list the waiting notifications, delete nothing"
    )
    redrive.add_argument(
        "--max", type=_positive, default=500, metavar="N", help="handle at most N messages (default: 500)"
    )
    redrive.add_argument(
        "--wait",
        type=_seconds,
        default=2,
        metavar="SECONDS",
        help="long-poll time of each receive, 0-20 (default: 2)",
    )
    redrive.add_argument("--verbose", action="store_true", help="show the fan-out code's log lines on stderr")


def _add_doctor(commands: Commands, aws: Parser) -> None:
    _command(
        commands,
        "doctor",
        "doctor:run",
        help="check the deployment end to end",
        description=_DOCTOR_HELP,
        aws=aws,
    )


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return int(value)


def _seconds(value: str) -> int:
    if not value.isdigit() or int(value) > 20:
        raise argparse.ArgumentTypeError(f"expected whole seconds from 0 to 20, not {value!r}")
    return int(value)
