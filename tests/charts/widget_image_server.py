"""CloudWatch's GetMetricWidgetImage on 127.0.0.1: an image, late, never, throttled or failing.

The request is ``awsJson1_0`` (:mod:`tests.support.json_operation` serves it and checks that):
``X-Amz-Target: GraniteServiceVersion20100801.GetMetricWidgetImage`` and a JSON body holding
``MetricWidget`` and ``OutputFormat``; the answer's ``MetricWidgetImage`` is base64, which botocore
decodes to bytes.

Errors are what CloudWatch sends on that protocol: an HTTP 400 whose ``__type`` names the error,
and, because the service is "awsQueryCompatible", an ``x-amzn-query-error`` header with the old
query-protocol code (``Throttling;Sender``), which botocore reports as the error code.
"""

from __future__ import annotations

import base64
import json
import re
import struct
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.support.json_operation import Reply, ScriptedOperation, serve_operation

TARGET = "GraniteServiceVersion20100801.GetMetricWidgetImage"
Step = Reply  # one answer of the script (the name the chart tests and bench/charts.py use)


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
class WidgetImageServer(ScriptedOperation[Step]):
    widgets: list[dict[str, Any]] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # from each request's SigV4 credential scope

    def reply_to(self, body: bytes, authorization: str) -> Step:
        request = json.loads(body)
        scope = re.search(r"Credential=[^/]+/[0-9]{8}/([^/]+)/monitoring/aws4_request", authorization)
        with self.lock:
            self.regions.append(scope.group(1) if scope else "")
            self.widgets.append(json.loads(request["MetricWidget"]))
            self.formats.append(request.get("OutputFormat", ""))
            return self.steps.pop(0) if self.steps else HANG


@contextmanager
def widget_image_server(steps: Sequence[Step]) -> Iterator[WidgetImageServer]:
    fake = WidgetImageServer(list(steps))
    with serve_operation(fake, TARGET):
        yield fake
