"""The keyword arguments of the Chat writes, declared once for the client and everything standing for it.

``ChatClient`` and the protocols naming its methods (:class:`~alarm_bot.delivery.chat_writes.ChatWriter`,
the benchmarks' senders) take them as ``**options``, so an option is added in one place and mypy
holds every side to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NotRequired, TypedDict

from alarm_bot.delivery.budget import CallBudget


class ChatCallLimits(TypedDict):
    """What bounds one call: its ``deadline`` (``time.monotonic()``), ``permit`` (asked before
    every attempt: the space's write budget) and ``max_pause`` (the longest wait taken inside)."""

    deadline: float
    permit: NotRequired[Callable[[float], bool] | None]
    max_pause: NotRequired[float | None]


class ChatPostOptions(ChatCallLimits):
    """A post's own: its ``requestId`` (a retry gets the message created first) and its thread,
    ``thread_name`` (``spaces/…/threads/…``) when it is known, else ``thread_key``."""

    request_id: str
    thread_key: str | None
    thread_name: NotRequired[str | None]


def chat_call_budget(limits: ChatCallLimits) -> CallBudget:
    """The budget one call runs under."""
    return CallBudget(limits["deadline"], permit=limits.get("permit"), max_pause=limits.get("max_pause"))
