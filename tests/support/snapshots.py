"""Reviewed JSON snapshots: what a test compares with the file, rewritten on request.

``UPDATE_SNAPSHOTS=1`` writes every snapshot a test reaches from what the code gives now; review the
diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


def snapshot_text(path: Path, value: object) -> str:
    """``value`` as its snapshot at ``path`` holds it (indented JSON), written there first when
    ``UPDATE_SNAPSHOTS=1``."""
    actual = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    return actual
