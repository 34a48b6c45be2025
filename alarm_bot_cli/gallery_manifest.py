"""The README pictures' manifest: ``docs/screenshots/pictures.sha256``.

A PNG cannot be compared across machines (fonts differ), and the HTML it was photographed from is
generated, so neither is what the tests compare. The manifest records, in ``sha256sum`` format, the
digest of each page as it was drawn and of the PNG taken from it. A test redraws every page and
compares its digest: a change to a card fails until ``make screenshots`` has taken the pictures
again. ``sha256sum -c --ignore-missing pictures.sha256`` checks the PNGs by hand.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

MANIFEST_NAME = "pictures.sha256"


def digest_of(content: bytes) -> str:
    """The hex SHA-256 of ``content``, as ``sha256sum`` prints it."""
    return hashlib.sha256(content).hexdigest()


def manifest_text(pages: dict[str, str], folder: Path) -> str:
    """The manifest of ``pages`` (picture name → HTML) and their PNGs as written in ``folder``."""
    lines: list[str] = []
    for name, page in pages.items():
        lines.append(f"{digest_of(page.encode('utf-8'))}  {name}.html")
        lines.append(f"{digest_of((folder / f'{name}.png').read_bytes())}  {name}.png")
    return "\n".join(lines) + "\n"


def read_manifest(folder: Path) -> dict[str, str]:
    """File name → recorded digest; empty when ``folder`` has no manifest yet."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    recorded: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, separator, file_name = line.partition("  ")
        if separator and digest and file_name:
            recorded[file_name] = digest
    return recorded
