"""Google Chat's write quotas for the Chat API stand-in: per space and per project, sliding windows.

Google allows 60 message writes (create, patch, delete) per space per minute, shared by every app in
the space, and 3,000 per project per minute, and answers 429 ``RESOURCE_EXHAUSTED`` beyond them
(developers.google.com/workspace/chat/limits). The stand-in counts every write it admits, a write
that then fails with 500 or a dropped connection included (it cost quota); a write it refuses with
429 costs nothing. ``Retry-After`` (whole seconds until the oldest write in the window leaves it)
is sent or not, as a test asks, since Google documents backoff rather than the header.

It also keeps what a benchmark needs to check the bot against the quota afterwards: the time of
every admitted write, per space and for the project, and how many 429s it answered.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Quota:
    per_space: int = 60
    per_project: int = 3000
    window: float = 60.0
    retry_after: bool = True
    clock: Callable[[], float] = time.time
    refused: int = 0
    space_writes: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    project_writes: list[float] = field(default_factory=list)
    _recent: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _project_recent: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def admit(self, space: str) -> float | None:
        """``None`` if the write is admitted (and counted), else the seconds until one would be."""
        now = self.clock()
        with self._lock:
            recent = self._recent[space]
            for queue in (recent, self._project_recent):
                while queue and queue[0] <= now - self.window:
                    queue.popleft()
            full = [
                queue
                for queue, limit in ((recent, self.per_space), (self._project_recent, self.per_project))
                if len(queue) >= limit
            ]
            if full:
                self.refused += 1
                return max(queue[0] + self.window - now for queue in full)
            recent.append(now)
            self._project_recent.append(now)
            self.space_writes[space].append(now)
            self.project_writes.append(now)
            return None

    def retry_after_header(self, wait: float) -> dict[str, str]:
        return {"Retry-After": str(max(1, math.ceil(wait)))} if self.retry_after else {}


def max_in_window(times: list[float], window: float) -> int:
    """The most writes in any window of ``window`` seconds (a sliding window over sorted times)."""
    ordered = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(ordered):
        while ordered[start] <= moment - window:
            start += 1
        best = max(best, end - start + 1)
    return best
