"""Chart ids: the only secret between a chart's public URL and the metrics it shows.

Google fetches a card's image without credentials, so ``/charts/<id>.png`` is public and the id
is all that keeps a stranger from reading another team's graphs. Each id is **160 random bits**
(``secrets``), written as 32 lowercase base32 characters.

Why random rather than an HMAC of the object key (or of the transition):

* **Nothing to leak.** An HMAC id is only as secret as its key, for every chart ever made, and its
  inputs (alarm ARN, state, time) are known to anyone who sees the alarm. A random id reveals
  nothing and needs no key stored, rotated or passed around.
* **Always new.** Google caches an image by URL. The recovery chart of a card must not show the
  alarm's image from the cache; a random id per rendering guarantees a new URL, whereas a keyed
  digest would repeat whenever its inputs do (a re-rendered card, a redelivered notification).
* **What determinism would buy is small.** A retried delivery makes a second object instead of
  overwriting the first; the bucket's lifecycle rule removes the orphan with the rest.

160 bits fill exactly 32 base32 characters (no padding, no unused bits), so every id has one
spelling, and one fixed-length, fixed-alphabet pattern validates what a URL carries. An id that
passes :func:`is_chart_id` cannot contain ``/``, ``.``, ``%`` or anything else that could walk out
of ``charts/``: traversal is impossible by construction, not by filtering.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Callable

ID_BYTES = 20
ID_LENGTH = 32
PREFIX = "charts/"
SUFFIX = ".png"
_ID = re.compile(r"[a-z2-7]{32}", re.ASCII)

__all__ = [
    "ID_LENGTH",
    "InvalidChartId",
    "chart_key",
    "chart_path",
    "id_from_file_name",
    "is_chart_id",
    "new_chart_id",
]


class InvalidChartId(ValueError):
    """The string is not a chart id (its text is never echoed: it may be anything)."""


def new_chart_id(random_bytes: Callable[[int], bytes] = secrets.token_bytes) -> str:
    """A fresh id; ``random_bytes`` is for tests, which need repeatable ids."""
    raw = random_bytes(ID_BYTES)
    if len(raw) != ID_BYTES:
        raise ValueError(f"need {ID_BYTES} random bytes")
    return base64.b32encode(raw).decode("ascii").lower()


def is_chart_id(value: object) -> bool:
    return isinstance(value, str) and len(value) == ID_LENGTH and _ID.fullmatch(value) is not None


def chart_key(chart_id: str) -> str:
    """The object key of a chart: ``charts/<id>.png``."""
    return PREFIX + _checked(chart_id) + SUFFIX


def chart_path(chart_id: str) -> str:
    """The URL path that serves a chart: ``/charts/<id>.png``."""
    return "/" + chart_key(chart_id)


def id_from_file_name(name: str) -> str | None:
    """``<id>.png`` (the last segment of a chart URL) to its id; ``None`` for anything else."""
    if not isinstance(name, str) or len(name) != ID_LENGTH + len(SUFFIX) or not name.endswith(SUFFIX):
        return None
    candidate = name[:ID_LENGTH]
    return candidate if is_chart_id(candidate) else None


def _checked(chart_id: str) -> str:
    if not is_chart_id(chart_id):
        raise InvalidChartId("not a chart id")
    return chart_id
