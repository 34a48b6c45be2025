"""The HTTP side of the Chat API stand-in: a keep-alive server routing to ``FakeChatApi``.

Kept apart from :mod:`tests.support.chat_api` (what the API does) so that each stays readable.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from tests.support.chat_api import FakeChatApi

Answer = tuple[int, dict[str, Any], dict[str, str]]  # status, JSON body, extra headers
DROP: Answer = (0, {}, {})  # no answer: the connection is closed (a network failure)
_MESSAGES_PATH = re.compile(r"^/v1/(spaces/[A-Za-z0-9_-]+)/messages$")
_MESSAGE_PATH = re.compile(r"^/v1/((spaces/[A-Za-z0-9_-]+)/messages/[A-Za-z0-9_.-]+)$")
_STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND"}
_STATUS_NAMES |= {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}


def google_error(status: int, message: str) -> Answer:
    error = {"code": status, "message": message, "status": _STATUS_NAMES.get(status, "UNKNOWN")}
    return status, {"error": error}, {}


def shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's default backlog (5) drops bursts of connects for 1 s

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (timeout) makes our late answer fail: expected, stay quiet."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


def handler_class(api: FakeChatApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so tests can see connections being reused
        timeout = 10  # idle keep-alive connections end eventually

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in two writes: without NODELAY, Nagle + delayed ACK add 40 ms.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with api._lock:
                api.connections += 1
                api._sockets.add(self.connection)

        def finish(self) -> None:
            with api._lock:
                api._sockets.discard(self.connection)
            super().finish()

        def do_POST(self) -> None:
            path, raw, query, headers = self._read()
            match = _MESSAGES_PATH.match(path)
            if path == "/token":
                form = {key: values[-1] for key, values in parse_qs(raw.decode()).items()}
                self._reply(*api.tokens.grant(form), {})
            elif match:
                self._reply(*api._post_message(match.group(1), query, headers, _json_or_none(raw)))
            else:
                self._reply(*google_error(404, f"no route for {path}"))

        def do_PATCH(self) -> None:
            path, raw, query, headers = self._read()
            match = _MESSAGE_PATH.match(path)
            if match is None:
                self._reply(*google_error(404, f"no route for {path}"))
                return
            body = _json_or_none(raw)
            self._reply(*api._patch_message(match.group(1), match.group(2), query, headers, body))

        def _read(self) -> tuple[str, bytes, dict[str, str], dict[str, str]]:
            """The request's path, raw body, query (last value of each) and headers (lower-case)."""
            url = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            query = {key: values[-1] for key, values in parse_qs(url.query).items()}
            headers = {key.lower(): value for key, value in self.headers.items()}
            return url.path, raw, query, headers

        def _reply(self, status: int, body: dict[str, Any], headers: dict[str, str]) -> None:
            if status == 0:  # DROP
                self.close_connection = True
                shutdown(self.connection)
                return
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep pytest output clean."""

    return Handler


def _json_or_none(raw: bytes) -> Any:
    """The body as JSON (``None`` when empty or not JSON: the API then refuses it as it would)."""
    try:
        return json.loads(raw or b"null")
    except ValueError:
        return None
