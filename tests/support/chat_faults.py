"""Faults the Chat API stand-in can answer with: scripted ones, and a seeded random share of posts.

A fault is an HTTP error (with ``Retry-After`` if asked), a delay (longer than a client's read
timeout: the client times out), or a dropped connection; it may happen after the message was
created, as when Google's answer is lost on the way, which is what ``requestId`` is for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from tests.support.chat_api_http import DROP, Answer
from tests.support.chat_api_http import google_error as _google_error


@dataclass(frozen=True)
class Fault:
    """One scripted answer: ``status`` after ``delay`` s, before or after creating the message."""

    status: int = 500
    retry_after: int | None = None  # seconds, sent as a Retry-After header
    delay: float = 0.0  # longer than the client's read timeout → the client times out
    after_create: bool = False  # the message is created first (a lost response, to test requestId)
    drop: bool = False  # close the connection instead of answering

    @classmethod
    def rate_limited(cls, retry_after: int | None = 1) -> Fault:
        return cls(429, retry_after=retry_after)

    @classmethod
    def timeout(cls, seconds: float, *, after_create: bool = False) -> Fault:
        """Answer only after ``seconds`` (200 if the message was created, else 504)."""
        return cls(200 if after_create else 504, delay=seconds, after_create=after_create)


@dataclass(frozen=True)
class RandomFaults:
    rate: float
    statuses: tuple[int, ...]
    after_create_share: float
    max_streak: int
    rng: random.Random
    drop_share: float = 0.0


def next_random_fault(plan: RandomFaults | None, streak: int) -> tuple[Fault | None, int]:
    """The next post's random fault (or None) and the space's new streak of faults in a row."""
    if plan is None or streak >= plan.max_streak or plan.rng.random() >= plan.rate:
        return None, 0
    drop = plan.rng.random() < plan.drop_share
    status = plan.rng.choice(plan.statuses)
    return Fault(status, after_create=plan.rng.random() < plan.after_create_share, drop=drop), streak + 1


def fault_response(fault: Fault) -> Answer:
    if fault.drop:
        return DROP
    status, body, headers = _google_error(fault.status, "injected fault")
    if fault.retry_after is not None:
        headers["Retry-After"] = str(fault.retry_after)
    return status, body, headers
