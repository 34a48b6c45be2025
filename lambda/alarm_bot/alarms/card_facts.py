"""What has happened to a posted ALARM card: the facts :mod:`alarm_bot.alarms.card_drawing` draws.

Kept apart from the drawing so that the card store (and with it the Chat function's cold start)
needs only these two records, not the rendering modules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Acknowledgement:
    user: str  # users/123: one person counts once, whatever their display name
    name: str
    at: int  # epoch seconds


@dataclass(frozen=True)
class CardState:
    since: float  # when the alarm began (epoch seconds): the reference for short times
    acknowledgements: tuple[Acknowledgement, ...] = ()
    muted_until: int | None = None
    resolved_at: int | None = None
