"""The charts of one delivery's cards: started as early as a card is foreseen, collected just before
it is posted, never at the cost of the card.

Which notifications get one: ALARM and INSUFFICIENT_DATA transitions of metric, metric-math and
anomaly alarms posted as a message of their own (not composite alarms, which have no metric, not
other notifications, not late notes, not digests: a digest line has no room for a graph), and the
OK that resolves a card in place, whose edit shows the recovery.

When a chart starts (:class:`~alarm_bot.charts.render.ChartRenderer` then has its budget, 3 s by
default, counted from that moment):

* **while the lease is taken**, for the newcomers of a space this instance left quiet, and **while
  the records are read** for a space whose lease shows it quiet, as long as the newcomers fit the
  space's pace: they will then most likely be posted one by one, and the chart overlaps the
  DynamoDB calls, the plan and the rendering instead of adding to them. The same guesses as the
  project's writes make (:mod:`~alarm_bot.delivery.early_writes`); a wrong one costs a
  GetMetricWidgetImage call, never a write;
* **when the plan is made**, for every other card it posts (stored entries, a space that was not
  quiet) and every card it resolves. A space collecting a digest posts no card: nothing starts.

One chart per transition per delivery, shared by the spaces that post it (the same alarm into ten
spaces is one call, one image). A chart that is not there in time, or fails, leaves the card as it
would be without charts; the renderer logs why (once), this counts it.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeGuard, TypeVar

from aws_lambda_powertools import Logger

from alarm_bot.alarms.card_chart import CardImage, with_chart
from alarm_bot.alarms.model import Alarm, AlarmKind, AlarmState, Notification
from alarm_bot.alarms.places import is_account_id
from alarm_bot.chat_message import ChatMessage
from alarm_bot.delivery.early_writes import is_quiet
from alarm_bot.delivery.plan_steps import PostMessage, ResolveCard, Show, Step
from alarm_bot.delivery.quiet_memory import left_quiet
from alarm_bot.delivery.write_budget import pace_left

if TYPE_CHECKING:
    from alarm_bot.charts.render import ChartRenderer, PendingChart
    from alarm_bot.delivery.ports import DeliveryPorts
    from alarm_bot.settings import ChartSettings
    from alarm_bot.store.alarm_messages import AlarmMessage
    from alarm_bot.store.outbox import OutboxEntry
    from alarm_bot.store.space_state import SpaceState

logger = Logger(child=True)
_T = TypeVar("_T")
POSTED_STATES = frozenset({AlarmState.ALARM, AlarmState.INSUFFICIENT_DATA})
SHOWN = "ChartsShown"
SKIPPED = "ChartsSkipped"


def wants_chart(notification: Notification) -> TypeGuard[Alarm]:
    """An ALARM or INSUFFICIENT_DATA of an alarm with a metric: its own message shows a chart."""
    return (
        isinstance(notification, Alarm)
        and notification.state in POSTED_STATES
        and notification.kind is not AlarmKind.COMPOSITE
    )


class CardCharts:
    """The charts of one delivery (one :meth:`DeliveryPipeline.deliver` or ``flush``), by transition."""

    def __init__(self, renderer: ChartRenderer, *, hours: int, locale: str, time_zone: str) -> None:
        self._renderer = renderer
        self._hours, self._locale, self._time_zone = hours, locale, time_zone
        self._lock = threading.Lock()
        self._pending: dict[str, PendingChart | None] = {}
        self._collected: set[str] = set()
        self.counts: Counter[str] = Counter()
        self.skips: Counter[str] = Counter()  # ChartsSkipped by reason (SkipReason values)

    def start(self, alarm: Alarm) -> None:
        """Begin ``alarm``'s chart, unless it has begun: a bug here costs the chart, not the card."""
        from alarm_bot.charts.widget import chart_widget  # noqa: PLC0415 - cold start: 3 ms, only with charts on

        with self._lock:
            tid = alarm.transition_id
            if tid in self._pending:
                return
            self._pending[tid] = None
            try:
                widget = chart_widget(
                    alarm, hours=self._hours, time_zone=self._time_zone, locale=self._locale
                )
                self._pending[tid] = self._renderer.start(alarm, widget) if widget is not None else None
            except Exception:
                logger.exception("a chart could not be started; the card goes without it")

    def post_image(self, notification: Notification) -> CardImage | None:
        """The chart for the message about to be posted for ``notification``, if it has one in time."""
        return self._image(notification) if wants_chart(notification) else None

    def resolve_image(self, notification: Notification) -> CardImage | None:
        """The recovery chart for the card this OK resolves, if it has one in time."""
        if not isinstance(notification, Alarm) or notification.state is not AlarmState.OK:
            return None
        return self._image(notification)

    def _image(self, notification: Alarm) -> CardImage | None:
        from alarm_bot.charts.widget import alt_text  # noqa: PLC0415 - cold start: 3 ms, only with charts on

        tid = notification.transition_id
        pending = self._pending.get(tid)
        if pending is None:  # never started (nothing to draw), or starting failed
            return None
        try:
            result = pending.result()  # by the chart's deadline, whatever CloudWatch does
            url, reason = result.url, str(result.reason or "")
        except Exception:
            logger.exception("a chart could not be collected; the card goes without it")
            url, reason = None, "error"
        self._count(tid, url, reason)
        if url is None:
            return None
        return CardImage(url, alt_text(notification, hours=self._hours, locale=self._locale))

    def _count(self, tid: str, url: str | None, reason: str) -> None:
        """Once per chart, however many spaces show it."""
        with self._lock:
            if tid in self._collected:
                return
            self._collected.add(tid)
            if url is not None:
                self.counts[SHOWN] += 1
            else:
                self.counts[SKIPPED] += 1
                self.skips[reason or "error"] += 1


def on_card(
    charts: CardCharts | None, notification: Notification, message: ChatMessage, *, locale: str
) -> ChatMessage:
    """``message`` with the chart of the card about to be posted for ``notification``, when it has
    one in time; otherwise, and whatever goes wrong here, ``message`` as it is."""
    if charts is None:
        return message
    return _guarded(message, lambda: with_chart(message, charts.post_image(notification), locale=locale))


def on_resolved(
    charts: CardCharts | None, notification: Notification, message: ChatMessage, *, locale: str
) -> ChatMessage | None:
    """The stored card with the recovery chart of the OK ``notification`` instead of its own; ``None``
    without one in time (the card keeps its chart, see :mod:`alarm_bot.alarms.card_chart`)."""
    if charts is None:
        return None

    def recharted() -> ChatMessage | None:
        image = charts.resolve_image(notification)
        return with_chart(message, image, locale=locale) if image is not None else None

    return _guarded(None, recharted)


def _guarded(fallback: _T, put: Callable[[], _T]) -> _T:
    """A bug in the chart code costs the chart, never the card (nor a retry of it)."""
    try:
        return put()
    except Exception:
        logger.exception("a chart could not be put on a card; the card goes without it")
        return fallback


def for_delivery(
    ports: DeliveryPorts, settings: ChartSettings | None, *, locale: str, time_zone: str
) -> CardCharts | None:
    """A fresh set of charts for one delivery, or ``None`` when this deployment has none."""
    if ports.charts is None or settings is None:
        return None
    return CardCharts(ports.charts, hours=settings.hours, locale=locale, time_zone=time_zone)


def before_lease(
    charts: CardCharts | None, ports: DeliveryPorts, space: str, incoming: Sequence[OutboxEntry], now: float
) -> None:
    """Start the newcomers' charts now, if this instance left the space quiet and they fit its pace."""
    if charts is None or left_quiet(ports.quiet_spaces, space, now, ports.rules.time_scale) is None:
        return
    _start_announced(charts, incoming, room=ports.rules.burst)


def after_lease(
    charts: CardCharts | None,
    ports: DeliveryPorts,
    state: SpaceState,
    incoming: Sequence[OutboxEntry],
    now: float,
) -> None:
    """Start the newcomers' charts while the records are read, if the lease shows the space quiet."""
    if charts is None or not is_quiet(state):
        return
    _start_announced(charts, incoming, room=pace_left(state.writes, now, ports.rules))


def planned(charts: CardCharts | None, steps: Sequence[Step], cards: Mapping[str, AlarmMessage]) -> None:
    """Start the chart of every card the plan posts or resolves (the ones begun already go on).

    ``cards``: what the space shows; a resolve is charted only where there is a card to edit (one
    shown, or posted earlier in this plan), not for a record that only notes a reply was shown.
    """
    if charts is None:
        return
    editable = {key for key, card in cards.items() if card.message_name and card.digest_id is None}
    for step in steps:
        notification = step.entry.notification if isinstance(step, PostMessage | ResolveCard) else None
        if not isinstance(notification, Alarm):
            continue
        if isinstance(step, PostMessage):
            if step.show is Show.CARD:
                editable.add(notification.key)
            if step.show is not Show.LATE and wants_chart(notification):
                charts.start(notification)
        elif isinstance(step, ResolveCard) and step.alarm_key in editable:
            charts.start(notification)


def _start_announced(charts: CardCharts, incoming: Sequence[OutboxEntry], *, room: int) -> None:
    announced = [entry for entry in incoming if entry.announce]
    if not announced or len(announced) > room:  # more than the pace: a digest, most likely
        return
    for entry in announced:
        if wants_chart(entry.notification):
            charts.start(entry.notification)


def renderer_for(settings: ChartSettings, account: str) -> ChartRenderer:
    """The deployed renderer: this function's account and region, the chart bucket.

    Its clients (CloudWatch in the function's region, S3) are made here, on the thread building the
    dependencies: a boto3 session must not make clients on two threads at once, and a client made
    now is not made inside the first chart's budget.
    """
    from alarm_bot.charts.render import ChartRenderer  # noqa: PLC0415 - cold start: with storage, 3 ms, charts on only
    from alarm_bot.charts.storage import S3Charts, s3_client  # noqa: PLC0415 - see the line above

    renderer = ChartRenderer(
        S3Charts(settings.bucket, s3_client()),
        settings.base_url,
        account=account,
        region=settings.region,
        budget_seconds=settings.budget_seconds,
    )
    renderer.prepare()
    return renderer


def own_account(function_arn: str | None, queue_url: str | None) -> str:
    """This function's AWS account, for telling its own alarms from other accounts' (no STS call).

    From the function's ARN (the Lambda context's ``invoked_function_arn``), else from the delivery
    queue's URL (``https://sqs.<region>.amazonaws.com/<account>/<name>``, the same account); ``""``
    when neither says, and then every alarm that names an account is charted as another account's:
    skipped, never drawn from the wrong account.
    """
    arn_parts = (function_arn or "").split(":")
    if len(arn_parts) >= 6 and arn_parts[2] == "lambda" and is_account_id(arn_parts[4]):
        return arn_parts[4]
    url_parts = (queue_url or "").split("/")
    if len(url_parts) >= 5 and url_parts[0] == "https:" and is_account_id(url_parts[3]):
        return url_parts[3]
    return ""
