"""urllib3 retries and timeouts that respect a wall-clock deadline.

urllib3's ``Retry`` does the right things for the Chat API (exponential backoff with jitter,
``Retry-After``), but it knows nothing about the Lambda timeout: a ``Retry-After: 30`` or a long
backoff could outlive the invocation, and the message would be lost without an outcome. Here a
:class:`CallBudget` (a ``time.monotonic()`` deadline plus counters) is bound to each API call:

* :class:`BudgetRetry` decides in ``increment`` whether the next attempt still fits: the pause it
  is about to take plus ``min_attempt_time`` must end before the deadline, else it gives up
  (``MaxRetryError``; with ``raise_on_status=False`` the caller gets the last 429/5xx response).
  ``sleep`` then waits exactly the pause decided, never past the deadline.
* A budget may also carry a ``permit`` (a :class:`~alarm_bot.delivery.write_budget.WriteGate`):
  every attempt, the first and each retry, must be allowed by it, because Google counts attempts
  against the space's quota; and a ``max_pause``: a longer wait (``Retry-After``, backoff) is not
  slept inside the function but reported, so that the work waits in the queue instead.
* :class:`DeadlineTimeout` caps each attempt's connect/read timeouts by the time left, because
  urllib3 clones the timeout at the start of every attempt.
* :class:`BudgetAdapter` hands every request a copy of the retry policy bound to the calling
  thread's budget. urllib3 copies ``Retry`` objects through ``new()`` on every increment, so the
  budget travels with the copies and concurrent calls never share mutable retry state.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.util.retry import Retry
from urllib3.util.timeout import Timeout

if TYPE_CHECKING:
    from urllib3.connectionpool import ConnectionPool
    from urllib3.response import BaseHTTPResponse

_MIN_TIMEOUT = 0.001  # urllib3 rejects timeouts <= 0; this makes an overdue attempt fail at once


@dataclass
class CallBudget:
    """The deadline of one API call and what happened under it; used by one thread only."""

    deadline: float  # time.monotonic() value
    sent: int = 0  # requests started by the caller (a resend after a token refresh counts)
    retries: int = 0  # further attempts urllib3 made for them
    exhausted: bool = False
    permit: Callable[[float], bool] | None = None  # asked before every attempt: permit(seconds until sent)
    max_pause: float | None = None  # longer waits are left to the queue
    denied: bool = False  # the permit refused an attempt
    deferred: float | None = None  # the wait that was too long to take here (seconds)

    def allowed(self, after: float = 0.0) -> bool:
        """Whether one more attempt may be sent ``after`` seconds from now (it counts if so)."""
        if self.permit is not None and not self.permit(after):
            self.denied = True
            return False
        return True

    @property
    def attempts(self) -> int:
        return self.sent + self.retries

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def allows(self, seconds: float) -> bool:
        """Whether ``seconds`` of work still end before the deadline."""
        return self.remaining() >= seconds

    def timeout(self, connect: float, read: float) -> DeadlineTimeout:
        return DeadlineTimeout(connect=connect, read=read, deadline=self.deadline)


class DeadlineTimeout(Timeout):
    """Per-attempt connect/read timeouts, each attempt also ending by ``deadline``."""

    def __init__(self, *, connect: float, read: float, deadline: float) -> None:
        super().__init__(connect=connect, read=read)
        self.deadline = deadline

    def clone(self) -> Timeout:
        """Called by urllib3 as each attempt starts: ``total`` becomes the time left."""
        left = max(self.deadline - time.monotonic(), _MIN_TIMEOUT)
        return Timeout(connect=self._connect, read=self._read, total=left)


class BudgetRetry(Retry):
    """``Retry`` that stops, rather than sleeps, when the next attempt would miss the deadline."""

    def __init__(
        self, *args: Any, budget: CallBudget | None = None, min_attempt_time: float = 0.5, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.budget = budget
        self.min_attempt_time = min_attempt_time
        self._pause = 0.0  # decided by increment() on the copy it returns, taken by sleep()

    def new(self, **kw: Any) -> Self:
        kw.setdefault("budget", self.budget)
        kw.setdefault("min_attempt_time", self.min_attempt_time)
        return super().new(**kw)

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if self.budget is None:
            return retry
        pause = retry.planned_pause(response)
        budget = self.budget
        if budget.max_pause is not None and pause > budget.max_pause:
            budget.deferred = pause
            reason = error or ResponseError("the next attempt must wait in the queue")
            raise MaxRetryError(_pool, url, reason) from reason  # type: ignore[arg-type]
        if not budget.allows(pause + self.min_attempt_time):
            budget.exhausted = True
            reason = error or ResponseError("time budget exhausted")
            raise MaxRetryError(_pool, url, reason) from reason  # type: ignore[arg-type]
        if not budget.allowed(after=pause):
            reason = error or ResponseError("write budget exhausted")
            raise MaxRetryError(_pool, url, reason) from reason  # type: ignore[arg-type]
        retry._pause = pause
        self.budget.retries += 1
        return retry

    def planned_pause(self, response: BaseHTTPResponse | None) -> float:
        """The wait urllib3's ``sleep`` would choose: ``Retry-After`` if given, else the backoff."""
        if response is not None and self.respect_retry_after_header:
            try:
                retry_after = self.get_retry_after(response)
            except InvalidHeader:
                retry_after = None
            if retry_after:
                return retry_after
        return self.get_backoff_time()

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        if self.budget is None:
            super().sleep(response)
            return
        pause = min(self._pause, self.budget.remaining())
        if pause > 0:
            time.sleep(pause)


_current_budget: contextvars.ContextVar[CallBudget | None] = contextvars.ContextVar(
    "chat_call_budget", default=None
)


@contextmanager
def bound_budget(budget: CallBudget) -> Iterator[CallBudget]:
    """Make ``budget`` the one :class:`BudgetAdapter` uses for requests sent from this context."""
    token = _current_budget.set(budget)
    try:
        yield budget
    finally:
        _current_budget.reset(token)


class BudgetAdapter(HTTPAdapter):
    """``HTTPAdapter`` whose retry policy is bound, per request, to the caller's budget."""

    @property
    def max_retries(self) -> Retry:
        """Read by ``HTTPAdapter.send`` once per request, in the calling thread."""
        policy = self._retry_policy
        budget = _current_budget.get()
        if budget is None or not isinstance(policy, BudgetRetry):
            return policy
        return policy.new(budget=budget)

    @max_retries.setter
    def max_retries(self, policy: Retry) -> None:
        self._retry_policy = policy
