"""The preflight judges the context as the CDK app will, and the bootstrap as the pinned CDK does.

``alarm_bot_cli.cdk_context`` cannot import ``chatbot_stack`` (the installed command carries only
``alarm_bot_cli`` and the runtime package), so these tests hold the two together: every value the
app accepts, the preflight accepts, and the other way round; and the bootstrap constants are read
from the pinned aws-cdk-lib's own synthesizer source.
"""

from __future__ import annotations

import re
import tarfile
from importlib import util
from pathlib import Path

import pytest

from alarm_bot_cli import cdk_context
from chatbot_stack import chat_audience

VALUES: list[object] = ["", "1234", "123456789012", "url", " 42 ", 987, None, "URL", "12ab", "https://x"]
VALUES += [True, "0" * 21, "-1", 1.5]


def app_accepts(audience: object, add_on: object) -> str | None:
    """The ``ChatAudience`` output the app would deploy with, or ``None`` if synth would stop."""
    try:
        chosen = chat_audience.audience("" if audience is None else audience)
        number = chat_audience.optional_project_number(
            chat_audience.ADDON_KEY, "" if add_on is None else add_on
        )
        chat_audience.check_chosen(chosen, number)
    except ValueError:
        return None
    return chat_audience.output_value(chosen, number)


@pytest.mark.parametrize("audience", VALUES, ids=repr)
@pytest.mark.parametrize("add_on", ["", "5551", "x1", 7, None], ids=repr)
def test_the_preflight_accepts_what_the_app_accepts(audience: object, add_on: object) -> None:
    verdict = cdk_context.chat_audience({"chatAudience": audience, "addOnProjectNumber": add_on})
    expected = app_accepts(audience, add_on)
    assert (verdict.value or None) == expected, verdict
    assert bool(verdict.problem) == (expected is None)


def test_the_same_key_names_as_the_app() -> None:
    assert (cdk_context.AUDIENCE_KEY, cdk_context.ADDON_KEY, cdk_context.URL_AUDIENCE) == (
        chat_audience.AUDIENCE_KEY,
        chat_audience.ADDON_KEY,
        chat_audience.URL_AUDIENCE,
    )


def test_missing_keys_are_not_chosen() -> None:
    assert cdk_context.chat_audience({}).problem == cdk_context.MISSING_AUDIENCE


def _synthesizer_source() -> str:
    spec = util.find_spec("aws_cdk")
    assert spec is not None and spec.origin is not None, "make test installs aws-cdk-lib (the cdk extra)"
    (bundle,) = Path(spec.origin).parent.glob("_jsii/aws-cdk-lib@*.jsii.tgz")
    with tarfile.open(bundle) as archive:
        member = archive.extractfile("package/core/lib/stack-synthesizers/default-synthesizer.js")
        assert member is not None
        return member.read().decode("utf-8")


def test_bootstrap_constants_are_the_pinned_cdk_libs() -> None:
    source = _synthesizer_source()
    assert re.search(r"\bMIN_BOOTSTRAP_STACK_VERSION=(\d+)", source)[1] == str(  # type: ignore[index]
        cdk_context.REQUIRED_BOOTSTRAP_VERSION
    )
    assert f'DEFAULT_QUALIFIER="{cdk_context.DEFAULT_QUALIFIER}"' in source
    assert f'BOOTSTRAP_QUALIFIER_CONTEXT="{cdk_context.QUALIFIER_KEY}"' in source
    assert '"/cdk-bootstrap/${Qualifier}/version"' in source


@pytest.mark.parametrize(
    ("context", "parameter"),
    [
        ({}, "/cdk-bootstrap/hnb659fds/version"),
        ({"@aws-cdk/core:bootstrapQualifier": "team42"}, "/cdk-bootstrap/team42/version"),
        ({"@aws-cdk/core:bootstrapQualifier": " "}, "/cdk-bootstrap/hnb659fds/version"),
    ],
)
def test_bootstrap_parameter(context: dict[str, object], parameter: str) -> None:
    assert cdk_context.bootstrap_parameter(context) == parameter


@pytest.mark.parametrize(
    ("text", "pair"),
    [("a=b", ("a", "b")), ("a=b=c", ("a", "b=c")), ("a=", ("a", "")), (" k =v ", ("k", "v "))],
)
def test_context_pair(text: str, pair: tuple[str, str]) -> None:
    assert cdk_context.context_pair(text) == pair
