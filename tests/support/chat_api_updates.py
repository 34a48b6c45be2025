"""``spaces.messages.patch`` for the Chat API stand-in: the update mask as Google documents it.

``updateMask`` is required and names the fields to replace, separated by commas, or ``*``; the
documented field paths are snake_case (``cards_v2``, not ``cardsV2``). Only the app's own messages
can be edited with app authentication, and an unknown message is a 404. The stored message is
changed in place, so later reads (``FakeChatApi.messages``) show what people would see.
"""

from __future__ import annotations

from typing import Any

from tests.support.chat_api_http import Answer, google_error

# Field path in the mask → the Message field it replaces.
FIELD_PATHS = {
    "text": "text",
    "attachment": "attachment",
    "cards": "cards",
    "cards_v2": "cardsV2",
    "accessory_widgets": "accessoryWidgets",
}


def apply_update(messages: list[dict[str, Any]], name: str, mask: str | None, body: Any) -> Answer:
    """Apply ``body`` to the message called ``name`` for the fields in ``mask``; Google's answer."""
    if not mask:
        return google_error(400, "updateMask is required.")
    paths = list(FIELD_PATHS) if mask.strip() == "*" else [path.strip() for path in mask.split(",")]
    unknown = [path for path in paths if path not in FIELD_PATHS]
    if unknown:
        return google_error(400, f"Invalid field mask path(s): {', '.join(unknown)}")
    if not isinstance(body, dict):
        return google_error(400, "Invalid JSON payload received.")
    message = next((message for message in messages if message["name"] == name), None)
    if message is None:
        return google_error(404, "Message not found.")
    updated = dict(message)
    for path in paths:
        field = FIELD_PATHS[path]
        if field in body:
            updated[field] = body[field]
        else:
            updated.pop(field, None)
    if not (updated.get("text") or updated.get("cardsV2") or updated.get("cards")):
        return google_error(400, "Message cannot be empty.")
    message.clear()
    message.update(updated)  # in place: the thread holds the same object
    return 200, dict(message), {}
