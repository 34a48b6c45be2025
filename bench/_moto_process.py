"""moto's server in a process of its own (DynamoDB for the storm benchmark), driven over stdin.

DynamoDB is a separate service with its own CPUs; run in the benchmark's process, moto would share
the bot's interpreter lock and its request handling would be timed as the bot's. The server gets
DynamoDB's per-item atomicity (:mod:`tests.support.moto_atomic`), which the consumers' concurrent
conditional updates rely on. Protocol: one JSON line out (``url``), then ``stop`` in.
"""

from __future__ import annotations

import json
import logging
import sys

from _report import ROOT  # noqa: F401 - puts the repository on sys.path
from moto.server import ThreadedMotoServer

from tests.support.moto_atomic import make_dynamodb_atomic


def main() -> None:
    make_dynamodb_atomic()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(json.dumps({"url": f"http://{host}:{port}"}), flush=True)
    for line in sys.stdin:
        if line.strip() == "stop":
            break
    server.stop()


if __name__ == "__main__":
    main()
