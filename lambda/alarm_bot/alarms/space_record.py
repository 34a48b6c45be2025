"""One space's subscription as the bot keeps it: its filters, its mutes, whether it mentions everyone.

A plain value, read and written by :mod:`alarm_bot.store.spaces` but decided on everywhere (routing,
the fan-out, the Chat commands, the operator's CLI), so it lives in the pure domain package where
all of them may import it, and storage is just one of its users. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SpaceRecord:
    space: str
    display_name: str = ""
    space_type: str = ""
    added_by: str = ""
    added_at: str = ""
    filters: tuple[str, ...] = ()
    subscribed: bool = True
    muted_until: int | None = None  # epoch seconds
    mention: bool = False  # new ALARM cards mention everyone (<users/all>)
    alarm_mutes: Mapping[str, int] = field(default_factory=dict, hash=False)  # alarm key → until

    def is_muted(self, now: float) -> bool:
        return self.muted_until is not None and self.muted_until > now

    def alarm_muted_until(self, alarm_key: str, now: float) -> int | None:
        """When this space's mute of one alarm ends, or None if that alarm is not muted here now."""
        until = self.alarm_mutes.get(alarm_key)
        return until if until is not None and until > now else None

    def expired_alarm_mutes(self, now: float) -> tuple[str, ...]:
        return tuple(sorted(key for key, until in self.alarm_mutes.items() if until <= now))
