"""The Chat API stand-in in a process of its own, driven over stdin/stdout by the benchmarks.

Google's servers do not share the bot's CPU or its interpreter lock; a stand-in running in the
benchmark's own process would, and its request handling would be timed as the bot's. Protocol: one
JSON line out (``url``, ``service_account``), then one command per line in, each answered with one
line: ``working SECONDS`` (Google's time to create a message); ``slow SECONDS`` (its answer's way
back); ``quota PER_SPACE PER_PROJECT WINDOW RETRY_AFTER(0|1)``; ``faults RATE SEED
AFTER_CREATE_SHARE DROP_SHARE`` (500s and dropped connections); ``report`` (everything the storm
benchmark checks, as one JSON line); ``stop``.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from _report import ROOT  # noqa: F401 - puts the repository on sys.path

from tests.support.chat_api import FakeChatApi


def report(api: FakeChatApi) -> dict[str, Any]:
    quota = api.quota_check
    spaces = sorted(api.created)
    return {
        "messages": {space: api.messages(space) for space in spaces},
        "created": {space: api.created[space] for space in spaces},
        "space_writes": dict(quota.space_writes) if quota else {},
        "project_writes": quota.project_writes if quota else [],
        "refused": quota.refused if quota else 0,
    }


def main() -> None:
    with FakeChatApi() as api:
        account = api.service_account()
        print(json.dumps({"url": api.url, "service_account": account.info}), flush=True)
        for line in sys.stdin:
            command, *arguments = line.split()
            if command == "working":
                api.working(float(arguments[0]))
            elif command == "slow":
                api.slow(float(arguments[0]))
            elif command == "quota":
                per_space, per_project, window, retry_after = arguments
                api.quota(
                    per_space=int(per_space),
                    per_project=int(per_project),
                    window=float(window),
                    retry_after=retry_after == "1",
                )
            elif command == "faults":
                rate, seed, after_create, drop = arguments
                api.random_faults(
                    float(rate),
                    seed=int(seed),
                    statuses=(500,),
                    after_create_share=float(after_create),
                    drop_share=float(drop),
                )
            elif command == "report":
                print(json.dumps(report(api)), flush=True)
                continue
            elif command == "stop":
                return
            print("ok", flush=True)


if __name__ == "__main__":
    main()
