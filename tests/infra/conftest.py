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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import REPO_ROOT, SynthResult

if TYPE_CHECKING:
    from aws_cdk.assertions import Template

PROJECT_NUMBER = "123456789012"
FORWARDER = "AlarmChatBotForwarder"


@pytest.fixture(scope="session")
def cdk_context() -> dict[str, Any]:
    """``cdk.json``'s context with ``chatAudience`` set to :data:`PROJECT_NUMBER`."""
    context: dict[str, Any] = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return {**context, "chatAudience": PROJECT_NUMBER}


@dataclass(frozen=True)
class ForwarderSynth:
    """The forwarder's template (file and dict) and the cdk-nag findings of its synthesis."""

    outdir: Path
    template_path: Path
    template: dict[str, Any]
    nag_findings: list[str]

    def assertions(self) -> Template:
        from aws_cdk.assertions import Template

        return Template.from_json(json.loads(self.template_path.read_text()))


@pytest.fixture(scope="session")
def forwarder_template(cdk_synth: SynthResult) -> ForwarderSynth:
    """``AlarmChatBotForwarder`` as ``app.py`` writes it next to the bot (what ``make synth`` leaves)."""
    path = cdk_synth.outdir / f"{FORWARDER}.template.json"
    return ForwarderSynth(cdk_synth.outdir, path, json.loads(path.read_text()), cdk_synth.nag_findings)


@pytest.fixture(scope="session")
def forwarder_variant(
    cdk_context: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Mapping[str, object]], ForwarderSynth]:
    """The forwarder alone for ``cdk.json`` context plus overrides, with both nag packs; cached."""
    cache: dict[str, ForwarderSynth] = {}

    def synthesize(overrides: Mapping[str, object]) -> ForwarderSynth:
        key = json.dumps(overrides, sort_keys=True)
        if key not in cache:
            cache[key] = _forwarder_with_nag({**cdk_context, **overrides}, tmp_path_factory.mktemp("fwd"))
        return cache[key]

    return synthesize


def _forwarder_with_nag(context: dict[str, object], outdir: Path) -> ForwarderSynth:
    from aws_cdk import App

    from chatbot_stack.forwarder import AlarmForwarderStack, ForwarderConfig
    from chatbot_stack.nag import apply_nag

    app = App(outdir=str(outdir), context=context)
    AlarmForwarderStack(app, FORWARDER, config=ForwarderConfig.from_context(app.node))
    apply_nag(app)
    report = outdir / "validation-report.json"
    try:
        app.synth()
    except RuntimeError:
        if not report.exists():
            raise
    path = outdir / f"{FORWARDER}.template.json"
    findings = [
        f"{violation['ruleName']} at {construct['constructPath']}"
        for plugin in (json.loads(report.read_text()).get("pluginReports", []) if report.exists() else [])
        for violation in plugin.get("violations", [])
        for construct in violation.get("violatingConstructs", [])
    ]
    template = json.loads(path.read_text()) if path.exists() else {}
    return ForwarderSynth(outdir, path, template, findings)
