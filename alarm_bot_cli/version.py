"""``alarm-bot --version``: the installed package's version, or the checkout's when not installed.

``pip install -e .`` (what ``make`` does) records the version in the package metadata. Run from a
checkout without installing (``PYTHONPATH=lambda python -m alarm_bot_cli`` at its root) there is
none, but the checkout's ``pyproject.toml`` says it; anywhere else the version is honestly unknown.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path
from typing import Final

DISTRIBUTION: Final = "aws-alarm-chat-bot"
PYPROJECT: Final = Path(__file__).resolve().parents[1] / "pyproject.toml"  # alarm_bot_cli/ → repo


def version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    checkout = _checkout_version(PYPROJECT)
    if checkout is not None:
        return f"{checkout} (not installed: from {PYPROJECT})"
    return "unknown (not installed: `pip install -e .` in the repository)"


def _checkout_version(path: Path) -> str | None:
    """The version in ``path`` if it is this project's ``pyproject.toml``."""
    try:
        project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    if project.get("name") != DISTRIBUTION or not isinstance(project.get("version"), str):
        return None
    return str(project["version"])
