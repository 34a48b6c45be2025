"""The delivery path before the queue, kept only so that the benchmarks can compare against it.

Before the delivery queue, the handler sent a notification to every space at once and touched the
cards directly: post to all spaces in worker threads (:func:`deliver_all`), store each ALARM card
posted (:func:`remember_cards`), and on OK edit every open card in place (:func:`resolve_cards`,
through :func:`update_all`). The runtime no longer does any of this (:mod:`alarm_bot.delivery.pipeline`
plans each space's writes under its budget instead); ``fanout.py`` measures the real ``ChatClient``
through :func:`deliver_all`, and scenario D of ``storm.py`` (``_storm_latency.py``) times this path
against the queue's.

Every call ends in a :class:`~alarm_bot.delivery.chat_client.DeliveryOutcome`, in the order of its
jobs, and one space's failure never stops the others. Imported as ``_direct_path`` by the benchmarks
and as ``bench._direct_path`` by its tests, so it imports nothing of ``bench/``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeGuard, TypeVar

from aws_lambda_powertools import Logger

from alarm_bot.alarms.model import Alarm, AlarmState, Notification
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat_message import ChatMessage
from alarm_bot.delivery.chat_client import DeliveryOutcome, DeliveryStatus
from alarm_bot.delivery.chat_writes import ChatEditor, ChatPoster
from alarm_bot.delivery.credentials import CredentialsError
from alarm_bot.delivery.outgoing import alarm_since, resolved_message
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.alarm_messages import AlarmMessage, AlarmMessageStore

logger = Logger(child=True)
_Work = TypeVar("_Work")  # a job or an update


@dataclass(frozen=True)
class DeliveryJob:
    """One post of :func:`deliver_all`: a message for a space, with its requestId and thread."""

    space: str
    message: Mapping[str, Any]
    request_id: str
    thread_key: str | None = None


@dataclass(frozen=True)
class MessageUpdate:
    """One edit of :func:`update_all`: a posted message and what it becomes."""

    message_name: str
    message: Mapping[str, Any]


def deliver_all(
    client: ChatPoster,
    jobs: Sequence[DeliveryJob],
    *,
    deadline: float,
    max_workers: int = 16,
) -> list[DeliveryOutcome]:
    """Send every job concurrently; one outcome per job, in the order of ``jobs``.

    ``deadline`` is a ``time.monotonic()`` value shared by all jobs. Keep ``max_workers`` no larger
    than the client's ``pool_size`` so that every worker reuses a pooled connection.
    """
    send = functools.partial(_deliver_one, client, deadline=deadline)
    return _in_threads(send, jobs, max_workers=max_workers, thread_name_prefix="chat-delivery")


def update_all(
    client: ChatEditor, updates: Sequence[MessageUpdate], *, deadline: float, max_workers: int = 16
) -> list[DeliveryOutcome]:
    """Apply every update concurrently; one outcome per update, in the order of ``updates``."""
    edit = functools.partial(_update_one, client, deadline=deadline)
    return _in_threads(edit, updates, max_workers=max_workers, thread_name_prefix="chat-update")


def _in_threads(
    call: Callable[[_Work], DeliveryOutcome],
    work: Sequence[_Work],
    *,
    max_workers: int,
    thread_name_prefix: str,
) -> list[DeliveryOutcome]:
    """``call`` on every item at once (at most ``max_workers`` threads); the outcomes in item order."""
    if not work:
        return []
    workers = max(1, min(max_workers, len(work)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=thread_name_prefix) as pool:
        futures = [pool.submit(call, item) for item in work]
        return [future.result() for future in futures]


def resolves_cards(notification: Notification) -> TypeGuard[Alarm]:
    """An OK closes the cards its alarm left open."""
    return isinstance(notification, Alarm) and notification.state is AlarmState.OK


def remember_cards(
    alarm: Alarm,
    base: ChatMessage,
    outcomes: Sequence[DeliveryOutcome],
    messages: AlarmMessageStore,
    now: float,
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
    if not isinstance(updater, ChatEditor):
        return counts
    by_space = {space.space: space for space in spaces}
    updates = [_resolved_update(card, by_space.get(card.space), resolved_at, settings, now) for card in cards]
    outcomes = update_all(updater, updates, deadline=deadline, max_workers=settings.max_workers)
    for card, outcome in zip(cards, outcomes, strict=True):
        counts[_settle(card, outcome, messages, resolved_at, now)] += 1
    return counts


def _deliver_one(client: ChatPoster, job: DeliveryJob, deadline: float) -> DeliveryOutcome:
    """Run one job; an unexpected exception becomes a ``failed`` outcome instead of sinking the batch."""
    try:
        return client.create_message(
            job.space,
            job.message,
            request_id=job.request_id,
            thread_key=job.thread_key,
            deadline=deadline,
        )
    except Exception as error:
        logger.exception("unexpected error delivering to a space", extra={"space": job.space})
        return DeliveryOutcome(job.space, DeliveryStatus.FAILED, error=f"unexpected {type(error).__name__}")


def _update_one(client: ChatEditor, update: MessageUpdate, deadline: float) -> DeliveryOutcome:
    """Run one update; an unexpected exception becomes a ``failed`` outcome, as in :func:`_deliver_one`."""
    try:
        return client.update_message(update.message_name, update.message, deadline=deadline)
    except Exception as error:
        logger.exception("unexpected error updating a message", extra={"message_name": update.message_name})
        return DeliveryOutcome(
            update.message_name, DeliveryStatus.FAILED, error=f"unexpected {type(error).__name__}"
        )


def _resolved_update(
    card: AlarmMessage, space: SpaceRecord | None, resolved_at: int, settings: DeliverySettings, now: float
) -> MessageUpdate:
    return MessageUpdate(card.message_name, resolved_message(card, space, resolved_at, settings, now))


def _settle(
    card: AlarmMessage, outcome: DeliveryOutcome, messages: AlarmMessageStore, resolved_at: int, now: float
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
