"""Lambda handler for alarm notifications: SNS, EventBridge, or CloudWatch's Lambda alarm action.

Notification → parse → alarm model → route to subscribed spaces → render card → deliver. Delivery
is idempotent per (alarm transition, space), so the handler can afford the simple, safe rule: if any
space could not be reached, fail the invocation. Lambda then retries the whole event, spaces that
already have the message get the same ``requestId`` and no duplicate, and after the retries the
event lands in the dead-letter queue. Nothing is dropped without a log line and a metric.

ALARM cards are interactive (:mod:`alarm_bot.delivery.cards`): they carry buttons, are remembered
per space once delivered, and are edited in place when the alarm returns to OK.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from alarm_bot import snapstart
from alarm_bot.alarms.model import Alarm, Notification
from alarm_bot.alarms.parse import parse_lambda_event
from alarm_bot.alarms.render import render_message
from alarm_bot.alarms.routing import recipients
from alarm_bot.delivery.cards import opens_card, outgoing_card, remember_cards, resolve_cards, resolves_cards
from alarm_bot.delivery.chat_client import ChatClient, DeliveryStatus, Outcome
from alarm_bot.delivery.credentials import CredentialsError
from alarm_bot.delivery.fanout import DeliveryJob, MessageSender, deliver_all, request_id_for
from alarm_bot.delivery.pruning import prunable
from alarm_bot.keep_warm import is_keep_warm
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.alarm_messages import AlarmMessageStore
from alarm_bot.store.spaces import SpaceRecord, SpaceStore

logger = Logger()

# Imported lazily on first use; with SnapStart they are loaded before the snapshot instead.
PREWARM_MODULES = (
    "alarm_bot.delivery.credentials",
    "google.oauth2.service_account",
    "google.auth.transport.requests",
    "aws_lambda_powertools.utilities.parameters",
    "alarm_bot.store.spaces",
    "boto3",
)
snapstart.prepare(PREWARM_MODULES)
# The stack sets POWERTOOLS_METRICS_NAMESPACE; the default keeps a bare invocation from failing.
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "AlarmChatBot"))

# Stop sending this long before the function times out, so the failure is reported, not cut off.
SAFETY_MARGIN_SECONDS = 5.0


class DeliveryIncomplete(RuntimeError):
    """Some spaces did not get the message; raising makes Lambda retry, then dead-letter, the event."""


@dataclass
class FanoutDependencies:
    settings: DeliverySettings
    store: SpaceStore
    make_client: Callable[[], MessageSender]
    clock: Callable[[], float] = time.time
    # Where posted ALARM cards are remembered; None: cards get buttons but are not kept or resolved.
    messages: AlarmMessageStore | None = None
    _client: MessageSender | None = field(default=None, init=False)

    def client(self) -> MessageSender:
        """Built on first need: credentials are read only when there is something to send."""
        if self._client is None:
            self._client = self.make_client()
        return self._client


_dependencies: FanoutDependencies | None = None


def build_dependencies(settings: DeliverySettings) -> FanoutDependencies:
    from alarm_bot.store.alarm_messages import DynamoAlarmMessages  # noqa: PLC0415 - boto3 when invoked
    from alarm_bot.store.spaces import DynamoSpaceStore  # noqa: PLC0415

    def make_client() -> MessageSender:
        from alarm_bot.delivery.credentials import chat_credentials, load_service_account_info  # noqa: PLC0415

        info = load_service_account_info(settings.credentials_secret_arn)
        return ChatClient(
            chat_credentials(info), base_url=settings.chat_api_base_url, pool_size=settings.max_workers
        )

    store = DynamoSpaceStore(settings.subscriptions_table, settings.bot_id)
    messages = DynamoAlarmMessages(settings.subscriptions_table, settings.bot_id)
    return FanoutDependencies(settings=settings, store=store, make_client=make_client, messages=messages)


def _get_dependencies() -> FanoutDependencies:
    global _dependencies  # noqa: PLW0603 - reused across invocations: token and connections stay warm
    if _dependencies is None:
        _dependencies = build_dependencies(DeliverySettings.from_env())
    return _dependencies


def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    if is_keep_warm(event):  # the schedule that keeps the SnapStart version active: nothing to send
        return {}
    summary: dict[str, int] = _handle(event, context)
    return summary


@metrics.log_metrics
@logger.inject_lambda_context(log_event=False, clear_state=True)
def _handle(event: dict[str, Any], context: Any) -> dict[str, int]:
    budget = context.get_remaining_time_in_millis() / 1000 - SAFETY_MARGIN_SECONDS
    return process(event, _get_dependencies(), deadline=time.monotonic() + max(budget, 1.0))


def process(event: dict[str, Any], dependencies: FanoutDependencies, *, deadline: float) -> dict[str, int]:
    notifications = parse_lambda_event(event)
    metrics.add_metric(name="NotificationsReceived", unit=MetricUnit.Count, value=len(notifications))
    spaces = dependencies.store.list_spaces() if notifications else []
    summary: Counter[str] = Counter()
    failed: list[str] = []
    for notification in notifications:
        failed += _fan_out(notification, spaces, dependencies, deadline, summary)
        if resolves_cards(notification) and dependencies.messages is not None:
            summary += resolve_cards(
                notification,
                spaces,
                messages=dependencies.messages,
                client=dependencies.client,
                settings=dependencies.settings,
                now=dependencies.clock(),
                deadline=deadline,
            )
    for name, value in summary.items():
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    if failed:
        raise DeliveryIncomplete(f"not delivered to {len(failed)} space(s): {', '.join(sorted(set(failed)))}")
    return dict(summary)


def _fan_out(
    notification: Notification,
    spaces: list[SpaceRecord],
    dependencies: FanoutDependencies,
    deadline: float,
    summary: Counter[str],
) -> list[str]:
    """Deliver one notification; returns the spaces that must be retried."""
    context = _describe(notification)
    targets = recipients(spaces, notification, dependencies.clock())
    if not targets:
        summary["NotificationsWithoutRecipients"] += 1
        logger.warning(
            "no subscribed space receives this notification", extra={**context, "spaces": len(spaces)}
        )
        return []
    settings = dependencies.settings
    message = render_message(notification, locale=settings.locale, time_zone=settings.time_zone)
    outgoing = outgoing_card(notification, message, settings)
    jobs = [
        DeliveryJob(
            space=space.space,
            message=outgoing.for_space(space),
            request_id=request_id_for(notification.transition_id, space.space),
            thread_key=notification.thread_key,
        )
        for space in targets
    ]
    try:
        client = dependencies.client()
    except CredentialsError as error:
        logger.error("cannot authenticate to Google Chat", extra={**context, "reason": str(error)})
        summary["MessagesFailed"] += len(jobs)
        return [job.space for job in jobs]
    outcomes = deliver_all(client, jobs, deadline=deadline, max_workers=settings.max_workers)
    failed = _settle(outcomes, dependencies.store, context, summary)
    if opens_card(notification) and dependencies.messages is not None:
        stored = remember_cards(notification, message, outcomes, dependencies.messages, dependencies.clock())
        summary["AlarmCardsStored"] += stored
    return failed


def _settle(
    outcomes: list[Outcome], store: SpaceStore, context: dict[str, str], summary: Counter[str]
) -> list[str]:
    """Count, log, prune removed spaces; return the spaces that failed."""
    gone = prunable(outcomes)
    failed: list[str] = []
    for outcome in outcomes:
        summary["MessagesRetried"] += max(outcome.attempts - 1, 0)
        if outcome.status is DeliveryStatus.DELIVERED:
            summary["MessagesDelivered"] += 1
        elif outcome in gone:
            store.remove(outcome.space)
            summary["SpacesPruned"] += 1
            logger.info("pruned a space the bot can no longer post to", extra={**context, **_fields(outcome)})
        else:
            summary["MessagesFailed"] += 1
            failed.append(outcome.space)
            logger.error("message not delivered", extra={**context, **_fields(outcome)})
    return failed


def _describe(notification: Notification) -> dict[str, str]:
    if isinstance(notification, Alarm):
        return {
            "alarm": notification.name,
            "state": str(notification.state),
            "alarm_source": notification.source,
            "transition": notification.transition_id[:16],
        }
    return {"notification": notification.title, "transition": notification.transition_id[:16]}


def _fields(outcome: Outcome) -> dict[str, Any]:
    return {"space": outcome.space, "http_status": outcome.http_status, "error": outcome.error}
