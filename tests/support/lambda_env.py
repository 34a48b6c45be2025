"""A handler module's next invocation as a cold start in a given environment."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType

import pytest


def cold_start(
    monkeypatch: pytest.MonkeyPatch, handler_module: ModuleType, values: Mapping[str, str]
) -> None:
    """Set the function's environment variables to ``values`` and drop the dependencies the module
    caches between invocations, so that the next invocation builds them from that environment."""
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(handler_module, "_dependencies", None)
