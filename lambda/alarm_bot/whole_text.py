"""Text every edge can encode: each lone UTF-16 surrogate becomes U+FFFD.

JSON may carry ``"\\ud800"``, and Python decodes it into a string that no UTF-8 encoder accepts:
DynamoDB, the Chat API, a hash for a key and the log would each fail deep inside, on every retry.
Whatever comes in from outside (a Chat event, an alarm or notification of any intake) passes here
once, where it is decoded, so nothing after that has to think about it.
"""

from __future__ import annotations

import re
from typing import Any

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def whole_characters(value: Any) -> Any:
    """``value`` (decoded JSON, or a string) with every lone surrogate replaced, keys included."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [whole_characters(item) for item in value]
    if isinstance(value, dict):
        return {whole_characters(key): whole_characters(item) for key, item in value.items()}
    return value
