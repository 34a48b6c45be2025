"""The one comparison every reviewed JSON snapshot test makes, with the hint to write a missing one."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from tests.support.snapshots import snapshot_text


def assert_matches_snapshot(path: Path, value: object) -> None:
    """``value`` equals its reviewed snapshot at ``path`` (written first when ``UPDATE_SNAPSHOTS=1``).

    A failure shows the text diff itself: pytest does not rewrite asserts outside test modules."""
    actual = snapshot_text(path, value)
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    reviewed = path.read_text(encoding="utf-8")
    assert json.loads(actual) == json.loads(reviewed), "".join(
        difflib.unified_diff(reviewed.splitlines(True), actual.splitlines(True), path.name, "now")
    )
