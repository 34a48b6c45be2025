"""SnapStart hooks: modules imported before the snapshot, randomness renewed after a restore."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator

import pytest
import snapshot_restore_py

from alarm_bot import snapstart


@pytest.fixture
def registries() -> Iterator[tuple[list[object], list[object]]]:
    before = snapshot_restore_py._before_snapshot_registry  # type: ignore[attr-defined]
    after = snapshot_restore_py._after_restore_registry  # type: ignore[attr-defined]
    saved = (list(before), list(after))
    before.clear()
    after.clear()
    yield before, after
    before[:] = saved[0]
    after[:] = saved[1]


def run_hooks(registry: list[object]) -> None:
    for func, args, kwargs in registry:  # type: ignore[misc]
        func(*args, **kwargs)


def test_prepare_registers_both_hooks(registries: tuple[list[object], list[object]]) -> None:
    before, after = registries
    snapstart.prepare(["colorsys"])
    assert len(before) == 1 and len(after) == 1


def test_prewarm_imports_the_modules(
    registries: tuple[list[object], list[object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    snapstart.prepare(["colorsys"])
    run_hooks(registries[0])
    assert "colorsys" in sys.modules


def test_restore_reseeds_random(registries: tuple[list[object], list[object]]) -> None:
    snapstart.prepare([])
    random.seed(1234)
    snapshot_state = random.getstate()
    run_hooks(registries[1])
    assert random.getstate() != snapshot_state


def test_without_the_runtime_library_nothing_happens(
    registries: tuple[list[object], list[object]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import raises ImportError
    snapstart.prepare(["colorsys"])
    assert registries == ([], [])


def test_handler_hooks_name_real_modules() -> None:
    """Every module a handler prewarms must exist, or the snapshot would fail at publish time."""
    import importlib

    from alarm_bot.handlers import alarm_events, chat_events

    for handler in (chat_events, alarm_events):
        for name in handler.PREWARM_MODULES:
            importlib.import_module(name)


def modules_after(statement: str) -> set[str]:
    """``sys.modules`` of a fresh interpreter after ``statement`` (nothing of this test run leaks in)."""
    import json
    import subprocess
    from pathlib import Path

    lambda_dir = Path(__file__).resolve().parents[2] / "lambda"
    setup = f"import json, sys; sys.path.insert(0, {str(lambda_dir)!r})"
    code = f"{setup}; {statement}; print(json.dumps(list(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout))


# Loaded on first use (card clicks, status, the first request): never by importing the handler.
CHAT_LAZY = ("alarm_bot.chat.alarm_clicks", "alarm_bot.chat.status", "alarm_bot.alarms.firing", "boto3")


def test_chat_handler_import_leaves_rare_paths_for_later() -> None:
    loaded = modules_after("import alarm_bot.handlers.chat_events")
    assert "alarm_bot.handlers.chat_events" in loaded
    assert not loaded & set(CHAT_LAZY), sorted(loaded & set(CHAT_LAZY))


def test_chat_handler_prewarms_what_it_loads_lazily() -> None:
    """With SnapStart, the lazily loaded paths are in the snapshot: the hook names each of them."""
    from alarm_bot.handlers import chat_events

    assert set(CHAT_LAZY) <= set(chat_events.PREWARM_MODULES)
