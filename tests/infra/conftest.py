"""Infra fixtures: every synthesis names a Chat app project, as a real deploy now must.

``cdk.json`` holds only CDK's own settings (every bot default is a ``BotConfig`` field) and no
``chatAudience`` on purpose (synth refuses to guess it; see ``chatbot_stack/chat_audience.py``), so
the shared ``cdk_context`` of ``tests/conftest.py`` is overridden here with the project number the
infra tests deploy for. Every fixture built on it
(``cdk_synth``, ``synth_variant``, ``checked_variant``) picks the override up for tests in this folder.

The forwarder stack (``AlarmChatBotForwarder``) comes out of the same real synthesis
(``forwarder_template``); ``forwarder_variant`` synthesizes it alone, with cdk-nag, for other context.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, SynthResult
from tests.support.nag_synth import NaggedTemplate, synth_template_with_nag

PROJECT_NUMBER = "123456789012"
# The slash commands a deployment answers when ``slashCommands`` is not given.
DEFAULT_COMMANDS = {
    "1": "help",
    "2": "status",
    "3": "subscribe",
    "4": "unsubscribe",
    "5": "mute",
    "6": "unmute",
}
FORWARDER = "AlarmChatBotForwarder"


@pytest.fixture(scope="session")
def cdk_context() -> dict[str, Any]:
    """``cdk.json``'s context with ``chatAudience`` set to :data:`PROJECT_NUMBER`."""
    context: dict[str, Any] = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return {**context, "chatAudience": PROJECT_NUMBER}


@pytest.fixture(scope="session")
def forwarder_template(cdk_synth: SynthResult) -> NaggedTemplate:
    """``AlarmChatBotForwarder`` as ``app.py`` writes it next to the bot (what ``make synth`` leaves)."""
    path = cdk_synth.outdir / f"{FORWARDER}.template.json"
    return NaggedTemplate(cdk_synth.outdir, path, json.loads(path.read_text()), cdk_synth.nag_findings)


@pytest.fixture(scope="session")
def forwarder_variant(
    cdk_context: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Mapping[str, object]], NaggedTemplate]:
    """The forwarder alone for ``cdk.json`` context plus overrides, with both nag packs; cached."""
    cache: dict[str, NaggedTemplate] = {}

    def synthesize(overrides: Mapping[str, object]) -> NaggedTemplate:
        key = json.dumps(overrides, sort_keys=True)
        if key not in cache:
            cache[key] = _forwarder_with_nag({**cdk_context, **overrides}, tmp_path_factory.mktemp("fwd"))
        return cache[key]

    return synthesize


def _forwarder_with_nag(context: dict[str, object], outdir: Path) -> NaggedTemplate:
    from aws_cdk import App

    from chatbot_stack.forwarder import AlarmForwarderStack, ForwarderConfig

    app = App(outdir=str(outdir), context=context)
    AlarmForwarderStack(app, FORWARDER, config=ForwarderConfig.from_context(app.node))
    return synth_template_with_nag(app, outdir, FORWARDER)
