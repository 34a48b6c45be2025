"""The alarm card's buttons on the wire: how a click is addressed, and how a click is read back.

Google Chat delivers a click to the app in one of two ways, and the button must be written for the
right one (both checked against Google's documentation and samples):

* A classic HTTP Chat app gets a ``CARD_CLICKED`` event whose ``action.actionMethodName`` and
  ``common.invokedFunction`` repeat the button's ``onClick.action.function``: any identifier the app
  chooses. The parameters arrive in ``common.parameters`` (and ``action.parameters``).
* A Chat app built as an HTTP Google Workspace add-on has no function names: ``function`` must be
  the URL of the app's HTTP endpoint, which Chat calls with a ``buttonClickedPayload``; which button
  it was travels in the parameters (``commonEventObject.parameters``).

So every alarm button carries its action in an ``action`` parameter, whatever the format, and the
classic function name repeats it. Parameters come back from the client, so they are treated as
untrusted input: :func:`read_alarm_click` accepts only known actions, a well-formed alarm key and
the mute durations the card offers. Pure functions: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ACKNOWLEDGE = "acknowledge"
MUTE = "mute_alarm"
ALARM_ACTIONS = (ACKNOWLEDGE, MUTE)
# What the card offers, and all a click may ask for: never a duration from the client.
MUTE_DURATIONS: Mapping[str, int] = {"1h": 3600, "1d": 86400}
ACTION_PARAMETER = "action"
ALARM_PARAMETER = "alarm"
DURATION_PARAMETER = "duration"
_ALARM_KEY = re.compile(r"^[0-9a-f]{40}$")


class InvalidClick(ValueError):
    """A click meant for an alarm card whose parameters are not ones the bot ever sends."""


@dataclass(frozen=True)
class ButtonTarget:
    """Where clicks go: ``endpoint_url`` for a Workspace add-on, ``None`` for a classic Chat app."""

    endpoint_url: str | None = None

    def on_click(self, action: str, parameters: Mapping[str, str]) -> dict[str, Any]:
        """``onClick`` of a button that runs ``action`` with ``parameters`` in this app."""
        pairs = {ACTION_PARAMETER: action, **parameters}
        return {
            "action": {
                "function": self.endpoint_url or action,
                "parameters": [{"key": key, "value": value} for key, value in pairs.items()],
            }
        }


def button_target(*, add_on: bool, endpoint_url: str | None) -> ButtonTarget | None:
    """The target for this deployment; ``None`` (no action buttons) for an add-on without its URL."""
    if not add_on:
        return ButtonTarget()
    return ButtonTarget(endpoint_url) if endpoint_url else None


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
