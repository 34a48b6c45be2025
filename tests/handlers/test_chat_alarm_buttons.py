"""Alarm card buttons through the Chat endpoint, in both event formats: real envelopes, real signed
tokens, the table on moto, and cards rendered and stored as the fan-out does it."""

from __future__ import annotations

import base64
import copy
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alarm_bot.handlers import chat_events
from alarm_bot.store.alarm_messages import DynamoAlarmMessages
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.alarm_cards import (
    ALARM,
    ENDPOINT,
    add_on_click,
    button,
    button_labels,
    classic_click,
    posted_card,
    seed,
    status_texts,
)
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.chat_schema import validate_message
from tests.support.google_tokens import FakeGoogleCerts, addon_email
from tests.support.lambda_env import cold_start

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
PROJECT = "123456789012"
SPACE = "spaces/AAQAO1heGsE"
CARD = f"{SPACE}/messages/A6woZAHrIjs.9qQCF6JGUNg"
FORMATS = ("classic", "add-on")


class Context:
    function_name = "chat-events"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:ap-northeast-2:111122223333:function:chat-events"
    aws_request_id = "4d7f3b2a-0000-4000-8000-000000000000"


@pytest.fixture
def google() -> Iterator[FakeGoogleCerts]:
    with FakeGoogleCerts() as certs:
        yield certs


@pytest.fixture(params=FORMATS)
def fmt(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, google: FakeGoogleCerts, dynamodb: Any
) -> str:
    """Each test runs once as a classic Chat app and once as a Workspace add-on."""
    add_on = request.param == "add-on"
    values = {
        "SUBSCRIPTIONS_TABLE": TABLE_NAME,
        "BOT_ID": BOT_ID,
        "CHAT_AUDIENCE": ENDPOINT if add_on else PROJECT,
        "CHAT_ENDPOINT_URL": ENDPOINT,
        "LOCALE": "en",
        "TIME_ZONE": "Asia/Seoul",
        "CHAT_CERTS_URL": google.url,
        "GOOGLE_OIDC_CERTS_URL": google.url,
    }
    if add_on:
        values["ADDON_PROJECT_NUMBER"] = PROJECT
    else:
        monkeypatch.delenv("ADDON_PROJECT_NUMBER", raising=False)
    cold_start(monkeypatch, chat_events, values)
    seed(dynamodb, SPACE, CARD)
    return str(request.param)


def click(
    fmt: str,
    google: FakeGoogleCerts,
    label: str = "Acknowledge",
    *,
    user: tuple[str, str] = ("users/1", "Jane"),
    parameters: dict[str, str] | None = None,
    space: str = SPACE,
    message_name: str = CARD,
) -> dict[str, Any]:
    """Click the posted card's button ``label`` (or send ``parameters`` instead); the 200 body."""
    function, params = button(posted_card(add_on=fmt == "add-on"), label)
    params = params if parameters is None else parameters
    if fmt == "classic":
        body = classic_click(space, function, params, message_name=message_name, user=user)
        token = google.chat_token(PROJECT)
    else:
        body = add_on_click(space, params, message_name=message_name, user=user)
        token = google.id_token(ENDPOINT, addon_email(PROJECT))
    event = copy.deepcopy(json.loads((REAL / "powertools-python/apiGatewayProxyV2Event.json").read_text()))
    event["headers"] = {"content-type": "application/json", "authorization": f"Bearer {token}"}
    event["body"] = base64.b64encode(json.dumps(body).encode()).decode()
    event["isBase64Encoded"] = True
    response = chat_events.handler(event, Context())
    assert response["statusCode"] == 200, response
    answer: dict[str, Any] = json.loads(response["body"])
    return answer


def updated_card(fmt: str, answer: dict[str, Any]) -> dict[str, Any]:
    """The card from an UPDATE_MESSAGE (classic) or updateMessageAction (add-on) answer."""
    if fmt == "classic":
        assert answer["actionResponse"] == {"type": "UPDATE_MESSAGE"}
        message = {key: value for key, value in answer.items() if key != "actionResponse"}
    else:
        message = answer["hostAppDataAction"]["chatDataAction"]["updateMessageAction"]["message"]
    validate_message(message)
    return message


def reply_text(fmt: str, answer: dict[str, Any]) -> str:
    """The text of a new message (the card is left as it is)."""
    if fmt == "classic":
        assert answer["actionResponse"] == {"type": "NEW_MESSAGE"}
        return str(answer["text"])
    return str(answer["hostAppDataAction"]["chatDataAction"]["createMessageAction"]["message"]["text"])


def stored(dynamodb: Any) -> Any:
    return DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=dynamodb).get(SPACE, ALARM.key)


def test_the_posted_card_is_valid_and_addressed_for_the_format(fmt: str) -> None:
    card = posted_card(add_on=fmt == "add-on")
    validate_message(card)
    function, parameters = button(card, "Mute here 1d")
    assert function == (ENDPOINT if fmt == "add-on" else "mute_alarm")
    assert parameters == {"action": "mute_alarm", "alarm": ALARM.key, "duration": "1d"}


def test_acknowledge_updates_the_card_in_place(fmt: str, google: FakeGoogleCerts, dynamodb: Any) -> None:
    card = updated_card(fmt, click(fmt, google))
    (line,) = status_texts(card)
    assert re.fullmatch(r"Acknowledged by Jane at (\d\d-\d\d )?\d\d:\d\d", line), line
    assert button_labels(card) == ["Acknowledge", "Mute here 1h", "Mute here 1d", "Open in CloudWatch"]
    assert button(card, "Acknowledge")[0] == (ENDPOINT if fmt == "add-on" else "acknowledge")
    assert [ack.user for ack in stored(dynamodb).acknowledgements] == ["users/1"]


def test_a_second_person_is_added_and_the_same_person_counts_once(
    fmt: str, google: FakeGoogleCerts, dynamodb: Any
) -> None:
    click(fmt, google)
    click(fmt, google, user=("users/2", "Bob"))
    card = updated_card(fmt, click(fmt, google, user=("users/1", "Jane")))
    (line,) = status_texts(card)
    assert line.startswith("Acknowledged by Jane at ") and ", Bob at " in line
    assert [ack.name for ack in stored(dynamodb).acknowledgements] == ["Jane", "Bob"]


def test_acknowledging_a_resolved_alarm_says_so_and_changes_nothing(
    fmt: str, google: FakeGoogleCerts, dynamodb: Any
) -> None:
    DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=dynamodb).resolve(SPACE, ALARM.key, CARD, 1, time.time())
    text = reply_text(fmt, click(fmt, google))
    assert text == "payments-api/5xx is already resolved: there is nothing left to acknowledge."
    assert stored(dynamodb).acknowledgements == ()


@pytest.mark.parametrize(("label", "seconds"), [("Mute here 1h", 3600), ("Mute here 1d", 86400)])
def test_mute_here_silences_this_alarm_in_this_space(
    fmt: str, google: FakeGoogleCerts, dynamodb: Any, label: str, seconds: int
) -> None:
    card = updated_card(fmt, click(fmt, google, label))
    (line,) = status_texts(card)
    assert re.fullmatch(r"Muted here until (\d\d-\d\d )?\d\d:\d\d", line), line
    space = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb).get(SPACE)
    assert space is not None
    assert space.alarm_mutes[ALARM.key] == pytest.approx(time.time() + seconds, abs=60)
    assert space.muted_until is None  # the rest of the space's alarms still arrive


def test_an_alarm_the_bot_no_longer_has_gets_a_clear_reply(fmt: str, google: FakeGoogleCerts) -> None:
    parameters = {"action": "acknowledge", "alarm": "f" * 40}
    text = reply_text(fmt, click(fmt, google, parameters=parameters))
    assert text.startswith("I no longer have this alarm's card")


def test_a_space_the_bot_no_longer_knows_gets_a_clear_reply_and_is_not_recreated(
    fmt: str, google: FakeGoogleCerts, dynamodb: Any
) -> None:
    text = reply_text(
        fmt, click(fmt, google, space="spaces/FORGOTTEN", message_name="spaces/FORGOTTEN/messages/M")
    )
    assert text.startswith("This space is not subscribed any more")
    assert DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb).get("spaces/FORGOTTEN") is None


@pytest.mark.parametrize(
    "parameters",
    [
        {"action": "acknowledge", "alarm": "../../etc"},
        {"action": "mute_alarm", "alarm": ALARM.key, "duration": "30d"},
        {"action": "mute_alarm", "alarm": ALARM.key},
        {"action": "unsubscribe", "alarm": ALARM.key},
    ],
)
def test_tampered_parameters_change_nothing(
    fmt: str, google: FakeGoogleCerts, dynamodb: Any, parameters: dict[str, str]
) -> None:
    text = reply_text(fmt, click(fmt, google, parameters=parameters))
    assert text == "That button is no longer available. Type help for the commands."
    space = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb).get(SPACE)
    assert space is not None and space.subscribed and space.alarm_mutes == {}
    assert stored(dynamodb).acknowledgements == ()


def test_an_older_card_of_the_same_alarm_is_stale(fmt: str, google: FakeGoogleCerts, dynamodb: Any) -> None:
    text = reply_text(fmt, click(fmt, google, message_name=f"{SPACE}/messages/OLDER"))
    assert text == "This card is out of date: payments-api/5xx has a newer card in this thread."
    assert stored(dynamodb).acknowledgements == ()
