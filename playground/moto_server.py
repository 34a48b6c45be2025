"""moto's server in a process of its own: ``python -m playground.moto_server``.

AWS is a service the functions reach over the network, with CPUs of its own; so is moto here, on
127.0.0.1 at a port of its choosing. Its DynamoDB is given the per-item atomicity of the real one
(:mod:`tests.support.moto_atomic`), which the delivery function's conditional updates rely on when
the Chat function writes to the same items. Protocol: one line ``{"playground": "ready", "url": …}``
on standard output, then it runs until its standard input closes.
"""

from __future__ import annotations

import json
import logging
import signal
import sys

from moto.server import ThreadedMotoServer

from tests.support.moto_atomic import make_dynamodb_atomic


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us (see playground.function_host)
    make_dynamodb_atomic()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access-log line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(json.dumps({"playground": "ready", "url": f"http://{host}:{port}"}), flush=True)
    for line in sys.stdin:
        if line.strip() == "stop":
            break
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
