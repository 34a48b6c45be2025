"""CloudWatch's DescribeAlarms on 127.0.0.1, answering in time, late, or never.

botocore (1.44) calls CloudWatch with the JSON protocol (``awsJson1_0``, the first of the model's
``protocols`` it prefers): ``POST /`` with ``X-Amz-Target: GraniteServiceVersion20100801.DescribeAlarms``,
and it parses a JSON object back (timestamps as epoch seconds). The server checks that it is asked
exactly that, so a botocore that switches protocols fails here loudly instead of timing out.

Each request takes the next :class:`Step`: answer a page (after ``delay`` seconds) or hang without
answering until the server is closed.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TARGET = "GraniteServiceVersion20100801.DescribeAlarms"
CONTENT_TYPE = "application/x-amz-json-1.0"


@dataclass(frozen=True)
class Step:
    """What the server does with one request: ``page=None`` hangs."""

    page: Mapping[str, Any] | None = None
    delay: float = 0.0


HANG = Step()


@dataclass
class FakeCloudWatch:
    steps: list[Step]
    url: str = ""
    requests: list[bytes] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_step(self, body: bytes) -> Step:
        with self.lock:
            self.requests.append(body)
            return self.steps.pop(0) if self.steps else HANG


@contextmanager
def fake_cloudwatch(steps: Sequence[Step]) -> Iterator[FakeCloudWatch]:
    fake = FakeCloudWatch(list(steps))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.released.set()  # hanging requests end
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert not fake.unexpected, f"not a DescribeAlarms call in JSON: {fake.unexpected}"


def metric_alarm(name: str, when: datetime, region: str = "ap-northeast-2") -> dict[str, Any]:
    return {
        "AlarmName": name,
        "AlarmArn": f"arn:aws:cloudwatch:{region}:123456789012:alarm:{name}",
        "StateValue": "ALARM",
        "StateUpdatedTimestamp": when.timestamp(),
    }


def _handler(fake: FakeCloudWatch) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("X-Amz-Target") != TARGET or self.headers["Content-Type"] != CONTENT_TYPE:
                fake.unexpected.append(f"{self.path} {dict(self.headers)}")
                self._send(400, b"", "text/plain")
                return
            step = fake.next_step(body)
            if step.page is None:
                fake.released.wait()  # never answers; the client gives up
                return
            if not fake.released.wait(step.delay):
                self._send(200, json.dumps(step.page).encode(), CONTENT_TYPE)

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
