"""The one rule for a Chat space's resource name: the endpoint, the store and the sender share it.

Google names a space ``spaces/`` followed by an ID of letters, digits, ``_`` and ``-`` (for example
``spaces/AAAAMpdlehY``). Anything else in a stored name is harmful twice over: a ``/`` makes the
Chat API address another resource (``spaces/A/messages/M1`` is a message, and posting to it fails
every time), and a ``#`` collides with the store's own keys (``spaces/A#alarm#…`` is a card's key).
So a name that breaks the rule is refused where it comes in (HTTP 400, nothing stored), never
written by the store, and skipped if one is found stored anyway.
"""

from __future__ import annotations

import re

__all__ = ["MAX_SPACE_NAME_LENGTH", "is_space_name"]

MAX_SPACE_NAME_LENGTH = 128  # real ones are about 20 characters
_SPACE_NAME = re.compile("spaces/[A-Za-z0-9_-]{1,%d}" % (MAX_SPACE_NAME_LENGTH - len("spaces/")))  # noqa: UP031


def is_space_name(value: object) -> bool:
    """Whether ``value`` is a space resource name (``spaces/…``, nothing before or after)."""
    return isinstance(value, str) and _SPACE_NAME.fullmatch(value) is not None
