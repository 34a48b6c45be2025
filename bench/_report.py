"""Shared output for the benchmarks: one line per figure, its target, and whether it is met."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "lambda"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

_failures: list[str] = []


def figure(name: str, value: str, target: str = "", met: bool | None = None) -> None:
    verdict = "" if met is None else ("  ok" if met else "  MISSED")
    if met is False:
        _failures.append(name)
    suffix = f"   target {target}" if target else ""
    print(f"  {name:<44} {value:>22}{suffix}{verdict}")


def median(values: list[float]) -> float:
    return statistics.median(values)


def finish(title: str) -> None:
    """Exit non-zero when a target was missed, so `make bench` says so."""
    if _failures:
        print(f"{title}: missed {', '.join(_failures)}")
        raise SystemExit(1)
    print(f"{title}: all targets met")
