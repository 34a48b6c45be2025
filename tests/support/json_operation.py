"""One operation of an AWS JSON-protocol service on 127.0.0.1, answering as each test scripts it.

botocore 1.44 reads CloudWatch's model (``protocols``: smithy-rpc-v2-cbor, json, query) and speaks
the JSON protocol (``awsJson1_0``): ``POST /`` with an ``X-Amz-Target`` naming the operation and a
JSON body. The server checks that it is asked exactly that, so a botocore that switches protocols
fails loudly (when the server closes) instead of timing out.

Each request gets the :class:`Reply` the fake's :meth:`ScriptedOperation.reply_to` picks: sent after
its ``delay``, or never (``hang``) until the server closes.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Generic, TypeVar

CONTENT_TYPE = "application/x-amz-json-1.0"
StepT = TypeVar("StepT")


@dataclass(frozen=True)
class Reply:
    """One answer: ``status`` with ``body`` after ``delay`` seconds; ``hang`` never answers."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    hang: bool = False


@dataclass
class ScriptedOperation(abc.ABC, Generic[StepT]):
    """What a stand-in holds: its script, its URL once served, and the requests it did not expect."""

    steps: list[StepT]
    url: str = ""
    unexpected: list[str] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @abc.abstractmethod
    def reply_to(self, body: bytes, authorization: str) -> Reply:
        """The answer to one well-formed request (its raw body and ``Authorization`` header)."""


@contextmanager
def serve_operation(fake: ScriptedOperation[Any], target: str) -> Iterator[None]:
    """Serve ``fake`` for the ``X-Amz-Target`` ``target`` until the block ends; hanging requests end then."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake, target))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        fake.released.set()  # hanging requests end
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    operation = target.rsplit(".", 1)[-1]
    assert not fake.unexpected, f"not a {operation} call in JSON: {fake.unexpected}"


def _handler(fake: ScriptedOperation[Any], target: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("X-Amz-Target") != target or self.headers["Content-Type"] != CONTENT_TYPE:
                fake.unexpected.append(f"{self.path} {dict(self.headers)}")
                self._send(Reply(status=400))
                return
            reply = fake.reply_to(body, self.headers.get("Authorization", ""))
            if reply.hang:
                fake.released.wait()  # never answers; the client gives up
                return
            if not fake.released.wait(reply.delay):
                self._send(reply)

        def _send(self, reply: Reply) -> None:
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(reply.body)))
                self.send_header("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000")
                for name, value in reply.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first, as it should

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
