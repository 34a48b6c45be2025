"""The CDK context a deploy will see, and what ``alarm-bot preflight`` checks in it (pure, no AWS).

``cdk deploy`` merges ``cdk.json``'s ``"context"`` with the ``-c key=value`` pairs of its command
line (which win). The preflight reads the same two, so that it judges the deploy that is about to
run, and it checks the one choice without a default: which Chat app the endpoint accepts.

The rules mirror ``chatbot_stack/chat_audience.py`` (a test compares them), which the CLI cannot
import: the installed ``alarm-bot`` carries only the runtime package. The bootstrap constants are
those of the pinned aws-cdk-lib (2.275.0): the ``DefaultStackSynthesizer``'s default qualifier,
its version parameter, and ``MIN_BOOTSTRAP_STACK_VERSION`` (the template's ``CheckBootstrapVersion``
rule; the lookup role needs 8, but the app makes no lookups).
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from alarm_bot_cli.errors import UsageError

AUDIENCE_KEY: Final = "chatAudience"
ADDON_KEY: Final = "addOnProjectNumber"
URL_AUDIENCE: Final = "url"
QUALIFIER_KEY: Final = "@aws-cdk/core:bootstrapQualifier"
DEFAULT_QUALIFIER: Final = "hnb659fds"
BOOTSTRAP_PARAMETER: Final = "/cdk-bootstrap/{qualifier}/version"
REQUIRED_BOOTSTRAP_VERSION: Final = 6
CDK_JSON: Final = "cdk.json"
_PROJECT_NUMBER: Final = re.compile(r"^[0-9]{1,20}$")
_WHERE: Final = (
    "the project number of your Chat app's Google Cloud project (console: project dashboard, "
    "Project info card)"
)
MISSING_AUDIENCE: Final = (
    f'{AUDIENCE_KEY} is not set: pass CDK_ARGS="-c {AUDIENCE_KEY}=<project number>" with {_WHERE}; '
    f"-c {ADDON_KEY}=<number> for a Workspace add-on, -c {AUDIENCE_KEY}={URL_AUDIENCE} to keep a stack "
    "deployed in URL mode (README, Security)"
)


def context_pair(text: str) -> tuple[str, str]:
    """``KEY=VALUE`` as ``cdk -c`` takes it (the value stays a string); for argparse ``type=``."""
    key, separator, value = text.partition("=")
    if not separator or not key.strip():
        raise ValueError(f"expected KEY=VALUE, as for cdk -c, not {text!r}")
    return key.strip(), value


def from_cdk_args(text: str) -> tuple[list[tuple[str, str]], str | None]:
    """The ``-c``/``--context`` pairs and ``--profile`` in a ``CDK_ARGS`` string; other cdk flags
    (``--require-approval never``…) are the CDK CLI's business and are passed over."""
    try:
        words = shlex.split(text)
    except ValueError as error:
        raise UsageError(f"CDK_ARGS cannot be read as shell words: {error}") from None
    pairs: list[tuple[str, str]] = []
    profile: str | None = None
    for index, word in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else None
        if word in ("-c", "--context") and following is not None:
            try:
                pairs.append(context_pair(following))
            except ValueError as error:
                raise UsageError(f"CDK_ARGS: {error}") from None
        elif word.startswith("--context="):
            pairs.append(context_pair(word.removeprefix("--context=")))
        elif word == "--profile" and following is not None:
            profile = following
        elif word.startswith("--profile="):
            profile = word.removeprefix("--profile=")
    return pairs, profile


def deploy_context(pairs: Iterable[tuple[str, str]], cdk_json: str | None) -> dict[str, object]:
    """``cdk.json``'s context (``cdk_json``, else ./cdk.json if there is one) under the pairs."""
    path = Path(cdk_json) if cdk_json is not None else Path(CDK_JSON)
    context = _file_context(path) if cdk_json is not None or path.is_file() else {}
    return {**context, **dict(pairs)}


def _file_context(path: Path) -> dict[str, object]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from None
    except ValueError as error:
        raise UsageError(f"{path} is not valid JSON: {error}") from None
    context = document.get("context", {}) if isinstance(document, dict) else None
    if not isinstance(context, dict):
        raise UsageError(f'{path}: "context" must be a JSON object')
    return {str(key): value for key, value in context.items()}


def bootstrap_parameter(context: Mapping[str, object]) -> str:
    """The SSM parameter holding the bootstrap version, for the qualifier the app will use."""
    qualifier = context.get(QUALIFIER_KEY)
    name = qualifier.strip() if isinstance(qualifier, str) and qualifier.strip() else DEFAULT_QUALIFIER
    return BOOTSTRAP_PARAMETER.format(qualifier=name)


@dataclass(frozen=True)
class Audience:
    """The chat-audience choice: ``summary`` for the success line, or the ``problem`` to fix.

    ``value`` is what the stack's ``ChatAudience`` output will say: the project number, ``url`` or
    ``add-on:<number>``.
    """

    summary: str = ""
    value: str = ""
    problem: str = ""


def chat_audience(context: Mapping[str, object]) -> Audience:
    """What ``chatbot_stack.chat_audience`` would make of the context, as one line."""
    try:
        audience = _audience(context.get(AUDIENCE_KEY, ""))
        add_on = _project_number(ADDON_KEY, context.get(ADDON_KEY, ""))
    except ValueError as error:
        return Audience(problem=str(error))
    if add_on:
        return Audience(f"chat audience add-on project {add_on}", f"add-on:{add_on}")
    if audience == URL_AUDIENCE:
        return Audience("chat audience url (any project's Chat app: see README, Security)", audience)
    if audience:
        return Audience(f"chat audience project {audience}", audience)
    return Audience(problem=MISSING_AUDIENCE)


def _audience(value: object) -> str:
    text = _text(AUDIENCE_KEY, value)
    if not text or text == URL_AUDIENCE or _PROJECT_NUMBER.match(text):
        return text
    raise ValueError(
        f"{AUDIENCE_KEY} must be a Google Cloud project number (digits) or {URL_AUDIENCE!r}, not "
        f'{text!r}: pass CDK_ARGS="-c {AUDIENCE_KEY}=<project number>" with {_WHERE}'
    )


def _project_number(key: str, value: object) -> str:
    text = _text(key, value)
    if text and not _PROJECT_NUMBER.match(text):
        raise ValueError(f"{key} must be a Google Cloud project number (digits), not {text!r}")
    return text


def _text(key: str, value: object) -> str:
    """As ``chatbot_stack.config_values.text``: strings, and bare numbers written without quotes."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{key} must be a string (in cdk.json or -c {key}=...), not {value!r}")
