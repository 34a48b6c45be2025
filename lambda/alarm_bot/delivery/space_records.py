"""Turn what one space's flush wrote into what the table must remember (pure).

For every step that succeeded: the ``sent`` record of each transition it showed (exactly-once),
the card or digest line now showing each alarm (latest transition shown, resolved or not), the
digest and its lines; and the outbox entries it finished are deleted. A step that failed leaves its
notifications waiting with one more failed attempt, except when Google refused the message itself
(400): that can never succeed and goes to the dead-letter queue. What the run did not reach waits
as it was. The caller writes all of it in one transaction with the space's state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from aws_lambda_powertools import Logger

from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.delivery.chat_client import DeliveryOutcome, DeliveryStatus
from alarm_bot.delivery.chat_writes import Written
from alarm_bot.delivery.plan_steps import (
    Pending,
    PostDigest,
    PostMessage,
    ResolveCard,
    Show,
    SpacePlan,
    Step,
    UpdateDigest,
)
from alarm_bot.store.alarm_messages import OPEN, RESOLVED, AlarmMessage, DynamoAlarmMessages, with_message
from alarm_bot.store.digests import Digest, DigestLine, DynamoDigests
from alarm_bot.store.outbox import DynamoOutbox, OutboxEntry

logger = Logger(child=True)


@dataclass
class Settled:
    """The table writes of one flush, and what the pipeline must know about it."""

    items: list[dict[str, Any]] = field(default_factory=list)
    remaining: int = 0  # entries still waiting afterwards
    stored: int = 0  # of them, entries this flush stores in the outbox (they were not there)
    counts: Counter[str] = field(default_factory=Counter)
    failed: DeliveryOutcome | None = None  # the write that failed (none: nothing failed)
    gone: DeliveryOutcome | None = None  # the space itself answered 403/404 to a post
    poison: list[tuple[OutboxEntry, str]] = field(default_factory=list)  # Google refused these (400)
    posted_digest: bool = False
    digest_parts: int = 0  # parts of a digest step posted
    digest_total: int = 0  # the parts that digest has in all
    digest_shown: set[str] = field(default_factory=set)  # the transitions they show


@dataclass(frozen=True)
class Tables:
    cards: DynamoAlarmMessages
    digests: DynamoDigests
    outbox: DynamoOutbox


@dataclass
class _CardChange:
    """Everything one flush changes on one alarm's record: a transaction may touch an item once."""

    put: AlarmMessage | None = None
    shown: tuple[str, float] | None = None  # (tid, change time)
    resolved_at: int | None = None
    message: Mapping[str, Any] | None = None  # the card as resolved with its recovery chart

    def requests(self, space: str, alarm_key: str, tables: Tables, now: float) -> dict[str, Any]:
        if self.put is not None:
            record = self.put
            if self.shown is not None:
                record = replace(record, shown_tid=self.shown[0], shown_at=self.shown[1])
            if self.resolved_at is not None:
                record = replace(record, state=RESOLVED, resolved_at=self.resolved_at)
            if self.message is not None:
                record = replace(record, message=self.message)
            return tables.cards.put_request(record, now)
        tid, at = self.shown if self.shown is not None else ("", 0.0)
        if self.shown is None:
            return _resolved(tables, space, alarm_key, self.resolved_at or 0, now, message=self.message)
        shown = tables.cards.shown_request(space, alarm_key, tid, at, now, resolved_at=self.resolved_at)
        return {"Update": with_message(shown["Update"], self.message)}


def settle_records(
    space: str,
    plan: SpacePlan,
    written: Sequence[Written],
    pending: Sequence[Pending],
    *,
    tables: Tables,
    now: float,
) -> Settled:
    """The table writes and counts for ``written`` (what ran of ``plan``) over ``pending``."""
    recorder = _Recorder(space, tables, now)
    finished: set[str] = {p.entry.tid for p in plan.done}
    unfinished: set[str] = {p.entry.tid for p in plan.waiting}
    failed: set[str] = set()
    alone: set[str] = set()  # own messages that Google may have created although the call failed
    for result in written:
        if result.ok and result.shown is not None:  # a digest with fewer lines than it was offered
            unfinished |= _tids(result.step) - result.shown
            finished |= result.shown
            recorder.record(result)
        elif result.edit_refused:  # counted and logged; an OK seen again tries the edit once more
            recorder.settled.counts["CardUpdatesFailed"] += 1
            logger.warning(
                "could not mark the alarm card resolved",
                extra={"space": space, "error": result.outcomes[0].error},
            )
            finished |= _tids(result.step)
        elif result.ok:
            recorder.record(result)
            finished |= _tids(result.step)
        else:
            unfinished |= _tids(result.step)
            failed |= _tids(result.step)
            if isinstance(result.step, PostMessage) and any(o.attempts for o in result.outcomes):
                alone.add(result.step.entry.tid)
            recorder.failure(result)
    run = {tid for result in written for tid in _tids(result.step)}
    for step in plan.steps:  # steps after the failure were never run
        if not _tids(step) & run:
            unfinished |= _tids(step)
    recorder.flush_cards()
    recorder.keep_or_drop(pending, finished - unfinished, failed, alone)
    return recorder.settled


@dataclass
class _Recorder:
    space: str
    tables: Tables
    now: float
    settled: Settled = field(default_factory=Settled)
    cards: dict[str, _CardChange] = field(default_factory=dict)

    def record(self, result: Written) -> None:
        step = result.step
        if isinstance(step, ResolveCard):
            change = self.cards.setdefault(step.alarm_key, _CardChange())
            change.resolved_at = int(step.entry.at)
            if result.base:  # the edit put a recovery chart on the card: later redraws show it
                change.message = result.base
            gone = result.outcomes[0].status is DeliveryStatus.GONE
            self.settled.counts["CardsGone" if gone else "CardsResolved"] += 1
        elif isinstance(step, PostMessage):
            self._posted(step, result)
        elif result.digest is not None:
            self._digest(step, result.digest, result.lines, result.shown)

    def _posted(self, step: PostMessage, result: Written) -> None:
        entry, notification = step.entry, step.entry.notification
        if result.card is not None:
            self.cards[result.card.alarm_key] = _CardChange(put=result.card)
            self.settled.counts["AlarmCardsStored"] += 1
        elif isinstance(notification, Alarm) and step.show is not Show.LATE:
            self.cards.setdefault(notification.key, _CardChange()).shown = (entry.tid, entry.at)
        self.settled.items.append(self.tables.outbox.sent_request(self.space, entry.tid, self.now))
        self.settled.counts["LateTransitions" if step.show is Show.LATE else "MessagesDelivered"] += 1

    def _digest(
        self, step: Step, digest: Digest, lines: Sequence[DigestLine], shown: frozenset[str] | None
    ) -> None:
        items, tables, now = self.settled.items, self.tables, self.now
        items.append(tables.digests.put_request(digest, now))
        entries = [entry for entry in _entries(step) if shown is None or entry.tid in shown]
        if isinstance(step, PostDigest):
            for line in lines:
                # A late line leaves the record alone: it shows a newer change than the line.
                if isinstance(line.notification, Alarm) and not line.late:
                    self.cards[line.line_key] = _CardChange(put=_attached(self.space, digest, line))
        for entry in entries:
            items.append(tables.outbox.sent_request(self.space, entry.tid, now))
            if isinstance(step, UpdateDigest) and isinstance(entry.notification, Alarm):
                change = self.cards.setdefault(entry.notification.key, _CardChange())
                change.shown = (entry.tid, entry.at)
                if entry.notification.state is AlarmState.OK:
                    change.resolved_at = int(entry.at)
        counts = self.settled.counts
        counts["NotificationsDigested"] += len(entries)
        if isinstance(step, PostDigest):
            self.settled.posted_digest = True
            self.settled.digest_parts += 1
            self.settled.digest_total = digest.parts
            self.settled.digest_shown |= {entry.tid for entry in entries}
            counts["DigestsPosted"] += 1
            counts["MessagesDelivered"] += 1
        else:
            counts["DigestUpdates"] += 1

    def failure(self, result: Written) -> None:
        failed = next(outcome for outcome in result.outcomes if not outcome.delivered)
        self.settled.failed = failed
        edit = isinstance(result.step, ResolveCard) or (
            isinstance(result.step, UpdateDigest) and failed is result.outcomes[0]
        )
        if not edit and failed.status is DeliveryStatus.GONE:
            self.settled.gone = failed
        if failed.http_status == 400 and not self.settled.poison:
            self.settled.poison = [(entry, failed.error or "HTTP 400") for entry in _entries(result.step)]

    def flush_cards(self) -> None:
        self.settled.items += [
            change.requests(self.space, key, self.tables, self.now) for key, change in self.cards.items()
        ]

    def keep_or_drop(
        self, pending: Sequence[Pending], finished: set[str], failed: set[str], alone: set[str]
    ) -> None:
        """Delete what is done (or poisoned) from the outbox; store what still waits."""
        poisoned = {entry.tid for entry, _ in self.settled.poison}
        for item in pending:
            tid = item.entry.tid
            if tid in poisoned or tid in finished:
                if item.stored:
                    self.settled.items.append(
                        self.tables.outbox.delete_request(self.space, item.entry.sort_key)
                    )
                continue
            entry = item.entry
            if tid in failed:
                entry = replace(entry, attempts=entry.attempts + 1, alone=entry.alone or tid in alone)
            if not item.stored or entry is not item.entry:
                self.settled.items.append(self.tables.outbox.put_request(self.space, entry))
            if not item.stored:
                self.settled.stored += 1
                self.settled.counts["DeliveriesDeferred"] += 1
            self.settled.remaining += 1


def _attached(space: str, digest: Digest, line: DigestLine) -> AlarmMessage:
    """The record of an alarm shown as a line of ``digest``: clicks there find it, OKs update it."""
    alarm = line.notification
    assert isinstance(alarm, Alarm)
    first_alarm = next(
        (at for state, at in line.history if state == AlarmState.ALARM.value), line.history[0][1]
    )
    latest_at = line.history[-1][1]
    resolved = alarm.state is AlarmState.OK
    return AlarmMessage(
        space=space,
        alarm_key=alarm.key,
        message_name=digest.message_name,
        transition=alarm.transition_id,
        since=int(first_alarm),
        message={},
        alarm_name=alarm.name,
        alarm_arn=alarm.arn or "",
        state=RESOLVED if resolved else OPEN,
        resolved_at=int(latest_at) if resolved else None,
        digest_id=digest.digest_id,
        shown_at=latest_at,
        shown_tid=alarm.transition_id,
    )


def _resolved(
    tables: Tables, space: str, key: str, resolved_at: int, now: float, *, message: Mapping[str, Any] | None
) -> dict[str, Any]:
    update = with_message(tables.cards.resolve_update(space, key, "", resolved_at, now), message)
    update.pop("ConditionExpression")  # under the space's lease: the card is the one just edited
    update["ExpressionAttributeValues"].pop(":m")
    return {"Update": update}


def _entries(step: Step) -> list[OutboxEntry]:
    if isinstance(step, PostMessage | ResolveCard):
        return [step.entry]
    if isinstance(step, PostDigest):
        return [entry for entry, _ in step.entries]
    return list(step.entries)


def _tids(step: Step) -> set[str]:
    return {entry.tid for entry in _entries(step)}
