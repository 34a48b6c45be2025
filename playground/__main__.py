"""``python -m playground`` (``make demo``): start everything, print the URL, stop on Ctrl-C.

The main thread only waits: for Ctrl-C (SIGINT), for SIGTERM (treated the same, so a test or a
process manager stops it just as cleanly), or for a child that ends by itself, whose log is then
quoted. Either way every process the playground started is stopped before it exits.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

from playground.config import Options, OptionsError
from playground.processes import ChildFailed
from playground.runner import PortTaken, Running, banner, start, stop

CHECK_SECONDS = 1.0


def main() -> int:
    try:
        options = Options.from_env()
    except OptionsError as error:
        print(f"playground: {error}", file=sys.stderr)
        return 2
    for signum in (signal.SIGINT, signal.SIGTERM):  # SIGINT too: a shell may have started us ignoring it
        signal.signal(signum, _interrupt)
    print("Starting the playground: moto, Google's stand-ins, the Chat and delivery functions…", flush=True)
    try:
        running = start(options)
    except (PortTaken, ChildFailed) as error:
        print(f"playground: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Playground stopped before it was ready.", flush=True)
        return 130
    print(banner(running), flush=True)
    return _serve(running)


def _serve(running: Running) -> int:
    status = 0
    idle = threading.Event()
    try:
        while True:
            ended = [child for child in running.children if not child.running()]
            if ended:
                child = ended[0]
                print(
                    f"playground: {child.name} stopped by itself; its log ends:\n{child.log_tail()}",
                    file=sys.stderr,
                )
                status = 1
                break
            idle.wait(CHECK_SECONDS)
    except KeyboardInterrupt:
        print("\nStopping the playground…", flush=True)
    finally:
        stop(running, keep_logs=status != 0)
    print(
        "Playground stopped." if status == 0 else f"Playground stopped; logs kept in {running.run_dir}/",
        flush=True,
    )
    return status


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
