"""Infra fixtures: every synthesis names a Chat app project, as a real deploy now must.

``cdk.json`` leaves ``chatAudience`` empty on purpose (synth refuses to guess it; see
``chatbot_stack/chat_audience.py``), so the shared ``cdk_context`` of ``tests/conftest.py`` is
overridden here with the project number the infra tests deploy for. Every fixture built on it
(``cdk_synth``, ``synth_variant``, ``checked_variant``) picks the override up for tests in this folder.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import REPO_ROOT

PROJECT_NUMBER = "123456789012"


@pytest.fixture(scope="session")
def cdk_context() -> dict[str, Any]:
    """``cdk.json``'s context with ``chatAudience`` set to :data:`PROJECT_NUMBER`."""
    context: dict[str, Any] = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return {**context, "chatAudience": PROJECT_NUMBER}
