"""The planning rules for one space: cards, replies, resolves, late notes, digests and budgets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from alarm_bot.alarms.model import Alarm, AlarmState, GenericNotification
from alarm_bot.delivery.plan import plan_space
from alarm_bot.delivery.plan_steps import (
    Pending,
    PostDigest,
    PostMessage,
    ResolveCard,
    Show,
    SpaceView,
    UpdateDigest,
)
from alarm_bot.delivery.rules import DeliveryRules
from alarm_bot.store.alarm_messages import AlarmMessage
from alarm_bot.store.digests import Digest
from alarm_bot.store.outbox import OutboxEntry

NOW = 1_800_000_000.0
RULES = DeliveryRules()  # 50 writes a minute, cards one by one up to 10 in 12 s
SPACE = "spaces/AAA"


def alarm(name: str, state: AlarmState = AlarmState.ALARM, at: float = NOW - 5) -> Alarm:
    return Alarm(
        name=name,
        state=state,
        source="sns",
        arn=f"arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:{name}",
        changed_at=datetime.fromtimestamp(at, UTC),
    )


def pending(notification: Alarm | GenericNotification, *, announce: bool = True) -> Pending:
    moment = notification.changed_at if isinstance(notification, Alarm) else None
    at = moment.timestamp() if moment else NOW
    return Pending(OutboxEntry(notification, at=at, first_seen=NOW, announce=announce), stored=False)


def card(
    of: Alarm, *, digest: str | None = None, resolved: bool = False, shown: Alarm | None = None
) -> AlarmMessage:
    shown = shown or of
    return AlarmMessage(
        space=SPACE,
        alarm_key=of.key,
        message_name=f"{SPACE}/messages/{digest or of.name}",
        transition=of.transition_id,
        since=int(of.changed_at.timestamp()) if of.changed_at else 0,
        message={"text": "card"},
        alarm_name=of.name,
        state="OK" if resolved else "ALARM",
        digest_id=digest,
        shown_at=shown.changed_at.timestamp() if shown.changed_at else 0.0,
        shown_tid=shown.transition_id,
    )


def view(*pendings: Pending, cards: tuple[AlarmMessage, ...] = (), **fields: object) -> SpaceView:
    base = SpaceView(
        space=SPACE,
        pending=pendings,
        cards={record.alarm_key: record for record in cards},
        digests={},
        sent=frozenset(),
        writes=(),
        new_digest_id="d1",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def shows(plan_steps: tuple[object, ...]) -> list[tuple[str, str]]:
    described = []
    for step in plan_steps:
        if isinstance(step, PostMessage):
            described.append((str(step.show), step.entry.notification.transition_id[:6]))
        elif isinstance(step, ResolveCard):
            described.append(("resolve", step.alarm_key[:6]))
        elif isinstance(step, PostDigest):
            described.append(("digest", str(len(step.entries))))
        elif isinstance(step, UpdateDigest):
            described.append(("update", str(len(step.entries))))
    return described


def test_a_lone_alarm_in_a_quiet_space_is_a_card_now() -> None:
    fired = alarm("db")
    plan = plan_space(view(pending(fired)), NOW, RULES, allowance=50)
    assert shows(plan.steps) == [("card", fired.transition_id[:6])]
    assert (plan.waiting, plan.done, plan.digest_due, plan.wake_at) == ((), (), None, None)


def test_what_was_shown_already_is_done_without_a_write() -> None:
    fired = alarm("db")
    again = pending(fired)
    assert plan_space(view(again, sent=frozenset({fired.transition_id})), NOW, RULES, 50).done == (again,)
    latest = plan_space(view(again, cards=(card(fired),)), NOW, RULES, 50)
    assert (latest.steps, latest.done) == ((), (again,))


def test_an_ok_resolves_the_open_card_then_replies() -> None:
    fired, cleared = alarm("db", at=NOW - 600), alarm("db", AlarmState.OK)
    plan = plan_space(view(pending(cleared), cards=(card(fired),)), NOW, RULES, 50)
    assert shows(plan.steps) == [("resolve", fired.key[:6]), ("reply", cleared.transition_id[:6])]


def test_a_space_that_does_not_receive_the_ok_still_gets_its_card_resolved() -> None:
    fired, cleared = alarm("db", at=NOW - 600), alarm("db", AlarmState.OK)
    resolve_only = pending(cleared, announce=False)
    plan = plan_space(view(resolve_only, cards=(card(fired),)), NOW, RULES, 50)
    assert shows(plan.steps) == [("resolve", fired.key[:6])]
    assert plan_space(view(resolve_only), NOW, RULES, 50).done == (resolve_only,)


def test_an_ok_after_a_reply_alone_is_a_reply_with_no_card_to_resolve() -> None:
    data = alarm("db", AlarmState.INSUFFICIENT_DATA, at=NOW - 600)
    noted = replace(card(data), message_name="", since=0, message={})  # a reply was shown, no card
    cleared = alarm("db", AlarmState.OK)
    plan = plan_space(view(pending(cleared), cards=(noted,)), NOW, RULES, 50)
    assert shows(plan.steps) == [("reply", cleared.transition_id[:6])]


def test_a_late_transition_is_a_note_and_reopens_nothing() -> None:
    fired = alarm("db", at=NOW - 600)
    cleared = alarm("db", AlarmState.OK, at=NOW - 60)
    late_alarm = alarm("db", at=NOW - 300)  # arrives after the OK that followed it
    shown = card(fired, resolved=True, shown=cleared)
    plan = plan_space(view(pending(late_alarm), cards=(shown,)), NOW, RULES, 50)
    assert shows(plan.steps) == [("late", late_alarm.transition_id[:6])]
    late_ok = plan_space(view(pending(cleared), cards=(card(fired, shown=late_alarm),)), NOW, RULES, 50)
    assert ("resolve", fired.key[:6]) in shows(late_ok.steps)  # an OK newer than the card still resolves


def test_an_alarm_and_its_ok_in_one_go_are_a_card_a_reply_and_a_resolve() -> None:
    fired, cleared = alarm("db", at=NOW - 20), alarm("db", AlarmState.OK, at=NOW - 10)
    plan = plan_space(view(pending(cleared), pending(fired)), NOW, RULES, 50)
    assert [kind for kind, _ in shows(plan.steps)] == ["card", "reply", "resolve"]
    assert plan.writes == 3


def test_a_burst_beyond_the_pace_is_collected_for_a_digest() -> None:
    burst = [pending(alarm(f"a{index:02d}", at=NOW - index)) for index in range(12)]
    plan = plan_space(view(*burst), NOW, RULES, 50)
    assert plan.steps == ()
    assert len(plan.waiting) == 12
    assert plan.digest_due == plan.wake_at == NOW + RULES.group_wait


def test_a_due_digest_is_one_write_however_many_it_shows() -> None:
    burst = [pending(alarm(f"a{index:02d}", at=NOW - index)) for index in range(12)]
    plan = plan_space(view(*burst, digest_due=NOW - 1), NOW, RULES, 50)
    (digest,) = plan.steps
    assert isinstance(digest, PostDigest) and len(digest.entries) == 12 and digest.digest_id == "d1"
    assert (plan.writes, plan.waiting, plan.digest_due) == (1, (), None)


def test_the_next_digest_waits_for_the_group_interval() -> None:
    burst = [pending(alarm(f"a{index:02d}")) for index in range(12)]
    plan = plan_space(view(*burst, last_digest_at=NOW - 10), NOW, RULES, 50)
    assert plan.digest_due == NOW - 10 + RULES.group_every


def test_while_a_digest_is_collecting_even_a_single_alarm_joins_it() -> None:
    plan = plan_space(view(pending(alarm("late-comer")), digest_due=NOW + 20), NOW, RULES, 50)
    assert (plan.steps, plan.digest_due, plan.wake_at) == ((), NOW + 20, NOW + 20)


def test_a_due_digest_with_few_left_posts_them_one_by_one() -> None:
    plan = plan_space(view(pending(alarm("only")), digest_due=NOW - 1), NOW, RULES, 50)
    assert [kind for kind, _ in shows(plan.steps)] == ["card"]
    assert plan.digest_due is None


def test_cards_sent_recently_count_against_the_pace() -> None:
    recent_writes = tuple(NOW - 1 - index * 0.5 for index in range(RULES.burst))
    plan = plan_space(view(pending(alarm("db")), writes=recent_writes), NOW, RULES, 50)
    assert plan.steps == () and plan.digest_due == NOW + RULES.group_wait


def test_a_spent_window_makes_everything_wait_until_a_write_leaves_it() -> None:
    spent = tuple(NOW - 59 + index * 0.1 for index in range(RULES.space_writes))
    fired, cleared = alarm("old", at=NOW - 600), alarm("old", AlarmState.OK)
    plan = plan_space(view(pending(cleared), cards=(card(fired),), writes=spent), NOW, RULES, 50)
    assert plan.steps == ()
    assert plan.wake_at == spent[0] + RULES.window


def test_the_project_allowance_caps_the_writes() -> None:
    fired, cleared = alarm("old", at=NOW - 600), alarm("old", AlarmState.OK)
    plan = plan_space(view(pending(cleared), cards=(card(fired),)), NOW, RULES, allowance=1)
    assert [kind for kind, _ in shows(plan.steps)] == ["resolve"]
    assert plan.waiting == (pending(cleared),)  # its reply waits: the project has no write left now


def test_an_alarm_shown_in_a_posted_digest_updates_that_digest_once_per_interval() -> None:
    fired, cleared = alarm("db", at=NOW - 600), alarm("db", AlarmState.OK)
    posted = Digest(SPACE, "d0", f"{SPACE}/messages/D0", f"{SPACE}/threads/T0", NOW - 30, NOW - 30)
    line = card(fired, digest="d0")
    early = plan_space(view(pending(cleared), cards=(line,), digests={"d0": posted}), NOW, RULES, 50)
    assert early.steps == () and early.wake_at == NOW - 30 + RULES.group_every
    due = replace(posted, patched_at=NOW - RULES.group_every)
    plan = plan_space(view(pending(cleared), cards=(line,), digests={"d0": due}), NOW, RULES, 50)
    assert shows(plan.steps) == [("update", "1")] and plan.writes == 2


def test_an_alarm_and_its_ok_collected_together_are_one_digest() -> None:
    burst = [pending(alarm(f"a{index:02d}", at=NOW - 30)) for index in range(11)]
    cleared = pending(alarm("a00", AlarmState.OK, at=NOW - 10))
    plan = plan_space(view(*burst, cleared, digest_due=NOW), NOW, RULES, 50)
    (digest,) = plan.steps
    assert isinstance(digest, PostDigest) and len(digest.entries) == 12


def test_notifications_that_are_not_alarms_are_replies() -> None:
    health = GenericNotification(title="AWS Health", source="eventbridge", dedup_id="e-1")
    plan = plan_space(view(pending(health)), NOW, RULES, 50)
    assert [show for show, _ in shows(plan.steps)] == [str(Show.REPLY)]


def test_more_alarms_than_one_digest_shows_are_posted_in_parts_as_the_budget_allows() -> None:
    from alarm_bot.delivery.plan_steps import DIGEST_LINES

    burst = [pending(alarm(f"a{index:03d}", at=NOW - 100 + index)) for index in range(3 * DIGEST_LINES + 5)]
    cleared = pending(alarm("a000", AlarmState.OK, at=NOW - 1))  # a second transition of a line shown
    plan = plan_space(view(*burst, cleared, digest_due=NOW - 1), NOW, RULES, 50)
    (digest,) = plan.steps
    assert isinstance(digest, PostDigest) and digest.writes == 4  # four parts
    assert len(digest.entries) == len(burst) + 1 and plan.waiting == ()
    spent = tuple(NOW - 30 + index * 0.1 for index in range(RULES.space_writes - 2))
    tight = plan_space(view(*burst, cleared, digest_due=NOW - 1, writes=spent), NOW, RULES, 50)
    (partial,) = tight.steps
    assert isinstance(partial, PostDigest) and partial.writes == 2  # what the budget allows now
    assert len({entry.notification.key for entry, _ in partial.entries}) == 2 * DIGEST_LINES
    assert cleared.entry in [entry for entry, _ in partial.entries], "a line's transitions stay together"
    assert len(tight.waiting) == DIGEST_LINES + 5
    assert tight.digest_due == NOW - 1 and tight.wake_at == spent[0] + RULES.window


def test_an_alarm_whose_own_message_may_exist_is_retried_as_it_never_digested() -> None:
    """A card post that failed with a 5xx or a dropped connection may have been created: only the
    same post (same requestId) may show it, so a digest never shows it a second time."""
    burst = [pending(alarm(f"a{index:02d}", at=NOW - 30 + index)) for index in range(12)]
    tried = burst[3]
    alone = replace(tried, entry=replace(tried.entry, alone=True, attempts=1))
    cleared = pending(alarm("a03", AlarmState.OK, at=NOW - 2))  # its OK, in the same look
    others = [p for p in burst if p is not tried]
    plan = plan_space(view(*others, alone, cleared, digest_due=NOW - 1), NOW, RULES, 50)
    assert shows(plan.steps)[:3] == [
        ("card", tried.entry.tid[:6]),
        ("reply", cleared.entry.tid[:6]),
        ("resolve", tried.entry.notification.key[:6]),
    ]
    (digest,) = plan.steps[3:]
    assert isinstance(digest, PostDigest)
    assert {entry.tid for entry, _ in digest.entries} == {p.entry.tid for p in others}
    spent = tuple(NOW - 59 + index * 0.1 for index in range(RULES.space_writes))
    waits = plan_space(view(*others, alone, digest_due=NOW - 1, writes=spent), NOW, RULES, 50)
    assert waits.steps == () and alone in waits.waiting and waits.wake_at == spent[0] + RULES.window


def test_one_digest_step_a_round_so_the_intent_before_it_covers_it() -> None:
    """A new digest and two digest edits are due: the new digest goes first (new alarms before
    edits), the edits wait for the next round at once (``again``); then one edit a round. So the
    intent written before a digest step always covers the step whose answer may be lost."""
    old = NOW - RULES.group_every - 1
    first, second = alarm("db", at=NOW - 900), alarm("api", at=NOW - 900)
    posted = {
        name: Digest(SPACE, name, f"{SPACE}/messages/{name}", f"{SPACE}/threads/{name}", old, old)
        for name in ("d0", "d1")
    }
    lines = (card(first, digest="d0"), card(second, digest="d1"))
    oks = [pending(alarm("db", AlarmState.OK)), pending(alarm("api", AlarmState.OK))]
    burst = [pending(alarm(f"new{index:02d}", at=NOW - 20 + index)) for index in range(12)]
    fields = {"cards": lines, "digests": posted}
    plan = plan_space(view(*oks, *burst, digest_due=NOW - 1, **fields), NOW, RULES, 50)  # type: ignore[arg-type]
    (step,) = plan.steps
    assert isinstance(step, PostDigest) and len(step.entries) == len(burst)
    assert plan.again and all(p in plan.waiting for p in oks)
    edits = plan_space(view(*oks, **fields), NOW, RULES, 50)  # type: ignore[arg-type]
    (edit,) = edits.steps
    assert isinstance(edit, UpdateDigest) and edit.digest.digest_id == "d0"
    assert edits.again and edits.waiting == (oks[1],)
