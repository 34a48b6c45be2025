"""Fixtures shared across the test tree.

``chat_api``: the Google Chat API stand-in (:class:`~tests.support.chat_api.FakeChatApi`), running
for one test.

Infrastructure: ``cdk synth`` takes ~20 s (jsii, pip bundling), so the real app is synthesized once per
session and every infra test reads the result. CDK is imported lazily, so test runs that never ask for
these fixtures do not start jsii.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.nag_synth import NaggedTemplate, synth_template_with_nag, validation_findings

if TYPE_CHECKING:
    from aws_cdk.assertions import Template

    from tests.support.chat_api import FakeChatApi

REPO_ROOT = Path(__file__).resolve().parent.parent
STACK_NAME = "AlarmChatBot"
# Context the CDK CLI adds to every `cdk synth`, so the test assembly matches `make synth`.
CLI_CONTEXT: Mapping[str, object] = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,
    "aws:cdk:version-reporting": True,
    "aws:cdk:bundling-stacks": ["**"],
}

# jsii prints a banner on every start under Node 20; it is noise in test output.
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")


@pytest.fixture
def chat_api() -> Iterator[FakeChatApi]:
    """A running Chat API stand-in, stopped after the test."""
    from tests.support.chat_api import FakeChatApi

    with FakeChatApi() as api:
        yield api


@dataclass(frozen=True)
class SynthResult(NaggedTemplate):
    """What one real synthesis left in its cloud assembly directory: the bot's template, the
    findings, CDK's own messages and the Lambda asset."""

    cdk_messages: list[str]
    asset_dir: Path


@pytest.fixture(scope="session")
def cdk_context() -> dict[str, Any]:
    """The ``context`` block of ``cdk.json``: the defaults every synthesis starts from."""
    context: dict[str, Any] = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    return context


@pytest.fixture(scope="session")
def cdk_synth(cdk_context: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> SynthResult:
    """Run ``app.py`` as the CDK CLI would (real bundling, cdk-nag) into a temporary ``cdk.out``."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    env = {key: value for key, value in os.environ.items() if not key.startswith("CDK_DEFAULT_")}
    env["CDK_OUTDIR"] = str(outdir)
    env["CDK_CONTEXT_JSON"] = json.dumps({**cdk_context, **CLI_CONTEXT})
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False
    )
    nag_findings = validation_findings(outdir)
    if result.returncode != 0 and not nag_findings:
        pytest.fail(f"app.py failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}")
    template_path = outdir / f"{STACK_NAME}.template.json"
    return SynthResult(
        outdir=outdir,
        template_path=template_path,
        template=json.loads(template_path.read_text()),
        nag_findings=nag_findings,
        cdk_messages=_cdk_messages(outdir),
        asset_dir=_lambda_asset_dir(outdir),
    )


@pytest.fixture(scope="session")
def stack_template(cdk_synth: SynthResult) -> Template:
    """``aws_cdk.assertions.Template`` of the default synthesis."""
    from aws_cdk.assertions import Template

    return Template.from_json(copy.deepcopy(cdk_synth.template))


@pytest.fixture(scope="session")
def stack_template_dict(cdk_synth: SynthResult) -> dict[str, Any]:
    """The synthesized CloudFormation template as a dict (copy it before changing it)."""
    return cdk_synth.template


@pytest.fixture(scope="session")
def stack_template_path(cdk_synth: SynthResult) -> Path:
    """``<outdir>/AlarmChatBot.template.json``, for tools that read files (cfn-lint)."""
    return cdk_synth.template_path


@pytest.fixture(scope="session")
def nag_findings(cdk_synth: SynthResult) -> list[str]:
    """Unacknowledged cdk-nag findings, one ``severity rule at path: description`` line each."""
    return cdk_synth.nag_findings


@pytest.fixture(scope="session")
def cdk_warnings(cdk_synth: SynthResult) -> list[str]:
    """Warnings and errors CDK itself attached to the stack (deprecated APIs, misconfigurations)."""
    return cdk_synth.cdk_messages


@pytest.fixture(scope="session")
def lambda_asset_dir(cdk_synth: SynthResult) -> Path:
    """The bundled Lambda asset directory (what CDK zips and uploads)."""
    return cdk_synth.asset_dir


@pytest.fixture(scope="session")
def synth_variant(cdk_context: dict[str, Any]) -> Callable[[Mapping[str, object]], Template]:
    """Template for ``cdk.json`` context plus overrides; no bundling, no nag, cached per context.

    For env wiring tests only (about a second each): the asset is not built.
    """
    cache: dict[str, Template] = {}

    def synthesize(overrides: Mapping[str, object]) -> Template:
        key = json.dumps(overrides, sort_keys=True)
        if key not in cache:
            cache[key] = _synthesize_in_process({**cdk_context, **overrides})
        return cache[key]

    return synthesize


@pytest.fixture(scope="session")
def checked_variant(
    cdk_context: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Mapping[str, object]], NaggedTemplate]:
    """Like ``synth_variant``, but through ``app.synth()`` with both nag packs, into a temporary outdir.

    The real synthesis only covers ``cdk.json``'s defaults; resources that exist only with some
    context (the EventBridge rule, the ops topic, trusted-account statements) are checked here.
    """
    cache: dict[str, NaggedTemplate] = {}

    def synthesize(overrides: Mapping[str, object]) -> NaggedTemplate:
        key = json.dumps(overrides, sort_keys=True)
        if key not in cache:
            outdir = tmp_path_factory.mktemp("cdk.variant")
            cache[key] = _synthesize_with_nag({**cdk_context, **overrides}, outdir)
        return cache[key]

    return synthesize


def _synthesize_with_nag(context: dict[str, object], outdir: Path) -> NaggedTemplate:
    from aws_cdk import App

    from chatbot_stack.config import BotConfig
    from chatbot_stack.stack import AlarmChatBotStack

    app = App(outdir=str(outdir), context={**context, "aws:cdk:bundling-stacks": []})
    AlarmChatBotStack(app, STACK_NAME, config=BotConfig.from_context(app.node))
    return synth_template_with_nag(app, outdir, STACK_NAME)


def _synthesize_in_process(context: dict[str, object]) -> Template:
    from aws_cdk import App
    from aws_cdk.assertions import Template

    from chatbot_stack.config import BotConfig
    from chatbot_stack.stack import AlarmChatBotStack

    app = App(context={**context, "aws:cdk:bundling-stacks": []})
    stack = AlarmChatBotStack(app, STACK_NAME, config=BotConfig.from_context(app.node))
    return Template.from_stack(stack)


def _cdk_messages(outdir: Path) -> list[str]:
    """Warnings and errors CDK itself attached to the stack (deprecations, misconfigurations)."""
    from aws_cdk.cx_api import CloudAssembly, SynthesisMessageLevel

    stack = CloudAssembly(str(outdir)).get_stack_by_name(STACK_NAME)
    return [
        f"{message.level.name} at {message.id}: {message.entry.data}"
        for message in stack.messages
        if message.level != SynthesisMessageLevel.INFO
    ]


def _lambda_asset_dir(outdir: Path) -> Path:
    """The zip-packaged file asset of the stack's asset manifest (the template is a file asset)."""
    manifest = json.loads((outdir / f"{STACK_NAME}.assets.json").read_text())
    sources = [entry["source"] for entry in manifest["files"].values()]
    zipped: list[Path] = [outdir / source["path"] for source in sources if source.get("packaging") == "zip"]
    assert len(zipped) == 1, f"expected one Lambda asset, found {zipped}"
    return zipped[0]
