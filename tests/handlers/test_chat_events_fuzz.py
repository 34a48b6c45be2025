"""Signed junk: every field of real Chat events mutated, and the endpoint still answers 200 or 400.

Hypothesis takes a real classic or add-on event, replaces or removes one value anywhere in it (or
two), with values of every JSON type, deep nesting, long strings and any Unicode including lone
surrogates, and posts it with a valid token. What must hold for every one of them: the answer is
200, or 400 with a short reason and nothing stored; every log line is one JSON object that can be
written as UTF-8 (what Lambda does with it).
"""

from __future__ import annotations

import copy
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alarm_bot.handlers import chat_events
from tests.handlers import test_chat_events_handler as endpoint_tests
from tests.handlers.test_chat_events_handler import ENDPOINT, PROJECT, LambdaContext, real
from tests.handlers.test_chat_events_handler import request as api_request
from tests.support.aws import all_items
from tests.support.google_tokens import FakeGoogleCerts, addon_email

env, google, logs = endpoint_tests.env, endpoint_tests.google, endpoint_tests.logs  # shared fixtures

CLASSIC = [
    "gchat-scala/added_to_space.json",
    "gchat-scala/message.json",
    "gchat-scala/card_clicked.json",
    "gchat-scala/removed_from_space.json",
    "chattice/app_command.json",
    "chattice/slash_command.json",
    "chattice/card_clicked.json",
]
ADD_ON = [
    ("vercel-chat/replay/gchat.json", "mention"),
    ("vercel-chat/replay/actions-reactions/gchat.json", "action"),
]

texts = st.text(alphabet=st.characters(codec=None, categories=None), max_size=40) | st.sampled_from(
    ["", "spaces/AAA", "users/all", "<users/all>", "\ud800", "a\udfffb", "BOT", "USER_MENTION", "x" * 5000]
)
scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | texts
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document where a value sits."""
    yield prefix
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        yield from paths(child, (*prefix, key))


def mutate(event: dict[str, Any], path: tuple[Any, ...], new: Any, remove: bool) -> Any:
    if not path:
        return new
    changed = copy.deepcopy(event)
    parent = changed
    for key in path[:-1]:
        parent = parent[key]
    if remove and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return changed


@st.composite
def mutated(draw: st.DrawFn, samples: list[dict[str, Any]]) -> Any:
    event: Any = draw(st.sampled_from(samples))
    for _ in range(draw(st.integers(1, 2))):
        if not isinstance(event, dict):
            break
        path = draw(st.sampled_from(list(paths(event))))
        event = mutate(event, path, draw(values), draw(st.booleans()))
    return event


@dataclass
class Endpoint:
    google: FakeGoogleCerts
    dynamodb: Any
    logs: io.StringIO
    capsys: pytest.CaptureFixture[str]


@pytest.fixture
def endpoint(
    request: pytest.FixtureRequest, dynamodb: Any, logs: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> Endpoint:
    request.getfixturevalue("env")
    return Endpoint(request.getfixturevalue("google"), dynamodb, logs, capsys)


def check(body: Any, token: str, endpoint: Endpoint) -> None:
    """Post ``body`` signed with ``token``: 200, or 400 with nothing stored; every log line writable."""
    dynamodb, logs = endpoint.dynamodb, endpoint.logs
    before = all_items(dynamodb)
    logs.seek(0)
    logs.truncate()
    try:
        raw = json.dumps(body)
    except (ValueError, RecursionError):  # not JSON at all: no request could carry it
        return
    response = chat_events.handler(api_request(None, token, raw=raw), LambdaContext())
    answer = json.loads(response["body"])
    assert response["statusCode"] in (200, 400), (response, raw[:500])
    if response["statusCode"] == 400:
        assert isinstance(answer["error"], str) and len(answer["error"]) <= 200
        assert all_items(dynamodb) == before, "a 400 stored something"
    for line in logs.getvalue().splitlines():
        line.encode("utf-8")  # strict, as Lambda writes it: a lone surrogate would fail here
        assert isinstance(json.loads(line), dict)
    assert "Logging error" not in endpoint.capsys.readouterr().err


FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@FUZZ
@given(body=mutated([real(path) for path in CLASSIC]))
def test_signed_classic_junk_is_200_or_400(body: Any, endpoint: Endpoint) -> None:
    check(body, endpoint.google.chat_token(PROJECT), endpoint)


@FUZZ
@given(body=mutated([real(path, key) for path, key in ADD_ON]))
def test_signed_add_on_junk_is_200_or_400(
    body: Any, endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAT_AUDIENCE", ENDPOINT)
    monkeypatch.setenv("ADDON_PROJECT_NUMBER", PROJECT)
    monkeypatch.setattr(chat_events, "_dependencies", None)
    check(body, endpoint.google.id_token(ENDPOINT, addon_email(PROJECT)), endpoint)


def test_a_lone_surrogate_in_a_log_line_is_written_as_its_escape(logs: io.StringIO) -> None:
    chat_events.logger.warning("rejected malformed event", extra={"reason": "a\ud800b 한국어"})
    (line,) = logs.getvalue().splitlines()
    line.encode("utf-8")
    assert json.loads(line)["reason"] == "a\ud800b 한국어"


def _set(path: str, key: str | None, where: tuple[Any, ...], value: Any) -> Any:
    return mutate(real(path, key), where, value, remove=False)


MENTION = ("message", "annotations", 0, "userMention")
KNOWN = {
    "userMention a number": _set("gchat-scala/message.json", None, MENTION, 5),
    "user a string": _set("gchat-scala/message.json", None, (*MENTION, "user"), "BOT"),
    "startIndex a boolean": _set(
        "gchat-scala/message.json", None, ("message", "annotations", 0, "startIndex"), True
    ),
    "action.parameters a number": _set("chattice/card_clicked.json", None, ("action", "parameters"), 7),
    "action.parameters a boolean": _set("chattice/card_clicked.json", None, ("action", "parameters"), True),
    "user name a lone surrogate": _set("gchat-scala/message.json", None, ("user", "name"), "\ud800"),
    "display name a lone surrogate": _set(
        "gchat-scala/message.json", None, ("user", "displayName"), "Jane \udfff Doe"
    ),
    "add-on userMention false": _set(
        "vercel-chat/replay/gchat.json", "mention", ("chat", "messagePayload", *MENTION), False
    ),
}


@pytest.mark.parametrize("case", sorted(KNOWN))
def test_the_junk_that_once_raised(case: str, endpoint: Endpoint) -> None:
    check(KNOWN[case], endpoint.google.chat_token(PROJECT), endpoint)
