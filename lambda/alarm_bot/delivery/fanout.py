"""Deliver one notification to many spaces at once, with one outcome per space.

Spaces are independent: a space that answers slowly, or keeps answering 503, must not delay or
sink the others, so each job runs in its own worker thread over the client's shared connection
pool. Nothing raises for a single space; the caller gets a list of outcomes in job order and decides
what to prune (``gone``) and what to retry later (``failed``).

Request ids are derived from the alarm transition and the space, so that a Lambda retry of the same
notification sends the same ``requestId`` and Google returns the message it already created instead
of posting a duplicate.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from aws_lambda_powertools import Logger

from alarm_bot.delivery.chat_client import DeliveryStatus, Outcome

logger = Logger(child=True)

# Namespace of the name-based UUIDs used as requestIds (fixed forever: changing it would make a
# retried delivery look new to Google and post a duplicate).
_REQUEST_ID_NAMESPACE = uuid.UUID("5f0c7a52-2b7e-4c1e-9d5a-6a3c1e0b8f41")


class MessageSender(Protocol):
    """What ``deliver_all`` needs from a client (``ChatClient`` in production)."""

    def create_message(
        self,
        space: str,
        message: Mapping[str, Any],
        *,
        request_id: str,
        thread_key: str | None,
        deadline: float,
    ) -> Outcome: ...


@dataclass(frozen=True)
class DeliveryJob:
    space: str
    message: Mapping[str, Any]
    request_id: str
    thread_key: str | None = None


def request_id_for(transition_id: str, space: str) -> str:
    """A requestId fixed by (alarm state change, space).

    Google recommends a UUID and documents no other format; a name-based UUID (RFC 4122 version 5)
    of the pair is one, is deterministic, and only uses ``[0-9a-f-]`` (36 characters).
    """
    return str(uuid.uuid5(_REQUEST_ID_NAMESPACE, f"{transition_id}\n{space}"))


def deliver_all(
    client: MessageSender,
    jobs: Sequence[DeliveryJob],
    *,
    deadline: float,
    max_workers: int = 16,
) -> list[Outcome]:
    """Send every job concurrently; one :class:`Outcome` per job, in the order of ``jobs``.

    ``deadline`` is a ``time.monotonic()`` value shared by all jobs. Keep ``max_workers`` no larger
    than the client's ``pool_size`` so that every worker reuses a pooled connection.
    """
    if not jobs:
        return []
    workers = max(1, min(max_workers, len(jobs)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chat-delivery") as pool:
        futures = [pool.submit(_deliver_one, client, job, deadline) for job in jobs]
        return [future.result() for future in futures]


def _deliver_one(client: MessageSender, job: DeliveryJob, deadline: float) -> Outcome:
    """Run one job; an unexpected exception becomes a ``failed`` outcome instead of sinking the batch."""
    try:
        return client.create_message(
            job.space,
            job.message,
            request_id=job.request_id,
            thread_key=job.thread_key,
            deadline=deadline,
        )
    except Exception as error:
        logger.exception("unexpected error delivering to a space", extra={"space": job.space})
        return Outcome(job.space, DeliveryStatus.FAILED, error=f"unexpected {type(error).__name__}")
