"""The project's writes for a flush, asked for while it does something else (the fast path).

A lone alarm in a quiet space must not wait for more DynamoDB calls than the path before the queue.
The project-wide reservation is one of them, so it is made while the flush takes the space's lease
(when this instance left the space quiet last time) or while it reads the space's records (when the
lease shows the space quiet). A guess that turns out too small is topped up; what the plan does not
need is given back, off the critical path, so a wrong guess costs the project nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass

from alarm_bot.delivery.ports import DeliveryPorts
from alarm_bot.delivery.quiet_memory import left_quiet
from alarm_bot.delivery.write_budget import pace_left
from alarm_bot.store.outbox import OutboxEntry
from alarm_bot.store.space_state import SpaceState


@dataclass(frozen=True)
class Reserved:
    granted: int
    at: float  # the reservation's time: its project slot, for giving writes back


def before_lease(
    ports: DeliveryPorts, space: str, incoming: Sequence[OutboxEntry], now: float
) -> Future[Reserved] | None:
    """Reserve for the newcomers (and a retry) at once, if this instance left the space quiet."""
    if not incoming or left_quiet(ports.quiet_spaces, space, now, ports.rules.time_scale) is None:
        return None
    return ports.side_calls.submit(_reserve, ports, len(incoming) + 1, now)


def after_lease(
    ports: DeliveryPorts, state: SpaceState, incoming: Sequence[OutboxEntry], now: float
) -> Future[Reserved] | None:
    """Reserve while the records are read, if the lease shows the space quiet."""
    if not incoming or not is_quiet(state) or pace_left(state.writes, now, ports.rules) < len(incoming):
        return None
    return ports.side_calls.submit(_reserve, ports, len(incoming) + 1, now)


def settle_writes(ports: DeliveryPorts, early: Future[Reserved] | None, wanted: int, now: float) -> int:
    """The writes granted for ``wanted``: the early reservation, topped up or its surplus given back."""
    if early is None:
        return ports.reserve(wanted, now) if wanted else 0
    reserved = early.result()
    if wanted > reserved.granted:
        return reserved.granted + ports.reserve(wanted - reserved.granted, now)
    give_back(ports, reserved, reserved.granted - wanted)
    return wanted


def give_back(ports: DeliveryPorts, reserved: Reserved, count: int) -> None:
    if count > 0:
        ports.side_calls.submit(ports.refund, count, reserved.at)


def cancel(ports: DeliveryPorts, early: Future[Reserved] | None) -> None:
    """The flush did not get the lease: everything reserved goes back."""
    if early is not None:
        early.add_done_callback(lambda done: give_back(ports, done.result(), done.result().granted))


def is_quiet(state: SpaceState) -> bool:
    return state.intent is None and state.digest_due is None and state.outbox == 0


def _reserve(ports: DeliveryPorts, writes: int, now: float) -> Reserved:
    return Reserved(ports.reserve(writes, now), now)
