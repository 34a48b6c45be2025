"""ChatClient against FakeChatApi: real HTTP, real google-auth token exchange, injected faults."""

from __future__ import annotations

import copy
import logging
import socket
import threading
import time

import pytest
from google.auth import _helpers as google_auth_helpers

from alarm_bot.delivery.chat_client import REPLY_OPTION, ChatClient, DeliveryOutcome, DeliveryStatus
from tests.delivery.conftest import ClientFactory
from tests.support.chat_api import FakeChatApi, Fault
from tests.support.service_account import make_service_account

SPACE = "spaces/AAAA1234"
CARD = {"cardsV2": [{"cardId": "alarm", "card": {"header": {"title": "CPU high"}}}]}


def send(
    client: ChatClient,
    *,
    space: str = SPACE,
    budget: float = 5.0,
    request_id: str = "req-1",
    thread_key: str | None = "alarm-abc",
) -> DeliveryOutcome:
    """Post CARD with ``budget`` seconds to go."""
    deadline = time.monotonic() + budget
    return client.create_message(space, CARD, request_id=request_id, thread_key=thread_key, deadline=deadline)


def test_delivers_into_the_alarm_thread_with_request_id(client: ChatClient, chat_api: FakeChatApi) -> None:
    card = copy.deepcopy(CARD)

    outcome = client.create_message(
        SPACE, card, request_id="req-1", thread_key="alarm-abc", deadline=time.monotonic() + 5
    )

    assert outcome.status is DeliveryStatus.DELIVERED and outcome.delivered
    assert (outcome.http_status, outcome.attempts, outcome.error) == (200, 1, None)
    [message] = chat_api.messages(SPACE)
    assert outcome.message_name == message["name"]
    assert outcome.thread_name == message["thread"]["name"]
    assert message["thread"]["threadKey"] == "alarm-abc"
    assert message["cardsV2"] == CARD["cardsV2"]
    [request] = chat_api.requests(SPACE)
    assert request.query == {"requestId": "req-1", "messageReplyOption": REPLY_OPTION}
    assert request.body == {**CARD, "thread": {"threadKey": "alarm-abc"}}
    assert request.headers["authorization"].startswith("Bearer ya29.fake-")
    assert card == CARD  # the caller's dict is not modified


def test_without_thread_key_the_body_has_no_thread(client: ChatClient, chat_api: FakeChatApi) -> None:
    outcome = send(client, thread_key=None)

    assert outcome.delivered
    assert "thread" not in chat_api.requests(SPACE)[0].body


def test_one_token_and_one_connection_serve_many_messages(client: ChatClient, chat_api: FakeChatApi) -> None:
    outcomes = [send(client, request_id=f"req-{n}") for n in range(20)]

    assert all(outcome.delivered for outcome in outcomes)
    assert chat_api.tokens.requests == 1
    assert chat_api.connections == 2  # one to the token endpoint, one kept alive for messages


def test_token_is_refreshed_once_it_nears_expiry(client: ChatClient, chat_api: FakeChatApi) -> None:
    # google-auth refreshes tokens that expire within REFRESH_THRESHOLD: this one is fresh for ~1 s.
    chat_api.tokens.expires_in = int(google_auth_helpers.REFRESH_THRESHOLD.total_seconds()) + 1
    assert send(client, request_id="a").delivered
    assert send(client, request_id="b").delivered
    assert chat_api.tokens.requests == 1

    time.sleep(1.1)

    assert send(client, request_id="c").delivered
    assert chat_api.tokens.requests == 2


def test_rejected_token_is_replaced_and_the_message_resent(client: ChatClient, chat_api: FakeChatApi) -> None:
    assert send(client, request_id="a").delivered
    chat_api.tokens.revoke_all()

    outcome = send(client, request_id="b")

    assert outcome.delivered and outcome.attempts == 2
    assert chat_api.tokens.requests == 2
    assert len(chat_api.messages(SPACE)) == 2


def test_retry_after_is_honoured(client: ChatClient, chat_api: FakeChatApi) -> None:
    chat_api.script(SPACE, Fault.rate_limited(retry_after=1))
    started = time.monotonic()

    outcome = send(client)

    waited = time.monotonic() - started
    assert outcome.delivered and outcome.attempts == 2
    assert 0.95 <= waited < 1.8
    assert chat_api.message_requests(SPACE) == 2
    assert len(chat_api.messages(SPACE)) == 1


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried(client: ChatClient, chat_api: FakeChatApi, status: int) -> None:
    chat_api.script(SPACE, Fault(status), Fault(status))

    outcome = send(client)

    assert outcome.delivered and outcome.attempts == 3
    assert len(chat_api.messages(SPACE)) == 1


def test_lost_response_is_retried_without_a_duplicate(client: ChatClient, chat_api: FakeChatApi) -> None:
    chat_api.script(SPACE, Fault(500, after_create=True))

    outcome = send(client)

    assert outcome.delivered and outcome.attempts == 2
    assert len(chat_api.messages(SPACE)) == 1  # the retry's requestId returned the first message
    assert outcome.message_name == chat_api.messages(SPACE)[0]["name"]


@pytest.mark.parametrize("after_create", [False, True])
def test_a_dropped_connection_is_retried_without_a_duplicate(
    client: ChatClient, chat_api: FakeChatApi, after_create: bool
) -> None:
    """The request may have reached Google before the connection broke: the same requestId again."""
    chat_api.script(SPACE, Fault(drop=True, after_create=after_create))

    outcome = send(client)

    assert outcome.delivered and outcome.attempts == 2
    assert len(chat_api.messages(SPACE)) == 1


def test_a_wait_longer_than_max_pause_is_left_to_the_queue(
    make_client: ClientFactory, chat_api: FakeChatApi
) -> None:
    client = make_client(backoff_factor=0.01)
    chat_api.script(SPACE, Fault.rate_limited(retry_after=30))
    started = time.monotonic()

    outcome = client.create_message(
        SPACE, {"text": "hi"}, request_id="r", thread_key=None, deadline=time.monotonic() + 60, max_pause=2.0
    )

    assert time.monotonic() - started < 1.0, "no sleeping in the function"
    assert (outcome.delivered, outcome.rate_limited, outcome.retry_after) == (False, True, 30.0)
    assert chat_api.message_requests(SPACE) == 1


def test_every_attempt_asks_the_write_budget(make_client: ClientFactory, chat_api: FakeChatApi) -> None:
    client = make_client()
    chat_api.script(SPACE, Fault(503), Fault(503), Fault(503))
    asked: list[float] = []

    def permit(after: float) -> bool:
        asked.append(after)
        return len(asked) <= 2  # the first attempt and one retry

    outcome = client.create_message(
        SPACE, {"text": "hi"}, request_id="r", thread_key=None, deadline=time.monotonic() + 60, permit=permit
    )

    assert (outcome.delivered, outcome.denied) == (False, True)
    assert chat_api.message_requests(SPACE) == 2, "a retry the budget refused is not sent"
    assert len(asked) == 3


@pytest.mark.parametrize("after_create", [False, True])
def test_read_timeouts_are_retried(
    make_client: ClientFactory, chat_api: FakeChatApi, after_create: bool
) -> None:
    client = make_client(read_timeout=0.3)
    chat_api.script(SPACE, Fault.timeout(3, after_create=after_create))
    started = time.monotonic()

    outcome = send(client)

    assert outcome.delivered and outcome.attempts == 2
    assert time.monotonic() - started < 1.5
    assert len(chat_api.messages(SPACE)) == 1


def test_retry_after_beyond_the_deadline_fails_at_once(client: ChatClient, chat_api: FakeChatApi) -> None:
    chat_api.script(SPACE, Fault.rate_limited(retry_after=30))
    started = time.monotonic()

    outcome = send(client, budget=2)

    assert time.monotonic() - started < 0.5
    assert outcome.status is DeliveryStatus.FAILED and outcome.http_status == 429
    assert outcome.error is not None and "time budget exhausted" in outcome.error
    assert outcome.attempts == 1


def test_persistent_errors_stop_at_the_deadline(make_client: ClientFactory, chat_api: FakeChatApi) -> None:
    client = make_client(max_retries=50, backoff_factor=0.1, backoff_max=0.3)
    chat_api.script(SPACE, *[Fault(503)] * 50)
    started = time.monotonic()

    outcome = send(client, budget=1)

    assert time.monotonic() - started < 1.2
    assert outcome.status is DeliveryStatus.FAILED and outcome.http_status == 503
    assert outcome.attempts > 2
    assert outcome.attempts == chat_api.message_requests(SPACE)


def test_the_stand_in_creates_the_message_only_after_googles_work(
    make_client: ClientFactory, chat_api: FakeChatApi
) -> None:
    """``working`` is Google's time before the message exists (the storm benchmark's latency model),
    ``slow`` the answer's way back after it exists."""
    client = make_client(read_timeout=10)
    chat_api.working(1.0)
    chat_api.slow(0.2)
    outcomes: list[DeliveryOutcome] = []
    poster = threading.Thread(target=lambda: outcomes.append(send(client)))
    started = time.time()
    poster.start()
    time.sleep(0.2)
    assert chat_api.messages(SPACE) == [], "not yet: Google is still working on it"
    poster.join()
    answered = time.time()
    ((created_at, _),) = chat_api.created[SPACE]
    assert outcomes[0].delivered and len(chat_api.messages(SPACE)) == 1
    assert created_at - started >= 1.0, "the message exists after Google's work"
    assert answered - created_at >= 0.2, "and the answer comes after its way back"


def test_a_slow_answer_is_cut_at_the_deadline(make_client: ClientFactory, chat_api: FakeChatApi) -> None:
    client = make_client(read_timeout=10)
    chat_api.slow(5)
    started = time.monotonic()

    outcome = send(client, budget=0.8)

    assert time.monotonic() - started < 1.1
    assert outcome.status is DeliveryStatus.FAILED
    assert outcome.error == "read timed out (time budget exhausted)"


def test_retries_are_capped_by_count(client: ChatClient, chat_api: FakeChatApi) -> None:
    chat_api.script(SPACE, *[Fault(500)] * 10)

    outcome = send(client)

    assert outcome.status is DeliveryStatus.FAILED and outcome.http_status == 500
    assert outcome.attempts == 6 == chat_api.message_requests(SPACE)  # 1 + max_retries (5)
    assert outcome.error is not None and "after 6 attempts" in outcome.error


def test_past_deadline_sends_nothing(client: ChatClient, chat_api: FakeChatApi) -> None:
    outcome = send(client, budget=-1)

    assert outcome.status is DeliveryStatus.FAILED and outcome.attempts == 0
    assert chat_api.message_requests(SPACE) == 0


@pytest.mark.parametrize("status", [403, 404])
def test_removed_app_or_deleted_space_is_gone_without_retry(
    client: ChatClient, chat_api: FakeChatApi, status: int
) -> None:
    chat_api.gone(SPACE, status)

    outcome = send(client)

    assert outcome.status is DeliveryStatus.GONE and outcome.http_status == status
    assert chat_api.message_requests(SPACE) == 1


def test_bad_request_fails_without_retry_and_logs_googles_reason(
    client: ChatClient, chat_api: FakeChatApi, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    outcome = client.create_message(SPACE, {}, request_id="r", thread_key=None, deadline=time.monotonic() + 5)

    assert outcome.status is DeliveryStatus.FAILED and outcome.http_status == 400
    assert (
        outcome.error == "HTTP 400: INVALID_ARGUMENT: Message cannot be empty. Discarding an empty message."
    )
    assert chat_api.message_requests(SPACE) == 1
    assert "Chat rejected the message" in caplog.text


def test_other_client_errors_are_not_retried(client: ChatClient, chat_api: FakeChatApi) -> None:
    chat_api.script(SPACE, Fault(409))

    outcome = send(client)

    assert outcome.status is DeliveryStatus.FAILED and outcome.http_status == 409
    assert chat_api.message_requests(SPACE) == 1


def test_refused_grant_fails_clearly_and_sends_nothing(client: ChatClient, chat_api: FakeChatApi) -> None:
    chat_api.tokens.error = (400, "invalid_grant")

    outcome = send(client)

    assert outcome.status is DeliveryStatus.FAILED and outcome.attempts == 0
    assert outcome.error is not None and outcome.error.startswith("cannot get an access token: ")
    assert "invalid_grant" in outcome.error
    assert chat_api.message_requests(SPACE) == 0


def test_key_the_token_endpoint_does_not_know_is_refused(
    make_client: ClientFactory, chat_api: FakeChatApi
) -> None:
    stranger = make_service_account(chat_api.token_url, key_name="untrusted")  # never trusted
    client = make_client(info=stranger.info)

    outcome = send(client)

    assert outcome.status is DeliveryStatus.FAILED
    assert outcome.error is not None and "invalid_grant" in outcome.error
    assert "PRIVATE KEY" not in outcome.error


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_unreachable_token_endpoint_fails_clearly(make_client: ClientFactory, chat_api: FakeChatApi) -> None:
    account = make_service_account(f"http://127.0.0.1:{closed_port()}/token")
    client = make_client(info=account.info)
    started = time.monotonic()

    outcome = send(client, budget=2)

    assert time.monotonic() - started < 0.5
    assert outcome.status is DeliveryStatus.FAILED and outcome.attempts == 0
    assert outcome.error == "cannot get an access token: could not connect"


def test_unreachable_api_fails_within_the_deadline(make_client: ClientFactory, chat_api: FakeChatApi) -> None:
    client = make_client(base_url=f"http://127.0.0.1:{closed_port()}")
    started = time.monotonic()

    outcome = send(client, budget=2)

    assert time.monotonic() - started < 2.2
    assert outcome.status is DeliveryStatus.FAILED
    assert outcome.error == "could not connect"
    assert outcome.attempts == 6


def test_malformed_space_name_is_not_sent(client: ChatClient, chat_api: FakeChatApi) -> None:
    outcome = send(client, space="spaces/../../token")

    assert outcome.status is DeliveryStatus.FAILED and outcome.attempts == 0
    assert chat_api.tokens.requests == 0
