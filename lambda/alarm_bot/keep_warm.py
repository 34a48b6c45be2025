"""The keep-warm ping: an event that only keeps a SnapStart version in use.

Lambda marks a SnapStart function version ``Inactive`` when it has not been invoked for 14 days,
and an invocation of an inactive version fails until Lambda has initialized it again. A bot in a
quiet account can go that long without an alarm or a Chat message, so an EventBridge schedule
(``chatbot_stack/keep_warm.py``) sends this event to both functions' ``live`` alias. The handlers
answer it before doing anything else: no settings, no AWS call, no log line, no metric.
"""

from __future__ import annotations

from typing import Any, Final

# chatbot_stack.keep_warm imports it: the schedule sends exactly what the handlers ignore.
KEEP_WARM_EVENT: Final = {"alarmChatBot": "keep-warm"}


def is_keep_warm(event: Any) -> bool:
    return bool(event == KEEP_WARM_EVENT)
