"""Run ``alarm-bot`` in-process the way a shell would, and keep what it printed.

Usage (with the ``cli`` fixture of ``tests/cli/conftest.py``)::

    result = cli("spaces", "--json")
    assert result.status == 0 and result.json() == []
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from alarm_bot.cli import main


@dataclass(frozen=True)
class Run:
    """What one invocation left: exit status and both streams."""

    status: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def one_line_error(self) -> bool:
        """An error as the CLI promises it: exactly one line on stderr, no traceback."""
        return (
            self.err.count("\n") == 1 and self.err.startswith("alarm-bot: ") and "Traceback" not in self.err
        )


CliRunner = Callable[..., Run]


def runner(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    def run(*argv: str) -> Run:
        capsys.readouterr()
        status = main(list(argv))
        out, err = capsys.readouterr()
        return Run(status, out, err)

    return run
