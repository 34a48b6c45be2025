"""``alarm-bot redrive``: deliver what waits in the dead-letter queue, then delete only that.

Messages are received in batches of 10 with a short long-poll, until a receive comes back empty or
``--max`` messages were seen (messages that arrive during the run wait for the next one). Each is
given to the delivery pipeline (:mod:`local_delivery`), within the spaces' and the project's write
budgets: a notification goes to every space that receives it, an ``undelivered`` one to its one
space, a ``flush`` runs that space's outbox. It is deleted once every space has it or keeps it in
its outbox, from where the deployed function shows it as soon as the budget allows or Google
recovers. Delivery is idempotent (each state change is shown once per space, and the ``requestId``
of a state change and space never changes), so a message redriven twice posts nothing twice. A
space that Chat refuses a notification for gets that notification back in the queue alone, with
the reason; ``--dry-run`` only lists.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from botocore.exceptions import BotoCoreError, ClientError

from alarm_bot_cli.aws import describe_aws_error
from alarm_bot_cli.dead_letters import DeadLetter, Origin, read_dead_letter
from alarm_bot_cli.output import note, print_json, print_table, say
from alarm_bot_cli.stack import QUEUE_URL, Deployment, connect

if TYPE_CHECKING:
    from mypy_boto3_sqs.client import SQSClient
    from mypy_boto3_sqs.type_defs import ChangeMessageVisibilityBatchRequestEntryTypeDef

    from alarm_bot.handlers.alarm_events import DeliveryDependencies
    from alarm_bot_cli.local_delivery import DeliveryLog

BATCH: Final = 10  # SQS's maximum per receive and per batch call
# Delivered, or in the spaces' outboxes (the deployed function retries from there), or refused for
# some spaces and back in the queue as "undelivered" for those alone: the letter itself is done.
HANDED_OVER: Final = ("delivered", "queued", "refused")
DELIVERY_SECONDS: Final = 30.0  # time budget to deliver one message to every space
HIDE_SECONDS: Final = 15 * 60  # a received message stays hidden while the run goes on
LIST_HIDE_SECONDS: Final = 60  # --dry-run: long enough to list, then shown again at once


@dataclass(frozen=True)
class Redriven:
    letter: DeadLetter
    result: str  # "delivered", "queued", "failed", "unreadable", "listed"
    detail: str

    def as_json(self) -> dict[str, Any]:
        letter = self.letter
        return {
            "message_id": letter.message_id,
            "origin": str(letter.origin),
            "notifications": letter.notifications(),
            "failed_at": letter.failed_at,
            "reason": letter.reason,
            "result": self.result,
            "detail": self.detail,
        }


def run(args: argparse.Namespace) -> int:
    deployment = connect(args)
    queue = deployment.stack.output(QUEUE_URL)
    sqs = deployment.sqs()
    outcomes = _list(sqs, queue, args) if args.dry_run else _redrive(deployment, sqs, queue, args)
    _report(outcomes, args)
    return 1 if any(outcome.result in ("failed", "refused", "unreadable") for outcome in outcomes) else 0


def _list(sqs: SQSClient, queue: str, args: argparse.Namespace) -> list[Redriven]:
    letters = list(_receive(sqs, queue, args, LIST_HIDE_SECONDS))
    _release(sqs, queue, letters)
    return [Redriven(letter, "listed", "" if letter.event else "cannot be redriven") for letter in letters]


def _redrive(deployment: Deployment, sqs: SQSClient, queue: str, args: argparse.Namespace) -> list[Redriven]:
    from alarm_bot_cli.local_delivery import captured_delivery_log, delivery_dependencies  # noqa: PLC0415 - 170 ms, not for --dry-run

    outcomes: list[Redriven] = []
    later: list[DeadLetter] = []
    started = time.time()
    try:
        with (
            delivery_dependencies(deployment) as dependencies,
            captured_delivery_log(verbose=args.verbose) as log,
        ):
            for letter in _receive(sqs, queue, args, HIDE_SECONDS):
                if letter.sent_at > started:  # written during this run (a space refused it again)
                    later.append(letter)
                    continue
                outcome = _deliver(letter, dependencies, log)
                if outcome.result in HANDED_OVER:
                    _delete(sqs, queue, letter)
                outcomes.append(outcome)
    finally:
        # Kept messages stay hidden until the run ends, so one run tries each message once.
        kept = [outcome.letter for outcome in outcomes if outcome.result not in HANDED_OVER]
        _release(sqs, queue, kept + later)
    return outcomes


def _receive(sqs: SQSClient, queue: str, args: argparse.Namespace, hide: int) -> Iterator[DeadLetter]:
    """Each message once, until the queue answers empty or ``--max`` messages were received.

    A message seen again in the same run (its hiding time ran out) is not handled twice.
    """
    seen: set[str] = set()
    while len(seen) < args.max:
        response = sqs.receive_message(
            QueueUrl=queue,
            MaxNumberOfMessages=min(BATCH, args.max - len(seen)),
            WaitTimeSeconds=args.wait,
            VisibilityTimeout=hide,
            MessageSystemAttributeNames=["SentTimestamp", "ApproximateReceiveCount"],
            MessageAttributeNames=["All"],
        )
        letters = [read_dead_letter(message) for message in response.get("Messages", [])]
        fresh = [letter for letter in letters if letter.message_id not in seen]
        if not fresh:
            return
        for letter in fresh:
            seen.add(letter.message_id)
            yield letter


def _deliver(letter: DeadLetter, dependencies: DeliveryDependencies, log: DeliveryLog) -> Redriven:
    work = letter.work
    if work is None:
        return Redriven(letter, "unreadable", "not a notification the bot can read; left in the queue")
    log.clear()
    deadline = time.monotonic() + DELIVERY_SECONDS
    pipeline = dependencies.pipeline
    try:
        if work.origin is Origin.FLUSH and work.space is not None:
            report = pipeline.flush(work.space, deadline=deadline)
        else:
            report = pipeline.deliver(list(work.notifications), deadline=deadline, only_space=work.space)
    except (ClientError, BotoCoreError) as error:
        return Redriven(letter, "failed", describe_aws_error(error))
    except Exception as error:  # one odd message must not stop the others; it stays in the queue
        return Redriven(letter, "failed", f"internal error: {type(error).__name__}: {error}")
    return _judged(letter, report.counts, report.settled, log.problems())


def _judged(letter: DeadLetter, counts: Mapping[str, int], settled: bool, problems: list[str]) -> Redriven:
    """What became of a letter, in one line: delivered, handed to the bot's retries, or refused."""
    if not settled:
        return Redriven(letter, "failed", "not delivered: " + (", ".join(problems) or "see --verbose"))
    if counts.get("NotificationsDeadLettered"):
        return Redriven(letter, "refused", "not delivered: " + (", ".join(problems) or "Chat refused it"))
    detail = f"delivered to {counts.get('MessagesDelivered', 0)} space(s)"
    waiting = counts.get("NotificationsQueued", 0) + counts.get("DeliveriesDeferred", 0)
    result = "delivered"
    if counts.get("MessagesFailed") or waiting:
        result = "queued"
        detail += "; the rest waits in the spaces' outboxes and the bot retries it"
        if problems:
            detail += f" ({', '.join(problems)})"
    if counts.get("NotificationsWithoutRecipients"):
        detail += "; no subscribed space receives it"
    if counts.get("SpacesPruned"):
        detail += f"; {counts['SpacesPruned']} removed space(s) forgotten"
    return Redriven(letter, result, detail)


def _delete(sqs: SQSClient, queue: str, letter: DeadLetter) -> None:
    """Deleted as soon as it is delivered: a later crash must not send it around again."""
    try:
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=letter.receipt_handle)
    except ClientError as error:  # harmless: redriven again later, and Chat keeps one message per requestId
        note(f"could not delete delivered message {letter.message_id}: {describe_aws_error(error)}")


def _release(sqs: SQSClient, queue: str, letters: Sequence[DeadLetter]) -> None:
    """Make messages visible again now, so the next redrive (or a person) sees them."""
    for start in range(0, len(letters), BATCH):
        entries: list[ChangeMessageVisibilityBatchRequestEntryTypeDef] = [
            {"Id": str(index), "ReceiptHandle": letter.receipt_handle, "VisibilityTimeout": 0}
            for index, letter in enumerate(letters[start : start + BATCH])
        ]
        sqs.change_message_visibility_batch(QueueUrl=queue, Entries=entries)


def _report(outcomes: Sequence[Redriven], args: argparse.Namespace) -> None:
    if args.json:
        print_json({"dry_run": bool(args.dry_run), "messages": [outcome.as_json() for outcome in outcomes]})
        return
    if not outcomes:
        say("The dead-letter queue is empty: nothing to redrive.")
        return
    rows = [
        (
            outcome.letter.failed_at,
            "; ".join(outcome.letter.notifications()) or "?",
            str(outcome.letter.origin),
            outcome.detail or outcome.letter.reason,
        )
        for outcome in outcomes
    ]
    print_table(("FAILED AT", "NOTIFICATION", "FROM", "RESULT" if not args.dry_run else "REASON"), rows)
    if args.dry_run:
        say(f"Dry run: {len(outcomes)} message(s) would be redriven; nothing was deleted.")
        return
    delivered = sum(1 for outcome in outcomes if outcome.result in ("delivered", "queued"))
    say(f"{delivered} of {len(outcomes)} message(s) delivered and deleted from the queue.")
    if delivered < len(outcomes):
        note(
            "The others stay in the queue (for the spaces that refused them): fix the cause "
            "(see RESULT, alarm-bot doctor), then redrive again."
        )
