"""One of the stack's Lambda functions in a process of its own: ``python -m playground.function_host
chat|delivery TIMEOUT``.

A process per function, as Lambda gives each function containers of its own: each gets exactly its
own environment (set by the parent, :mod:`playground.config`), its own module state (the handlers
keep their clients and caches between invocations, as a warm container does) and its own log.

* ``chat``: the Chat events handler behind :class:`~playground.gateway.HttpApi` (``POST /chat``);
* ``delivery``: the alarm events handler fed by :class:`~playground.poller.QueuePoller`.

Protocol: once ready, one line ``{"playground": "ready", …}`` on standard output (with the
endpoint's ``url`` for ``chat``); everything after it is the function's log. The function stops
when its standard input closes, so it never outlives the playground. Ctrl-C is the parent's to
handle: it reaches the whole process group, and the parent stops its children in order.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

from playground.gateway import HttpApi
from playground.lambda_context import LambdaContext
from playground.poller import QueuePoller

READY = "ready"


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if len(argv) != 3 or argv[1] not in ("chat", "delivery") or not argv[2].isdigit():
        print("usage: python -m playground.function_host chat|delivery TIMEOUT_SECONDS", file=sys.stderr)
        return 2
    run = run_chat if argv[1] == "chat" else run_delivery
    run(float(argv[2]))
    return 0


def context_factory(timeout: float) -> LambdaContext:
    name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "playground")
    memory = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256"))
    return LambdaContext(name, memory, timeout)


def run_chat(timeout: float) -> None:
    """The Chat function behind its HTTP API until the parent goes."""
    from alarm_bot.handlers import chat_events  # noqa: PLC0415 - one handler per process, as in Lambda: 12 ms

    def invoke(event: dict[str, Any]) -> Any:
        return chat_events.handler(event, context_factory(timeout))

    api = HttpApi(invoke).start()
    ready(url=api.url)
    wait_for_parent()
    api.stop()


def run_delivery(timeout: float) -> None:
    """The delivery function on the delivery queue until the parent goes."""
    import boto3  # noqa: PLC0415 - 140 ms the chat process pays only with its first AWS call, as in Lambda

    from alarm_bot.handlers import alarm_events  # noqa: PLC0415 - one handler per process: 260 ms not in chat's

    poller = QueuePoller(
        boto3.client("sqs"),  # AWS_ENDPOINT_URL: moto
        os.environ["DELIVERY_QUEUE_URL"],
        alarm_events.handler,
        lambda: context_factory(timeout),
        os.environ["AWS_REGION"],
    ).start()
    ready(queue=os.environ["DELIVERY_QUEUE_URL"])
    wait_for_parent()
    poller.stop()


def ready(**facts: str) -> None:
    print(json.dumps({"playground": READY, **facts}), flush=True)


def wait_for_parent() -> None:
    """Block until standard input closes (the parent stopped us, or died)."""
    for line in sys.stdin:
        if line.strip() == "stop":
            return


if __name__ == "__main__":
    sys.exit(main(sys.argv))
