"""Carry out one space's plan: render each step, send it through the space's write gate, in order.

A card's chart (:mod:`~alarm_bot.delivery.card_charts`) is collected right before the card is
sent, so it had the whole flush to be drawn; it never costs a write, and a card without one in time
goes out as it is.

Steps run one after another: two messages of one thread must arrive in the order they happened,
and a space that answers 429 (its quota is shared with other apps) or fails must not be sent more
in the same flush. So the first step that does not succeed ends the run; what is left waits in the
outbox and the caller schedules the next try. Every call ends in :class:`Written` records, one per
step attempted, never an exception: the recorder turns them into what the table remembers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from aws_lambda_powertools import Logger

from alarm_bot.alarms.card_drawing import with_mention
from alarm_bot.alarms.digest_rows import DigestRow
from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.alarms.render import render_late_note, render_message
from alarm_bot.alarms.render_digest import (
    DigestPart,
    render_digest,
    render_digest_parts,
    render_digest_update,
)
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat_message import ChatMessage
from alarm_bot.delivery import card_charts
from alarm_bot.delivery.card_charts import CardCharts
from alarm_bot.delivery.chat_client import DeliveryOutcome, DeliveryStatus
from alarm_bot.delivery.chat_writes import ChatWriter, Written
from alarm_bot.delivery.digest_lines import line_key, new_lines, updated_lines
from alarm_bot.delivery.digest_render_args import digest_card_args, digest_text_args
from alarm_bot.delivery.outgoing import outgoing_card, resolved_message, within_limits
from alarm_bot.delivery.plan_steps import (
    PostDigest,
    PostMessage,
    ResolveCard,
    Show,
    SpaceView,
    Step,
    UpdateDigest,
)
from alarm_bot.delivery.request_ids import digest_request_id, digest_update_request_id, request_id_for
from alarm_bot.delivery.write_budget import WriteGate
from alarm_bot.settings import DeliverySettings
from alarm_bot.store.alarm_messages import AlarmMessage
from alarm_bot.store.digest_view import view_rows
from alarm_bot.store.digests import Digest, DigestLine

logger = Logger(child=True)
DIGEST_THREAD_PREFIX = "digest-"


@dataclass
class SpaceWriter:
    """Sends one space's steps; construct one per flush."""

    space: SpaceRecord | None
    view: SpaceView
    settings: DeliverySettings
    client: ChatWriter
    gate: WriteGate
    deadline: float
    max_pause: float
    now: float
    charts: CardCharts | None = None
    _cards: dict[str, AlarmMessage] = field(default_factory=dict)

    def run(self, steps: Sequence[Step]) -> list[Written]:
        self._cards = dict(self.view.cards)
        done: list[Written] = []
        for step in steps:
            results = self._write(step)
            done += results
            for written in results:
                if written.card is not None:
                    self._cards[written.card.alarm_key] = written.card
            if not all(written.ok or written.edit_refused for written in results):
                break
        return done

    def _write(self, step: Step) -> list[Written]:
        if isinstance(step, PostMessage):
            return [self._post(step)]
        if isinstance(step, ResolveCard):
            return [self._resolve(step)]
        if isinstance(step, PostDigest):
            return self._post_digests(step)
        return [self._update_digest(step)]

    def _post_digests(self, step: PostDigest) -> list[Written]:
        """The step's alarms in as many digest messages as they need (at most ``step.writes``).

        The split depends only on the step's notifications, so a retry after a crash posts the same
        messages (same requestIds). A message the budget has no room for left now is not posted:
        its alarms wait for the next digest, like the alarms no message had room for.
        """
        lines = new_lines(step.entries)
        parts = self._digest_parts(step, lines)
        by_key = {line.line_key: line for line in lines}
        done: list[Written] = []
        for index, part in enumerate(parts):
            if index and self.gate.exhausted:
                break
            keys = {line_key(row.notification) for row in part.rows}
            entries = tuple(pair for pair in step.entries if line_key(pair[0].notification) in keys)
            part_id = step.digest_id if not index else f"{step.digest_id}-{index}"
            posted = PostDigest(part_id, entries, writes=1)
            part_lines = tuple(by_key[key] for key in by_key if key in keys)
            numbering = (step.first_part + index, step.parts or len(parts))
            written = self._post_digest(posted, part, part_lines, numbering=numbering)
            done.append(written)
            if not written.ok:
                break
        return done

    def _post(self, step: PostMessage) -> Written:
        notification = step.entry.notification
        settings = self.settings
        if step.show is Show.LATE and isinstance(notification, Alarm):
            message = render_late_note(notification, locale=settings.locale, time_zone=settings.time_zone)
            base: ChatMessage = message
        else:
            base = render_message(
                notification,
                locale=settings.locale,
                time_zone=settings.time_zone,
                account_names=settings.account_names,
            )
            # The chart is stored with the card (``base``): a redrawn card keeps it.
            base = card_charts.on_card(self.charts, notification, base, locale=settings.locale)
            outgoing = outgoing_card(notification, base, settings)
            message = outgoing.for_space(self.space) if self.space is not None else outgoing.plain
            if message is outgoing.mentioning and message is not outgoing.plain:
                base = with_mention(base)  # every later edit is drawn from it: it keeps the mention
        outcome = self._create(
            message, request_id_for(step.entry.tid, self.view.space), notification.thread_key
        )
        card = None
        if (
            step.show is Show.CARD
            and isinstance(notification, Alarm)
            and outcome.delivered
            and outcome.message_name
        ):
            card = AlarmMessage(
                space=self.view.space,
                alarm_key=notification.key,
                message_name=outcome.message_name,
                transition=step.entry.tid,
                since=int(step.entry.at),
                message=base,
                alarm_name=notification.name,
                alarm_arn=notification.arn or "",
                shown_at=step.entry.at,
                shown_tid=step.entry.tid,
            )
        return Written(step, (outcome,), card=card, base=base)

    def _resolve(self, step: ResolveCard) -> Written:
        """The card edited in place to say resolved, with the chart of the recovery; without one in
        time it keeps the chart it has (:mod:`alarm_bot.alarms.card_chart` says why)."""
        card = self._cards.get(step.alarm_key)
        if card is None or not card.message_name:  # pragma: no cover - the plan only resolves known cards
            return Written(
                step, (DeliveryOutcome(self.view.space, DeliveryStatus.GONE, error="no card to resolve"),)
            )
        recharted = card_charts.on_resolved(
            self.charts, step.entry.notification, dict(card.message), locale=self.settings.locale
        )
        if recharted is not None:
            card = replace(card, message=recharted)
        message = resolved_message(card, self.space, int(step.entry.at), self.settings, self.now)
        outcome = self._update(card.message_name, message)
        return Written(step, (outcome,), card=card, base=recharted or {})

    def _post_digest(
        self, step: PostDigest, part: DigestPart, lines: tuple[DigestLine, ...], numbering: tuple[int, int]
    ) -> Written:
        """One message of a digest: ``part`` of the step's alarms (``lines``)."""
        message = part.message
        mentioned = self.space is not None and self.space.mention and _has_alarm(lines)
        if mentioned:
            message = with_mention(message)
        request_id = digest_request_id(self.view.space, step.digest_id)
        outcome = self._create(message, request_id, DIGEST_THREAD_PREFIX + step.digest_id)
        digest = None
        if outcome.delivered and outcome.message_name:
            digest = Digest(
                space=self.view.space,
                digest_id=step.digest_id,
                message_name=outcome.message_name,
                thread_name=outcome.thread_name or "",
                posted_at=self.now,
                patched_at=self.now,
                lines=lines,
                part=numbering[0],
                parts=numbering[1],
                mentioned=mentioned,
            )
        shown = frozenset(entry.tid for entry, _ in step.entries)
        return Written(step, (outcome,), digest=digest, lines=lines, shown=shown)

    def _update_digest(self, step: UpdateDigest) -> Written:
        digest = step.digest
        lines, changed = updated_lines(digest.lines, step.entries)
        patched = self._update(digest.message_name, self._digest_card(digest, lines))
        if not (patched.delivered or patched.status is DeliveryStatus.GONE):
            return Written(step, (patched,))
        changes = render_digest_update(
            self._rows(changed, digest.digest_id), **digest_text_args(self.settings, self.now)
        )
        request_id = digest_update_request_id(self.view.space, digest.digest_id, digest.updates)
        replied = self._create(
            changes,
            request_id,
            DIGEST_THREAD_PREFIX + digest.digest_id,
            thread_name=digest.thread_name or None,
        )
        updated = replace(digest, patched_at=self.now, updates=digest.updates + 1, lines=tuple(lines))
        return Written(step, (patched, replied), digest=updated, lines=tuple(lines))

    def _rows(self, lines: Sequence[DigestLine], digest_id: str) -> list[DigestRow]:
        return view_rows(lines, digest_id=digest_id, cards=self._cards, space=self.space, now=self.now)

    def _digest_card(self, digest: Digest, lines: Sequence[DigestLine]) -> ChatMessage:
        rows = self._rows(lines, digest.digest_id)
        card = render_digest(
            rows, part=digest.part, parts=digest.parts, **digest_card_args(self.settings, self.now)
        )
        return with_mention(card) if digest.mentioned else card

    def _digest_parts(self, step: PostDigest, lines: Sequence[DigestLine]) -> list[DigestPart]:
        return render_digest_parts(
            self._rows(lines, step.digest_id),
            max_parts=step.writes,
            numbered_from=(step.first_part, step.parts),
            **digest_card_args(self.settings, self.now),
        )

    def _create(
        self, message: ChatMessage, request_id: str, thread_key: str | None, *, thread_name: str | None = None
    ) -> DeliveryOutcome:
        thread = {"name": thread_name} if thread_name else {"threadKey": thread_key} if thread_key else None
        sent = within_limits(message, thread, self.settings.locale)
        return _guarded(
            self.view.space,
            lambda: self.client.create_message(
                self.view.space,
                sent,
                request_id=request_id,
                thread_key=thread_key,
                deadline=self.deadline,
                permit=self.gate.permit,
                max_pause=self.max_pause,
                thread_name=thread_name,
            ),
        )

    def _update(self, message_name: str, message: ChatMessage) -> DeliveryOutcome:
        sent = within_limits(message, None, self.settings.locale)
        return _guarded(
            self.view.space,
            lambda: self.client.update_message(
                message_name,
                sent,
                deadline=self.deadline,
                permit=self.gate.permit,
                max_pause=self.max_pause,
            ),
        )


def _guarded(space: str, call: Callable[[], DeliveryOutcome]) -> DeliveryOutcome:
    """An unexpected exception becomes a failed outcome: one space's bug must not sink the batch."""
    try:
        return call()
    except Exception as error:
        logger.exception("unexpected error writing to a space", extra={"space": space})
        return DeliveryOutcome(space, DeliveryStatus.FAILED, error=f"unexpected {type(error).__name__}")


def _has_alarm(lines: Sequence[DigestLine]) -> bool:
    return any(
        isinstance(line.notification, Alarm) and line.notification.state is AlarmState.ALARM for line in lines
    )
