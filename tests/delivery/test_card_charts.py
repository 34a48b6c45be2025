"""When a card's chart is started, and what is counted: the early guesses (a quiet space, within its
pace), the plan (cards posted or resolved, nothing for digests, late notes, OK replies, composite
alarms or other notifications), once per transition, and a renderer that breaks costs no card.

The renderer here records what it is asked; the real one is exercised against the CloudWatch
stand-in in ``test_pipeline_charts.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

import pytest

from alarm_bot.alarms.model import Alarm, AlarmKind, AlarmState, GenericNotification
from alarm_bot.charts.render import ChartResult, SkipReason
from alarm_bot.delivery import card_charts
from alarm_bot.delivery.card_charts import CardCharts, own_account, wants_chart
from alarm_bot.delivery.plan_steps import PostDigest, PostMessage, ResolveCard, Show
from alarm_bot.delivery.quiet_memory import LeftQuiet
from alarm_bot.delivery.rules import DeliveryRules
from alarm_bot.store.alarm_messages import AlarmMessage
from alarm_bot.store.outbox import OutboxEntry
from alarm_bot.store.space_state import SpaceState
from tests.charts.chart_support import metric_alarm

SPACE = "spaces/AAA"
NOW = 1_800_000_000.0
URL = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/charts/" + "a" * 32 + ".png"


@dataclass
class Pending:
    value: ChartResult

    def result(self) -> ChartResult:
        return self.value


@dataclass
class Recorder:
    """Stands in for ChartRenderer: what was started, and what each chart turns out to be."""

    outcome: ChartResult = field(default_factory=lambda: ChartResult(URL, None, "a" * 32))
    started: list[str] = field(default_factory=list)
    broken: bool = False

    def start(self, alarm: Alarm, widget: Any) -> Pending:
        if self.broken:
            raise RuntimeError("a bug")
        self.started.append(alarm.name)
        return Pending(self.outcome)


def charts(renderer: Recorder | None = None) -> tuple[CardCharts, Recorder]:
    recorder = renderer or Recorder()
    return CardCharts(recorder, hours=3, locale="en", time_zone="UTC"), recorder


def entry(alarm: Alarm | GenericNotification, announce: bool = True) -> OutboxEntry:
    return OutboxEntry(alarm, at=NOW, first_seen=NOW, announce=announce)


def named(name: str, **changes: Any) -> Alarm:
    """A metric alarm of its own (the ARN names it: another alarm, another transition)."""
    return metric_alarm(
        name=name, arn=f"arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:{name}", **changes
    )


def alarms(count: int, **changes: Any) -> list[Alarm]:
    return [named(f"alarm-{index}", **changes) for index in range(count)]


def ports(*, quiet: bool) -> Any:
    memory = {SPACE: LeftQuiet(NOW - 10, leases=3)} if quiet else {}
    return SimpleNamespace(quiet_spaces=memory, rules=DeliveryRules())


def test_what_gets_a_chart() -> None:
    alarm = metric_alarm()
    assert wants_chart(alarm)
    assert wants_chart(replace(alarm, state=AlarmState.INSUFFICIENT_DATA))
    assert wants_chart(replace(alarm, kind=AlarmKind.ANOMALY)) and wants_chart(
        replace(alarm, kind=AlarmKind.MATH)
    )
    assert not wants_chart(replace(alarm, state=AlarmState.OK)), "an OK only charts the card it resolves"
    assert not wants_chart(replace(alarm, kind=AlarmKind.COMPOSITE))
    assert not wants_chart(GenericNotification(title="t", source="sns", dedup_id="d"))


def test_newcomers_of_a_space_left_quiet_start_before_the_lease() -> None:
    board, renderer = charts()
    incoming = [entry(alarm) for alarm in alarms(3)]
    card_charts.before_lease(board, ports(quiet=True), SPACE, incoming, NOW)
    assert renderer.started == ["alarm-0", "alarm-1", "alarm-2"]
    card_charts.before_lease(board, ports(quiet=True), SPACE, incoming, NOW)
    assert len(renderer.started) == 3, "once per transition"


def test_no_early_chart_for_an_unknown_space_or_more_than_the_pace() -> None:
    board, renderer = charts()
    card_charts.before_lease(board, ports(quiet=False), SPACE, [entry(metric_alarm())], NOW)
    burst = DeliveryRules().burst
    card_charts.before_lease(board, ports(quiet=True), SPACE, [entry(a) for a in alarms(burst + 1)], NOW)
    card_charts.before_lease(None, ports(quiet=True), SPACE, [entry(metric_alarm())], NOW)
    assert renderer.started == []


def test_after_the_lease_only_a_quiet_space_within_its_pace_starts_early() -> None:
    incoming = [entry(alarm) for alarm in alarms(2)]
    quiet = SpaceState(SPACE)
    for state, started in (
        (quiet, 2),
        (replace(quiet, digest_due=NOW + 30), 0),
        (replace(quiet, outbox=4), 0),
        (replace(quiet, writes=(NOW - 1,) * (DeliveryRules().burst - 1)), 0),
    ):
        board, renderer = charts()
        card_charts.after_lease(board, ports(quiet=False), state, incoming, NOW)
        assert len(renderer.started) == started, state


def test_the_plan_starts_the_cards_it_posts_and_resolves_and_nothing_else() -> None:
    board, renderer = charts()
    card, insufficient, late, ok_reply, digested, composite = alarms(6)
    insufficient = replace(insufficient, state=AlarmState.INSUFFICIENT_DATA)
    ok_reply = replace(ok_reply, state=AlarmState.OK)
    composite = replace(composite, kind=AlarmKind.COMPOSITE)
    resolved = named("resolved", state=AlarmState.OK)
    shown_only = named("reply-only", state=AlarmState.OK)
    stored = AlarmMessage(SPACE, resolved.key, f"{SPACE}/messages/M", "t", 0, {})
    steps = [
        ResolveCard(resolved.key, entry(resolved)),
        ResolveCard(shown_only.key, entry(shown_only)),  # a record of a reply, no card to edit
        PostMessage(entry(card), Show.CARD),
        ResolveCard(card.key, entry(replace(card, state=AlarmState.OK))),
        PostMessage(entry(insufficient), Show.REPLY),
        PostMessage(entry(late), Show.LATE),
        PostMessage(entry(ok_reply), Show.REPLY),
        PostMessage(entry(composite), Show.CARD),
        PostDigest("d", ((entry(digested), Show.CARD),)),
    ]
    card_charts.planned(
        board, steps, {resolved.key: stored, shown_only.key: replace(stored, message_name="")}
    )
    assert renderer.started == ["resolved", "alarm-0", "alarm-0", "alarm-1"], "the card, then its OK"


def test_a_chart_is_counted_once_however_many_spaces_show_it() -> None:
    board, _ = charts()
    alarm = metric_alarm()
    board.start(alarm)
    images = {board.post_image(alarm) for _ in range(3)}
    assert len(images) == 1 and next(iter(images)) is not None
    assert board.counts == {"ChartsShown": 1} and not board.skips
    assert board.post_image(named("never-started")) is None
    assert board.resolve_image(alarm) is None, "an ALARM resolves nothing"


@pytest.mark.parametrize("reason", list(SkipReason))
def test_a_skipped_chart_is_counted_by_its_reason(reason: SkipReason) -> None:
    board, _ = charts(Recorder(outcome=ChartResult(None, reason)))
    alarm = metric_alarm()
    board.start(alarm)
    assert board.post_image(alarm) is None and board.post_image(alarm) is None
    assert board.counts == {"ChartsSkipped": 1} and board.skips == {str(reason): 1}


def test_a_broken_renderer_costs_the_chart_not_the_card() -> None:
    board, _ = charts(Recorder(broken=True))
    alarm = metric_alarm()
    board.start(alarm)
    assert board.post_image(alarm) is None


def test_the_functions_account_comes_from_its_arn_or_its_queue() -> None:
    arn = "arn:aws:lambda:eu-west-1:111122223333:function:fanout:live"
    queue = "https://sqs.eu-west-1.amazonaws.com/444455556666/delivery"
    assert own_account(arn, queue) == "111122223333"
    assert own_account(None, queue) == "444455556666"
    assert own_account("not an arn", "https://example.com/x") == ""
    assert own_account(None, None) == ""
