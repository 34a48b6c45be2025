"""The alarm card's buttons on the wire: the actions, their parameters, and how a click is addressed.

Google Chat delivers a click to the app in one of two ways, and the button must be written for the
right one (both checked against Google's documentation and samples):

* A classic HTTP Chat app gets a ``CARD_CLICKED`` event whose ``action.actionMethodName`` and
  ``common.invokedFunction`` repeat the button's ``onClick.action.function``: any identifier the app
  chooses. The parameters arrive in ``common.parameters`` (and ``action.parameters``).
* A Chat app built as an HTTP Google Workspace add-on has no function names: ``function`` must be
  the URL of the app's HTTP endpoint, which Chat calls with a ``buttonClickedPayload``; which button
  it was travels in the parameters (``commonEventObject.parameters``).

So every alarm button carries its action in an ``action`` parameter, whatever the format, and the
classic function name repeats it. This is the card side, so the cards (``alarms``) build buttons
without knowing Chat events; reading a click back is :mod:`alarm_bot.chat.button_clicks`, which
imports these names. Pure: no I/O.
"""

from __future__ import annotations

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
