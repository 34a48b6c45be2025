"""The ``requestId`` of every post: fixed by what is posted and where, never random.

A retried delivery (SQS redelivers the message, the function times out and runs again) sends the same
``requestId``, so Google returns the message it already created instead of posting a duplicate. The
recipes are fixed forever for the same reason: a changed one makes a retry look new.
"""

from __future__ import annotations

import uuid

# Namespace of the name-based UUIDs used as requestIds (fixed forever: changing it would make a
# retried delivery look new to Google and post a duplicate).
_REQUEST_ID_NAMESPACE = uuid.UUID("5f0c7a52-2b7e-4c1e-9d5a-6a3c1e0b8f41")


def request_id_for(transition_id: str, space: str) -> str:
    """A requestId fixed by (alarm state change, space).

    Google recommends a UUID and documents no other format; a name-based UUID (RFC 4122 version 5)
    of the pair is one, is deterministic, and only uses ``[0-9a-f-]`` (36 characters).
    """
    return str(uuid.uuid5(_REQUEST_ID_NAMESPACE, f"{transition_id}\n{space}"))


def digest_request_id(space: str, digest_id: str) -> str:
    """The requestId of a digest's first post in ``space``."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"digest:{space}:{digest_id}"))


def digest_update_request_id(space: str, digest_id: str, updates: int) -> str:
    """The requestId of a digest's ``updates``-th reply in its thread ("these alarms changed")."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"digest:{space}:{digest_id}:{updates}"))
