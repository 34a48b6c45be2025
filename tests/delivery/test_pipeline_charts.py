"""Charts on alarm cards through the real delivery pipeline: moto (table, chart bucket), the Chat API
stand-in, the real ChatClient, and the production CloudWatch client against a GetMetricWidgetImage
stand-in that answers, fails, throttles, is slow or never answers.

What must hold: the card carries the chart when there is one in time, and goes out without it
otherwise, never later than the budget, never retried or dead-lettered for a chart; one chart per
transition whatever the number of spaces; the resolve edit shows a fresh chart of the recovery;
digests, composite alarms and other notifications start none.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from alarm_bot.alarms.card_buttons import ACKNOWLEDGE, ALARM_PARAMETER, DURATION_PARAMETER, MUTE
from alarm_bot.alarms.render_limits import MESSAGE_BYTES_LIMIT, message_bytes
from alarm_bot.chat.actions import ChatBot
from alarm_bot.chat.events import ChatEvent, EventFormat, EventKind, Space, User
from alarm_bot.delivery import card_charts
from alarm_bot.settings import Settings
from alarm_bot.store.alarm_messages import DynamoAlarmMessages
from alarm_bot.store.spaces import DynamoSpaceStore
from tests.alarms.alarm_samples import sample_json
from tests.charts.widget_image_server import BAD_WIDGET, FAILING, HANG, THROTTLED, Step, image, tiny_png
from tests.support.alarm_bodies import SAMPLE_ALARM_ARN, sample_alarm_key, sns_alarm_body
from tests.support.aws import BOT_ID, TABLE_NAME
from tests.support.chart_rig import ACCOUNT, CHARTS_URL, REGION, ChartRig, chart_rig, image_url, image_widgets
from tests.support.chat_schema import validate_message

SPACES = ("spaces/ROOM0", "spaces/ROOM1", "spaces/ROOM2")
ALARM_AT = "2026-11-27T01:00:00.000+0000"
OK_AT = "2026-11-27T01:20:00.000+0000"
BUDGET = 1.5
MARGIN = 1.0  # generous: the property is "never later than the budget", not "fast"


def sent(message: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in message.items() if key in ("text", "cardsV2")}


def only_card(charts: ChartRig, space: str = SPACES[0]) -> dict[str, Any]:
    (message,) = charts.rig.chat_api.messages(space)
    return message


def test_an_alarm_card_carries_its_chart_in_every_space_from_one_request(dynamodb: Any) -> None:
    with chart_rig(dynamodb, [image()], spaces=SPACES, budget=BUDGET) as charts:
        report = charts.deliver(sns_alarm_body("ALARM", ALARM_AT))
        urls = {image_url(only_card(charts, space)) for space in SPACES}
        (url,) = urls
        assert url is not None and url.startswith(CHARTS_URL + "/") and url.endswith(".png")
        assert len(charts.cloudwatch.widgets) == 1, "one chart per transition, shared by the spaces"
        assert charts.cloudwatch.regions == [REGION], "drawn in the alarm's region"
        (widget,) = charts.cloudwatch.widgets
        assert widget["metrics"][0][:2] == ["LogMetrics", "DBMigrationRequired"]
        assert charts.png(url) == tiny_png()
        assert report.counts["ChartsShown"] == 1 and not report.chart_skips
        card = only_card(charts)
        validate_message(sent(card))
        sections = card["cardsV2"][0]["card"]["sections"]
        assert "image" in sections[1]["widgets"][0], "right under what happened"
        (shown,) = image_widgets(card)
        assert shown["altText"] == "Graph of DBMigrationRequired for the 3 h before it changed to ALARM"


def test_a_korean_card_with_its_chart_is_valid_and_within_limits(dynamodb: Any) -> None:
    with chart_rig(dynamodb, [image()], budget=BUDGET, locale="ko") as charts:
        charts.deliver(sns_alarm_body("ALARM", ALARM_AT))
        card = only_card(charts)
    validate_message(sent(card))
    assert message_bytes(sent(card)) <= MESSAGE_BYTES_LIMIT
    (shown,) = image_widgets(card)
    assert shown["altText"] == "DBMigrationRequired 알람이 ALARM 상태로 바뀌기 전 3시간 동안의 그래프"


@pytest.mark.parametrize(
    ("step", "reason"),
    [(FAILING, "cloudwatch error"), (BAD_WIDGET, "cloudwatch error"), (THROTTLED, "throttled")],
)
def test_a_chart_that_fails_leaves_the_card_as_it_is_and_is_counted(
    dynamodb: Any, step: Step, reason: str
) -> None:
    with chart_rig(dynamodb, [step], budget=BUDGET) as charts:
        report = charts.deliver(sns_alarm_body("ALARM", ALARM_AT))
        card = only_card(charts)
        assert image_widgets(card) == []
        assert report.settled and report.retry_in is None
        assert report.counts["ChartsSkipped"] == 1 and report.chart_skips == {reason: 1}
        assert len(charts.cloudwatch.widgets) == 1, "no retry of a chart: it could not fit the budget"
        assert len(charts.rig.dead_letters) == 0 and charts.stored_charts() == []
        validate_message(sent(card))


@pytest.mark.parametrize("step", [HANG, image(delay=4.0)], ids=["hanging", "slow"])
def test_a_cloudwatch_that_is_late_costs_the_card_at_most_the_budget(dynamodb: Any, step: Step) -> None:
    with chart_rig(dynamodb, [step], budget=BUDGET) as charts:
        started = time.time()
        report = charts.deliver(sns_alarm_body("ALARM", ALARM_AT))
        ((created, card),) = charts.rig.chat_api.created[SPACES[0]]
        assert created - started <= BUDGET + MARGIN
        assert image_widgets(card) == []
        assert report.chart_skips == {"timeout": 1} and report.settled


def test_the_resolve_edit_shows_a_fresh_chart_of_the_recovery(dynamodb: Any) -> None:
    recovery = tiny_png(3, 1)
    with chart_rig(dynamodb, [image(), image(recovery)], spaces=SPACES, budget=BUDGET) as charts:
        charts.deliver(sns_alarm_body("ALARM", ALARM_AT))
        first = image_url(only_card(charts))
        report = charts.deliver(sns_alarm_body("OK", OK_AT))
        assert report.counts["CardsResolved"] == len(SPACES) and report.counts["ChartsShown"] == 1
        urls = set()
        for space in SPACES:
            (patch,) = charts.rig.chat_api.patch_requests(space)
            validate_message(patch.body)
            urls.add(image_url(patch.body))
            _, reply = next(iter(charts.rig.chat_api.threads(space).values()))
            assert image_widgets(reply) == [], "the OK reply in the thread has no chart"
        (fresh,) = urls
        assert fresh is not None and fresh != first and charts.png(fresh) == recovery
        assert charts.cloudwatch.widgets[1]["annotations"]["vertical"][0]["label"].startswith("OK at")
        (shown,) = image_widgets(patch.body)
        assert shown["altText"].endswith("changed to OK")
        stored = DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=dynamodb).get(SPACES[0], sample_alarm_key())
        assert stored is not None and stored.resolved and image_url(dict(stored.message)) == fresh


def test_without_a_recovery_chart_the_resolved_card_keeps_the_alarms(dynamodb: Any) -> None:
    with chart_rig(dynamodb, [image(), FAILING], budget=BUDGET) as charts:
        charts.deliver(sns_alarm_body("ALARM", ALARM_AT))
        first = image_url(only_card(charts))
        report = charts.deliver(sns_alarm_body("OK", OK_AT))
        (patch,) = charts.rig.chat_api.patch_requests(SPACES[0])
        assert first is not None and image_url(patch.body) == first
        assert report.counts["CardsResolved"] == 1 and report.chart_skips == {"cloudwatch error": 1}
        assert patch.body["text"].endswith("Resolved at 10:20 after 20 min")


@pytest.mark.parametrize(("action", "extra"), [(ACKNOWLEDGE, {}), (MUTE, {DURATION_PARAMETER: "1h"})])
def test_a_click_redraws_the_card_with_the_same_chart(
    dynamodb: Any, action: str, extra: dict[str, str]
) -> None:
    with chart_rig(dynamodb, [image()], budget=BUDGET) as charts:
        charts.deliver(sns_alarm_body("ALARM", ALARM_AT))
        card = only_card(charts)
    settings = Settings(
        subscriptions_table=TABLE_NAME, bot_id=BOT_ID, chat_audience="123456789012", time_zone="Asia/Seoul"
    )
    messages = DynamoAlarmMessages(TABLE_NAME, BOT_ID, client=dynamodb)
    bot = ChatBot(
        settings, DynamoSpaceStore(TABLE_NAME, BOT_ID, client=dynamodb), time.time, messages=messages
    )
    click = ChatEvent(
        kind=EventKind.CARD_CLICKED,
        format=EventFormat.CLASSIC,
        space=Space(SPACES[0]),
        user=User("users/1", "Jane"),
        action=action,
        parameters={"action": action, ALARM_PARAMETER: sample_alarm_key(), **extra},
        message_name=card["name"],
    )
    redrawn = bot.handle(click).message
    assert redrawn is not None
    sections = redrawn["cardsV2"][0]["card"]["sections"]
    assert ("Jane" if action == ACKNOWLEDGE else "Muted here") in json.dumps(sections[0]), "status first"
    assert "image" in sections[2]["widgets"][0], "then what happened, then the chart"
    assert image_url(redrawn) == image_url(card) is not None
    validate_message(redrawn)


def test_insufficient_data_gets_its_chart_and_an_ok_reply_none(dynamodb: Any) -> None:
    with chart_rig(dynamodb, [image(), image()], budget=BUDGET) as charts:
        charts.deliver(sns_alarm_body("INSUFFICIENT_DATA", ALARM_AT))
        charts.deliver(sns_alarm_body("OK", OK_AT))  # nothing to resolve: only its message
        insufficient, ok = charts.rig.chat_api.messages(SPACES[0])
        assert image_url(insufficient) is not None and image_url(ok) is None
        assert len(charts.cloudwatch.widgets) == 1


def test_a_space_collecting_a_digest_starts_no_chart(dynamodb: Any) -> None:
    bodies = [sns_alarm_body("ALARM", ALARM_AT, name=f"storm-{index:02d}") for index in range(15)]
    with chart_rig(dynamodb, [image()] * 15, budget=BUDGET) as charts:
        charts.deliver(*bodies)  # more than the space's pace: they wait for a digest
        charts.rig.drain()  # the digest is posted when its window ends
        (digest,) = charts.rig.chat_api.messages(SPACES[0])
        assert digest["text"].startswith("🚨 15 alarms changed state")
        assert image_widgets(digest) == [] and charts.cloudwatch.widgets == []


def test_alarms_posted_one_by_one_each_get_their_own_chart(dynamodb: Any) -> None:
    bodies = [sns_alarm_body("ALARM", ALARM_AT, name=f"lone-{index}") for index in range(3)]
    with chart_rig(dynamodb, [image()] * 3, budget=BUDGET) as charts:
        report = charts.deliver(*bodies)
        urls = [image_url(message) for message in charts.rig.chat_api.messages(SPACES[0])]
        assert len(urls) == 3 and None not in urls and len(set(urls)) == 3
        assert report.counts["ChartsShown"] == 3


def test_composite_alarms_and_other_notifications_have_no_chart(dynamodb: Any) -> None:
    composite = sample_json("sns_composite_arns")
    composite.update(
        AWSAccountId=ACCOUNT, AlarmArn=SAMPLE_ALARM_ARN.replace("DBMigrationRequired", "checkout")
    )
    with chart_rig(dynamodb, [image()], budget=BUDGET) as charts:
        charts.deliver(composite)
        charts.rig.publish("Disk almost full on build-7")
        charts.rig.drain()
        assert all(image_widgets(m) == [] for m in charts.rig.chat_api.messages(SPACES[0]))
        assert len(charts.rig.chat_api.messages(SPACES[0])) == 2
        assert charts.cloudwatch.widgets == []


def test_an_alarm_of_another_account_is_not_drawn_from_this_one(dynamodb: Any) -> None:
    with chart_rig(dynamodb, [image()], budget=BUDGET, account="111122223333") as charts:
        report = charts.deliver(sns_alarm_body("ALARM", ALARM_AT))
        assert image_widgets(only_card(charts)) == []
        assert report.chart_skips == {"other account": 1} and charts.cloudwatch.widgets == []


def test_a_bug_in_the_chart_code_costs_the_chart_not_the_card(
    dynamodb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> dict[str, Any]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(card_charts, "with_chart", broken)
    with chart_rig(dynamodb, [image(), image()], budget=BUDGET) as charts:
        first = charts.deliver(sns_alarm_body("ALARM", ALARM_AT))
        second = charts.deliver(sns_alarm_body("OK", OK_AT))
        card, ok_reply = charts.rig.chat_api.messages(SPACES[0])
        (patch,) = charts.rig.chat_api.patch_requests(SPACES[0])
    assert image_widgets(card) == image_widgets(ok_reply) == image_widgets(patch.body) == []
    assert first.settled and second.settled and first.retry_in is None and second.retry_in is None
    assert second.counts["CardsResolved"] == 1 and "SpaceFlushErrors" not in first.counts + second.counts
