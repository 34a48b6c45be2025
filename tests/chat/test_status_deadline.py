"""``status`` answers in time whatever CloudWatch does: a real HTTP server stands in for it.

The lookup runs with test-sized limits (a 1.5 s budget, 0.3 s connect and 0.5 s read timeouts) on a
client built by the production :func:`cloudwatch_client`; the upper bounds on elapsed time are the
budget plus a generous margin, never tight timings.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from alarm_bot.alarms.firing import FiringUnavailable, Limits
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat.actions import ChatBot
from alarm_bot.chat.events import ChatEvent, EventFormat, EventKind, Space
from alarm_bot.cloudwatch.firing_alarms import CloudWatchFiring, cloudwatch_client
from alarm_bot.handlers.chat_events import ChatDependencies, handle_request
from alarm_bot.settings import Settings
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.chat_schema import validate_message
from tests.support.fake_cloudwatch import HANG, FakeCloudWatch, Step, fake_cloudwatch, metric_alarm

LIMITS = Limits(budget=1.5, connect=0.3, read=0.5, reserve=0.5)
MARGIN = 1.0  # generous: the bound is about never answering late, not about speed
WHEN = datetime(2027, 1, 15, 5, 13, tzinfo=UTC)
SETTINGS = Settings(subscriptions_table=TABLE_NAME, bot_id=BOT_ID, chat_audience="1", time_zone="UTC")
UNAVAILABLE = "Could not ask CloudWatch which alarms are in ALARM; see the function's log."
INCOMPLETE = "CloudWatch did not list every alarm in time, so this list may be incomplete; try again later."


def page(*names: str, token: str | None = None) -> dict[str, Any]:
    alarms = [metric_alarm(name, WHEN) for name in names]
    return {"MetricAlarms": alarms, **({"NextToken": token} if token else {})}


@pytest.fixture
def store(dynamodb: Any) -> DynamoSpaceStore:
    spaces = DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb)
    spaces.put(SpaceRecord("spaces/AAA", display_name="On call"))
    return spaces


def source(fake: FakeCloudWatch, limits: Limits = LIMITS) -> CloudWatchFiring:
    client = cloudwatch_client(limits, endpoint_url=fake.url, region_name="ap-northeast-2")
    return CloudWatchFiring(client, limits=limits)


def timed_status(store: DynamoSpaceStore, firing: CloudWatchFiring) -> tuple[float, dict[str, Any]]:
    bot = ChatBot(SETTINGS, store, firing=firing)
    event = ChatEvent(EventKind.MESSAGE, EventFormat.CLASSIC, Space("spaces/AAA"), text="status")
    started = time.monotonic()
    message = bot.handle(event).message
    elapsed = time.monotonic() - started
    assert message is not None
    validate_message(message)
    return elapsed, message


def firing_section(message: dict[str, Any]) -> dict[str, Any]:
    section: dict[str, Any] = message["cardsV2"][0]["card"]["sections"][1]
    return section


def paragraphs(section: dict[str, Any]) -> list[str]:
    widgets = section["widgets"]
    return [html.unescape(widget["textParagraph"]["text"]) for widget in widgets if "textParagraph" in widget]


def names(section: dict[str, Any]) -> list[str]:
    return [widget["decoratedText"]["text"] for widget in section["widgets"] if "decoratedText" in widget]


def test_a_cloudwatch_that_never_answers_makes_the_list_unavailable_in_time(
    store: DynamoSpaceStore,
) -> None:
    with fake_cloudwatch([HANG]) as fake:
        elapsed, message = timed_status(store, source(fake))
    assert elapsed < LIMITS.budget + MARGIN
    section = firing_section(message)
    assert section["header"] == "In ALARM now: ?"
    assert paragraphs(section) == [UNAVAILABLE]
    assert len(fake.requests) == 1  # one attempt: no retry could overrun the budget


def test_a_hang_after_the_first_page_shows_that_page_as_incomplete(store: DynamoSpaceStore) -> None:
    with fake_cloudwatch([Step(page("prod-a", "prod-b", token="page-2")), HANG]) as fake:
        elapsed, message = timed_status(store, source(fake))
    assert elapsed < LIMITS.budget + MARGIN
    section = firing_section(message)
    assert section["header"] == "In ALARM now: at least 2"
    assert names(section) == ["prod-a", "prod-b"]
    assert paragraphs(section) == [INCOMPLETE]
    assert message["text"].endswith("; at least 2 in ALARM")
    assert b'"NextToken": "page-2"' in fake.requests[1]


def test_paging_stops_when_the_deadline_leaves_no_room_for_another_call(store: DynamoSpaceStore) -> None:
    # Each page takes 0.4 s and says there is more: after two, 0.7 s is left, less than a call's 0.8 s.
    endless = [Step(page(f"prod-{index}", token=f"page-{index + 1}"), delay=0.4) for index in range(10)]
    with fake_cloudwatch(endless) as fake:
        elapsed, message = timed_status(store, source(fake))
    assert elapsed < LIMITS.budget + MARGIN
    assert len(fake.requests) == 2
    section = firing_section(message)
    assert section["header"] == "In ALARM now: at least 2"
    assert paragraphs(section) == [INCOMPLETE]


def test_a_slow_cloudwatch_within_the_budget_gives_the_whole_list(store: DynamoSpaceStore) -> None:
    slow = [Step(page("prod-a", token="page-2"), delay=0.3), Step(page("prod-b"), delay=0.3)]
    with fake_cloudwatch(slow) as fake:
        elapsed, message = timed_status(store, source(fake))
    assert 0.6 <= elapsed < LIMITS.budget + MARGIN
    section = firing_section(message)
    assert section["header"] == "In ALARM now: 2"
    assert sorted(names(section)) == ["prod-a", "prod-b"]
    assert paragraphs(section) == []
    assert message["text"].endswith("; 2 in ALARM")


@pytest.mark.usefixtures("aws")
def test_a_cut_list_is_marked_for_status() -> None:
    with fake_cloudwatch([Step(page("prod-a", token="page-2")), HANG]) as fake:
        listed = source(fake).firing()
    assert [alarm.name for alarm in listed.alarms] == ["prod-a"]
    assert listed.complete is False


@pytest.mark.usefixtures("aws")
def test_a_budget_shorter_than_one_call_skips_cloudwatch() -> None:
    # 0.7 s is less than one call may take (its connect and read timeouts), so none is made.
    limits = Limits(budget=0.7, connect=LIMITS.connect, read=LIMITS.read)
    with fake_cloudwatch([Step(page("prod-a"))]) as fake:
        started = time.monotonic()
        with pytest.raises(FiringUnavailable):
            source(fake, limits).firing()
        assert time.monotonic() - started < MARGIN
    assert fake.requests == []


class AnyCaller:
    def verify(self, authorization: str | None) -> None:
        return None


@pytest.fixture
def hanging_cloudwatch() -> Iterator[FakeCloudWatch]:
    with fake_cloudwatch([HANG, HANG]) as fake:
        yield fake


def test_the_handler_answers_200_in_time_while_cloudwatch_hangs(
    store: DynamoSpaceStore, hanging_cloudwatch: FakeCloudWatch
) -> None:
    body = {
        "type": "MESSAGE",
        "space": {"name": "spaces/AAA", "type": "ROOM"},
        "message": {"name": "spaces/AAA/messages/M", "text": "status", "space": {"name": "spaces/AAA"}},
    }
    bot = ChatBot(SETTINGS, store, firing=source(hanging_cloudwatch))
    started = time.monotonic()
    response = handle_request({"headers": {}, "body": json.dumps(body)}, ChatDependencies(AnyCaller(), bot))
    assert time.monotonic() - started < LIMITS.budget + MARGIN
    assert response["statusCode"] == 200
    assert "Could not ask CloudWatch which alarms are in ALARM" in response["body"]
