"""The Chat API stand-in's quotas behave like Google's: sliding windows, 429 beyond, nothing counted
for a refused write, Retry-After when asked for."""

from __future__ import annotations

import time

from alarm_bot.delivery.chat_client import ChatClient
from tests.support.chat_api import FakeChatApi
from tests.support.chat_quota import Quota, max_in_window


def test_a_space_gets_its_quota_then_429_and_the_others_are_untouched(
    chat_api: FakeChatApi, client: ChatClient
) -> None:
    quota = chat_api.quota(per_space=3, per_project=100, window=60, retry_after=True)
    outcomes = [
        client.create_message(
            "spaces/A",
            {"text": str(index)},
            request_id=f"r{index}",
            thread_key=None,
            deadline=time.monotonic() + 10,
            max_pause=0.1,
        )
        for index in range(5)
    ]
    assert [outcome.delivered for outcome in outcomes] == [True, True, True, False, False]
    assert outcomes[3].rate_limited and 58 <= (outcomes[3].retry_after or 0) <= 60
    other = client.create_message(
        "spaces/B", {"text": "b"}, request_id="b", thread_key=None, deadline=time.monotonic() + 10
    )
    assert other.delivered
    assert len(quota.space_writes["spaces/A"]) == 3 and quota.refused == 2


def test_the_project_quota_binds_across_spaces() -> None:
    clock = [0.0]
    quota = Quota(per_space=60, per_project=4, window=60, retry_after=False, clock=lambda: clock[0])
    assert [quota.admit(f"spaces/S{index}") for index in range(4)] == [None] * 4
    assert quota.admit("spaces/S9") == 60
    assert quota.retry_after_header(60) == {}
    clock[0] = 60.0  # the window slides: the first writes have left it
    assert quota.admit("spaces/S9") is None


def test_max_in_window_slides() -> None:
    assert max_in_window([0, 1, 2, 61, 62], 60) == 3
    assert max_in_window([0, 59.9, 60, 119.9], 60) == 2
    assert max_in_window([], 60) == 0
