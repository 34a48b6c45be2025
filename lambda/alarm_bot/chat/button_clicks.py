"""An alarm card's button click read back: which action, which alarm, which duration.

The buttons themselves (actions, parameters, how a click is addressed) are written by the card, in
:mod:`alarm_bot.alarms.card_buttons`; this is the other half, in ``chat`` because only a Chat event
carries a click. Parameters come back from the client, so they are treated as untrusted input:
:func:`read_alarm_click` accepts only known actions, a well-formed alarm key and the mute durations
the card offers. Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from alarm_bot.alarms.card_buttons import (
    ACKNOWLEDGE,
    ACTION_PARAMETER,
    ALARM_ACTIONS,
    ALARM_PARAMETER,
    DURATION_PARAMETER,
    MUTE,
    MUTE_DURATIONS,
)

_ALARM_KEY = re.compile(r"^[0-9a-f]{40}$")


class InvalidClick(ValueError):
    """A click meant for an alarm card whose parameters are not ones the bot ever sends."""


@dataclass(frozen=True)
class AlarmClick:
    """A validated click on an alarm card's button."""

    action: str
    alarm_key: str
    mute_seconds: int = 0


def is_alarm_click(function: str | None, parameters: Mapping[str, str]) -> bool:
    """Whether a click was meant for an alarm card (as opposed to a help or status button)."""
    return (
        ALARM_PARAMETER in parameters
        or parameters.get(ACTION_PARAMETER) in ALARM_ACTIONS
        or function in ALARM_ACTIONS
    )


def read_alarm_click(function: str | None, parameters: Mapping[str, str]) -> AlarmClick:
    """The click's action, alarm and duration, or :class:`InvalidClick` for anything unexpected."""
    action = parameters.get(ACTION_PARAMETER) or function or ""
    if action not in ALARM_ACTIONS:
        raise InvalidClick("unknown action")
    if function in ALARM_ACTIONS and function != action:
        raise InvalidClick("the function and the action parameter disagree")
    key = parameters.get(ALARM_PARAMETER, "")
    if not _ALARM_KEY.match(key):
        raise InvalidClick("not an alarm key")
    if action == ACKNOWLEDGE:
        if DURATION_PARAMETER in parameters:
            raise InvalidClick("acknowledge takes no duration")
        return AlarmClick(ACKNOWLEDGE, key)
    seconds = MUTE_DURATIONS.get(parameters.get(DURATION_PARAMETER, ""))
    if seconds is None:
        raise InvalidClick("not a duration the card offers")
    return AlarmClick(MUTE, key, seconds)
