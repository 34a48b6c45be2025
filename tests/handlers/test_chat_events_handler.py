"""The Chat endpoint end to end: real API Gateway v2 envelope, real Google-style tokens verified
against certificates served on 127.0.0.1, the DynamoDB table on moto."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from alarm_bot.handlers import chat_events
from alarm_bot.settings import Settings
from tests.support.aws import BOT_ID, TABLE_NAME, all_items
from tests.support.function_log_capture import captured_function_logs
from tests.support.google_tokens import FakeGoogleCerts, addon_email
from tests.support.lambda_env import cold_start

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
PROJECT = "123456789012"
ENDPOINT = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat"


def real(path: str, key: str | None = None) -> dict[str, Any]:
    data = json.loads((REAL / path).read_text())
    return data[key] if key else data


@dataclass
class LambdaContext:
    function_name: str = "chat-events"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:ap-northeast-2:111122223333:function:chat-events"
    aws_request_id: str = "4d7f3b2a-0000-4000-8000-000000000000"


@pytest.fixture
def google() -> Iterator[FakeGoogleCerts]:
    with FakeGoogleCerts() as certs:
        yield certs


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, google: FakeGoogleCerts, dynamodb: Any) -> dict[str, str]:
    values = {
        "SUBSCRIPTIONS_TABLE": TABLE_NAME,
        "BOT_ID": BOT_ID,
        "CHAT_AUDIENCE": PROJECT,
        "LOCALE": "en",
        "CHAT_CERTS_URL": google.url,
        "GOOGLE_OIDC_CERTS_URL": google.url,
        "SLASH_COMMANDS": json.dumps({"2": "status", "5": "mute"}),
        "TIME_ZONE": "Asia/Seoul",
    }
    cold_start(monkeypatch, chat_events, values)
    return values


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """What the function writes to CloudWatch Logs (Powertools' JSON lines)."""
    with captured_function_logs(chat_events.logger) as stream:
        yield stream


def request(body: Any, token: str | None, *, raw: str | None = None, b64: bool = False) -> dict[str, Any]:
    """The real HTTP API v2 sample with our headers and body."""
    event = copy.deepcopy(real("powertools-python/apiGatewayProxyV2Event.json"))
    event["headers"] = {"content-type": "application/json", "user-agent": "Google-Dynamite"}
    if token is not None:
        event["headers"]["authorization"] = f"Bearer {token}"
    text = raw if raw is not None else json.dumps(body)
    event["body"] = base64.b64encode(text.encode()).decode() if b64 else text
    event["isBase64Encoded"] = b64
    return event


def call(event: dict[str, Any]) -> tuple[int, Any]:
    response = chat_events.handler(event, LambdaContext())
    assert response["headers"]["Content-Type"].startswith("application/json")
    return response["statusCode"], json.loads(response["body"])


def test_added_to_space_is_stored_and_welcomed(
    env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any
) -> None:
    status, body = call(request(real("gchat-scala/added_to_space.json"), google.chat_token(PROJECT)))
    assert status == 200
    assert body["cardsV2"][0]["cardId"] == "welcome"
    (item,) = all_items(dynamodb)
    assert item["bot_id"]["S"] == BOT_ID
    assert item["space_id"]["S"] == "spaces/AAAAAAAAAAA"
    assert item["display_name"]["S"] == "Chuck Norris Discussion Room"


def test_removed_from_space_answers_empty(
    env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any
) -> None:
    call(request(real("gchat-scala/added_to_space.json"), google.chat_token(PROJECT)))
    status, body = call(request(real("gchat-scala/removed_from_space.json"), google.chat_token(PROJECT)))
    assert (status, body) == (200, {})
    assert all_items(dynamodb) == []


def test_classic_button_click_answers_with_a_new_message(
    env: dict[str, str], google: FakeGoogleCerts
) -> None:
    status, body = call(request(real("chattice/card_clicked.json"), google.chat_token(PROJECT)))
    assert status == 200
    assert body["actionResponse"] == {"type": "NEW_MESSAGE"}
    assert body["text"] == "That button is no longer available. Type help for the commands."


def test_add_on_events_are_answered_in_the_add_on_envelope(
    env: dict[str, str], google: FakeGoogleCerts, monkeypatch: pytest.MonkeyPatch, dynamodb: Any
) -> None:
    monkeypatch.setenv("CHAT_AUDIENCE", ENDPOINT)
    monkeypatch.setenv("ADDON_PROJECT_NUMBER", PROJECT)
    monkeypatch.setenv("LOCALE", "ko")
    message = real("vercel-chat/replay/gchat.json", "mention")
    message["chat"]["messagePayload"]["message"]["text"] = "@Chat SDK Demo mute 2h"
    token = google.id_token(ENDPOINT, addon_email(PROJECT))
    status, body = call(request(message, token))
    assert status == 200
    reply = body["hostAppDataAction"]["chatDataAction"]["createMessageAction"]["message"]
    assert reply["text"].endswith("까지 이 스페이스의 알람을 음소거합니다.")
    (item,) = all_items(dynamodb)
    assert int(item["muted_until"]["N"]) == pytest.approx(time.time() + 7200, abs=60)


def test_url_audience_accepts_a_chat_id_token(
    env: dict[str, str], google: FakeGoogleCerts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAT_AUDIENCE", ENDPOINT)
    status, body = call(request(real("chattice/slash_command.json"), google.id_token(ENDPOINT)))
    assert status == 200
    assert body["text"].startswith("I don't know “#42”")


def test_base64_body_is_decoded(env: dict[str, str], google: FakeGoogleCerts) -> None:
    status, body = call(request(real("chattice/message.json"), google.chat_token(PROJECT), b64=True))
    assert status == 200
    assert body["text"].startswith("I don't know “ping”")


def _none_token() -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims = FakeGoogleCerts.chat_claims(PROJECT)
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _hs256_token(google: FakeGoogleCerts) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = part(json.dumps({"alg": "HS256", "kid": google.kid}).encode())
    payload = part(json.dumps(FakeGoogleCerts.chat_claims(PROJECT)).encode())
    secret = google.certificate_pem().encode()
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{part(signature)}"


FORGERIES = {
    "no header": lambda g: None,
    "garbage": lambda g: "not-a-jwt",
    "expired": lambda g: g.chat_token(PROJECT, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
    "not yet valid": lambda g: g.chat_token(
        PROJECT, iat=int(time.time()) + 3600, exp=int(time.time()) + 7200
    ),
    "wrong audience": lambda g: g.chat_token("999999999999"),
    "wrong issuer": lambda g: g.chat_token(PROJECT, iss="someone@example.iam.gserviceaccount.com"),
    "id token for project-number mode": lambda g: g.id_token(PROJECT),
    "unknown key": lambda g: g.chat_token(PROJECT, kid=g.add_key(publish=False)),
    "alg none": lambda g: _none_token(),
    "hs256 with public key": _hs256_token,
    "lives for a year": lambda g: g.chat_token(PROJECT, exp=int(time.time()) + 365 * 86400),
    "exp Infinity": lambda g: g.chat_token(PROJECT, exp=float("inf")),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_forged_requests_get_401_and_write_nothing(
    forgery: str, env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any
) -> None:
    token = FORGERIES[forgery](google)
    status, body = call(request(real("gchat-scala/added_to_space.json"), token))
    assert (status, body) == (401, {"error": "unauthorized"})
    assert all_items(dynamodb) == []


def test_wrong_scheme_gets_401(env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any) -> None:
    event = request(real("gchat-scala/added_to_space.json"), None)
    event["headers"]["Authorization"] = f"Basic {google.chat_token(PROJECT)}"
    assert call(event)[0] == 401
    assert all_items(dynamodb) == []


def test_cert_endpoint_down_fails_closed(
    env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any, logs: io.StringIO
) -> None:
    google.status = 500
    status, _ = call(request(real("gchat-scala/added_to_space.json"), google.chat_token(PROJECT)))
    assert status == 401
    assert all_items(dynamodb) == []
    record = json.loads(logs.getvalue().splitlines()[-1])
    assert (record["level"], record["message"]) == ("ERROR", "cannot fetch Google's signing certificates")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "request body is empty"),
        ("{not json", "request body is not valid JSON"),
        ("[" * 100_000, "request body is not valid JSON"),
        ("[]", "request body must be a JSON object"),
        ('{"type": "MESSAGE"}', "space is missing"),
        ('{"type": "TYPING", "space": {"name": "spaces/A"}}', "unknown event type 'TYPING'"),
        ('{"type": "MESSAGE", "space": {"name": "spaces/A"}, "message": 5}', "message must be an object"),
    ],
)
def test_malformed_bodies_get_400_and_write_nothing(
    raw: str, message: str, env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any
) -> None:
    status, body = call(request(None, google.chat_token(PROJECT), raw=raw))
    assert (status, body) == (400, {"error": message})
    assert all_items(dynamodb) == []


def test_storage_failure_is_a_500_without_details(
    env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any, logs: io.StringIO
) -> None:
    dynamodb.delete_table(TableName=TABLE_NAME)
    status, body = call(request(real("gchat-scala/added_to_space.json"), google.chat_token(PROJECT)))
    assert (status, body) == (500, {"error": "internal error"})
    record = json.loads(logs.getvalue().splitlines()[-1])
    assert record["message"] == "failed to handle chat event"
    assert record["exception_name"] == "ResourceNotFoundException"  # the log has the cause


def test_misconfiguration_is_reported_not_raised(
    env: dict[str, str], google: FakeGoogleCerts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCALE", "fr")
    status, body = call(request(real("gchat-scala/added_to_space.json"), google.chat_token(PROJECT)))
    assert (status, body) == (500, {"error": "the bot is misconfigured; see its logs"})


def test_tokens_and_message_text_never_reach_the_logs(
    env: dict[str, str], google: FakeGoogleCerts, logs: io.StringIO
) -> None:
    good = google.chat_token(PROJECT)
    call(request(real("gchat-scala/message.json"), good))
    bad = google.chat_token("999999999999")
    call(request(real("gchat-scala/message.json"), bad))
    written = logs.getvalue()
    assert "handled chat event" in written and "rejected unverified request" in written
    assert good not in written and bad not in written
    assert good.split(".")[2] not in written
    assert "Violence is my last option" not in written


def test_dependencies_are_built_once_per_container(env: dict[str, str], google: FakeGoogleCerts) -> None:
    call(request(real("chattice/message.json"), google.chat_token(PROJECT)))
    first = chat_events._dependencies
    call(request(real("chattice/message.json"), google.chat_token(PROJECT)))
    assert first is not None and chat_events._dependencies is first
    assert google.fetch_count == 1  # certificates cached across invocations


def test_build_dependencies_uses_the_settings(env: dict[str, str]) -> None:
    deps = chat_events.build_dependencies(Settings.from_env())
    assert deps.verifier is not None and deps.bot is not None


@pytest.mark.parametrize(
    "name", ["spaces/AAA/messages/M1", "spaces/AAA#alarm#0123", "spaces/AAA\x00", "spaces/"]
)
def test_a_bad_space_name_gets_400_and_stores_nothing(
    name: str, env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any
) -> None:
    event = real("gchat-scala/added_to_space.json")
    event["space"]["name"] = name
    status, body = call(request(event, google.chat_token(PROJECT)))
    assert status == 400 and body["error"].startswith("space.name is not a space name")
    assert all_items(dynamodb) == []


def _classic(kind: str) -> dict[str, Any]:
    event = real("gchat-scala/message.json")
    event["type"] = kind
    return event


def _add_on(payload: str) -> dict[str, Any]:
    event = real("vercel-chat/replay/gchat.json", "mention")
    event["chat"][payload] = event["chat"].pop("messagePayload")
    return event


UNUSED = {
    "classic APP_HOME": lambda: _classic("APP_HOME"),
    "classic SUBMIT_FORM": lambda: _classic("SUBMIT_FORM"),
    "classic WIDGET_UPDATED": lambda: _classic("WIDGET_UPDATED"),
    "add-on widgetUpdatedPayload": lambda: _add_on("widgetUpdatedPayload"),
    "add-on a payload not known yet": lambda: _add_on("somethingNewPayload"),
    "add-on form submission, no payload (real sample)": lambda: real("chattice/submit_form.json"),
}


@pytest.mark.parametrize("case", sorted(UNUSED))
def test_events_the_bot_has_no_use_for_get_an_empty_200(
    case: str, env: dict[str, str], google: FakeGoogleCerts, dynamodb: Any
) -> None:
    status, body = call(request(UNUSED[case](), google.chat_token(PROJECT)))
    assert (status, body) == (200, {})
    assert all_items(dynamodb) == []
