"""What an instance remembers of the spaces it left quiet, for the lone alarm's fast path.

When this instance last let go of a space with nothing waiting, a new alarm there is probably a
lone alarm again: its flush may then do, while it takes the space's lease, what it would otherwise
do after (reserve the project's writes, read the alarm's card). ``leases`` is the space's lease
count as this instance held it: the next acquire sees one more exactly when nobody else held the
space in between, which is what makes a card read before the lease as good as one after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

QUIET_MEMORY = 600.0  # seconds (scaled) a space this instance left quiet is guessed quiet still


@dataclass(frozen=True)
class LeftQuiet:
    at: float  # when this instance let go of the space
    leases: int  # the space's lease count while this instance held it


def left_quiet(
    memory: Mapping[str, LeftQuiet], space: str, now: float, time_scale: float
) -> LeftQuiet | None:
    """What this instance remembers of ``space``, if it left it quiet lately."""
    left = memory.get(space)
    if left is None or left.at < now - QUIET_MEMORY * time_scale:
        return None
    return left
