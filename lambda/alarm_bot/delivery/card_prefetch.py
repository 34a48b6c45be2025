"""A lone alarm's card records, read while the space's lease is being taken.

On the path before the delivery queue a card went out after one DynamoDB call; through the queue
the lease and the read of the alarm's card are two more, one after the other. In a space this
instance left quiet the read is started at the same time as the lease. It is used only if the
lease shows that nobody else held the space since this instance did (its lease count is exactly one
more than remembered): then every card record a holder wrote was written before this instance let
go, and so before the read began. Otherwise the read is dropped and made again under the lease.
Records that clicks change (acknowledgements, mutes) are written without the lease either way, so a
read after the lease would see no more of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from aws_lambda_powertools import Logger

from alarm_bot.alarms.model import Alarm
from alarm_bot.delivery.ports import DeliveryPorts
from alarm_bot.delivery.quiet_memory import left_quiet
from alarm_bot.store.alarm_messages import AlarmMessage
from alarm_bot.store.outbox import OutboxEntry
from alarm_bot.store.space_state import SpaceState

logger = Logger(child=True)


@dataclass(frozen=True)
class Prefetch:
    keys: frozenset[str]
    cards: Future[dict[str, AlarmMessage]]
    leases: int  # the lease count this instance saw; the lease taken now must make it one more


@dataclass(frozen=True)
class Prefetched:
    """Card records already read for ``keys`` (an alarm without a record has none in ``cards``)."""

    keys: frozenset[str]
    cards: Mapping[str, AlarmMessage]


def start(ports: DeliveryPorts, space: str, incoming: Sequence[OutboxEntry], now: float) -> Prefetch | None:
    """Read the newcomers' card records now, if this instance left the space quiet."""
    left = left_quiet(ports.quiet_spaces, space, now, ports.rules.time_scale)
    keys = [entry.notification.key for entry in incoming if isinstance(entry.notification, Alarm)]
    if left is None or not keys:
        return None
    return Prefetch(frozenset(keys), ports.side_calls.submit(ports.cards.get_keys, space, keys), left.leases)


def prefetched_if_unheld(prefetch: Prefetch | None, held: SpaceState) -> Prefetched | None:
    """The records read, if nobody held the space between this instance and now; else None."""
    if prefetch is None or held.leases != prefetch.leases + 1:
        return None
    try:
        return Prefetched(prefetch.keys, prefetch.cards.result())
    except Exception as error:  # the read under the lease will say what is wrong, if it persists
        logger.warning("reading the cards early failed; they are read again", extra={"reason": str(error)})
        return None
