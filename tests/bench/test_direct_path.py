"""The path before the queue (bench/_direct_path.py): concurrency, one outcome each, idempotency."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.delivery.chat_client import ChatClient, DeliveryOutcome, DeliveryStatus
from alarm_bot.delivery.chat_writes import ChatEditor
from alarm_bot.delivery.request_ids import request_id_for
from bench._direct_path import DeliveryJob, MessageUpdate, deliver_all, update_all
from tests.delivery.conftest import ClientFactory
from tests.delivery.test_message_updates import RESOLVED, post
from tests.support.chat_api import FakeChatApi, Fault

ALARM_ARN = "arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:cpu-high"


def spaces(count: int) -> list[str]:
    return [f"spaces/SPACE{n:03d}" for n in range(count)]


def alarm(state: AlarmState, minute: int) -> Alarm:
    changed = datetime(2026, 3, 1, 12, minute, tzinfo=UTC)
    return Alarm(name="cpu-high", state=state, source="sns", arn=ALARM_ARN, changed_at=changed)


def jobs_for(notification: Alarm, targets: list[str]) -> list[DeliveryJob]:
    message = {"text": f"{notification.name} is {notification.state}"}
    return [
        DeliveryJob(
            space, message, request_id_for(notification.transition_id, space), notification.thread_key
        )
        for space in targets
    ]


def test_slow_spaces_are_served_concurrently(make_client: ClientFactory, chat_api: FakeChatApi) -> None:
    client = make_client(pool_size=16)
    targets = spaces(50)
    chat_api.slow(0.05)
    started = time.monotonic()

    outcomes = deliver_all(client, jobs_for(alarm(AlarmState.ALARM, 0), targets), deadline=started + 10)

    serial_time = 50 * 0.05
    assert time.monotonic() - started < 0.5 * serial_time
    assert [outcome.space for outcome in outcomes] == targets  # one per job, in job order
    assert all(outcome.delivered for outcome in outcomes)
    assert chat_api.tokens.requests == 1  # concurrent first calls share one token fetch
    assert chat_api.connections <= 16 + 1  # pooled keep-alive connections, plus the token endpoint


def test_transient_faults_end_with_exactly_one_message_per_space(
    make_client: ClientFactory, chat_api: FakeChatApi
) -> None:
    client = make_client(max_retries=6)
    targets = spaces(30)
    # A third of the posts fail; half of those fail after creating the message (a lost response).
    chat_api.random_faults(1 / 3, seed=20260301, after_create_share=0.5, max_streak=3)
    jobs = jobs_for(alarm(AlarmState.ALARM, 0), targets)

    outcomes = deliver_all(client, jobs, deadline=time.monotonic() + 10)

    assert [outcome.status for outcome in outcomes] == [DeliveryStatus.DELIVERED] * 30
    assert chat_api.injected["before_create"] > 0 and chat_api.injected["after_create"] > 0
    assert sum(outcome.attempts for outcome in outcomes) == 30 + sum(chat_api.injected.values())
    assert sum(chat_api.message_requests(space) for space in targets) == sum(o.attempts for o in outcomes)
    for space, outcome in zip(targets, outcomes, strict=True):
        [message] = chat_api.messages(space)
        assert outcome.message_name == message["name"]


def test_a_retried_invocation_posts_nothing_new(client: ChatClient, chat_api: FakeChatApi) -> None:
    targets = spaces(10)
    chat_api.random_faults(0.3, seed=7, after_create_share=1.0)  # every failure is a lost response
    jobs = jobs_for(alarm(AlarmState.ALARM, 0), targets)

    first = deliver_all(client, jobs, deadline=time.monotonic() + 10)
    second = deliver_all(client, jobs, deadline=time.monotonic() + 10)  # the Lambda retries the event

    assert chat_api.injected["after_create"] > 0
    assert [o.message_name for o in first] == [o.message_name for o in second]
    assert all(len(chat_api.messages(space)) == 1 for space in targets)


def test_transitions_of_one_alarm_share_a_thread_in_each_space(
    client: ChatClient, chat_api: FakeChatApi
) -> None:
    targets = spaces(5)
    raised, cleared = alarm(AlarmState.ALARM, 0), alarm(AlarmState.OK, 5)
    assert raised.thread_key == cleared.thread_key and raised.transition_id != cleared.transition_id

    first = deliver_all(client, jobs_for(raised, targets), deadline=time.monotonic() + 10)
    second = deliver_all(client, jobs_for(cleared, targets), deadline=time.monotonic() + 10)

    for space, before, after in zip(targets, first, second, strict=True):
        [(thread_name, messages)] = chat_api.threads(space).items()
        assert [m["text"] for m in messages] == ["cpu-high is ALARM", "cpu-high is OK"]
        assert before.thread_name == after.thread_name == thread_name
        assert before.message_name != after.message_name
    assert len({o.thread_name for o in first}) == 5  # thread names are per space


def test_each_space_gets_its_own_outcome(client: ChatClient, chat_api: FakeChatApi) -> None:
    ok, removed, deleted, flaky = "spaces/OK", "spaces/REMOVED", "spaces/DELETED", "spaces/FLAKY"
    chat_api.gone(removed, 403)
    chat_api.gone(deleted, 404)
    chat_api.script(flaky, *[Fault(500)] * 20)
    jobs = [DeliveryJob(space, {"text": "hi"}, f"r-{space[7:]}") for space in (ok, removed, deleted, flaky)]
    jobs.append(DeliveryJob("spaces/EMPTY", {}, "r-empty"))

    outcomes = deliver_all(client, jobs, deadline=time.monotonic() + 5)

    assert [(o.space, o.status, o.http_status) for o in outcomes] == [
        (ok, DeliveryStatus.DELIVERED, 200),
        (removed, DeliveryStatus.GONE, 403),
        (deleted, DeliveryStatus.GONE, 404),
        (flaky, DeliveryStatus.FAILED, 500),
        ("spaces/EMPTY", DeliveryStatus.FAILED, 400),
    ]


class _ExplodingSender:
    """A sender that breaks unexpectedly for one space."""

    def create_message(self, space: str, message: Mapping[str, Any], **_: Any) -> DeliveryOutcome:
        if space == "spaces/BAD":
            raise RuntimeError("boom")
        return DeliveryOutcome(space, DeliveryStatus.DELIVERED, 200, attempts=1)


def test_an_unexpected_exception_fails_only_its_space() -> None:
    jobs = [DeliveryJob(space, {"text": "x"}, "r") for space in ("spaces/A", "spaces/BAD", "spaces/C")]

    outcomes = deliver_all(_ExplodingSender(), jobs, deadline=time.monotonic() + 1)

    assert [o.status for o in outcomes] == [
        DeliveryStatus.DELIVERED,
        DeliveryStatus.FAILED,
        DeliveryStatus.DELIVERED,
    ]
    assert outcomes[1].error == "unexpected RuntimeError"


def test_no_jobs_no_outcomes(client: ChatClient) -> None:
    assert deliver_all(client, [], deadline=time.monotonic() + 1) == []


def test_update_all_keeps_order_and_survives_a_crashing_client(client: ChatClient) -> None:
    names = [post(client, f"spaces/S{index}") for index in range(3)]
    outcomes = update_all(
        client, [MessageUpdate(name, RESOLVED) for name in names], deadline=time.monotonic() + 5
    )
    assert [outcome.space for outcome in outcomes] == ["spaces/S0", "spaces/S1", "spaces/S2"]
    assert isinstance(client, ChatEditor)

    class Exploding:
        def update_message(self, message_name: str, message: Mapping[str, Any], **_: Any) -> DeliveryOutcome:
            raise RuntimeError("boom")

    (failed,) = update_all(Exploding(), [MessageUpdate(names[0], RESOLVED)], deadline=time.monotonic() + 5)
    assert failed.status is DeliveryStatus.FAILED and failed.error == "unexpected RuntimeError"
