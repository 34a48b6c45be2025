"""SnapStart hooks: modules imported before the snapshot, randomness renewed after a restore."""

from __future__ import annotations

import ast
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

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


def modules_after(statement: str) -> dict[str, str | None]:
    """``sys.modules`` (name → file) of a fresh interpreter after ``statement``, free of this run's."""
    lambda_dir = Path(__file__).resolve().parents[2] / "lambda"
    setup = f"import json, sys; sys.path.insert(0, {str(lambda_dir)!r})"
    dump = "print(json.dumps({n: getattr(m, '__file__', None) for n, m in list(sys.modules.items())}))"
    result = subprocess.run(
        [sys.executable, "-c", f"{setup}; {statement}; {dump}"], capture_output=True, text=True, check=True
    )
    loaded: dict[str, str | None] = json.loads(result.stdout)
    return loaded


# Loaded on first use (card clicks, status, the first request): never by importing the handler.
CHAT_LAZY = (
    "alarm_bot.chat.alarm_clicks",
    "alarm_bot.chat.status",
    "alarm_bot.alarms.firing",
    "alarm_bot.cloudwatch.firing_alarms",
    "boto3",
)


def test_chat_handler_import_leaves_rare_paths_for_later() -> None:
    loaded = modules_after("import alarm_bot.handlers.chat_events")
    assert "alarm_bot.handlers.chat_events" in loaded
    assert not set(loaded) & set(CHAT_LAZY), sorted(set(loaded) & set(CHAT_LAZY))


def function_level_imports(path: str) -> set[str]:
    """Modules a source file imports inside functions: what it loads only when that code runs."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    names.update(alias.name for alias in inner.names)
                elif isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                    names.add(inner.module)
    return names


@pytest.mark.parametrize("handler", ["chat_events", "alarm_events"])
def test_the_snapshot_holds_every_module_the_handler_loads_lazily(handler: str) -> None:
    """After the prewarm hook, no code the handler has loaded still has an import to do on a first event."""
    loaded = modules_after(
        f"from alarm_bot.handlers import {handler} as h; import importlib; "
        "[importlib.import_module(name) for name in h.PREWARM_MODULES]"
    )
    own = {name: path for name, path in loaded.items() if name.startswith("alarm_bot") and path}
    assert f"alarm_bot.handlers.{handler}" in own
    missing = sorted(
        (module, name)
        for module, path in own.items()
        for name in function_level_imports(path)
        if name not in loaded
    )
    assert not missing, f"imported lazily but not prewarmed: {missing}"
