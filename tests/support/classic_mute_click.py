"""The wire form of a classic Chat app's "Mute here" button, written out once.

The card-buttons unit test and the ``render`` test both pin it; a change to how the click is
addressed must change this one literal.
"""

from __future__ import annotations

from typing import Any


def classic_mute_click(alarm_key: str, duration: str) -> dict[str, Any]:
    """A classic app names the action as the function and repeats it as the ``action`` parameter."""
    return {
        "action": {
            "function": "mute_alarm",
            "parameters": [
                {"key": "action", "value": "mute_alarm"},
                {"key": "alarm", "value": alarm_key},
                {"key": "duration", "value": duration},
            ],
        }
    }
