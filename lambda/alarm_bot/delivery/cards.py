"""The fan-out's part in interactive ALARM cards.

* On the way out, an ALARM card gets its Acknowledge and Mute buttons (addressed as this deployment
  requires, see :mod:`alarm_bot.alarms.card_buttons`) and, in spaces that asked for it, ``<users/all>``
  (:mod:`alarm_bot.delivery.outgoing`, pure, so ``alarm-bot render`` shows it too; re-exported here).
* Once delivered, each space's card is remembered (:mod:`alarm_bot.store.alarm_messages`) with the
  message name Google returned, so the Chat function can redraw it when someone clicks.
* When the alarm returns to OK, every space's open card is edited in place to say when it was
  resolved and how long it lasted, without the buttons. The OK reply in the thread is delivered
  as before; a card that cannot be edited is logged and counted but does not fail the invocation,
  and a card Google no longer has (403/404) is let go.

Both paths are idempotent: a retried or duplicated ALARM keeps the stored card (same transition),
and a card already marked resolved is not edited again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeGuard

from aws_lambda_powertools import Logger

from alarm_bot.alarms.card_state import interactive_message
from alarm_bot.alarms.model import Alarm, AlarmState, Notification
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.delivery.chat_client import DeliveryStatus, Outcome
from alarm_bot.delivery.credentials import CredentialsError
from alarm_bot.delivery.outgoing import OutgoingCard, alarm_since, opens_card, outgoing_card
from alarm_bot.delivery.patch import MessageUpdate, MessageUpdater, update_all
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.alarm_messages import AlarmMessage, AlarmMessageStore

__all__ = [
    "OutgoingCard",
    "opens_card",
    "outgoing_card",
    "remember_cards",
    "resolve_cards",
    "resolved_message",
    "resolves_cards",
]

logger = Logger(child=True)
Message = dict[str, Any]


def resolves_cards(notification: Notification) -> TypeGuard[Alarm]:
    """An OK closes the cards its alarm left open."""
    return isinstance(notification, Alarm) and notification.state is AlarmState.OK


def remember_cards(
    alarm: Alarm, base: Message, outcomes: Sequence[Outcome], messages: AlarmMessageStore, now: float
) -> int:
    """Store each delivered card; returns how many were new (a retry finds them stored)."""
    stored = 0
    for outcome in outcomes:
        if not outcome.delivered or not outcome.message_name:
            continue
        record = AlarmMessage(
            space=outcome.space,
            alarm_key=alarm.key,
            message_name=outcome.message_name,
            transition=alarm.transition_id,
            since=int(alarm_since(alarm, now)),
            message=base,
            alarm_name=alarm.name,
            alarm_arn=alarm.arn or "",
        )
        stored += messages.record_posted(record, now)
    return stored


def resolve_cards(
    alarm: Alarm,
    spaces: Sequence[SpaceRecord],
    *,
    messages: AlarmMessageStore,
    client: Callable[[], object],
    settings: DeliverySettings,
    now: float,
    deadline: float,
) -> Counter[str]:
    """Edit every space's open card of ``alarm`` to show it resolved; counts for the metrics."""
    counts: Counter[str] = Counter()
    resolved_at = int(alarm_since(alarm, now))
    stored = messages.get_many([space.space for space in spaces], alarm.key)
    cards = [card for card in stored if _open_before(card, resolved_at)]
    if not cards:
        return counts
    try:
        updater = client()
    except CredentialsError as error:
        logger.error("cannot authenticate to Google Chat to resolve cards", extra={"reason": str(error)})
        counts["CardUpdatesFailed"] += len(cards)
        return counts
    if not isinstance(updater, MessageUpdater):
        return counts
    by_space = {space.space: space for space in spaces}
    updates = [_resolved_update(card, by_space.get(card.space), resolved_at, settings, now) for card in cards]
    outcomes = update_all(updater, updates, deadline=deadline, max_workers=settings.max_workers)
    for card, outcome in zip(cards, outcomes, strict=True):
        counts[_settle(card, outcome, messages, resolved_at, now)] += 1
    return counts


def _resolved_update(
    card: AlarmMessage, space: SpaceRecord | None, resolved_at: int, settings: DeliverySettings, now: float
) -> MessageUpdate:
    return MessageUpdate(card.message_name, resolved_message(card, space, resolved_at, settings, now))


def resolved_message(
    card: AlarmMessage, space: SpaceRecord | None, resolved_at: int, settings: DeliverySettings, now: float
) -> Message:
    """The stored card redrawn as resolved: status lines kept, buttons gone."""
    muted_until = space.alarm_muted_until(card.alarm_key, now) if space is not None else None
    state = replace(card.card_state(muted_until), resolved_at=resolved_at)
    return interactive_message(
        dict(card.message),
        card.alarm_key,
        state,
        target=None,
        locale=settings.locale,
        time_zone=settings.time_zone,
    )


def _settle(
    card: AlarmMessage, outcome: Outcome, messages: AlarmMessageStore, resolved_at: int, now: float
) -> str:
    """Mark the card resolved unless the edit failed; the name of the metric to count."""
    context = {"space": card.space, "alarm": card.alarm_name, "http_status": outcome.http_status}
    if outcome.status is DeliveryStatus.FAILED:
        logger.warning("could not mark the alarm card resolved", extra={**context, "error": outcome.error})
        return "CardUpdatesFailed"
    messages.resolve(card.space, card.alarm_key, card.message_name, resolved_at, now)
    if outcome.status is DeliveryStatus.GONE:
        logger.info("the alarm card is gone; nothing to resolve", extra=context)
        return "CardsGone"
    return "CardsResolved"


def _open_before(card: AlarmMessage, resolved_at: int) -> bool:
    """Open, and begun before this OK: a newer ALARM's card is not this OK's to close."""
    return not card.resolved and card.since <= resolved_at
