"""Run ``alarm-bot`` in-process the way a shell would, and keep what it printed.

Usage (with the ``cli`` fixture of ``tests/cli/conftest.py``)::

    result = cli("spaces", "--json")
    assert result.status == 0 and result.json() == []

Tests that start a real ``python -m alarm_bot_cli`` process give it :func:`checkout_env`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from alarm_bot_cli import main

_CHECKOUT = Path(__file__).resolve().parents[2]


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


def checkout_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) with both packages of the checkout importable.

    ``alarm_bot_cli`` lives at the repository root and the ``alarm_bot`` it imports in ``lambda/``:
    with both on ``PYTHONPATH`` a child process finds them from any directory, installed or not.
    """
    env = dict(os.environ if base is None else base)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(_CHECKOUT), str(_CHECKOUT / "lambda"), *filter(None, [env.get("PYTHONPATH")])]
    )
    return env
