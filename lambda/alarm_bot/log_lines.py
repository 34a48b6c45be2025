"""The functions' log lines as JSON that can always be written.

Powertools serializes a log record with ``ensure_ascii=False``, so Korean stays readable in
CloudWatch Logs. A request can carry a lone UTF-16 surrogate (``"\\ud800"`` is valid JSON); kept
raw, it cannot be encoded as UTF-8, and writing the line fails ("--- Logging error ---"): the
very line that would explain a bad request is lost. Here such a character becomes its JSON escape
instead, which reads back as the same string.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["log_line"]


def log_line(record: Any) -> str:
    """``record`` as one compact JSON line that encodes as UTF-8 whatever it holds."""
    text = json.dumps(record, default=str, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
