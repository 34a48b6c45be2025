"""CloudWatch's GetMetricWidgetImage on 127.0.0.1: an image, late, never, throttled or failing.

botocore 1.44 reads CloudWatch's model (``protocols``: smithy-rpc-v2-cbor, json, query) and speaks
the JSON protocol (``awsJson1_0``): ``POST /`` with
``X-Amz-Target: GraniteServiceVersion20100801.GetMetricWidgetImage`` and a JSON body holding
``MetricWidget`` and ``OutputFormat``; the answer's ``MetricWidgetImage`` is base64, which botocore
decodes to bytes. The server checks that it is asked exactly that, so a botocore that switches
protocols fails here loudly instead of timing out.

Errors are what CloudWatch sends on that protocol: an HTTP 400 whose ``__type`` names the error,
and, because the service is "awsQueryCompatible", an ``x-amzn-query-error`` header with the old
query-protocol code (``Throttling;Sender``), which botocore reports as the error code.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import threading
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TARGET = "GraniteServiceVersion20100801.GetMetricWidgetImage"
CONTENT_TYPE = "application/x-amz-json-1.0"


def tiny_png(width: int = 2, height: int = 1) -> bytes:
    """A valid, small PNG (grey pixels), built by hand so tests need no imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclass(frozen=True)
class Step:
    """One answer: ``status`` with ``body`` after ``delay`` seconds; ``hang`` never answers."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    hang: bool = False


def image(png: bytes | None = None, delay: float = 0.0) -> Step:
    payload = {"MetricWidgetImage": base64.b64encode(png if png is not None else tiny_png()).decode()}
    return Step(body=json.dumps(payload).encode(), delay=delay)


def error(status: int, type_name: str, message: str, query_code: str | None = None) -> Step:
    headers = (("x-amzn-query-error", query_code),) if query_code else ()
    body = json.dumps({"__type": type_name, "message": message}).encode()
    return Step(status=status, body=body, headers=headers)


HANG = Step(hang=True)
THROTTLED = error(
    400, "com.amazon.coral.availability#ThrottlingException", "Rate exceeded", "Throttling;Sender"
)
LIMIT_EXCEEDED = error(
    400, "com.amazonaws.cloudwatch#LimitExceededFault", "Limit exceeded", "LimitExceeded;Sender"
)
FAILING = error(
    500, "com.amazonaws.cloudwatch#InternalServiceFault", "Internal error", "InternalServiceError;Receiver"
)
BAD_WIDGET = error(
    400,
    "com.amazonaws.cloudwatch#InvalidParameterInput",
    "The widget is invalid",
    "InvalidParameterInput;Sender",
)


@dataclass
class WidgetImageServer:
    steps: list[Step]
    url: str = ""
    widgets: list[dict[str, Any]] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # from each request's SigV4 credential scope
    unexpected: list[str] = field(default_factory=list)
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_step(self, request: dict[str, Any], authorization: str) -> Step:
        scope = re.search(r"Credential=[^/]+/[0-9]{8}/([^/]+)/monitoring/aws4_request", authorization)
        with self.lock:
            self.regions.append(scope.group(1) if scope else "")
            self.widgets.append(json.loads(request["MetricWidget"]))
            self.formats.append(request.get("OutputFormat", ""))
            return self.steps.pop(0) if self.steps else HANG


@contextmanager
def widget_image_server(steps: Sequence[Step]) -> Iterator[WidgetImageServer]:
    fake = WidgetImageServer(list(steps))
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
    assert not fake.unexpected, f"not a GetMetricWidgetImage call in JSON: {fake.unexpected}"


def _handler(fake: WidgetImageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("X-Amz-Target") != TARGET or self.headers["Content-Type"] != CONTENT_TYPE:
                fake.unexpected.append(f"{self.path} {dict(self.headers)}")
                self._send(Step(status=400, body=b""))
                return
            step = fake.next_step(json.loads(body), self.headers.get("Authorization", ""))
            if step.hang:
                fake.released.wait()  # never answers; the client gives up
                return
            if not fake.released.wait(step.delay):
                self._send(step)

        def _send(self, step: Step) -> None:
            try:
                self.send_response(step.status)
                self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(step.body)))
                self.send_header("x-amzn-RequestId", "00000000-0000-4000-8000-000000000000")
                for name, value in step.headers:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(step.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first, as it should

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
