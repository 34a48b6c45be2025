"""The HTTP API v2 envelope read through Powertools' data class: the edges its own decoding differs on.

``APIGatewayProxyEventV2`` reads the header and the body; the body is decoded by the handler, since
Powertools' ``json_body`` drops non-base64 characters, has no size limit and fails on lone
surrogates. Each case here is one of those differences, or a header a direct invoke could send.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from alarm_bot.handlers.chat_events import MAX_BODY_BYTES
from tests.handlers import test_chat_events_handler as endpoint_tests
from tests.handlers.test_chat_events_handler import PROJECT, call, real, request
from tests.support.aws import all_items
from tests.support.google_tokens import FakeGoogleCerts

env, google = endpoint_tests.env, endpoint_tests.google  # shared fixtures


def test_the_authorization_header_is_found_in_any_capitalisation(
    env: dict[str, str], google: FakeGoogleCerts
) -> None:
    event = request(real("chattice/message.json"), None)
    event["headers"]["AUTHORIZATION"] = f"Bearer {google.chat_token(PROJECT)}"
    assert call(event)[0] == 200


@pytest.mark.parametrize(
    "headers",
    [None, [], "authorization", [["authorization", "Bearer x"]], {"authorization": 5}],
    ids=["none", "empty list", "a string", "a list of pairs", "a number"],
)
def test_headers_that_are_not_strings_by_name_are_no_header(
    headers: Any, env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any
) -> None:
    event = request(real("gchat-scala/added_to_space.json"), None)
    event["headers"] = headers
    assert call(event) == (401, {"error": "unauthorized"})
    assert all_items(dynamodb) == []


def _signed(google: FakeGoogleCerts, body: str, *, b64: bool) -> dict[str, Any]:
    event = request(None, google.chat_token(PROJECT), raw="{}")
    event["body"], event["isBase64Encoded"] = body, b64
    return event


def test_base64_with_characters_outside_the_alphabet_is_a_400(
    env: dict[str, str], google: FakeGoogleCerts
) -> None:
    encoded = base64.b64encode(json.dumps(real("chattice/message.json")).encode()).decode()
    event = _signed(google, f"{encoded[:8]}!{encoded[8:]}", b64=True)
    assert call(event) == (400, {"error": "request body is not valid JSON"})


@pytest.mark.parametrize("b64", [False, True], ids=["text", "base64"])
def test_a_body_over_the_limit_is_a_400(b64: bool, env: dict[str, str], google: FakeGoogleCerts) -> None:
    text = json.dumps({"type": "MESSAGE", "pad": "x" * MAX_BODY_BYTES})
    body = base64.b64encode(text.encode()).decode() if b64 else text
    assert call(_signed(google, body, b64=b64)) == (400, {"error": "request body is too large"})


def test_a_lone_surrogate_in_base64_utf8_becomes_a_replacement_character(
    env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any
) -> None:
    event = real("gchat-scala/message.json")
    event["user"]["displayName"] = "Jane \ud800 Doe"
    raw = json.dumps(event, ensure_ascii=False).encode("utf-8", "surrogatepass")
    assert call(_signed(google, base64.b64encode(raw).decode(), b64=True))[0] == 200
    assert "Jane \ufffd Doe" in str(all_items(dynamodb))  # the space record's added_by
