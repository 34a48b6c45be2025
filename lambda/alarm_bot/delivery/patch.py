"""Edit posted messages in many spaces at once: the ALARM cards an OK resolves.

Like :func:`~alarm_bot.delivery.fanout.deliver_all`, every edit ends in an
:class:`~alarm_bot.delivery.chat_client.Outcome` and one space's failure never stops the others.
Unlike delivery, a failed edit is not worth failing the invocation for: the OK message itself was
delivered, and the card only lags behind. The caller logs and counts it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from aws_lambda_powertools import Logger

from alarm_bot.delivery.chat_client import CARD_UPDATE_MASK, DeliveryStatus, Outcome

logger = Logger(child=True)


@runtime_checkable
class MessageUpdater(Protocol):
    """What :func:`update_all` needs from a client (``ChatClient`` in production)."""

    def update_message(
        self,
        message_name: str,
        message: Mapping[str, Any],
        *,
        update_mask: str = CARD_UPDATE_MASK,
        deadline: float,
    ) -> Outcome: ...


@dataclass(frozen=True)
class MessageUpdate:
    message_name: str
    message: Mapping[str, Any]


def update_all(
    client: MessageUpdater, updates: Sequence[MessageUpdate], *, deadline: float, max_workers: int = 16
) -> list[Outcome]:
    """Apply every update concurrently; one Outcome per update, in the order of ``updates``."""
    if not updates:
        return []
    workers = max(1, min(max_workers, len(updates)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chat-update") as pool:
        futures = [pool.submit(_update_one, client, update, deadline) for update in updates]
        return [future.result() for future in futures]


def _update_one(client: MessageUpdater, update: MessageUpdate, deadline: float) -> Outcome:
    try:
        return client.update_message(update.message_name, update.message, deadline=deadline)
    except Exception as error:
        logger.exception("unexpected error updating a message", extra={"message_name": update.message_name})
        return Outcome(update.message_name, DeliveryStatus.FAILED, error=f"unexpected {type(error).__name__}")
