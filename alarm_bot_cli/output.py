"""How commands print: aligned tables for people, JSON for scripts, progress on a terminal only.

Tables measure text in terminal cells, so Korean space names (two cells per syllable) stay
aligned. ``--json`` output is one JSON document on stdout and nothing else, whatever happens on
stderr, so ``alarm-bot spaces --json | jq`` keeps working.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Sequence
from types import TracebackType
from typing import Any, TextIO

GAP = "  "
EMPTY = "-"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], *, stream: TextIO | None = None
) -> None:
    """Columns separated by two spaces, padded to the widest cell; the last column is not padded."""
    out = stream if stream is not None else sys.stdout
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [width(header) for header in headers]
    for row in cells:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], width(value))
    for row in [list(headers), *cells]:
        padded = [_pad(value, widths[index]) for index, value in enumerate(row[:-1])]
        out.write(GAP.join([*padded, row[-1]]).rstrip() + "\n")


def width(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def say(message: str) -> None:
    """A line for people on stdout (tables and summaries), flushed so it shows before slow calls."""
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def note(message: str) -> None:
    """A remark on stderr, so it never mixes into ``--json`` output."""
    sys.stderr.write(message + "\n")


def _cell(value: object) -> str:
    if value is None or value == "":
        return EMPTY
    return " ".join(str(value).split())  # one line per row, whatever the value holds


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


class Progress:
    """``label: N`` rewritten in place on stderr while work goes on, only when stderr is a terminal.

    Large accounts have thousands of alarms; a counter shows the command is alive without filling
    logs or pipes with progress lines (nothing is written when stderr is not a TTY).
    """

    def __init__(self, label: str, *, stream: TextIO | None = None) -> None:
        self._label = label
        self._stream = stream if stream is not None else sys.stderr
        self._active = bool(getattr(self._stream, "isatty", lambda: False)())
        self._count = 0

    def advance(self, count: int = 1) -> None:
        self._count += count
        if self._active:
            self._stream.write(f"\r{self._label}: {self._count}")
            self._stream.flush()

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._active and self._count:
            self._stream.write("\r" + " " * (len(self._label) + 12) + "\r")
            self._stream.flush()
