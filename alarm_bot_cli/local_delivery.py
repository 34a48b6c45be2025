"""The delivery function's code, run on the operator's machine with the stack's settings.

``alarm-bot redrive`` must deliver exactly as the function would (same routing, budgets, digests,
cards, threads, deterministic ``requestId``, remembered ALARM cards), so it uses the function's own
``alarm_events.build_dependencies`` with the function's own environment (read from its
configuration: the table, the queues, the budgets), the secret from the stack's outputs, and AWS
access through the operator's session. What cannot be shown at once waits in its space's outbox
and the deployed function takes it from there (its flushes are scheduled on the delivery queue).
``CHAT_API_BASE_URL`` may come from the operator's environment (tests point it at a local
stand-in). The function's log lines (JSON on stdout in Lambda) are kept off the terminal and read
back for per-space failure reasons.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import boto3

from alarm_bot.delivery.chat_client import ChatClient
from alarm_bot.delivery.credentials import CredentialsError, chat_credentials
from alarm_bot.handlers import alarm_events
from alarm_bot.settings import DeliverySettings, SettingsError
from alarm_bot_cli.credentials import stored_key
from alarm_bot_cli.errors import CommandError
from alarm_bot_cli.stack import QUEUE_URL, SECRET_ARN, TABLE_NAME, Deployment


@contextlib.contextmanager
def delivery_dependencies(deployment: Deployment) -> Iterator[alarm_events.DeliveryDependencies]:
    """The delivery function's dependencies for this deployment, while the block runs.

    The key is read and checked first, so an empty secret is one clear error, not one failure per
    message. The function's stores create their boto3 clients from the default session on first
    use; it is the operator's session for the duration (and restored after), so ``--profile`` and
    ``--region`` apply to them too.
    """
    try:
        settings = DeliverySettings.from_env(_environment(deployment))
        credentials = chat_credentials(stored_key(deployment))
    except (SettingsError, CredentialsError) as error:
        raise CommandError(str(error)) from None
    if settings.queue_url is None:
        raise CommandError(
            f"stack {deployment.stack.name} predates the delivery queue: deploy the current version "
            "with `make deploy`, then redrive"
        )
    client = ChatClient(credentials, base_url=settings.chat_api_base_url, pool_size=settings.max_workers)
    previous = boto3.DEFAULT_SESSION
    boto3.DEFAULT_SESSION = deployment.session
    try:
        # The key read above, not Lambda's secret cache; the queues through the operator's session.
        yield alarm_events.build_dependencies(settings, make_chat=lambda: client)
    finally:
        boto3.DEFAULT_SESSION = previous
        client.close()


def _environment(deployment: Deployment) -> dict[str, str]:
    """The delivery function's variables, with the outputs' table and secret and our Chat API URL."""
    return {
        **deployment.function_environment(),
        "SUBSCRIPTIONS_TABLE": deployment.stack.output(TABLE_NAME),
        "GOOGLE_CREDENTIALS_SECRET_ARN": deployment.stack.output(SECRET_ARN),
        "DEAD_LETTER_QUEUE_URL": deployment.stack.output(QUEUE_URL),
        "CHAT_API_BASE_URL": os.environ.get("CHAT_API_BASE_URL", ""),
    }


@dataclass
class DeliveryLog:
    """The delivery handler's own warnings and errors (not its libraries'), for failure reports."""

    records: list[logging.LogRecord] = field(default_factory=list)

    def problems(self) -> list[str]:
        """One ``space (why)`` per space that failed, else the handler's message: what to fix."""
        lines: list[str] = []
        for record in self.records:
            space = getattr(record, "space", None)
            why = getattr(record, "error", None) or getattr(record, "reason", None)
            if space:
                line = f"{space} ({why or 'HTTP ' + str(getattr(record, 'http_status', '?'))})"
            else:
                line = record.getMessage() + (f": {why}" if why else "")
            if line not in lines:
                lines.append(line)
        return lines

    def clear(self) -> None:
        self.records.clear()


class _Collector(logging.Handler):
    def __init__(self, log: DeliveryLog) -> None:
        super().__init__(level=logging.WARNING)
        self._log = log

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(_SERVICE):  # the function's own lines (the delivery modules' too)
            self._log.records.append(record)


_SERVICE = alarm_events.logger.name


def _drop(record: logging.LogRecord) -> bool:
    return False


@contextlib.contextmanager
def captured_delivery_log(*, verbose: bool) -> Iterator[DeliveryLog]:
    """Collect the delivery code's warnings; its log lines go to stderr only when ``verbose``.

    In Lambda they are JSON lines on stdout; here stdout belongs to the command's output.
    """
    log = DeliveryLog()
    function_handler = alarm_events.logger.registered_handler
    added: list[logging.Handler] = [_Collector(log)]
    if verbose:
        to_stderr = logging.StreamHandler(sys.stderr)
        to_stderr.setFormatter(function_handler.formatter)
        added.append(to_stderr)
    function_handler.addFilter(_drop)
    for handler in added:
        alarm_events.logger.addHandler(handler)
    try:
        yield log
    finally:
        underlying = logging.getLogger(alarm_events.logger.name)
        for handler in added:
            underlying.removeHandler(handler)
        function_handler.removeFilter(_drop)
        alarm_events.metrics.clear_metrics()  # metrics are the function's; nothing to publish here
