"""Lambda handler for alarm delivery: the delivery queue's consumer, and its door for direct events.

Two ways in, one way through:

* **A batch from the delivery queue** (the event source mapping, with partial batch responses):
  notifications from SNS, EventBridge and direct invocations go to the delivery pipeline
  (:mod:`alarm_bot.delivery.pipeline`), scheduled flushes too. A message is done once every space
  that wants it has it or keeps it in its outbox; otherwise it is reported as a batch item failure
  and SQS delivers it again. A flush that failed is returned with a visibility delay.
* **Anything else** (CloudWatch's Lambda alarm action, naming the alias or the bare function; an SNS
  or EventBridge event from a subscription made before the queue existed): it is put on the
  delivery queue as it is and the invocation ends. Failing to do that raises, so Lambda retries the
  event and then hands it to the dead-letter queue: nothing is dropped without a trace.

The keep-warm ping is answered before anything else (:mod:`alarm_bot.keep_warm`).

Every alarm taken off the queue for fan-out is counted once, on the message's first receive, in
``AlarmsReceived`` with the dimensions ``SourceAccount`` and ``SourceRegion`` (well-formed values
only): ``alarm-bot doctor`` lists them to show which accounts and regions reach the bot.

Charts on cards (``CHARTS_BUCKET``, :mod:`alarm_bot.delivery.card_charts`) that did not make it
are counted in ``ChartsSkipped``, in all and by ``Reason`` (a :class:`~alarm_bot.charts.render.SkipReason`).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric

from alarm_bot import snapstart
from alarm_bot.alarms.places import alarm_sources
from alarm_bot.delivery.card_charts import own_account, renderer_for
from alarm_bot.delivery.chat_client import ChatClient
from alarm_bot.delivery.credentials import chat_credentials, load_service_account_info
from alarm_bot.delivery.pipeline import DeliveryPipeline, DeliveryReport
from alarm_bot.delivery.ports import DeliveryPorts
from alarm_bot.delivery.queue_records import Origin, QueuedWork, read_body
from alarm_bot.delivery.rules import rules_for
from alarm_bot.delivery.work_queue import SqsWorkQueue, WorkQueue, event_body
from alarm_bot.env_names import POWERTOOLS_METRICS_NAMESPACE
from alarm_bot.keep_warm import is_keep_warm
from alarm_bot.log_lines import log_line
from alarm_bot.settings import DeliverySettings, SettingsError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

    from alarm_bot.charts.render import ChartRenderer
    from alarm_bot.delivery.chat_writes import ChatWriter

logger = Logger(json_serializer=log_line)

# Imported lazily on first use (with charts on); with SnapStart they are loaded before the snapshot.
PREWARM_MODULES = (
    "alarm_bot.charts.render",
    "alarm_bot.charts.storage",
    "alarm_bot.charts.widget",
)
snapstart.prepare(PREWARM_MODULES)
# The stack sets POWERTOOLS_METRICS_NAMESPACE; the default keeps a bare invocation from failing.
NAMESPACE = os.environ.get(POWERTOOLS_METRICS_NAMESPACE, "AlarmChatBot")
metrics = Metrics(namespace=NAMESPACE)
SOURCE_METRIC = "AlarmsReceived"
SOURCE_DIMENSIONS = ("SourceAccount", "SourceRegion")
CHARTS_SKIPPED = "ChartsSkipped"

# Stop sending this long before the function times out, so the failure is reported, not cut off.
SAFETY_MARGIN_SECONDS = 5.0


class DeliveryIncomplete(RuntimeError):
    """A direct event could not be put on the delivery queue; raising makes Lambda retry it."""


@dataclass
class DeliveryDependencies:
    settings: DeliverySettings
    pipeline: DeliveryPipeline
    queue: WorkQueue


_dependencies: DeliveryDependencies | None = None


def build_dependencies(
    settings: DeliverySettings,
    *,
    make_chat: Callable[[], ChatWriter] | None = None,
    queue: WorkQueue | None = None,
    clock: Callable[[], float] = time.time,
    dynamodb: DynamoDBClient | None = None,
    charts: ChartRenderer | None = None,
    function_arn: str | None = None,
) -> DeliveryDependencies:
    """The production wiring; the CLI passes its own Chat client, tests their own queue, clock and
    chart renderer. Charts are drawn for the account of ``function_arn`` (the Lambda context's)."""
    if queue is None:
        if not settings.queue_url or not settings.dead_letter_queue_url:
            raise SettingsError("DELIVERY_QUEUE_URL and DEAD_LETTER_QUEUE_URL are not set")
        queue = SqsWorkQueue(settings.queue_url, settings.dead_letter_queue_url)
    ports = DeliveryPorts.for_table(
        settings.subscriptions_table,
        settings.bot_id,
        rules=rules_for(settings),
        queue=queue,
        make_chat=make_chat or _chat_client(settings),
        client=dynamodb,
        charts=charts if charts is not None else _chart_renderer(settings, function_arn),
    )
    return DeliveryDependencies(settings, DeliveryPipeline(ports, settings, clock=clock), queue)


def _chat_client(settings: DeliverySettings) -> Callable[[], ChatWriter]:
    def make() -> ChatWriter:
        info = load_service_account_info(settings.credentials_secret_arn)
        return ChatClient(
            chat_credentials(info), base_url=settings.chat_api_base_url, pool_size=settings.max_workers
        )

    return make


def _chart_renderer(settings: DeliverySettings, function_arn: str | None) -> ChartRenderer | None:
    if settings.charts is None:
        return None
    return renderer_for(settings.charts, own_account(function_arn, settings.queue_url))


def _get_dependencies(context: Any) -> DeliveryDependencies:
    global _dependencies  # noqa: PLW0603 - reused across invocations: token and connections stay warm
    if _dependencies is None:
        arn = getattr(context, "invoked_function_arn", None)
        _dependencies = build_dependencies(
            DeliverySettings.from_env(), function_arn=arn if isinstance(arn, str) else None
        )
    return _dependencies


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if is_keep_warm(event):  # the schedule that keeps the SnapStart version active: nothing to send
        return {}
    answer: dict[str, Any] = _handle(event, context)
    return answer


@metrics.log_metrics
@logger.inject_lambda_context(log_event=False, clear_state=True)
def _handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    budget = context.get_remaining_time_in_millis() / 1000 - SAFETY_MARGIN_SECONDS
    deadline = time.monotonic() + max(budget, 1.0)
    dependencies = _get_dependencies(context)
    if is_queue_batch(event):
        return consume(event, dependencies, deadline=deadline)
    return intake(event, dependencies)


def is_queue_batch(event: Mapping[str, Any]) -> bool:
    """A batch from the SQS event source mapping (as opposed to an event to put on the queue)."""
    records = event.get("Records")
    return (
        isinstance(records, list)
        and bool(records)
        and all(isinstance(record, dict) and record.get("eventSource") == "aws:sqs" for record in records)
    )


def intake(event: dict[str, Any], dependencies: DeliveryDependencies) -> dict[str, Any]:
    """Put a directly received event on the delivery queue, as it is."""
    try:
        dependencies.queue.send(event_body(event))
    except Exception as error:
        logger.exception("could not queue a notification event; Lambda will retry it")
        raise DeliveryIncomplete(f"not queued: {type(error).__name__}") from None
    metrics.add_metric(name="NotificationsQueued", unit=MetricUnit.Count, value=1)
    return {"queued": 1}


def consume(event: dict[str, Any], dependencies: DeliveryDependencies, *, deadline: float) -> dict[str, Any]:
    """Deliver one batch; the messages that must come again, as a partial batch response."""
    records: list[dict[str, Any]] = event["Records"]
    works = [(record, read_body(str(record.get("body", "")))) for record in records]
    _queue_age(records)
    _count_sources(works)
    counts: Counter[str] = Counter()
    skips: Counter[str] = Counter()
    failed = _deliver_notifications(works, dependencies, deadline, counts, skips)
    for record, work in works:
        if work.space is None:
            continue
        report = _deliver_one_space(work, dependencies, deadline)
        counts.update(report.counts)
        skips.update(report.chart_skips)
        if report.retry_in is not None and work.origin is Origin.FLUSH:
            dependencies.queue.return_later(str(record.get("receiptHandle", "")), report.retry_in)
            failed.add(str(record["messageId"]))
        elif not report.settled:
            failed.add(str(record["messageId"]))
    for name, value in counts.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    _count_chart_skips(skips)
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in sorted(failed)]}


def _deliver_notifications(
    works: list[tuple[dict[str, Any], QueuedWork]],
    dependencies: DeliveryDependencies,
    deadline: float,
    counts: Counter[str],
    skips: Counter[str],
) -> set[str]:
    routed = [(record, work) for record, work in works if work.space is None]
    notifications = [notification for _, work in routed for notification in work.notifications]
    if not routed:
        return set()
    try:
        report = dependencies.pipeline.deliver(notifications, deadline=deadline)
    except Exception:
        logger.exception("delivery failed; the batch's notifications will come again")
        return {str(record["messageId"]) for record, _ in routed}
    counts.update(report.counts)
    skips.update(report.chart_skips)
    return {
        str(record["messageId"])
        for record, work in routed
        if any(notification.transition_id in report.unsettled for notification in work.notifications)
    }


def _deliver_one_space(
    work: QueuedWork, dependencies: DeliveryDependencies, deadline: float
) -> DeliveryReport:
    assert work.space is not None
    try:
        if work.origin is Origin.FLUSH:
            return dependencies.pipeline.flush(work.space, deadline=deadline)
        return dependencies.pipeline.deliver(
            list(work.notifications), deadline=deadline, only_space=work.space
        )
    except Exception:
        logger.exception("delivery to a space failed; it will be tried again", extra={"space": work.space})
        report = DeliveryReport()
        report.unsettled.add(work.space)
        return report


def _count_sources(works: list[tuple[dict[str, Any], QueuedWork]]) -> None:
    """``AlarmsReceived`` per source account and region, in metrics of their own.

    ``single_metric``, so that these dimensions stay off the batch's other metrics, and without
    Powertools' ``service`` dimension: the doctor asks CloudWatch for exactly these two. A message
    SQS delivers again (a space failed) is not counted again.
    """
    fresh = [
        notification
        for record, work in works
        if work.space is None and str(record.get("attributes", {}).get("ApproximateReceiveCount", "1")) == "1"
        for notification in work.notifications
    ]
    for (account, region), count in sorted(alarm_sources(fresh).items()):
        with single_metric(
            name=SOURCE_METRIC, unit=MetricUnit.Count, value=count, namespace=NAMESPACE
        ) as metric:
            metric.service = ""  # no "service" dimension (POWERTOOLS_SERVICE_NAME)
            for name, value in zip(SOURCE_DIMENSIONS, (account, region), strict=True):
                metric.add_dimension(name=name, value=value)


def _count_chart_skips(skips: Counter[str]) -> None:
    """``ChartsSkipped`` by ``Reason``, beside the batch's total (same name, one dimension more)."""
    for reason, count in sorted(skips.items()):
        with single_metric(
            name=CHARTS_SKIPPED, unit=MetricUnit.Count, value=count, namespace=NAMESPACE
        ) as metric:
            metric.add_dimension(name="Reason", value=reason)


def _queue_age(records: list[dict[str, Any]]) -> None:
    """How long the oldest message of the batch waited, in seconds (from SQS's SentTimestamp)."""
    sent = [
        int(record.get("attributes", {}).get("SentTimestamp", "0") or 0)
        for record in records
        if str(record.get("attributes", {}).get("SentTimestamp", "")).isdigit()
    ]
    if sent:
        age = max(time.time() - min(sent) / 1000, 0.0)
        metrics.add_metric(name="QueueAge", unit=MetricUnit.Seconds, value=round(age, 3))
