"""BudgetRetry / DeadlineTimeout / BudgetAdapter on their own: the deadline rules, without HTTP."""

from __future__ import annotations

import time

import pytest
from urllib3.exceptions import MaxRetryError, ReadTimeoutError
from urllib3.response import HTTPResponse
from urllib3.util.retry import Retry

from alarm_bot.delivery.budget import BudgetAdapter, BudgetRetry, CallBudget, DeadlineTimeout, bound_budget


def response(status: int, retry_after: str | None = None) -> HTTPResponse:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return HTTPResponse(body=b"", headers=headers, status=status)


def policy(budget: CallBudget | None = None, **kwargs: object) -> BudgetRetry:
    options: dict[str, object] = {"total": 5, "allowed_methods": None, "status_forcelist": {429, 503}}
    options.update(kwargs)
    return BudgetRetry(budget=budget, min_attempt_time=0.1, **options)


def test_copies_carry_the_budget() -> None:
    budget = CallBudget(time.monotonic() + 10)

    retry = policy(budget).increment("POST", "/x", response=response(503))

    assert retry.budget is budget and retry.min_attempt_time == 0.1
    assert budget.retries == 1 and len(retry.history) == 1


def test_retry_after_that_outlasts_the_budget_stops_retrying() -> None:
    budget = CallBudget(time.monotonic() + 2)

    with pytest.raises(MaxRetryError):
        policy(budget).increment("POST", "/x", response=response(429, retry_after="5"))

    assert budget.exhausted and budget.retries == 0


def test_sleep_takes_the_planned_pause_but_never_passes_the_deadline() -> None:
    budget = CallBudget(time.monotonic() + 5)
    retry = policy(budget).increment("POST", "/x", response=response(429, retry_after="1"))
    budget.deadline = time.monotonic() + 0.2  # the budget shrank (e.g. time spent elsewhere)
    started = time.monotonic()

    retry.sleep(response(429, retry_after="1"))

    assert 0.15 <= time.monotonic() - started < 0.4


def test_backoff_is_planned_when_there_is_no_retry_after() -> None:
    budget = CallBudget(time.monotonic() + 5)
    retry = policy(budget, backoff_factor=0.2, backoff_jitter=0.1)
    for _ in range(3):
        retry = retry.increment("POST", "/x", error=ReadTimeoutError(None, "/x", "timed out"))  # type: ignore[arg-type]

    assert 0.8 <= retry.planned_pause(None) <= 0.9  # 0.2 * 2**2 plus up to 0.1 of jitter


def test_without_a_budget_it_is_plain_urllib3() -> None:
    retry = policy(None).increment("POST", "/x", response=response(429, retry_after="100"))

    assert retry.budget is None  # no deadline: urllib3 would honour the full Retry-After


def test_deadline_timeout_caps_each_attempt_by_the_time_left() -> None:
    timeout = DeadlineTimeout(connect=3, read=10, deadline=time.monotonic() + 0.5)

    attempt = timeout.clone()

    assert attempt.total is not None and 0.4 < attempt.total <= 0.5
    attempt.start_connect()
    assert attempt.connect_timeout == attempt.total
    assert attempt.read_timeout is not None and attempt.read_timeout <= 0.5


def test_overdue_attempt_gets_a_tiny_timeout() -> None:
    attempt = DeadlineTimeout(connect=3, read=10, deadline=time.monotonic() - 1).clone()

    assert attempt.total == pytest.approx(0.001)


def test_adapter_binds_the_callers_budget_per_request() -> None:
    adapter = BudgetAdapter(max_retries=policy(None))
    budget = CallBudget(time.monotonic() + 1)

    with bound_budget(budget):
        bound = adapter.max_retries
    unbound = adapter.max_retries

    assert isinstance(bound, BudgetRetry) and bound.budget is budget
    assert isinstance(unbound, BudgetRetry) and unbound.budget is None


def test_adapter_accepts_plain_retries() -> None:
    adapter = BudgetAdapter(max_retries=Retry(2))

    with bound_budget(CallBudget(time.monotonic() + 1)):
        assert adapter.max_retries.total == 2
