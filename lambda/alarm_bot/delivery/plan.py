"""What to write to one space now, given what waits for it and what its budget allows (pure).

The consumer that holds a space's lease gathers a :class:`SpaceView` (notifications waiting, the
records of the alarms they concern, the space's recent writes) and asks :func:`plan_space` for a
:class:`SpacePlan`: the writes to make now, in order, what stays waiting, and when to look again.

Each waiting notification may need two things, decided from the records, never from flags:

* to be **announced** (unless it was shown already: ``sent``, or it is the alarm's latest shown);
  a transition older than the alarm's latest shown one is *late*: it is announced as a late note,
  and never reopens or edits anything;
* an OK **resolves** the alarm's open card in place (even in spaces that do not receive the OK).

Announcements go out one message each while they fit the space's pace (a fifth of its budget in a
fifth of a minute); when more are waiting, the space collects them into one digest, posted
``groupWindowSeconds`` later (or ``groupIntervalSeconds`` after its previous digest). Later
transitions of alarms shown in a posted digest go to that digest: its card is edited and the
change announced in its thread, both at most once per ``groupIntervalSeconds``. Edits and digests
draw on the whole budget, cards on the pace as well. One digest message shows as many alarms as
fit Chat's limits (about :data:`DIGEST_LINES`); when more are due, the digest is posted in parts,
one message each, as many as the budget allows now. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.delivery.plan_steps import (
    DIGEST_LINES,
    Pending,
    PostDigest,
    PostMessage,
    ResolveCard,
    Show,
    SpacePlan,
    SpaceView,
    Step,
    UpdateDigest,
)
from alarm_bot.delivery.rules import DeliveryRules
from alarm_bot.delivery.write_budget import free_at, pace_free_at, pace_left, window_left
from alarm_bot.store.digests import Digest


@dataclass
class _Alarm:
    """One alarm as this plan goes along: what the space shows of it."""

    shown_at: float
    card_since: float | None  # an open card of its own, open since then
    digest: Digest | None  # a posted digest whose line shows it open
    pending_card: bool = False  # an ALARM announced earlier in this plan


@dataclass
class _Sorted:
    announce: list[tuple[Pending, Show]] = field(default_factory=list)
    resolve: list[tuple[str, Pending]] = field(default_factory=list)  # cards posted before this plan
    follow_up: dict[str, str] = field(default_factory=dict)  # tid of an OK → alarm announced earlier
    updates: dict[str, list[Pending]] = field(default_factory=dict)
    done: list[Pending] = field(default_factory=list)


def plan_space(view: SpaceView, now: float, rules: DeliveryRules, allowance: int) -> SpacePlan:
    """The plan for ``view`` at ``now``; ``allowance`` caps the writes (the project's grant)."""
    work = _sort(view)
    plan = _Builder(view, now, rules, budget=min(window_left(view.writes, now, rules), allowance))
    for alarm_key, pending in work.resolve:
        if plan.spend(1):
            plan.steps.append(ResolveCard(alarm_key, pending.entry))
        else:
            plan.wait([pending], plan.free_at(1))
    digest_due = plan.announce(work)  # new alarms before edits of digests posted earlier
    for digest_id, pendings in work.updates.items():
        digest = view.digests[digest_id]
        due = digest.patched_at + rules.group_every
        if now >= due and plan.digest_free() and plan.spend(2):
            plan.steps.append(UpdateDigest(digest, tuple(p.entry for p in pendings)))
        elif now >= due and not plan.digest_free():
            plan.next_round(pendings)
        else:
            plan.wait(pendings, max(due, plan.free_at(2)))
    return SpacePlan(
        steps=tuple(plan.steps),
        done=tuple(work.done),
        waiting=tuple(_unique(plan.waiting)),
        digest_due=digest_due,
        wake_at=min(plan.wake) if plan.wake else None,
        again=plan.again,
    )


@dataclass
class _Builder:
    view: SpaceView
    now: float
    rules: DeliveryRules
    budget: int
    steps: list[Step] = field(default_factory=list)
    waiting: list[Pending] = field(default_factory=list)
    wake: list[float] = field(default_factory=list)
    spent: int = 0
    again: bool = False

    def digest_free(self) -> bool:
        """One digest step per plan: the intent announced before it covers exactly that one."""
        return not any(isinstance(step, PostDigest | UpdateDigest) for step in self.steps)

    def next_round(self, pendings: list[Pending]) -> None:
        """Due now but a digest step is taken: the flush goes round again for these."""
        self.waiting += pendings
        self.again = True

    def spend(self, writes: int) -> bool:
        if self.budget < writes:
            return False
        self.budget -= writes
        self.spent += writes
        return True

    def wait(self, pendings: list[Pending], until: float) -> None:
        self.waiting += pendings
        self.wake.append(until)

    def free_at(self, writes: int) -> float:
        """When ``writes`` more fit, counting what this plan writes now."""
        return free_at((*self.view.writes, *[self.now] * self.spent), self.now, self.rules, writes)

    def announce(self, work: _Sorted) -> float | None:
        """Add the announcements one by one, or collect them for a digest; the digest's due time."""
        view, now, rules = self.view, self.now, self.rules
        work = self._alone_first(work)
        due = view.digest_due
        if not work.announce:
            return due if due is not None and now < due else None
        cost = len(work.announce) + len(work.follow_up)
        if cost <= min(pace_left(view.writes, now, rules), self.budget) and (due is None or now >= due):
            _one_by_one(work, self.steps)
            return None
        if due is None:
            due = max(now + rules.group_wait, (view.last_digest_at or -rules.group_every) + rules.group_every)
        announced = [pending for pending, _ in work.announce]
        if now < due:
            self.wait(announced, due)
        elif not self.digest_free():
            self.next_round(announced)
        elif self.budget >= 1:
            lines = len({_line_key(pending) for pending, _ in work.announce})
            parts = min(self.budget, -(-lines // DIGEST_LINES))
            self.spend(parts)
            shown, rest = _first_lines(work.announce, parts * DIGEST_LINES)
            entries = tuple((p.entry, s) for p, s in shown)
            self.steps.append(PostDigest(view.new_digest_id, entries, writes=parts))
            if not rest:
                return None
            self.wait([pending for pending, _ in rest], max(self.free_at(1), now))  # the rest: next
        else:
            self.wait(announced, max(self.free_at(1), pace_free_at(view.writes, now, rules)))
        return due

    def _alone_first(self, work: _Sorted) -> _Sorted:
        """Post the alarms whose own message may exist already as that message again, before the
        rest and whatever the pace, so Google's ``requestId`` returns it instead of a digest
        showing it twice; what is left of ``work`` goes on as usual."""
        alone_keys = {_line_key(p) for p, _ in work.announce if p.entry.alone}
        if not alone_keys:
            return work
        groups: dict[str, _Sorted] = {}
        rest = _Sorted(done=work.done)
        for pending, show in work.announce:
            key = _line_key(pending)
            target = groups.setdefault(key, _Sorted()) if key in alone_keys else rest
            target.announce.append((pending, show))
        for tid, alarm_key in work.follow_up.items():
            groups.get(alarm_key, rest).follow_up[tid] = alarm_key
        for group in groups.values():
            cost = len(group.announce) + len(group.follow_up)
            if self.spend(cost):
                _one_by_one(group, self.steps)
            else:
                self.wait([pending for pending, _ in group.announce], self.free_at(cost))
        return rest


def _first_lines(
    announce: list[tuple[Pending, Show]], lines: int
) -> tuple[list[tuple[Pending, Show]], list[tuple[Pending, Show]]]:
    """The announcements of the first ``lines`` alarms (all transitions of each), and the rest."""
    keys: list[str] = []
    shown: list[tuple[Pending, Show]] = []
    rest: list[tuple[Pending, Show]] = []
    for pending, show in announce:
        key = _line_key(pending)
        if key not in keys and len(keys) < lines:
            keys.append(key)
        (shown if key in keys else rest).append((pending, show))
    return shown, rest


def _line_key(pending: Pending) -> str:
    notification = pending.entry.notification
    return notification.key if isinstance(notification, Alarm) else pending.entry.tid


def _one_by_one(work: _Sorted, steps: list[Step]) -> None:
    for pending, show in work.announce:
        steps.append(PostMessage(pending.entry, show))
        alarm_key = work.follow_up.get(pending.entry.tid)
        if alarm_key is not None:
            steps.append(ResolveCard(alarm_key, pending.entry))


def _sort(view: SpaceView) -> _Sorted:
    """Decide, in the order things happened, what each pending notification still needs."""
    work = _Sorted()
    alarms: dict[str, _Alarm] = {}
    seen: set[str] = set(view.sent)
    for pending in sorted(view.pending, key=lambda p: (p.entry.at, p.entry.tid)):
        entry = pending.entry
        notification = entry.notification
        announce = entry.announce and entry.tid not in seen
        seen.add(entry.tid)
        if not isinstance(notification, Alarm):
            if announce:
                work.announce.append((pending, Show.REPLY))
            else:
                work.done.append(pending)
            continue
        state = alarms.setdefault(notification.key, _known(view, notification.key))
        if announce and view.cards.get(notification.key, None) is not None:
            announce = view.cards[notification.key].shown_tid != entry.tid
        late = entry.at < state.shown_at
        resolves = notification.state is AlarmState.OK and not late
        acted = False
        if resolves and state.card_since is not None and state.card_since <= entry.at:
            work.resolve.append((notification.key, pending))
            state.card_since = None
            acted = True
        if not announce and resolves and state.digest is not None and entry.tid not in view.sent:
            announce = True  # its digest line must say it is resolved, received here or not
        if announce:
            acted = True
            _announce_alarm(work, state, pending, notification, late)
        if not acted:
            work.done.append(pending)
    return work


def _announce_alarm(work: _Sorted, state: _Alarm, pending: Pending, alarm: Alarm, late: bool) -> None:
    if late:
        work.announce.append((pending, Show.LATE))
        return
    state.shown_at = pending.entry.at
    if state.digest is not None:
        work.updates.setdefault(state.digest.digest_id, []).append(pending)
        if alarm.state is AlarmState.OK:
            state.digest = None
        return
    if alarm.state is AlarmState.ALARM:
        work.announce.append((pending, Show.CARD))
        state.pending_card = True
        return
    work.announce.append((pending, Show.REPLY))
    if alarm.state is AlarmState.OK and state.pending_card:
        work.follow_up[pending.entry.tid] = alarm.key
        state.pending_card = False


def _known(view: SpaceView, alarm_key: str) -> _Alarm:
    record = view.cards.get(alarm_key)
    if record is None:
        return _Alarm(shown_at=float("-inf"), card_since=None, digest=None)
    open_line = not record.resolved and record.digest_id is not None
    # A record with no message only notes what was shown (a reply): there is no card to resolve.
    open_card = not record.resolved and record.digest_id is None and bool(record.message_name)
    return _Alarm(
        shown_at=record.shown_at if record.shown_tid else float("-inf"),
        card_since=float(record.since) if open_card else None,
        digest=view.digests.get(record.digest_id or "") if open_line else None,
    )


def _unique(pendings: list[Pending]) -> list[Pending]:
    seen: set[int] = set()
    unique = []
    for pending in pendings:
        if id(pending) not in seen:
            seen.add(id(pending))
            unique.append(pending)
    return unique
