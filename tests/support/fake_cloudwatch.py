"""CloudWatch's DescribeAlarms on 127.0.0.1, answering in time, late, or never.

botocore (1.44) calls CloudWatch with the JSON protocol (``awsJson1_0``, the first of the model's
``protocols`` it prefers): ``POST /`` with ``X-Amz-Target: GraniteServiceVersion20100801.DescribeAlarms``,
and it parses a JSON object back (timestamps as epoch seconds). :mod:`tests.support.json_operation`
serves it and checks that it is asked exactly that.

Each request takes the next :class:`Step`: answer a page (after ``delay`` seconds) or hang without
answering until the server is closed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.support.json_operation import Reply, ScriptedOperation, serve_operation

TARGET = "GraniteServiceVersion20100801.DescribeAlarms"


@dataclass(frozen=True)
class Step:
    """What the server does with one request: ``page=None`` hangs."""

    page: Mapping[str, Any] | None = None
    delay: float = 0.0


HANG = Step()


@dataclass
class FakeCloudWatch(ScriptedOperation[Step]):
    requests: list[bytes] = field(default_factory=list)

    def reply_to(self, body: bytes, authorization: str) -> Reply:
        with self.lock:
            self.requests.append(body)
            step = self.steps.pop(0) if self.steps else HANG
        if step.page is None:
            return Reply(hang=True)
        return Reply(body=json.dumps(step.page).encode(), delay=step.delay)


@contextmanager
def fake_cloudwatch(steps: Sequence[Step]) -> Iterator[FakeCloudWatch]:
    fake = FakeCloudWatch(list(steps))
    with serve_operation(fake, TARGET):
        yield fake


def metric_alarm(name: str, when: datetime, region: str = "ap-northeast-2") -> dict[str, Any]:
    return {
        "AlarmName": name,
        "AlarmArn": f"arn:aws:cloudwatch:{region}:123456789012:alarm:{name}",
        "StateValue": "ALARM",
        "StateUpdatedTimestamp": when.timestamp(),
    }
