"""Deliver to one space under its lease: look, plan, write, remember, release; again if needed.

This is the only place that writes to a space. It takes the space's lease (or, when another
consumer holds it, leaves the notifications in the space's outbox for that holder, tells the holder
to look again before it lets go, and makes sure a flush is scheduled in case the holder dies), then
loops: read what waits and the records it concerns, plan
(:func:`~alarm_bot.delivery.plan.plan_space`), reserve the project's writes, write, and record
everything with the space's state in one transaction that also releases the lease. If more arrived
meanwhile, the release is refused and it goes round again.

A digest is announced before it is posted (``intent``): if the function dies after posting, the
next holder posts exactly the same digest again, and Google's ``requestId`` keeps one. Card charts
are started while the lease is taken and at the plan (:mod:`~alarm_bot.delivery.card_charts`).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from aws_lambda_powertools import Logger

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.delivery import card_charts, card_prefetch, early_writes
from alarm_bot.delivery.card_charts import CardCharts
from alarm_bot.delivery.card_prefetch import Prefetched
from alarm_bot.delivery.chat_client import DeliveryOutcome, DeliveryStatus
from alarm_bot.delivery.credentials import CredentialsError
from alarm_bot.delivery.early_writes import Reserved
from alarm_bot.delivery.flush_state import intent_for, next_state, resumed_plan
from alarm_bot.delivery.flush_timer import timer_after
from alarm_bot.delivery.plan import plan_space
from alarm_bot.delivery.plan_steps import Pending, PostDigest, SpacePlan, SpaceView, UpdateDigest
from alarm_bot.delivery.ports import DeliveryPorts
from alarm_bot.delivery.quiet_memory import LeftQuiet
from alarm_bot.delivery.space_look import look
from alarm_bot.delivery.space_records import Settled, Tables, settle_records
from alarm_bot.delivery.space_writes import SpaceWriter
from alarm_bot.delivery.work_queue import flush_body, undelivered_body
from alarm_bot.delivery.write_budget import WriteGate, window_left
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.outbox import OutboxEntry
from alarm_bot.store.record_writes import StateChanged
from alarm_bot.store.space_state import Lease, SpaceState, StateChange
from alarm_bot.timefmt import utc_iso

logger = Logger(child=True)
MAX_ROUNDS = 6  # looks at the outbox again at most this often, then leaves the rest to a timer
LEASE_SHARE = 0.75  # of the lease a flush may use for writing


class LeaseLost(RuntimeError):
    """The space's lease ran out before a digest could be announced: leave it to the next holder."""


@dataclass
class FlushResult:
    space: str
    counts: Counter[str] = field(default_factory=Counter)
    retry_in: float | None = None  # a flush run by a timer failed: return the timer, this much later
    gone: DeliveryOutcome | None = None  # the space answered 403/404 to a post: the bot was removed from it


@dataclass
class SpaceFlush:
    ports: DeliveryPorts
    settings: DeliverySettings
    owner: str
    clock: Callable[[], float]
    deadline: float  # time.monotonic()
    by_timer: bool = False
    charts: CardCharts | None = None  # this delivery's card charts (card_charts), shared by its spaces
    _incoming_stored: bool = False
    _early: Future[Reserved] | None = None
    _prefetched: Prefetched | None = None
    _returned_at: float | None = None  # when the timer that runs this flush comes back, if it must

    def run(self, space: str, record: SpaceRecord | None, incoming: Sequence[OutboxEntry]) -> FlushResult:
        result = FlushResult(space)
        rules = self.ports.rules
        self._early = early_writes.before_lease(self.ports, space, incoming, self.clock())
        card_charts.before_lease(self.charts, self.ports, space, incoming, self.clock())
        prefetch = card_prefetch.start(self.ports, space, incoming, self.clock())
        lease = self.ports.states.acquire(space, self.owner, self.clock(), rules.lease)
        self._prefetched = (
            card_prefetch.prefetched_if_unheld(prefetch, lease.state) if lease.acquired else None
        )
        if not lease.acquired:
            early_writes.cancel(self.ports, self._early)
            self._early = None
            lease = self._leave_for_holder(space, incoming, lease.state, result)
            if not lease.acquired:
                return result
            self._incoming_stored = True  # in the outbox now, and counted there
        # Stop writing well before the lease could run out: a longer flush leaves the rest to a timer.
        self.deadline = min(self.deadline, time.monotonic() + rules.lease * LEASE_SHARE)
        state = lease.state
        if lease.unreleased:  # its holder died: count what it may have written as spent
            state = replace(state, writes=(*state.writes, *[state.lease_until or 0.0] * rules.burst))
        for _ in range(MAX_ROUNDS):
            fresh = self._round(space, record, state, incoming, result)
            if fresh is None:
                return result
            state, incoming, self._incoming_stored = fresh, (), False
            if time.monotonic() > self.deadline:
                break
        # Still busy (a storm keeps adding) or out of time: hand the space on at once, not after the
        # lease runs out. Everything done is recorded; a flush right away takes what arrived since.
        self.ports.queue.send(flush_body(space), 0.0)
        self.ports.states.release(space, self.owner)
        result.counts["FlushesHandedOn"] += 1
        return result

    def _leave_for_holder(
        self, space: str, incoming: Sequence[OutboxEntry], held: SpaceState, result: FlushResult
    ) -> Lease:
        """Another consumer holds the space: store the entries for it, and keep a flush scheduled.

        Either way the holder is told (``seq``), so it looks at the outbox again before it lets go.
        A scheduled flush (no entries of its own) tells it too: the holder may have planned only
        newcomers, trusting this very flush to look at the stored entries when they are due. That
        flush now finds the space busy and ends, and nothing else is scheduled for them.
        """
        ports, now = self.ports, self.clock()
        if incoming:
            ports.outbox.store([(space, entry) for entry in incoming])
            result.counts["NotificationsQueued"] += len(incoming)
        held = ports.states.notify(space, len(incoming), now)
        if held.lease_owner is None or (held.lease_until or 0.0) < now:  # released meanwhile: take over
            lease = ports.states.acquire(space, self.owner, now, ports.rules.lease)
            if lease.acquired:
                return lease
        due = (held.lease_until or now) + 1.0 * ports.rules.time_scale
        if ports.states.claim_timer(space, due, now, ports.rules.timer_grace):
            ports.queue.send(flush_body(space), max(due - now, 0.0))
        return Lease(False, held)

    def _round(
        self,
        space: str,
        record: SpaceRecord | None,
        state: SpaceState,
        incoming: Sequence[OutboxEntry],
        result: FlushResult,
    ) -> SpaceState | None:
        """One look-plan-write-record; the fresh state if it must go round again, else None."""
        now = self.clock()
        early = self._early or early_writes.after_lease(self.ports, state, incoming, now)
        self._early = None
        card_charts.after_lease(self.charts, self.ports, state, incoming, now)
        view, expired, state = look(
            self.ports,
            space,
            state,
            incoming,
            incoming_stored=self._incoming_stored,
            now=now,
            prefetched=self._prefetched,
        )
        self._prefetched = None
        plan, allowed = self._plan(view, state, now, early)
        gate = WriteGate(allowed=allowed, clock=self.clock)
        settled = self._write(space, record, state=state, view=view, plan=plan, gate=gate, result=result)
        settled.poison += [(p.entry, "not shown for 6 hours") for p in expired]
        settled.items += [
            self.ports.outbox.delete_request(space, p.entry.sort_key) for p in expired if p.stored
        ]
        self._dead_letter(space, settled, now)
        change, wake, retry_in = next_state(
            state, plan, settled=settled, gate=gate, now=now, ports=self.ports, by_timer=self.by_timer
        )
        timer = timer_after(state, change, wake=wake, retry_in=retry_in, remaining=settled.remaining, now=now)
        # A round that returns the timer records it as the space's next flush (``timer_at``), and
        # later rounds may count on it (covered()) instead of scheduling their own: once returned,
        # it stays returned, even if a later round's writes succeed. It comes back no earlier than
        # the state says (kept to the millisecond), or it would take itself for a flush still to come.
        if retry_in is not None:
            self._returned_at = math.ceil((now + retry_in) * 1000) / 1000
        if self._returned_at is not None:
            result.retry_in = max(self._returned_at - now, 0.0)
        if timer.send_in is not None:  # before the state says so
            self.ports.queue.send(flush_body(space), timer.send_in)
            result.counts["FlushesScheduled"] += 1
        try:
            again = plan.again and settled.failed is None  # more digest work due now: keep the lease
            release = None if again else state.seq
            request = self.ports.states.change_request(
                space, self.owner, timer.change, release_at_seq=release
            )
            self.ports.records.write(settled.items, request)
        except StateChanged:  # more arrived meanwhile: keep the lease, record what was done, look again
            result.counts.update(settled.counts)
            # The count others added to stays; what this round stored is added (an upper bound).
            kept = replace(timer.change, outbox=None, outbox_added=settled.stored)
            if not self.ports.states.hold(space, self.owner, kept):
                # Another holder took over, or this very write released the lease and its answer
                # was lost: either way a flush now makes sure what waits is looked at.
                logger.warning(
                    "the space's lease ran out during a flush; a flush is scheduled for what waits",
                    extra={"space": space},
                )
                self.ports.queue.send(flush_body(space), 0.0)
                result.counts["FlushesScheduled"] += 1
                return None
            return replace(self.ports.states.get(space), due_at=None)  # read everything next round
        result.counts.update(settled.counts)
        if again:
            return replace(self.ports.states.get(space), due_at=None)
        self._remember(
            space,
            state,
            quiet=not settled.remaining and plan.digest_due is None and settled.failed is None,
        )
        return None

    def _remember(self, space: str, state: SpaceState, *, quiet: bool) -> None:
        if quiet:
            self.ports.quiet_spaces[space] = LeftQuiet(self.clock(), state.leases)
        else:
            self.ports.quiet_spaces.pop(space, None)

    def _plan(
        self, view: SpaceView, state: SpaceState, now: float, early: Future[Reserved] | None
    ) -> tuple[SpacePlan, int]:
        """The plan, and how many HTTP attempts it may make (one retry more than it needs)."""
        rules = self.ports.rules
        space_left = window_left(view.writes, now, rules)
        if state.intent is not None:
            plan = resumed_plan(view, state.intent)
        else:
            plan = plan_space(view, now, rules, allowance=space_left)
        wanted = plan.writes + 1 if plan.writes else 0
        granted = early_writes.settle_writes(self.ports, early, wanted, now)
        if granted < plan.writes and state.intent is None:
            plan = plan_space(view, now, rules, allowance=granted)
        card_charts.planned(self.charts, plan.steps, view.cards)
        return plan, min(space_left, granted)

    def _write(
        self,
        space: str,
        record: SpaceRecord | None,
        *,
        state: SpaceState,
        view: SpaceView,
        plan: SpacePlan,
        gate: WriteGate,
        result: FlushResult,
    ) -> Settled:
        now = self.clock()
        tables = Tables(self.ports.cards, self.ports.digests, self.ports.outbox)
        if not plan.steps:
            return settle_records(space, plan, [], view.pending, tables=tables, now=now)
        try:
            client = self.ports.chat()
        except CredentialsError as error:
            logger.error("cannot authenticate to Google Chat", extra={"space": space, "reason": str(error)})
            settled = settle_records(space, replace(plan, steps=()), [], view.pending, tables=tables, now=now)
            settled.failed = DeliveryOutcome(space, DeliveryStatus.FAILED, error=str(error))
            return settled
        digest_step = next((s for s in plan.steps if isinstance(s, PostDigest | UpdateDigest)), None)
        pending = view.pending
        if digest_step is not None and state.intent is None:
            pending = self._announce(space, state, digest_step, pending)
        writer = SpaceWriter(
            space=record,
            view=view,
            settings=self.settings,
            client=client,
            gate=gate,
            deadline=self.deadline,
            max_pause=self.ports.rules.max_pause,
            now=now,
            charts=self.charts,
        )
        settled = settle_records(space, plan, writer.run(plan.steps), pending, tables=tables, now=now)
        result.gone = settled.gone
        return settled

    def _announce(
        self, space: str, state: SpaceState, step: PostDigest | UpdateDigest, pending: Sequence[Pending]
    ) -> tuple[Pending, ...]:
        """Before posting a digest: store its entries and say which they are, for a retry.

        Returns ``pending`` with those entries marked stored (the outbox count includes them).
        """
        intent = intent_for(step)
        unstored = [p.entry for p in pending if not p.stored and p.entry.tid in intent.tids]
        if unstored:
            self.ports.outbox.store([(space, entry) for entry in unstored])
        change = StateChange(
            writes=state.writes,
            outbox=None,
            failures=state.failures,
            intent=intent,
            outbox_added=len(unstored),
        )
        if not self.ports.states.hold(space, self.owner, change):
            raise LeaseLost(space)
        chosen = set(intent.tids)
        return tuple(Pending(p.entry, stored=True) if p.entry.tid in chosen else p for p in pending)

    def _dead_letter(self, space: str, settled: Settled, now: float) -> None:
        for entry, reason in settled.poison:
            logger.error(
                "a notification cannot be shown; it goes to the dead-letter queue",
                extra={"space": space, "reason": reason},
            )
            self.ports.queue.dead_letter(undelivered_body(space, entry.notification, reason, utc_iso(now)))
            settled.counts["NotificationsDeadLettered"] += 1
