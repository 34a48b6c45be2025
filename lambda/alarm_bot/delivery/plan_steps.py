"""The vocabulary of a space's plan: what waits, what the space shows, and the writes to make.

:mod:`alarm_bot.delivery.plan` decides; these are its inputs (:class:`SpaceView`) and outputs
(:class:`SpacePlan` and its steps), shared with the writers and recorders that carry a plan out.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from alarm_bot.store.alarm_messages import AlarmMessage
from alarm_bot.store.digests import Digest
from alarm_bot.store.outbox import OutboxEntry

# Alarms one digest message shows with their buttons (as many as fit in Chat's 32,000 bytes, see
# render_digest: about 25 for typical names and reasons): what the budget is asked for per message.
DIGEST_LINES = 24


class Show(enum.StrEnum):
    CARD = "card"  # an ALARM: a card of its own, with buttons, starting or joining its thread
    REPLY = "reply"  # any other transition or notification: a message of its own (in its thread)
    LATE = "late"  # older than what the space shows already: a note in the thread, nothing reopened


@dataclass(frozen=True)
class Pending:
    entry: OutboxEntry
    stored: bool  # already in the outbox; else it arrived with this invocation


@dataclass(frozen=True)
class PostMessage:
    entry: OutboxEntry
    show: Show
    writes: int = 1


@dataclass(frozen=True)
class ResolveCard:
    alarm_key: str
    entry: OutboxEntry  # the OK that resolves it
    writes: int = 1


@dataclass(frozen=True)
class PostDigest:
    digest_id: str
    entries: tuple[tuple[OutboxEntry, Show], ...]
    writes: int = 1  # the parts expected (one message each)
    first_part: int = 1  # the rest of a digest whose first parts were posted: numbered from here…
    parts: int = 0  # …of this many in all (0: the parts this step renders)


@dataclass(frozen=True)
class UpdateDigest:
    digest: Digest
    entries: tuple[OutboxEntry, ...]
    writes: int = 2  # the card edited, the change announced in its thread


Step = PostMessage | ResolveCard | PostDigest | UpdateDigest


@dataclass(frozen=True)
class SpaceView:
    space: str
    pending: tuple[Pending, ...]
    cards: Mapping[str, AlarmMessage]  # alarm key → what shows it in this space
    digests: Mapping[str, Digest]  # the posted digests those records point at
    sent: frozenset[str]
    writes: tuple[float, ...]
    digest_due: float | None = None
    last_digest_at: float | None = None
    new_digest_id: str = "digest"


@dataclass(frozen=True)
class SpacePlan:
    steps: tuple[Step, ...]
    done: tuple[Pending, ...]  # nothing left to show: forget them
    waiting: tuple[Pending, ...]  # stay in (or go to) the outbox
    digest_due: float | None
    wake_at: float | None
    again: bool = False  # digest work due now waits for the next round (one digest step a round)

    @property
    def writes(self) -> int:
        return sum(step.writes for step in self.steps)
