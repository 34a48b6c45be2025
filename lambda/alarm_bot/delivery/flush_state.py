"""What a flush leaves in the space's state, and how a digest interrupted by a crash is resumed (pure).

After a flush the state records the writes it made (the budget), how many entries still wait, how
often in a row writing failed, when the digest being collected is due, and when the space must be
looked at again (``wake``): the plan's own time (a digest due, a budget slot freeing up), or after
a failure the retry time, ``Retry-After`` for a 429, else capped exponential backoff with jitter.
"""

from __future__ import annotations

from dataclasses import replace

from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.delivery.plan_steps import Pending, PostDigest, Show, SpacePlan, SpaceView, UpdateDigest
from alarm_bot.delivery.ports import DeliveryPorts
from alarm_bot.delivery.space_records import Settled
from alarm_bot.delivery.write_budget import WriteGate, pruned
from alarm_bot.store.space_state import Intent, SpaceState, StateChange


def next_state(
    state: SpaceState,
    plan: SpacePlan,
    *,
    settled: Settled,
    gate: WriteGate,
    now: float,
    ports: DeliveryPorts,
    by_timer: bool,
) -> tuple[StateChange, float | None, float | None]:
    """``(change, wake, retry_in)``: the state to write, when to flush next, and (for a failed
    flush run by a timer) how long to hide that timer instead of scheduling another."""
    rules = ports.rules
    failures, wake, retry_in = state.failures, plan.wake_at, None
    failed = settled.failed
    if failed is None:
        failures = 0
    elif failed.rate_limited:
        settled.counts["ChatRateLimited"] += 1
        wake = now + max(failed.retry_after or 0.0, rules.retry_base)
    elif failed.denied:
        wake = min(wake or now + rules.retry_base, now + rules.retry_base)
    else:
        failures += 1
        wake = now + rules.retry_delay(failures, failed.retry_after, jitter=ports.jitter())
        settled.counts["MessagesFailed"] += 1
    if settled.remaining and wake is None:
        wake = now + rules.retry_base
    if failed is not None and not failed.denied and by_timer and wake is not None:
        retry_in = max(wake - now, 0.0)
    has_digest = any(isinstance(step, PostDigest | UpdateDigest) for step in plan.steps)
    failed_digest = _digest_failed(plan, settled)
    rest = _continued(plan, settled)  # parts of a digest still to post (failed, or no budget left)
    change = StateChange(
        writes=pruned((*state.writes, *gate.granted), now, rules),
        outbox=settled.remaining,
        failures=failures,
        digest_due=plan.digest_due,
        last_digest_at=now if settled.posted_digest else None,
        clear_digest_due=plan.digest_due is None,
        clear_intent=(state.intent is not None or has_digest) and not failed_digest and rest is None,
        intent=rest,
        timer_at=wake,
        due_at=wake if settled.remaining else None,
    )
    return change, wake, retry_in


def intent_for(step: PostDigest | UpdateDigest) -> Intent:
    if isinstance(step, PostDigest):
        return Intent("digest", step.digest_id, tuple(entry.tid for entry, _ in step.entries))
    return Intent(
        "digest_update", step.digest.digest_id, tuple(e.tid for e in step.entries), step.digest.updates
    )


def resumed_plan(view: SpaceView, intent: Intent) -> SpacePlan:
    """The digest step announced before a crash, with exactly its entries (others wait)."""
    chosen = [p for p in view.pending if p.entry.tid in intent.tids]
    others = tuple(p for p in view.pending if p.entry.tid not in intent.tids)
    if not chosen:
        return SpacePlan((), (), tuple(view.pending), view.digest_due, None)
    if intent.kind == "digest":
        writes = max(intent.parts - intent.first_part + 1, 1)
        entries = tuple((p.entry, _show(p, view)) for p in chosen)
        posted = PostDigest(
            intent.digest_id, entries, writes, first_part=intent.first_part, parts=intent.parts
        )
        return SpacePlan((posted,), (), others, None, None)
    digest = view.digests.get(intent.digest_id)
    if digest is None:
        return SpacePlan((), (), tuple(view.pending), view.digest_due, None)
    step = UpdateDigest(replace(digest, updates=intent.update), tuple(p.entry for p in chosen))
    return SpacePlan((step,), (), others, view.digest_due, None)


def _show(pending: Pending, view: SpaceView) -> Show:
    notification = pending.entry.notification
    if not isinstance(notification, Alarm):
        return Show.REPLY
    card = view.cards.get(notification.key)
    if card is not None and card.shown_tid and pending.entry.at < card.shown_at:
        return Show.LATE
    return Show.CARD if notification.state is AlarmState.ALARM else Show.REPLY


def _continued(plan: SpacePlan, settled: Settled) -> Intent | None:
    """After some parts of a digest were posted and the next failed or found no budget: the rest,
    as the next parts, numbered on from there.

    The parts posted are recorded; a retry must not split the rest as if it were the whole.
    """
    step = next((s for s in plan.steps if isinstance(s, PostDigest)), None)
    if step is None or not settled.digest_parts:
        return None
    posted = step.first_part - 1 + settled.digest_parts
    if settled.digest_total and posted >= settled.digest_total:
        return None  # every part is out; what did not fit waits for the next digest
    rest = tuple(entry.tid for entry, _ in step.entries if entry.tid not in settled.digest_shown)
    if not rest:
        return None
    rest_id = f"{step.digest_id}-{settled.digest_parts}"
    return Intent("digest", rest_id, rest, first_part=posted + 1, parts=settled.digest_total)


def _digest_failed(plan: SpacePlan, settled: Settled) -> bool:
    """The digest step did not get through: keep the intent, so the retry posts the same one."""
    return settled.failed is not None and any(isinstance(s, PostDigest | UpdateDigest) for s in plan.steps)
