"""The playground's API Gateway: HTTP requests become payload 2.0 events, answers become responses.

The event is checked against API Gateway's rules and the shape of the real HTTP API sample
(tests/fixtures/real/powertools-python/apiGatewayProxyV2Event.json); the server is checked over
real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import requests

from playground.gateway import HttpApi, answer_request, http_api_event, http_response

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures/real/powertools-python/apiGatewayProxyV2Event.json"
ROUTE = ("POST", "/chat")


def _event(**overrides: Any) -> dict[str, Any]:
    arguments: dict[str, Any] = {
        "method": "POST",
        "target": "/chat?b=2&a=1&a=3",
        "headers": [
            ("Content-Type", "application/json"),
            ("X-Two", "a"),
            ("x-two", "b"),
            ("User-Agent", "ua"),
        ],
        "body": b'{"type": "MESSAGE"}',
        "route_key": "POST /chat",
        "now": 1583348638.39,
    }
    arguments.update(overrides)
    return http_api_event(**arguments)


def test_a_request_becomes_an_event_shaped_like_the_real_sample() -> None:
    sample = json.loads(SAMPLE.read_text())
    event = _event(headers=[("Content-Type", "application/json"), ("Cookie", "a=1; b=2")])
    assert set(event) <= set(sample)
    assert set(event["requestContext"]) <= set(sample["requestContext"])
    assert set(event["requestContext"]["http"]) == set(sample["requestContext"]["http"])
    assert event["version"] == sample["version"] == "2.0"
    assert event["cookies"] == ["a=1", "b=2"]


def test_headers_are_lower_case_and_repeated_ones_joined_with_commas() -> None:
    event = _event()
    assert event["headers"] == {"content-type": "application/json", "x-two": "a,b", "user-agent": "ua"}
    assert event["requestContext"]["http"]["userAgent"] == "ua"


def test_the_path_query_and_route_are_as_api_gateway_gives_them() -> None:
    event = _event()
    assert (event["routeKey"], event["rawPath"], event["rawQueryString"]) == (
        "POST /chat",
        "/chat",
        "b=2&a=1&a=3",
    )
    assert event["queryStringParameters"] == {"a": "1,3", "b": "2"}
    http = event["requestContext"]["http"]
    assert (http["method"], http["path"], http["sourceIp"]) == ("POST", "/chat", "127.0.0.1")
    assert event["requestContext"]["time"] == "04/Mar/2020:19:03:58 +0000"
    assert event["requestContext"]["timeEpoch"] == 1583348638390


def test_a_text_body_is_passed_as_it_is() -> None:
    event = _event(body='{"text": "상태"}'.encode())
    assert (event["body"], event["isBase64Encoded"]) == ('{"text": "상태"}', False)


def test_a_binary_body_is_base64_encoded() -> None:
    for content_type, body in (("application/octet-stream", b"\x00\x01"), ("application/json", b"\xff\xfe")):
        event = _event(headers=[("Content-Type", content_type)], body=body)
        assert event["isBase64Encoded"] is True
        assert base64.b64decode(event["body"]) == body


def test_no_body_means_no_body_key_and_no_query_means_no_parameters() -> None:
    event = _event(body=b"", target="/chat")
    assert "body" not in event and "queryStringParameters" not in event
    assert event["isBase64Encoded"] is False


def test_a_response_becomes_status_headers_cookies_and_body() -> None:
    status, headers, body = http_response(
        {"statusCode": 401, "headers": {"Content-Type": "application/json"}, "cookies": ["c=1"], "body": "{}"}
    )
    assert (status, body) == (401, b"{}")
    assert headers == [("Content-Type", "application/json"), ("Set-Cookie", "c=1")]


def test_a_base64_response_is_decoded_and_an_answer_without_status_is_200_json() -> None:
    assert http_response({"statusCode": 200, "body": "AAE=", "isBase64Encoded": True})[2] == b"\x00\x01"
    assert http_response({"text": "hi"}) == (200, [("Content-Type", "application/json")], b'{"text": "hi"}')


def test_only_the_route_invokes_the_function() -> None:
    calls: list[dict[str, Any]] = []

    def handler(event: dict[str, Any]) -> dict[str, Any]:
        calls.append(event)
        return {"statusCode": 204}

    for method, target in (("GET", "/chat"), ("POST", "/other")):
        answer = answer_request(handler, ROUTE, method=method, target=target, headers=[], body=b"")
        assert answer[0] == 404
    assert answer_request(handler, ROUTE, method="POST", target="/chat", headers=[], body=b"x")[0] == 204
    assert len(calls) == 1


def test_a_failing_function_is_a_500_without_details() -> None:
    def handler(event: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("secret detail")

    status, _, body = answer_request(handler, ROUTE, method="POST", target="/chat", headers=[], body=b"{}")
    assert status == 500 and b"secret" not in body


def test_the_server_answers_over_http_on_loopback() -> None:
    seen: list[dict[str, Any]] = []

    def handler(event: dict[str, Any]) -> dict[str, Any]:
        seen.append(event)
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": event["body"]}

    api = HttpApi(handler).start()
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/chat", api.url)
        response = requests.post(
            api.url, json={"type": "MESSAGE"}, headers={"Authorization": "Bearer t"}, timeout=5
        )
        assert (response.status_code, response.json()) == (200, {"type": "MESSAGE"})
        assert seen[0]["headers"]["authorization"] == "Bearer t"
        assert seen[0]["requestContext"]["domainName"] == api.url.split("/")[2]
        assert requests.get(api.url, timeout=5).status_code == 404
    finally:
        api.stop()
