"""ChatClient.update_message (spaces.messages.patch) against FakeChatApi."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from alarm_bot.delivery.chat_client import ChatClient, DeliveryOutcome, DeliveryStatus
from tests.support.chat_api import FakeChatApi, Fault
from tests.support.chat_schema import validate_message

SPACE = "spaces/AAAA1234"
ORIGINAL = {"text": "🚨 ALARM: cpu", "cardsV2": [{"cardId": "alarm", "card": {"header": {"title": "cpu"}}}]}
RESOLVED = {
    "text": "🚨 ALARM: cpu\n✅ Resolved at 11:05 after 23 min",
    "cardsV2": [{"cardId": "alarm", "card": {"header": {"title": "cpu", "subtitle": "resolved"}}}],
}


def post(client: ChatClient, space: str = SPACE) -> str:
    outcome = client.create_message(
        space, ORIGINAL, request_id="r1", thread_key="alarm-x", deadline=time.monotonic() + 5
    )
    assert outcome.message_name is not None
    return outcome.message_name


def update(client: ChatClient, name: str, message: Mapping[str, Any] = RESOLVED) -> DeliveryOutcome:
    return client.update_message(name, message, deadline=time.monotonic() + 5)


def test_the_card_is_replaced_through_the_documented_mask(client: ChatClient, chat_api: FakeChatApi) -> None:
    name = post(client)
    outcome = update(client, name)
    assert (outcome.status, outcome.space, outcome.http_status) == (DeliveryStatus.DELIVERED, SPACE, 200)
    (request,) = chat_api.patch_requests(SPACE)
    assert request.name == name
    assert request.query == {"updateMask": "text,cards_v2"}
    assert request.headers["authorization"].startswith("Bearer ")
    validate_message(request.body)
    (stored,) = chat_api.messages(SPACE)
    assert stored["text"] == RESOLVED["text"] and stored["cardsV2"] == RESOLVED["cardsV2"]
    assert stored["thread"]["threadKey"] == "alarm-x"  # still in the alarm's thread


def test_patching_twice_is_harmless(client: ChatClient, chat_api: FakeChatApi) -> None:
    name = post(client)
    update(client, name)
    assert update(client, name).delivered
    assert chat_api.messages(SPACE)[0]["text"] == RESOLVED["text"]


def test_an_unknown_message_is_gone(client: ChatClient, chat_api: FakeChatApi) -> None:
    outcome = update(client, f"{SPACE}/messages/NOPE.NOPE")
    assert (outcome.status, outcome.http_status) == (DeliveryStatus.GONE, 404)


def test_transient_failures_are_retried(client: ChatClient, chat_api: FakeChatApi) -> None:
    name = post(client)
    chat_api.script_patch(SPACE, Fault(503), Fault.rate_limited(retry_after=0))
    outcome = update(client, name)
    assert outcome.delivered and outcome.attempts == 3
    assert len(chat_api.patch_requests(SPACE)) == 3


def test_a_bad_name_is_refused_without_a_request(client: ChatClient, chat_api: FakeChatApi) -> None:
    outcome = update(client, "spaces/AAAA1234/threads/T1")
    assert outcome.status is DeliveryStatus.FAILED and outcome.attempts == 0
    assert chat_api.patch_requests(SPACE) == []


def test_the_stand_in_refuses_undocumented_masks(client: ChatClient, chat_api: FakeChatApi) -> None:
    name = post(client)
    outcome = client.update_message(name, RESOLVED, update_mask="cardsV2", deadline=time.monotonic() + 5)
    assert outcome.http_status == 400 and "cardsV2" in (outcome.error or "")
