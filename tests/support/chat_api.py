"""A Google Chat API and OAuth token endpoint on 127.0.0.1, with faults a test can inject.

``FakeChatApi`` serves, from a real ``ThreadingHTTPServer`` speaking HTTP/1.1 keep-alive:

* ``POST /token``: the JWT-bearer grant google-auth uses for service accounts, answered by
  ``tokens`` (a :class:`~tests.support.service_account.TokenEndpoint`: RS256 signature checked
  against trusted keys, ``aud`` = Google's token URL as google-auth sends it, chat.bot ``scope``;
  tokens live ``tokens.expires_in`` s).
* ``POST /v1/spaces/{id}/messages``: needs a live bearer token (else 401), records the message,
  places it in a thread (``thread.threadKey`` with a reply option joins the key's thread), honours
  ``requestId`` like Google (the same id in the same space returns the existing message with 200),
  and answers with the created Message.
* ``PATCH /v1/spaces/{id}/messages/{id}?updateMask=…``: the same token check, recorded in
  ``patch_requests``, applied to the stored message (:mod:`tests.support.chat_api_updates`: the
  mask's documented field paths, 404 for an unknown message); ``script_patch`` injects faults.

Faults (thread-safe, changeable at any time): ``script`` queues responses for a space's next
requests, ``random_faults`` fails a seeded fraction of posts (with an HTTP status, or by dropping
the connection without an answer), ``working`` is Google's time to create a message, ``slow``
delays answers after it, ``gone`` answers 403/404 for a space, ``tokens.revoke_all()`` /
``tokens.error`` break authentication, and ``quota`` enforces Google's write quotas
(:mod:`tests.support.chat_quota`). ``connections`` counts TCP connections accepted, to check
that clients reuse them; ``created`` keeps each created message as it was first posted,
with the time, however it is edited later.

Usage::

    with FakeChatApi() as api:
        credentials = chat_credentials(api.service_account().info)
        client = ChatClient(credentials, base_url=api.url, backoff_factor=0.01)
        api.script("spaces/A", Fault.rate_limited(retry_after=1), Fault(status=500))
        api.random_faults(0.3, seed=7, after_create_share=0.5)
        outcome = client.create_message("spaces/A", {"text": "hi"}, request_id="r1", ...)
        assert len(api.messages("spaces/A")) == 1 and api.message_requests("spaces/A") == 3
"""

from __future__ import annotations

import copy
import itertools
import random
import socket
import threading
import time
from collections import Counter, defaultdict, deque
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any

from tests.support.chat_api_http import Answer, Server, handler_class, shutdown
from tests.support.chat_api_http import google_error as _google_error
from tests.support.chat_api_spaces import RecordedRequest, StandInSpace, create_message, message_too_large
from tests.support.chat_api_updates import apply_update
from tests.support.chat_faults import Fault, RandomFaults, fault_response, next_random_fault
from tests.support.chat_quota import Quota
from tests.support.service_account import TestServiceAccount, TokenEndpoint, make_service_account


class FakeChatApi:
    """The Chat API and Google's token endpoint for one test (see the module docstring)."""

    def __init__(self, *, token_expires_in: int = 3600) -> None:
        self.tokens = TokenEndpoint(expires_in=token_expires_in)
        self.connections = 0
        self.injected: Counter[str] = Counter()  # faults answered: "before_create" / "after_create"
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._ids = itertools.count(1)
        self._spaces: dict[str, StandInSpace] = defaultdict(StandInSpace)
        self._script: dict[str | None, deque[Fault]] = defaultdict(deque)
        self._patch_script: dict[str, deque[Fault]] = defaultdict(deque)
        self._gone: dict[str, int] = {}
        self._slow: dict[str | None, float] = {}
        self._working = 0.0
        self._random: RandomFaults | None = None
        self.quota_check: Quota | None = None
        self.created: dict[str, list[tuple[float, dict[str, Any]]]] = defaultdict(list)
        self._sockets: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle --------------------------------------------------------------------------------

    def start(self) -> FakeChatApi:
        self._server = Server(("127.0.0.1", 0), handler_class(self))
        thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01})
        thread.daemon = True
        thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # ends injected delays at once
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            for sock in self._sockets:  # idle keep-alive connections would linger otherwise
                shutdown(sock)
        self._server = None

    def __enter__(self) -> FakeChatApi:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL to use instead of https://chat.googleapis.com."""
        if self._server is None:
            raise RuntimeError("call start() (or use the instance as a context manager) first")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def token_url(self) -> str:
        return f"{self.url}/token"

    # --- configuration ----------------------------------------------------------------------------

    def service_account(self, **kwargs: Any) -> TestServiceAccount:
        """A new service-account key whose ``token_uri`` is this server, already trusted."""
        account = make_service_account(self.token_url, **kwargs)
        self.tokens.trust(account)
        return account

    def script(self, space: str | None, *faults: Fault) -> None:
        """Answer the next requests for ``space`` (``None``: any space) with ``faults``, in order."""
        with self._lock:
            self._script[space].extend(faults)

    def script_patch(self, space: str, *faults: Fault) -> None:
        """Answer the next message edits in ``space`` with ``faults`` (before applying them)."""
        with self._lock:
            self._patch_script[space].extend(faults)

    def gone(self, space: str, status: int = 404) -> None:
        """Answer 404 (space deleted) or 403 (app removed) for ``space`` from now on."""
        with self._lock:
            self._gone[space] = status

    def slow(self, seconds: float, spaces: list[str] | None = None) -> None:
        """Delay every answer (or the answers for ``spaces``) by ``seconds``; 0 turns it off."""
        with self._lock:
            keys: list[str | None] = list(spaces) if spaces else [None]
            for key in keys:
                self._slow[key] = seconds

    def working(self, seconds: float) -> None:
        """Google's own work on each write before the message exists (or is edited); 0: none.

        ``slow`` delays the answer after the message exists; Google answers a create with the
        created message, so most of its latency is this work, and a message is visible only after it.
        """
        with self._lock:
            self._working = seconds

    def random_faults(
        self,
        rate: float,
        *,
        seed: int = 0,
        statuses: tuple[int, ...] = (429, 500, 503),
        after_create_share: float = 0.0,
        max_streak: int = 3,
        drop_share: float = 0.0,
    ) -> None:
        """Fail ``rate`` of message posts with one of ``statuses`` (seeded; ``rate=0`` turns it off).

        ``after_create_share`` of the failures create the message before failing (a lost response);
        ``drop_share`` of them close the connection instead of answering. No space sees more than
        ``max_streak`` failures in a row, so a client's retries succeed.
        """
        rng = random.Random(seed)
        with self._lock:
            self._random = (
                RandomFaults(rate, statuses, after_create_share, max_streak, rng, drop_share)
                if rate
                else None
            )

    def quota(
        self, *, per_space: int = 60, per_project: int = 3000, window: float = 60.0, retry_after: bool = True
    ) -> Quota:
        """Enforce Google's write quotas from now on (sliding windows); the counts are on the result."""
        with self._lock:
            self.quota_check = Quota(per_space, per_project, window, retry_after)
            return self.quota_check

    # --- what happened ----------------------------------------------------------------------------

    def messages(self, space: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._spaces[space].messages)

    def threads(self, space: str) -> dict[str, list[dict[str, Any]]]:
        with self._lock:
            return {name: list(items) for name, items in self._spaces[space].threads.items()}

    def requests(self, space: str) -> list[RecordedRequest]:
        with self._lock:
            return list(self._spaces[space].requests)

    def message_requests(self, space: str) -> int:
        """Every POST to the space's messages collection, whatever the answer."""
        return len(self.requests(space))

    def last_headers(self, space: str) -> dict[str, str]:
        return self.requests(space)[-1].headers

    def patch_requests(self, space: str) -> list[RecordedRequest]:
        """Every PATCH of a message in the space, whatever the answer."""
        with self._lock:
            return list(self._spaces[space].patches)

    # --- message edits ----------------------------------------------------------------------------

    def _patch_message(
        self, name: str, space: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> Answer:
        refused = self._admission(space, headers)
        if refused is not None:
            return refused
        if message_too_large(headers, body):
            return _google_error(400, "Message exceeds the maximum size of 32000 bytes.")
        with self._lock:
            working = self._working
        self._stopping.wait(working)
        with self._lock:
            state = self._spaces[space]
            state.patches.append(RecordedRequest(query, headers, body, name))
            gone = self._gone.get(space)
            fault = self._patch_script[space].popleft() if self._patch_script[space] else None
            if gone is None and fault is None:
                return apply_update(state.messages, name, query.get("updateMask"), body)
        if gone is not None:
            return _google_error(gone, "Not found")
        assert fault is not None
        self._stopping.wait(fault.delay)
        return fault_response(fault)

    # --- messages endpoint ------------------------------------------------------------------------

    def _post_message(self, space: str, query: dict[str, str], headers: dict[str, str], body: Any) -> Answer:
        refusal = self._refusal(space, headers, body)
        with self._lock:
            self._spaces[space].requests.append(RecordedRequest(query, headers, body))
            fault = self._next_fault(space) if refusal is None else None
            if fault is not None:
                self.injected["after_create" if fault.after_create else "before_create"] += 1
            delay = self._slow.get(space, self._slow.get(None, 0.0)) + (fault.delay if fault else 0.0)
            working = self._working
        if refusal is not None:
            return refusal
        if fault is not None and not fault.after_create:
            self._stopping.wait(delay)
            return fault_response(fault)
        self._stopping.wait(working)
        with self._lock:
            message = self._create(space, query, body)
        self._stopping.wait(delay)
        if fault is not None and not 200 <= fault.status < 300:
            return fault_response(fault)
        return 200, message, {}

    def _refusal(self, space: str, headers: dict[str, str], body: Any) -> Answer | None:
        """What Google answers before doing anything: 401, 429 (quota), 403/404 (gone), 400 (empty)."""
        refused = self._admission(space, headers)
        if refused is not None:
            return refused
        with self._lock:
            gone = self._gone.get(space)
        if gone is not None:
            return _google_error(gone, "The caller does not have permission" if gone == 403 else "Not found")
        if not isinstance(body, dict) or not (body.get("text") or body.get("cardsV2") or body.get("cards")):
            return _google_error(400, "Message cannot be empty. Discarding an empty message.")
        if message_too_large(headers, body):
            return _google_error(400, "Message exceeds the maximum size of 32000 bytes.")
        return None

    def _admission(self, space: str, headers: dict[str, str]) -> Answer | None:
        """401 without a live bearer token, 429 when the write would exceed a quota (it is then not
        counted), else None: what Google answers any write first."""
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not self.tokens.is_live(token):
            return _google_error(401, "Request had invalid authentication credentials.")
        quota = self.quota_check
        wait = quota.admit(space) if quota is not None else None
        if quota is None or wait is None:
            return None
        status, body, headers = _google_error(429, "Quota exceeded for quota metric 'Write requests'")
        return status, body, {**headers, **quota.retry_after_header(wait)}

    def _next_fault(self, space: str) -> Fault | None:
        """Scripted faults first, then random ones (decided before any message is created)."""
        for key in (space, None):
            if self._script[key]:
                return self._script[key].popleft()
        state = self._spaces[space]
        fault, state.fault_streak = next_random_fault(self._random, state.fault_streak)
        return fault

    def _create(self, space: str, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        message, new = create_message(self._spaces[space], space, query, body, self._ids)
        if new:
            self.created[space].append((time.time(), copy.deepcopy(message)))
        return message
