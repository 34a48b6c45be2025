"""Create Chat messages as the Chat app, with retries bounded by the invocation's deadline.

One ``ChatClient`` is meant to live at module level in the handler: its ``AuthorizedSession`` keeps
the access token (refreshed only when it is about to expire) and a pool of keep-alive connections
across warm invocations. Transient failures (429, 5xx, timeouts, dropped connections) are retried
by urllib3 with backoff and ``Retry-After`` under a :class:`~alarm_bot.delivery.budget.CallBudget`;
the request carries a ``requestId`` so that a retry of a request Google already executed returns the
existing message instead of posting it twice. Every call ends in a :class:`DeliveryOutcome`, never an
exception, so a caller delivering to many spaces can account for each one.
"""

from __future__ import annotations

import datetime
import email.utils
import enum
import functools
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from aws_lambda_powertools import Logger
from google.auth import exceptions as google_exceptions
from google.auth.credentials import Credentials, TokenState
from google.auth.transport.requests import AuthorizedSession, Request
from urllib3.util.retry import Retry

from alarm_bot.delivery.budget import BudgetAdapter, BudgetRetry, CallBudget, DeadlineTimeout, bound_budget
from alarm_bot.delivery.errors import describe_exception, google_error_message
from alarm_bot.delivery.wire_json import JSON_UTF8, wire_json
from alarm_bot.space_names import is_space_name

logger = Logger(child=True)

DEFAULT_BASE_URL = "https://chat.googleapis.com"
REPLY_OPTION = "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_METHODS = Retry.DEFAULT_ALLOWED_METHODS | {"POST", "PATCH"}
GONE_STATUSES = frozenset({403, 404})
# spaces.messages.patch: the field paths of the message to replace (cards v2 is "cards_v2").
CARD_UPDATE_MASK = "text,cards_v2"
_MESSAGE_NAME = re.compile(r"(spaces/[^/]+)/messages/[A-Za-z0-9_.-]+")
# What the logs say when a call ends without success: (403/404, any other failure), per method.
_LOG_PHRASES = {
    "POST": ("Chat space is gone", "Chat message not delivered"),
    "PATCH": ("Chat message to edit is gone", "Chat message not updated"),
}


class DeliveryStatus(enum.StrEnum):
    DELIVERED = "delivered"
    GONE = "gone"  # the app was removed from the space or the space was deleted: stop sending there
    FAILED = "failed"  # worth trying again later (or, for a 400, fixing the card)


@dataclass(frozen=True)
class DeliveryOutcome:
    """What happened to one message in one space."""

    space: str
    status: DeliveryStatus
    http_status: int | None = None
    message_name: str | None = None  # spaces/X/messages/Y, to edit the message later
    thread_name: str | None = None
    attempts: int = 0  # HTTP requests made (1 + retries); 0 when nothing was sent
    error: str | None = None  # short and secret-free
    retry_after: float | None = None  # seconds Google asked to wait (429/503 Retry-After), or the
    # backoff that was too long to wait inside the function
    rate_limited: bool = False  # Google answered 429: the space's quota is used up (maybe by others)
    denied: bool = False  # the write budget allowed no (further) attempt: nothing is wrong, wait

    @property
    def delivered(self) -> bool:
        return self.status is DeliveryStatus.DELIVERED


class ChatClient:
    """Thread-safe ``spaces.messages.create`` and ``patch`` client for app authentication."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        base_url: str = DEFAULT_BASE_URL,
        pool_size: int = 16,
        connect_timeout: float = 3.0,
        read_timeout: float = 10.0,
        max_retries: int = 5,
        backoff_factor: float = 0.5,
        backoff_jitter: float = 0.5,
        backoff_max: float = 8.0,
        min_attempt_time: float = 0.5,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._credentials = credentials
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._min_attempt_time = min_attempt_time
        self._token_lock = threading.Lock()
        # Our own token transport, so that refreshes can happen under our lock with our timeout.
        self._token_session = requests.Session()
        self._auth_request = Request(self._token_session)
        # refresh_status_codes=() because a 401 is handled in _send, once for all threads.
        self._session = AuthorizedSession(  # type: ignore[no-untyped-call]
            credentials, refresh_status_codes=(), auth_request=self._auth_request
        )
        retry = BudgetRetry(
            total=max_retries,
            # urllib3 retries only idempotent verbs by default; requestId makes our POST idempotent.
            allowed_methods=RETRY_METHODS,
            status_forcelist=RETRY_STATUSES,
            backoff_factor=backoff_factor,
            backoff_jitter=backoff_jitter,
            backoff_max=backoff_max,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
            min_attempt_time=min_attempt_time,
        )
        adapter = BudgetAdapter(pool_connections=2, pool_maxsize=pool_size, max_retries=retry)
        self._session.mount(self._base_url + "/", adapter)

    def create_message(
        self,
        space: str,
        message: Mapping[str, Any],
        *,
        request_id: str,
        thread_key: str | None,
        deadline: float,
        permit: Callable[[float], bool] | None = None,
        max_pause: float | None = None,
        thread_name: str | None = None,
    ) -> DeliveryOutcome:
        """Post ``message`` to ``space`` (``spaces/…``) before ``deadline`` (``time.monotonic()``).

        ``request_id`` makes a retry get the message created first; ``permit`` is asked before every
        attempt (the space's write budget); ``max_pause`` caps a wait taken inside. The reply goes
        to ``thread_name`` (``spaces/…/threads/…``) when it is known, else to ``thread_key``.
        """
        if not is_space_name(space):
            return DeliveryOutcome(space, DeliveryStatus.FAILED, error="not a space resource name (spaces/…)")
        budget = CallBudget(deadline, permit=permit, max_pause=max_pause)
        if not budget.allows(self._min_attempt_time):
            return DeliveryOutcome(space, DeliveryStatus.FAILED, error="time budget exhausted before sending")
        body = dict(message)
        if thread_name:
            body["thread"] = {"name": thread_name}
        elif thread_key:
            body["thread"] = {"threadKey": thread_key}
        params = {"requestId": request_id, "messageReplyOption": REPLY_OPTION}
        url = f"{self._base_url}/v1/{space}/messages"
        return self._call("POST", space, url, params=params, body=body, budget=budget)

    def update_message(
        self,
        message_name: str,
        message: Mapping[str, Any],
        *,
        deadline: float,
        permit: Callable[[float], bool] | None = None,
        max_pause: float | None = None,
        update_mask: str = CARD_UPDATE_MASK,
    ) -> DeliveryOutcome:
        """Replace the ``update_mask`` fields of ``message_name`` (``spaces/…/messages/…``).

        ``spaces.messages.patch`` with app authentication may edit only the app's own messages. A
        PATCH that sets the same content is idempotent, so urllib3 retries it like the POST.
        """
        match = _MESSAGE_NAME.fullmatch(message_name)
        if match is None or not is_space_name(match.group(1)):
            return DeliveryOutcome(message_name, DeliveryStatus.FAILED, error="not a message resource name")
        space = match.group(1)
        budget = CallBudget(deadline, permit=permit, max_pause=max_pause)
        if not budget.allows(self._min_attempt_time):
            return DeliveryOutcome(space, DeliveryStatus.FAILED, error="time budget exhausted before sending")
        url = f"{self._base_url}/v1/{message_name}"
        params = {"updateMask": update_mask}
        return self._call("PATCH", space, url, params=params, body=dict(message), budget=budget)

    def close(self) -> None:
        self._session.close()  # type: ignore[no-untyped-call]
        self._token_session.close()

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- sending --------------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        space: str,
        url: str,
        *,
        params: dict[str, str],
        body: dict[str, Any],
        budget: CallBudget,
    ) -> DeliveryOutcome:
        """Send under ``budget``; every result, including transport errors, becomes a DeliveryOutcome."""
        if not budget.allowed():
            return DeliveryOutcome(space, DeliveryStatus.FAILED, error="write budget exhausted", denied=True)
        try:
            with bound_budget(budget):
                response = self._send(method, url, params, body, budget)
        except (google_exceptions.RefreshError, google_exceptions.TransportError) as error:
            error_text = f"cannot get an access token: {describe_exception(error)}"
            return self._failed(space, budget, error_text, method=method)
        except requests.RequestException as error:
            return self._failed(space, budget, describe_exception(error), method=method)
        return self._outcome(space, response, budget, method=method)

    def _send(
        self, method: str, url: str, params: dict[str, str], body: dict[str, Any], budget: CallBudget
    ) -> requests.Response:
        """Send, and once more with a new token if Google says the current one is no good (401)."""
        timeout = budget.timeout(self._connect_timeout, self._read_timeout)
        token = self._fresh_token(timeout)
        budget.sent += 1
        response = self._request(method, url, params, body, timeout)
        if response.status_code != 401 or not budget.allows(self._min_attempt_time):
            return response
        if not budget.allowed():
            return response
        self._replace_token(token, timeout)
        budget.sent += 1
        return self._request(method, url, params, body, timeout)

    def _request(
        self, method: str, url: str, params: dict[str, str], body: dict[str, Any], timeout: DeadlineTimeout
    ) -> requests.Response:
        # No redirects: the bearer token goes to the Chat API only. requests accepts a urllib3
        # Timeout object (its stubs only know floats and tuples).
        send = self._session.patch if method == "PATCH" else self._session.post
        return send(
            url,
            params=params,
            data=wire_json(body),
            headers=JSON_UTF8,
            timeout=timeout,  # type: ignore[arg-type]
            allow_redirects=False,
        )

    def _fresh_token(self, timeout: DeadlineTimeout) -> str | None:
        """Refresh under a lock, so that concurrent first calls fetch one token, not one each."""
        with self._token_lock:
            if self._credentials.token_state is not TokenState.FRESH:
                self._refresh(timeout)
            token: str | None = self._credentials.token
            return token

    def _replace_token(self, rejected: str | None, timeout: DeadlineTimeout) -> None:
        """Refresh unless another thread already replaced the token that Google rejected."""
        with self._token_lock:
            if self._credentials.token == rejected:
                self._refresh(timeout)

    def _refresh(self, timeout: DeadlineTimeout) -> None:
        """Exchange a fresh signed assertion for an access token (the caller holds the lock)."""
        request = functools.partial(self._auth_request, timeout=timeout)
        self._credentials.refresh(request)  # type: ignore[no-untyped-call]

    # --- outcomes -------------------------------------------------------------------------------

    def _outcome(
        self, space: str, response: requests.Response, budget: CallBudget, *, method: str = "POST"
    ) -> DeliveryOutcome:
        status, attempts = response.status_code, budget.attempts
        if 200 <= status < 300:
            return _delivered(space, response, attempts)
        reason = google_error_message(response)
        gone, failed = _LOG_PHRASES[method]
        if status in GONE_STATUSES:
            logger.info(gone, extra={"space": space, "http_status": status, "reason": reason})
            return DeliveryOutcome(
                space, DeliveryStatus.GONE, status, attempts=attempts, error=f"HTTP {status}: {reason}"
            )
        if status == 400:
            # Google explains what is wrong with the card; nothing a retry could fix.
            logger.error("Chat rejected the message", extra={"space": space, "reason": reason})
        error = f"HTTP {status}: {reason}"
        if budget.exhausted:
            error += " (time budget exhausted)"
        elif budget.denied:
            error += " (write budget exhausted)"
        elif budget.deferred is not None:
            error += " (waits in the queue)"
        elif status in RETRY_STATUSES:
            error += f" (after {attempts} attempts)"
        logger.warning(failed, extra={"space": space, "http_status": status, "error": error})
        return DeliveryOutcome(
            space,
            DeliveryStatus.FAILED,
            status,
            attempts=attempts,
            error=error,
            retry_after=_retry_after(response) or budget.deferred,
            rate_limited=status == 429,
            denied=budget.denied,
        )

    def _failed(self, space: str, budget: CallBudget, error: str, *, method: str = "POST") -> DeliveryOutcome:
        if budget.exhausted:
            error += " (time budget exhausted)"
        logger.warning(_LOG_PHRASES[method][1], extra={"space": space, "error": error})
        return DeliveryOutcome(
            space,
            DeliveryStatus.FAILED,
            attempts=budget.attempts,
            error=error,
            retry_after=budget.deferred,
            denied=budget.denied,
        )


def _delivered(space: str, response: requests.Response, attempts: int) -> DeliveryOutcome:
    try:
        created = response.json()
    except ValueError:
        created = None
    if not isinstance(created, dict):
        logger.warning("Chat answered without a message", extra={"space": space})
        created = {}
    thread = created.get("thread")
    return DeliveryOutcome(
        space,
        DeliveryStatus.DELIVERED,
        response.status_code,
        message_name=_str_or_none(created.get("name")),
        thread_name=_str_or_none(thread.get("name")) if isinstance(thread, dict) else None,
        attempts=attempts,
    )


def _retry_after(response: requests.Response) -> float | None:
    """``Retry-After`` in seconds (Google sends a number; an HTTP date is read too)."""
    value = response.headers.get("Retry-After")
    if not value or response.status_code not in (429, 503):
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((moment - datetime.datetime.now(datetime.UTC)).total_seconds(), 0.0)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
