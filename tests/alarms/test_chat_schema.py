"""The schema helper itself: it accepts real messages and refuses the mistakes Chat refuses."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.chat_schema import (
    ValidationError,
    discovery_to_json_schema,
    load_discovery,
    validate_message,
)


def card_message(widget: dict[str, Any]) -> dict[str, Any]:
    return {"text": "t", "cardsV2": [{"cardId": "c", "card": {"sections": [{"widgets": [widget]}]}}]}


def test_discovery_document_is_the_chat_api() -> None:
    discovery = load_discovery()
    assert discovery["name"] == "chat"
    assert "GoogleAppsCardV1DecoratedText" in discovery["schemas"]


def test_conversion_closes_objects_and_keeps_maps_open() -> None:
    schema = discovery_to_json_schema(
        {
            "schemas": {
                "Message": {
                    "type": "object",
                    "properties": {"tags": {"type": "object", "additionalProperties": {"type": "string"}}},
                },
            }
        }
    )
    message = schema["$defs"]["Message"]
    assert message["additionalProperties"] is False
    assert message["properties"]["tags"]["additionalProperties"] == {"type": "string"}


def test_good_message_passes() -> None:
    validate_message(
        card_message(
            {
                "decoratedText": {
                    "startIcon": {"materialIcon": {"name": "error"}},
                    "topLabel": "State",
                    "text": '<font color="#D93025">ALARM</font>',
                    "wrapText": True,
                }
            }
        )
    )


def test_read_only_fields_are_allowed() -> None:
    validate_message(
        {"text": "t", "name": "spaces/a/messages/b", "argumentText": "x", "sender": {"name": "users/1"}}
    )


@pytest.mark.parametrize(
    "message",
    [
        card_message({"decoratedTxt": {"text": "misspelled widget"}}),
        card_message({"decoratedText": {"text": "x", "wrapText": "yes"}}),
        card_message({"decoratedText": {"text": "x", "unknownField": 1}}),
        card_message({"textParagraph": {"text": 5}}),
        card_message({"buttonList": {"buttons": [{"text": "b", "type": "SHINY"}]}}),
        {"text": ["not", "a", "string"]},
        {"cardsV2": {"not": "a list"}},
        {"cardz": []},
    ],
)
def test_bad_messages_fail(message: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        validate_message(message)
