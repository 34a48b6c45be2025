"""``alarm-bot redrive``: deliver what waits in the dead-letter queue, then delete only that.

Messages are received in batches of 10 with a short long-poll, until a receive comes back empty or
``--max`` messages were seen. Each one is delivered with the fan-out function's own code
(:mod:`local_fanout`) and deleted only when every space got it. Delivery is idempotent (the
``requestId`` of a state change and space never changes), so a message redriven twice, or one
that reached some spaces before it failed, posts nothing twice. What fails stays in the queue and
is made visible again at once, so the next ``redrive`` can retry it; ``--dry-run`` only lists.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from botocore.exceptions import BotoCoreError, ClientError

from alarm_bot.cli.aws import describe_aws_error
from alarm_bot.cli.dead_letters import DeadLetter, read_dead_letter
from alarm_bot.cli.output import note, print_json, print_table, say
from alarm_bot.cli.stack import QUEUE_URL, Deployment, connect

if TYPE_CHECKING:
    from mypy_boto3_sqs.client import SQSClient
    from mypy_boto3_sqs.type_defs import ChangeMessageVisibilityBatchRequestEntryTypeDef

    from alarm_bot.cli.local_fanout import FanoutLog
    from alarm_bot.handlers.alarm_events import FanoutDependencies

BATCH: Final = 10  # SQS's maximum per receive and per batch call
DELIVERY_SECONDS: Final = 30.0  # time budget to deliver one message to every space
HIDE_SECONDS: Final = 15 * 60  # a received message stays hidden while the run goes on
LIST_HIDE_SECONDS: Final = 60  # --dry-run: long enough to list, then shown again at once


@dataclass(frozen=True)
class Redriven:
    letter: DeadLetter
    result: str  # "delivered", "failed", "unreadable", "listed"
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
    return 1 if any(outcome.result in ("failed", "unreadable") for outcome in outcomes) else 0


def _list(sqs: SQSClient, queue: str, args: argparse.Namespace) -> list[Redriven]:
    letters = list(_receive(sqs, queue, args, LIST_HIDE_SECONDS))
    _release(sqs, queue, letters)
    return [Redriven(letter, "listed", "" if letter.event else "cannot be redriven") for letter in letters]


def _redrive(deployment: Deployment, sqs: SQSClient, queue: str, args: argparse.Namespace) -> list[Redriven]:
    from alarm_bot.cli.local_fanout import captured_fanout_log, fanout_dependencies  # noqa: PLC0415

    outcomes: list[Redriven] = []
    try:
        with (
            fanout_dependencies(deployment) as dependencies,
            captured_fanout_log(verbose=args.verbose) as log,
        ):
            for letter in _receive(sqs, queue, args, HIDE_SECONDS):
                outcome = _deliver(letter, dependencies, log)
                if outcome.result == "delivered":
                    _delete(sqs, queue, letter)
                outcomes.append(outcome)
    finally:
        # Kept messages stay hidden until the run ends, so one run tries each message once.
        _release(sqs, queue, [outcome.letter for outcome in outcomes if outcome.result != "delivered"])
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


def _deliver(letter: DeadLetter, dependencies: FanoutDependencies, log: FanoutLog) -> Redriven:
    from alarm_bot.handlers.alarm_events import DeliveryIncomplete, process  # noqa: PLC0415

    if letter.event is None:
        return Redriven(letter, "unreadable", "not a notification the bot can read; left in the queue")
    log.clear()
    try:
        summary = process(letter.event, dependencies, deadline=time.monotonic() + DELIVERY_SECONDS)
    except DeliveryIncomplete as error:
        problems = log.problems()
        return Redriven(letter, "failed", f"not delivered: {', '.join(problems)}" if problems else str(error))
    except (ClientError, BotoCoreError) as error:
        return Redriven(letter, "failed", describe_aws_error(error))
    except Exception as error:  # one odd message must not stop the others; it stays in the queue
        return Redriven(letter, "failed", f"internal error: {type(error).__name__}: {error}")
    delivered = summary.get("MessagesDelivered", 0)
    detail = f"delivered to {delivered} space(s)"
    if summary.get("NotificationsWithoutRecipients"):
        detail += "; no subscribed space receives it"
    if summary.get("SpacesPruned"):
        detail += f"; {summary['SpacesPruned']} removed space(s) forgotten"
    return Redriven(letter, "delivered", detail)


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
    delivered = sum(1 for outcome in outcomes if outcome.result == "delivered")
    say(f"{delivered} of {len(outcomes)} message(s) delivered and deleted from the queue.")
    if delivered < len(outcomes):
        note(
            "The others stay in the queue: fix the cause (see RESULT, alarm-bot doctor), then redrive again."
        )
