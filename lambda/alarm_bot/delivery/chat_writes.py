"""What a space's writes are made with and what they leave: the Chat calls, and one record per step.

:class:`ChatWriter` is the port to Google Chat (``ChatClient`` in production, a stand-in in
tests). :class:`Written` is a step with Google's answers; the recorder
(:mod:`~alarm_bot.delivery.space_records`) turns those into what the table remembers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from alarm_bot.chat_message import ChatMessage
from alarm_bot.delivery.chat_client import DeliveryOutcome, DeliveryStatus
from alarm_bot.delivery.plan_steps import ResolveCard, Step, UpdateDigest
from alarm_bot.store.alarm_messages import AlarmMessage
from alarm_bot.store.digests import Digest, DigestLine


class ChatPoster(Protocol):
    """``spaces.messages.create``: what posting needs of a client (:meth:`ChatClient.create_message`)."""

    def create_message(
        self,
        space: str,
        message: Mapping[str, Any],
        *,
        request_id: str,
        thread_key: str | None,
        deadline: float,
        permit: Callable[[float], bool] | None = None,
        max_pause: float | None = None,
        thread_name: str | None = None,
    ) -> DeliveryOutcome: ...


@runtime_checkable
class ChatEditor(Protocol):
    """``spaces.messages.patch``: what editing needs. Checkable: the benchmarks' direct path is
    handed a client that may only post, and edits only when it can."""

    def update_message(
        self,
        message_name: str,
        message: Mapping[str, Any],
        *,
        deadline: float,
        permit: Callable[[float], bool] | None = None,
        max_pause: float | None = None,
    ) -> DeliveryOutcome: ...


class ChatWriter(ChatPoster, ChatEditor, Protocol):
    """The two Chat API calls delivery makes (``ChatClient`` in production)."""


@dataclass(frozen=True)
class Written:
    """One step and what Google answered (one outcome per call it made)."""

    step: Step
    outcomes: tuple[DeliveryOutcome, ...]
    card: AlarmMessage | None = None  # the card a CARD post created
    digest: Digest | None = None  # the digest a digest step posted or edited
    lines: tuple[DigestLine, ...] = ()  # the digest's lines to store
    base: ChatMessage = field(default_factory=dict, hash=False)  # the card as rendered, without buttons
    shown: frozenset[str] | None = None  # a digest's transitions that fit in it (None: all of the step's)

    @property
    def ok(self) -> bool:
        """Done: delivered, or (for an edit) the message to edit is gone, which is final too."""
        return all(
            outcome.delivered or (outcome.status is DeliveryStatus.GONE and _is_edit(self.step, index))
            for index, outcome in enumerate(self.outcomes)
        )

    @property
    def edit_refused(self) -> bool:
        """Google refused an edit of a card (400): the card lags behind, the rest goes on."""
        return isinstance(self.step, ResolveCard) and self.outcomes[0].http_status == 400


def _is_edit(step: Step, index: int) -> bool:
    return isinstance(step, ResolveCard) or (isinstance(step, UpdateDigest) and index == 0)
