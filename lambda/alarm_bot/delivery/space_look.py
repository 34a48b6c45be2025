"""A flush's look at its space: what waits (outbox and newcomers) and what the space shows of it.

The holder of a space's lease reads only what the plan needs: the outbox when stored entries wait
(:func:`~alarm_bot.delivery.flush_timer.must_read_outbox`), the records of the alarms concerned,
the digests their lines are in, and ``sent`` records only for transitions that may have been shown.

Newcomers are planned without the stored entries only while their plan writes nothing (they wait
with the others). A newcomer written at once could pass a stored entry of its own alarm, an OK
posted before the ALARM it resolves, so then the outbox is read after all and everything is
planned together, in the order it happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from aws_lambda_powertools import Logger

from alarm_bot.alarms.model import Alarm
from alarm_bot.delivery.card_prefetch import Prefetched
from alarm_bot.delivery.flush_timer import must_read_outbox, outbox_waits
from alarm_bot.delivery.plan import plan_space
from alarm_bot.delivery.plan_steps import Pending, SpaceView
from alarm_bot.delivery.ports import DeliveryPorts
from alarm_bot.delivery.write_budget import window_left
from alarm_bot.store.alarm_messages import AlarmMessage
from alarm_bot.store.outbox import OutboxEntry
from alarm_bot.store.space_state import SpaceState

logger = Logger(child=True)


def look(
    ports: DeliveryPorts,
    space: str,
    state: SpaceState,
    incoming: Sequence[OutboxEntry],
    *,
    incoming_stored: bool,
    now: float,
    prefetched: Prefetched | None = None,
) -> tuple[SpaceView, list[Pending], SpaceState]:
    """The view to plan with, the entries that waited too long to keep trying, and the state to go
    on with (without ``due_at`` when the stored entries were read although they wait).

    ``prefetched``: card records read while the lease was taken (:mod:`card_prefetch`).
    """
    arrivals = [Pending(entry, stored=incoming_stored) for entry in incoming]
    pending, expired = _pending(ports, space, state, arrivals, now)
    view = _view(ports, space, state, pending, prefetched)
    if outbox_waits(state, now) and _writes_now(view, now, ports):
        state = replace(state, due_at=None)  # what waits is read, planned and counted again
        pending, expired = _pending(ports, space, state, arrivals, now)
        view = _view(ports, space, state, pending, prefetched)
    return view, expired, state


def _writes_now(view: SpaceView, now: float, ports: DeliveryPorts) -> bool:
    """Whether the newcomers alone would be written now (planned without side effects)."""
    rules = ports.rules
    return bool(plan_space(view, now, rules, allowance=window_left(view.writes, now, rules)).steps)


def _pending(
    ports: DeliveryPorts, space: str, state: SpaceState, arrivals: Sequence[Pending], now: float
) -> tuple[list[Pending], list[Pending]]:
    """What waits for the space (outbox and ``arrivals``, the newcomers), and what waited too long
    to keep trying."""
    stored: list[OutboxEntry] = []
    if must_read_outbox(state, now):
        stored, unreadable = ports.outbox.pending(space)
        for sort_key in unreadable:
            logger.error("an outbox entry cannot be read; it is dropped", extra={"space": space})
            ports.records.write([ports.outbox.delete_request(space, sort_key)])
    known = {entry.tid: entry for entry in stored}
    pending = [Pending(entry, stored=True) for entry in stored]
    for arrival in arrivals:
        entry = arrival.entry
        old = known.get(entry.tid)
        if old is None:
            pending.append(arrival)
        elif entry.announce and not old.announce:  # now also received here: show it, not only resolve
            pending = [Pending(entry, False) if p.entry is old else p for p in pending]
    limit = now - ports.rules.max_pending_age
    expired = [p for p in pending if p.entry.attempts and p.entry.first_seen < limit]
    return [p for p in pending if p not in expired], expired


def _view(
    ports: DeliveryPorts,
    space: str,
    state: SpaceState,
    pending: Sequence[Pending],
    prefetched: Prefetched | None,
) -> SpaceView:
    keys = [p.entry.notification.key for p in pending if isinstance(p.entry.notification, Alarm)]
    cards = _cards(ports, space, keys, prefetched)
    open_digests = [card.digest_id for card in cards.values() if card.digest_id and not card.resolved]
    if state.intent is not None:
        open_digests.append(state.intent.digest_id)
    digests = ports.digests.get_many(space, open_digests) if open_digests else {}
    doubtful = [p.entry.tid for p in pending if _may_have_been_shown(p.entry, cards)]
    return SpaceView(
        space=space,
        pending=tuple(pending),
        cards=cards,
        digests=digests,
        sent=frozenset(ports.outbox.sent(space, doubtful) if doubtful else ()),
        writes=state.writes,
        digest_due=state.digest_due,
        last_digest_at=state.last_digest_at,
        new_digest_id=ports.new_id(),
    )


def _cards(
    ports: DeliveryPorts, space: str, keys: Sequence[str], prefetched: Prefetched | None
) -> dict[str, AlarmMessage]:
    """The records of ``keys``: what was read early, and a read of the rest."""
    known = prefetched.keys if prefetched is not None else frozenset()
    missing = [key for key in keys if key not in known]
    cards = ports.cards.get_keys(space, missing) if missing else {}
    if prefetched is not None:
        cards.update({key: card for key, card in prefetched.cards.items() if key in keys})
    return cards


def _may_have_been_shown(entry: OutboxEntry, cards: dict[str, AlarmMessage]) -> bool:
    """Whether ``sent`` must be asked: not an alarm, or older than the alarm's latest shown."""
    notification = entry.notification
    if not isinstance(notification, Alarm):
        return True
    card = cards.get(notification.key)
    return card is not None and bool(card.shown_tid) and entry.at <= card.shown_at
