"""requestIds: deterministic per (transition, space) and per digest post, and fixed forever."""

from __future__ import annotations

import re

from alarm_bot.delivery.request_ids import digest_request_id, digest_update_request_id, request_id_for


def test_request_id_is_deterministic_per_transition_and_space() -> None:
    first = request_id_for("transition-1", "spaces/A")

    assert first == request_id_for("transition-1", "spaces/A")
    assert first != request_id_for("transition-1", "spaces/B")
    assert first != request_id_for("transition-2", "spaces/A")
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", first)


def test_the_recipes_never_change() -> None:
    """A changed recipe makes every retry after a deployment look new to Google: a duplicate post."""
    assert request_id_for("transition-1", "spaces/A") == "1be3fea8-463b-5d78-9c03-548e92f9fb53"
    assert digest_request_id("spaces/A", "d1") == "5480dbbd-6b85-5e8d-9ec6-cb318fa113f7"
    assert digest_update_request_id("spaces/A", "d1", 2) == "90f5a08e-760a-5b33-b3d5-9ae019cd662c"
