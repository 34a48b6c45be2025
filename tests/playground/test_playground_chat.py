"""The playground's Google Chat: events it builds, tokens it signs, and what it does with answers.

Against the real Chat handler behind the playground's API Gateway, with the real verifier fetching
the certificates of locally generated keys over HTTP and DynamoDB on moto: a signed event is
accepted and its answer is shown in the space as Chat would show it; a token the certificates do
not vouch for, or for another audience, is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from alarm_bot.chat.events import ChatEvent, EventKind, parse_chat_event
from alarm_bot.handlers import chat_events
from alarm_bot.settings import Settings
from playground import chat_events as events
from playground.config import PROJECT_NUMBER
from playground.gateway import HttpApi
from playground.google_chat import GoogleChat, _read_answer
from playground.view import SPACES, USER
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.chat_api import FakeChatApi
from tests.support.google_tokens import FakeGoogleCerts

SPACE = SPACES[0]
BOT = {"name": "users/app", "displayName": "AWS Alarms"}


@dataclass
class Rig:
    chat: GoogleChat
    api: FakeChatApi
    certs: FakeGoogleCerts
    endpoint: str


@pytest.fixture
def rig(dynamodb: Any) -> Iterator[Rig]:
    with FakeChatApi() as api, FakeGoogleCerts() as certs:
        settings = Settings(TABLE_NAME, BOT_ID, PROJECT_NUMBER, chat_certs_url=certs.url)
        dependencies = chat_events.build_dependencies(settings)
        endpoint = HttpApi(lambda event: chat_events.handle_request(event, dependencies)).start()
        chat = GoogleChat(api, certs, endpoint.url, BOT)
        try:
            yield Rig(chat, api, certs, endpoint.url)
        finally:
            chat.close()
            endpoint.stop()


def _parsed(event: dict[str, Any]) -> ChatEvent:
    parsed = parse_chat_event(event)
    assert isinstance(parsed, ChatEvent)
    return parsed


def test_the_events_read_as_the_bot_reads_real_ones() -> None:
    added = _parsed(events.membership("ADDED_TO_SPACE", SPACE, USER))
    assert (added.kind, added.space.name, added.space.space_type) == (
        EventKind.ADDED_TO_SPACE,
        SPACE.name,
        "SPACE",
    )
    assert added.user is not None and added.user.display_name == "Jane Doe"
    posted = {"name": f"{SPACE.name}/messages/M1", "thread": {"name": f"{SPACE.name}/threads/T1"}}
    said = _parsed(events.message(SPACE, USER, {**posted, **events.mention_message("mute 30m", BOT)}))
    assert (said.kind, said.text, said.message_name) == (EventKind.MESSAGE, "mute 30m", posted["name"])
    clicked = _parsed(events.card_clicked(SPACE, USER, posted, "acknowledge", {"action": "acknowledge"}))
    assert (clicked.kind, clicked.action, dict(clicked.parameters)) == (
        EventKind.CARD_CLICKED,
        "acknowledge",
        {"action": "acknowledge"},
    )
    assert clicked.message_name == posted["name"]


def test_the_mention_is_cut_from_the_text_even_without_argument_text() -> None:
    message = events.mention_message("status", BOT)
    del message["argumentText"]
    assert _parsed(events.message(SPACE, USER, {"name": "spaces/X/messages/1", **message})).text == "status"


def test_a_signed_added_to_space_is_verified_and_the_welcome_shown_in_a_thread_of_its_own(rig: Rig) -> None:
    answer = rig.chat.add_app(SPACE, USER)
    assert (answer.status, answer.shown, answer.error) == (200, "NEW_MESSAGE", None)
    (welcome,) = rig.api.messages(SPACE.name)
    assert welcome["cardsV2"][0]["cardId"] == "welcome"
    assert rig.certs.fetch_count == 1  # the verifier fetched the local certificates
    assert SPACE.name in rig.chat.members


def test_a_command_and_its_answer_share_the_thread(rig: Rig) -> None:
    rig.chat.add_app(SPACE, USER)
    answer = rig.chat.say(SPACE, USER, "subscribe prod-*")
    assert answer.status == 200 and answer.message is not None
    assert "prod-*" in answer.message["text"]
    *_, said, reply = rig.api.messages(SPACE.name)
    assert said["sender"]["type"] == "HUMAN" and said["text"] == "@AWS Alarms subscribe prod-*"
    assert reply["thread"]["name"] == said["thread"]["name"]
    assert reply["sender"]["type"] == "BOT"


def test_a_token_from_an_unpublished_key_is_refused(rig: Rig) -> None:
    rig.certs.add_key(publish=False)  # signs from now on, but its certificate is not served
    answer = rig.chat.add_app(SPACE, USER)
    assert (answer.status, answer.shown) == (401, None)
    assert rig.api.messages(SPACE.name) == []


def test_a_token_for_another_audience_or_none_at_all_is_refused(rig: Rig) -> None:
    event = events.membership("ADDED_TO_SPACE", SPACE, USER)
    for headers in ({"Authorization": f"Bearer {rig.certs.chat_token(audience='999')}"}, {}):
        response = requests.post(rig.endpoint, json=event, headers=headers, timeout=10)
        assert response.status_code == 401


def test_a_click_answered_with_update_message_replaces_the_card() -> None:
    class Answered:
        def json(self) -> dict[str, Any]:
            return {"actionResponse": {"type": "UPDATE_MESSAGE"}, "text": "acknowledged"}

    answer = _read_answer(Answered(), 12)  # type: ignore[arg-type]
    assert (answer.shown, answer.message) == ("UPDATE_MESSAGE", {"text": "acknowledged"})


def test_an_empty_answer_shows_nothing_and_a_broken_one_says_so() -> None:
    class Empty:
        def json(self) -> dict[str, Any]:
            return {}

    class Broken:
        def json(self) -> dict[str, Any]:
            raise ValueError("not JSON")

    assert _read_answer(Empty(), 1).shown is None  # type: ignore[arg-type]
    assert _read_answer(Broken(), 1).error == "the answer is not JSON"  # type: ignore[arg-type]
