"""Reading commands from text and slash-command ids, and rejecting bad arguments precisely."""

from __future__ import annotations

import pytest

from alarm_bot.chat.command_names import COMMAND_NAMES
from alarm_bot.chat.commands import (
    MAX_PATTERNS,
    Command,
    CommandArgumentError,
    UnknownCommand,
    parse_duration,
    read_command,
)
from alarm_bot.chat.reply_messages import help_message
from alarm_bot.i18n import Translator

SLASH = {"1": "help", "2": "status", "3": "subscribe", "4": "unsubscribe", "5": "mute", "6": "unmute"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Command("help")),
        ("help", Command("help")),
        ("/status", Command("status")),
        ("STATUS", Command("status")),
        ("subscribe", Command("subscribe")),
        ("subscribe prod-* api-?", Command("subscribe", terms=("prod-*", "api-?"))),
        ("subscribe a a b", Command("subscribe", terms=("a", "b"))),
        ("/unsubscribe prod-*", Command("unsubscribe", terms=("prod-*",))),
        ("mute 30m", Command("mute", mute_seconds=1800)),
        ("mute 1h30m", Command("mute", mute_seconds=5400)),
        ("unmute", Command("unmute")),
        ("상태", Command("status")),
        ("음소거 2h", Command("mute", mute_seconds=7200)),
        ("구독 결제-*", Command("subscribe", terms=("결제-*",))),
        ("mention on", Command("mention", enabled=True)),
        (["@bot", "mention OFF"][1], Command("mention", enabled=False)),
        ("멘션 on", Command("mention", enabled=True)),
    ],
)
def test_text_commands(text: str, expected: Command) -> None:
    assert read_command(text, None, SLASH) == expected


def test_unknown_word_is_reported() -> None:
    assert read_command("deploy prod", None, SLASH) == UnknownCommand("deploy")


@pytest.mark.parametrize(
    ("command_id", "text", "expected"),
    [
        ("2", "", Command("status")),
        ("5", "2h", Command("mute", mute_seconds=7200)),
        ("5", "/mute 1d", Command("mute", mute_seconds=86400)),  # APP_COMMAND text repeats the command
        ("3", "prod-*", Command("subscribe", terms=("prod-*",))),
    ],
)
def test_slash_command_ids_map_through_configuration(command_id: str, text: str, expected: Command) -> None:
    assert read_command(text, command_id, SLASH) == expected


def test_unmapped_slash_command_id_is_unknown() -> None:
    assert read_command("", "99", SLASH) == UnknownCommand("#99")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("mute", "mute_needs_duration"),
        ("mute 1h 2h", "mute_needs_duration"),
        ("mute soon", "bad_duration"),
        ("mute 10s", "bad_duration"),
        ("mute -5m", "bad_duration"),
        ("mute 0m", "duration_out_of_range"),
        ("mute 31d", "duration_out_of_range"),
        ("status now", "no_arguments"),
        ("help me", "no_arguments"),
        ("unmute all", "no_arguments"),
        ("subscribe " + "x" * 256, "pattern_too_long"),
        ("subscribe " + " ".join(f"p{i}" for i in range(MAX_PATTERNS + 1)), "too_many_patterns"),
        ("subscribe bad\x07bell", "pattern_bad_character"),
        ("mention", "mention_needs_switch"),
        ("mention yes", "mention_needs_switch"),
        ("mention on off", "mention_needs_switch"),
    ],
)
def test_bad_arguments_raise_a_precise_error(text: str, code: str) -> None:
    with pytest.raises(CommandArgumentError) as caught:
        read_command(text, None, SLASH)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("raw", "seconds"),
    [("1m", 60), ("45M", 2700), ("2h", 7200), ("1d", 86400), ("1d12h", 129600), ("30d", 2592000)],
)
def test_durations(raw: str, seconds: int) -> None:
    assert parse_duration(raw) == seconds


def test_mention_may_be_a_slash_command() -> None:
    assert read_command("/mention on", "7", {"7": "mention"}) == Command("mention", enabled=True)


ARGUMENTS = {"mute": "1h", "mention": "on"}  # the commands that cannot be run without one


@pytest.mark.parametrize("name", COMMAND_NAMES)
def test_every_command_name_is_read_and_listed_in_help(name: str) -> None:
    command = read_command(f"{name} {ARGUMENTS.get(name, '')}", None, SLASH)
    assert isinstance(command, Command) and command.name == name
    (section,) = help_message(Translator("en"))["cardsV2"][0]["card"]["sections"]
    assert any(row["decoratedText"]["topLabel"].split()[0] == name for row in section["widgets"])
