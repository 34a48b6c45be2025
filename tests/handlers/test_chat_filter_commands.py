"""Account and region filters through the Chat endpoint, in both event formats, with ACCOUNT_NAMES set
as the stack sets it: a classic MESSAGE (real sample, ``argumentText``) and a Workspace add-on MESSAGE
(recorded sample, the @mention cut from ``text``), in English and Korean."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from alarm_bot.handlers import chat_events
from tests.handlers.test_chat_events_handler import (  # noqa: F401 - fixtures
    ENDPOINT,
    PROJECT,
    call,
    env,
    google,
    logs,
    real,
    request,
)
from tests.support.aws import all_items
from tests.support.google_tokens import FakeGoogleCerts, addon_email

NAMES = {"111122223333": "prod", "444455556666": "staging"}


@pytest.fixture
def named(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("ACCOUNT_NAMES", json.dumps(NAMES, separators=(",", ":")))
    monkeypatch.setattr(chat_events, "_dependencies", None)


def classic(text: str) -> dict[str, Any]:
    message = real("gchat-scala/message.json")
    message["message"]["text"] = f"@TestBot {text}"
    message["message"]["argumentText"] = f" {text}"
    return message


def add_on(text: str) -> dict[str, Any]:
    message = real("vercel-chat/replay/gchat.json", "mention")
    message["chat"]["messagePayload"]["message"]["text"] = f"@Chat SDK Demo {text}"
    return message


def filters(dynamodb: Any) -> list[str]:
    (item,) = all_items(dynamodb)
    return sorted(item.get("filters", {}).get("SS", []))


def test_a_classic_message_subscribes_by_account_name_and_region(
    named: None,
    google: FakeGoogleCerts,  # noqa: F811
    dynamodb: Any,
) -> None:
    token = google.chat_token(PROJECT)
    status, body = call(request(classic("subscribe account:prod region:ap-northeast-2 payments-*"), token))
    assert status == 200
    assert body["text"] == (
        "This space now receives alarms with name `payments-*` · account `prod` · region `ap-northeast-2`."
    )
    assert filters(dynamodb) == ["account:111122223333", "payments-*", "region:ap-northeast-2"]
    _, body = call(request(classic("unsubscribe region:Seoul"), google.chat_token(PROJECT)))
    assert body["text"] == "“Seoul” is not a region code; did you mean region:ap-northeast-2?"
    _, body = call(request(classic("status"), google.chat_token(PROJECT)))
    assert "account `prod`" in body["text"]
    _, body = call(request(classic("unsubscribe account:PROD"), google.chat_token(PROJECT)))
    assert body["text"].startswith("Removed `account:prod`.")
    assert filters(dynamodb) == ["payments-*", "region:ap-northeast-2"]


def test_an_add_on_message_takes_the_korean_words(
    named: None,
    google: FakeGoogleCerts,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    dynamodb: Any,
) -> None:
    monkeypatch.setenv("CHAT_AUDIENCE", ENDPOINT)
    monkeypatch.setenv("ADDON_PROJECT_NUMBER", PROJECT)
    monkeypatch.setenv("LOCALE", "ko")

    def say(text: str) -> str:
        status, body = call(request(add_on(text), google.id_token(ENDPOINT, addon_email(PROJECT))))
        assert status == 200
        message = body["hostAppDataAction"]["chatDataAction"]["createMessageAction"]["message"]
        return str(message["text"])

    assert say("구독 계정:staging 리전:us-east-1 리전:eu-west-1") == (
        "이제 이 스페이스로 계정 `staging` · 리전 `eu-west-1` 또는 `us-east-1` 조건에 맞는 알람이 전달됩니다."
    )
    assert filters(dynamodb) == ["account:444455556666", "region:eu-west-1", "region:us-east-1"]
    assert say("구독 acount:staging").startswith("“acount:staging”: acount:은(는) 필터 종류가 아닙니다.")
    assert say("구독해지 리전:eu-west-1").startswith("`region:eu-west-1`을(를) 제거했습니다.")
    assert filters(dynamodb) == ["account:444455556666", "region:us-east-1"]


def test_malformed_account_names_are_reported_not_raised_and_store_nothing(
    env: dict[str, str],  # noqa: F811
    google: FakeGoogleCerts,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    dynamodb: Any,
    logs: io.StringIO,  # noqa: F811
) -> None:
    monkeypatch.setenv("ACCOUNT_NAMES", '{"12345": "prod"}')
    status, body = call(request(classic("subscribe account:prod"), google.chat_token(PROJECT)))
    assert (status, body) == (500, {"error": "the bot is misconfigured; see its logs"})
    assert all_items(dynamodb) == []
    assert "ACCOUNT_NAMES key '12345' is not a 12-digit account id" in logs.getvalue()
