"""The one public delivery seam: notifications in, every space that wants them served, in order.

Notification → parse (done by the caller) → route to the spaces that receive it (and to the spaces
whose open card an OK must resolve) → one :class:`~alarm_bot.delivery.space_flush.SpaceFlush` per
space, concurrently, each planning and writing within the space's and the project's budgets.
The queue consumer, a scheduled flush and ``alarm-bot redrive`` all come through here.

A notification is *settled* for a space once it is shown there or safely in the space's outbox;
the caller may then let go of it (delete the queue message). Spaces that Google says are gone
(403/404 to a post) are forgotten, unless every space says so at once (that is a misconfigured
Chat app, not many removals; see :mod:`alarm_bot.delivery.pruning`).
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from aws_lambda_powertools import Logger

from alarm_bot.alarms.model import Alarm, AlarmState, Notification
from alarm_bot.alarms.routing import recipients
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.delivery import card_charts
from alarm_bot.delivery.chat_client import DeliveryOutcome
from alarm_bot.delivery.ports import DeliveryPorts
from alarm_bot.delivery.pruning import misconfigured
from alarm_bot.delivery.space_flush import FlushResult, SpaceFlush
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.outbox import OutboxEntry, change_time

logger = Logger(child=True)
MIGRATE_PER_BATCH = 100  # cards of the earlier layout moved per batch, so no batch waits long for it


@dataclass
class DeliveryReport:
    counts: Counter[str] = field(default_factory=Counter)
    unsettled: set[str] = field(default_factory=set)  # transitions some space could not take yet
    retry_in: float | None = None  # a scheduled flush failed: return it this much later
    chart_skips: Counter[str] = field(default_factory=Counter)  # ChartsSkipped by reason

    @property
    def settled(self) -> bool:
        return not self.unsettled


class DeliveryPipeline:
    def __init__(
        self, ports: DeliveryPorts, settings: DeliverySettings, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.ports = ports
        self.settings = settings
        self.clock = clock

    def deliver(
        self, notifications: Sequence[Notification], *, deadline: float, only_space: str | None = None
    ) -> DeliveryReport:
        """Route and show ``notifications``; ``only_space`` limits them to one space (a redrive)."""
        report = DeliveryReport()
        report.counts["NotificationsReceived"] += len(notifications)
        if not notifications:
            return report
        spaces = self._spaces(report)
        if only_space is not None:
            spaces = [space for space in spaces if space.space == only_space]
        by_space = self._route(notifications, spaces, report)
        self._flush_all(by_space, {space.space: space for space in spaces}, deadline, report, by_timer=False)
        return report

    def flush(self, space: str, *, deadline: float) -> DeliveryReport:
        """A scheduled flush of one space: whatever waits there, if its time has come."""
        report = DeliveryReport()
        records = {
            record.space: record for record in self.ports.spaces.list_spaces() if record.space == space
        }
        if space not in records:
            report.counts["FlushesOfRemovedSpaces"] += 1
            return report
        self._flush_all({space: []}, records, deadline, report, by_timer=True)
        return report

    def _spaces(self, report: DeliveryReport) -> list[SpaceRecord]:
        spaces = self.ports.spaces.list_spaces()
        if self.ports.spaces.malformed:  # logged by the store; the other spaces still get theirs
            report.counts["MalformedSpaceRecords"] += self.ports.spaces.malformed
        leftovers = self.ports.spaces.leftovers[:MIGRATE_PER_BATCH]
        if leftovers:
            moved = self.ports.cards.migrate(leftovers)
            logger.info("moved cards stored by an earlier version", extra={"cards": moved})
        return spaces

    def _route(
        self, notifications: Sequence[Notification], spaces: Sequence[SpaceRecord], report: DeliveryReport
    ) -> dict[str, list[OutboxEntry]]:
        now = self.clock()
        by_space: dict[str, list[OutboxEntry]] = {}
        for notification in notifications:
            targets = recipients(spaces, notification, now)
            entry = OutboxEntry(notification, at=change_time(notification, now), first_seen=now)
            for space in targets:
                by_space.setdefault(space.space, []).append(entry)
            others = self._to_resolve(notification, [s for s in spaces if s not in targets])
            for space_name in others:
                by_space.setdefault(space_name, []).append(
                    OutboxEntry(entry.notification, entry.at, now, announce=False)
                )
            if not targets:
                report.counts["NotificationsWithoutRecipients"] += 1
                logger.warning(
                    "no subscribed space receives this notification",
                    extra={**describe(notification), "spaces": len(spaces)},
                )
        return by_space

    def _to_resolve(self, notification: Notification, others: Sequence[SpaceRecord]) -> list[str]:
        """Spaces that do not receive this OK but show its alarm open: their card must say resolved."""
        if not isinstance(notification, Alarm) or notification.state is not AlarmState.OK or not others:
            return []
        cards = self.ports.cards.get_many([space.space for space in others], notification.key)
        return [card.space for card in cards if not card.resolved and card.message_name]

    def _flush_all(
        self,
        by_space: dict[str, list[OutboxEntry]],
        records: dict[str, SpaceRecord],
        deadline: float,
        report: DeliveryReport,
        *,
        by_timer: bool,
    ) -> None:
        owner = uuid.uuid4().hex
        settings = self.settings
        charts = card_charts.for_delivery(
            self.ports, settings.charts, locale=settings.locale, time_zone=settings.time_zone
        )

        def run(space: str) -> FlushResult:
            # One SpaceFlush per space: it keeps per-run state (its deadline, whether the newcomers
            # are stored already) that concurrent spaces must not share. The charts they share.
            flush = SpaceFlush(
                self.ports,
                settings,
                owner=owner,
                clock=self.clock,
                deadline=deadline,
                by_timer=by_timer,
                charts=charts,
            )
            try:
                return flush.run(space, records.get(space), by_space[space])
            except Exception:
                logger.exception(
                    "delivery to a space failed; its notifications are retried", extra={"space": space}
                )
                failed = FlushResult(space)
                failed.counts["SpaceFlushErrors"] += 1
                failed.retry_in = self.ports.rules.retry_base
                report.unsettled.update(entry.tid for entry in by_space[space])
                return failed

        workers = max(1, min(self.settings.max_workers, len(by_space)))
        if workers == 1:  # one space (a lone alarm, a timer): no thread to start and hand over to
            results = [run(space) for space in by_space]
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="space-flush") as pool:
                results = list(pool.map(run, list(by_space)))
        for result in results:
            report.counts.update(result.counts)
            if result.retry_in is not None:
                report.retry_in = max(report.retry_in or 0.0, result.retry_in)
        if charts is not None:
            report.counts.update(charts.counts)
            report.chart_skips.update(charts.skips)
        self._prune([result.gone for result in results if result.gone is not None], len(results), report)

    def _prune(self, gone: Iterable[DeliveryOutcome], attempted: int, report: DeliveryReport) -> None:
        """Forget the spaces Google says are gone, unless all of them say so at once."""
        removable = [outcome for outcome in gone if not misconfigured(outcome)]
        if len(removable) > 1 and len(removable) == attempted:
            logger.error("every space refused at once: is the Chat app configured? nothing is pruned")
            return
        for outcome in removable:
            self.ports.spaces.remove(outcome.space)
            report.counts["SpacesPruned"] += 1
            logger.info(
                "pruned a space the bot can no longer post to",
                extra={"space": outcome.space, "error": outcome.error},
            )


def describe(notification: Notification) -> dict[str, str]:
    """Log fields naming a notification (never its text)."""
    if isinstance(notification, Alarm):
        return {
            "alarm": notification.name,
            "state": str(notification.state),
            "alarm_source": notification.source,
            "transition": notification.transition_id[:16],
        }
    return {"notification": notification.title, "transition": notification.transition_id[:16]}
