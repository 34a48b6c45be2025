"""Lambda SnapStart runtime hooks.

With SnapStart, Lambda runs a function's initialisation once, when a version is published, and
starts new execution environments from a snapshot of it. The handlers import some modules lazily
(cheap cold starts without SnapStart on the paths that never need them), so before the snapshot
the prewarm hook imports them: restored environments then start with everything loaded. Nothing
that opens a connection or holds credentials runs before the snapshot; after a restore, the random
generator is re-seeded, since every environment restored from one snapshot would otherwise draw the
same retry jitter.

``snapshot_restore_py`` ships with Lambda's Python runtimes; elsewhere (tests, a local run) there is
nothing to register and :func:`prepare` does nothing.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable, Iterable


def prepare(modules: Iterable[str]) -> None:
    """Import ``modules`` before the snapshot and renew per-environment state after a restore."""
    names = tuple(modules)
    try:
        from snapshot_restore_py import (  # type: ignore[import-untyped]  # noqa: PLC0415 - only Lambda's runtime has it
            register_after_restore,
            register_before_snapshot,
        )
    except ImportError:
        return
    register_before_snapshot(prewarm_hook(names))
    register_after_restore(renew_after_restore)


def prewarm_hook(names: tuple[str, ...]) -> Callable[[], None]:
    def prewarm() -> None:
        for name in names:
            importlib.import_module(name)

    return prewarm


def renew_after_restore() -> None:
    """Fresh entropy for ``random`` (urllib3's backoff jitter) in each restored environment."""
    random.seed()
