"""Chat API request bodies as they go over the wire: UTF-8 JSON, characters unescaped, no spaces.

``requests``' ``json=`` escapes every non-ASCII character as ``\\uXXXX``: a Korean card of 31,807
bytes became 56,450 on the wire. Sent like this, the body is never larger than
:func:`~alarm_bot.alarms.render_limits.message_bytes` measures, so the 32,000 bytes that rendering
keeps to hold for the request as sent, however Google counts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

JSON_UTF8: Final = {"Content-Type": "application/json; charset=utf-8"}


def wire_json(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
