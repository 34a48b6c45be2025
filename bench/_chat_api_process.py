"""The Chat API stand-in in a process of its own, driven over stdin/stdout by ``bench/fanout.py``.

Google's servers do not share the bot's CPU or its interpreter lock; a stand-in running in the
benchmark's own process would, and its request handling would be timed as the bot's. Protocol:
one JSON line out (``url``, ``service_account``), then one command per line in: ``slow SECONDS``
(answered ``ok``) or ``stop``.
"""

from __future__ import annotations

import json
import sys

from _report import ROOT  # noqa: F401 - puts the repository on sys.path

from tests.support.chat_api import FakeChatApi


def main() -> None:
    with FakeChatApi() as api:
        account = api.service_account()
        print(json.dumps({"url": api.url, "service_account": account.info}), flush=True)
        for line in sys.stdin:
            command, _, argument = line.strip().partition(" ")
            if command == "slow":
                api.slow(float(argument))
                print("ok", flush=True)
            elif command == "stop":
                return


if __name__ == "__main__":
    main()
