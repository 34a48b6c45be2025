"""The facts a person on call reads on each kind of card, checked one by one (not only snapshots)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from alarm_bot.alarms.model import Alarm, AlarmState, GenericNotification
from alarm_bot.alarms.parse import parse_notification
from alarm_bot.alarms.render import render_message
from tests.alarms.alarm_samples import (
    button_urls,
    card,
    only,
    rendered,
    row_text,
    rows,
    section_headers,
)

SEOUL_CONSOLE = (
    "https://ap-northeast-2.console.aws.amazon.com/cloudwatch/home?region=ap-northeast-2#alarmsV2:alarm/"
)


def one(sample: str, locale: str = "en") -> dict[str, Any]:
    [message] = rendered(sample, locale)
    return message


def test_metric_alarm_card() -> None:
    message = one("sns_korean_name")
    assert message["text"].startswith("🚨 ALARM: 결제 API/오류율 높음 — Threshold Crossed: 3 out of")
    assert card(message)["header"] == {
        "title": "결제 API/오류율 높음",
        "subtitle": "123456789012 · ap-northeast-2",
    }
    assert "ALARM" in row_text(message, "State")
    assert row_text(message, "Metric") == "Payments · ErrorRate"
    assert row_text(message, "Statistic") == "Average · 5 min"
    assert row_text(message, "Condition") == "&gt; 80 for 3 of 3 periods of 5 min"
    assert row_text(message, "Changed at") == "2026-03-14 14:20 KST"
    assert "Description" not in dict(rows(message))  # null description: no row
    assert button_urls(message) == [
        SEOUL_CONSOLE + "%EA%B2%B0%EC%A0%9C%20API%2F%EC%98%A4%EB%A5%98%EC%9C%A8%20%EB%86%92%EC%9D%8C"
    ]


def test_metric_alarm_from_eventbridge_shows_dimensions_and_escapes() -> None:
    message = one("eventbridge_metric")
    assert row_text(message, "Metric") == "AWS/ApplicationELB · HTTPCode_Target_5XX_Count"
    assert row_text(message, "Threshold") == "50"
    assert row_text(message, "LoadBalancer") == "app/prod-alb/50dc6c495c0c9188"
    assert row_text(message, "Description") == (
        "5xx responses from the production load balancer &lt;prod-alb&gt; &amp; its targets"
    )
    assert button_urls(message) == [SEOUL_CONSOLE + "prod-api-5xx-high"]


def test_math_alarm_card() -> None:
    message = one("action_math")
    assert section_headers(message)[1] == "Metric math"
    assert row_text(message, "e1 · Expression1 (evaluated)") == "m1/m2"
    assert row_text(message, "m1") == "AWS/Lambda · Invocations · SampleCount · 1 min"
    assert row_text(message, "Threshold") == "10"
    assert row_text(message, "Changed at") == "2024-02-17 20:53 KST"
    assert button_urls(message) == [
        "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/Test%20alert"
    ]


def test_math_alarm_condition_uses_the_query_period() -> None:
    assert row_text(one("sns_math"), "Condition") == "&gt; 0 for 1 of 1 periods of 1 min"


def test_anomaly_alarm_card() -> None:
    message = one("sns_anomaly")
    assert section_headers(message)[1] == "Anomaly detection"
    assert row_text(message, "Anomaly band") == "ad1: ANOMALY_DETECTION_BAND(m1, 2)"
    assert row_text(message, "Condition") == "outside the band for 2 of 3 periods of 5 min"
    assert row_text(message, "m1 (evaluated)") == "Shop · OrdersPlaced · Sum · 5 min · Stage=prod"
    assert card(message)["header"]["subtitle"] == "123456789012 · ap-northeast-1"
    assert row_text(message, "Changed at") == "2026-03-14 14:10 KST"


def test_composite_alarm_card() -> None:
    message = one("action_composite")
    assert section_headers(message)[1] == "Composite alarm"
    assert row_text(message, "Rule") == "ALARM(CompositeDemo.FirstChild) OR ALARM(CompositeDemo.SecondChild)"
    assert (
        row_text(message, "Triggering alarm")
        == 'CompositeDemo.FirstChild · <font color="#D93025">ALARM</font>'
    )
    assert button_urls(message) == [
        "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/CompositeDemo.Main"
    ]


@pytest.mark.parametrize(
    ("sample", "line", "colour"),
    [
        ("sns_ok", "✅ OK: DBMigrationRequired — Threshold Crossed", "#188038"),
        (
            "sns_insufficient_data",
            "❔ INSUFFICIENT_DATA: prod-api-latency-p99 — Insufficient Data",
            "#E37400",
        ),
        ("sns_single_metric", "🚨 ALARM: EXAMPLE — Threshold Crossed", "#D93025"),
    ],
)
def test_state_line_and_colour(sample: str, line: str, colour: str) -> None:
    message = one(sample)
    assert message["text"].startswith(line)
    assert f'<font color="{colour}">' in row_text(message, "State")


@pytest.mark.parametrize(
    ("sample", "line"),
    [
        ("sns_korean_name", "🚨 결제 API/오류율 높음 알람이 발생했습니다 — "),
        ("sns_ok", "✅ DBMigrationRequired 알람이 해제되었습니다 (정상) — "),
        ("sns_insufficient_data", "❔ prod-api-latency-p99 알람의 데이터가 부족합니다 — "),
    ],
)
def test_korean_lines(sample: str, line: str) -> None:
    message = one(sample, "ko")
    assert message["text"].startswith(line)
    assert row_text(message, "변경 시각").endswith("KST")


def test_korean_condition() -> None:
    assert row_text(one("sns_korean_name", "ko"), "조건") == "5분 기간 3개 중 3개에서 &gt; 80"


def test_percentile_condition_with_unit() -> None:
    message = one("sns_insufficient_data")
    assert row_text(message, "Condition") == "≥ 1.5 Seconds for 5 of 5 periods of 1 min"
    assert row_text(message, "Statistic") == "p99 · 1 min"
    assert row_text(message, "Missing data treated as") == "breaching"


def test_no_button_without_a_region() -> None:
    assert button_urls(one("sns_single_metric")) == []
    assert button_urls(one("legacy_missing_fields")) == []


def test_generic_event_card() -> None:
    message = one("event_guardduty")
    assert card(message)["header"] == {"title": "GuardDuty Finding", "subtitle": "123456789 · us-east-1"}
    assert row_text(message, "Severity") == "9"
    assert row_text(message, "type") == "Recon:EC2 PortProbeUnprotectedPort"
    assert message["text"].startswith("🔔 GuardDuty Finding: SAMPLE Unprotected port")


def test_text_notification_card() -> None:
    message = one("sns_text_multiline")
    paragraph = next(iter(card(message)["sections"][0]["widgets"]))
    assert paragraph == {
        "textParagraph": {
            "text": "This\nis\na typical multi-line\nmessage from SNS!\n\nHave a ~good~ amazing day! :)"
        }
    }
    assert (
        message["text"]
        == "🔔 All Fine: This is a typical multi-line message from SNS! Have a ~good~ amazing day! :)"
    )


def test_untitled_text_gets_a_localised_title() -> None:
    [notification] = parse_notification("disk <full> & slow")
    message = render_message(notification, locale="ko", time_zone="UTC")
    assert card(message)["header"] == {"title": "AWS 알림"}
    assert card(message)["sections"][0]["widgets"][0] == {
        "textParagraph": {"text": "disk &lt;full&gt; &amp; slow"}
    }


def test_values_are_escaped_where_chat_reads_html() -> None:
    alarm = only("sns_korean_name")
    assert isinstance(alarm, Alarm)
    tricky = dataclasses.replace(alarm, name="<b>x</b>", reason="a < b & c", description='"quoted" <i>')
    message = render_message(tricky, locale="en", time_zone="UTC")
    assert card(message)["header"]["title"] == "<b>x</b>"  # plain text field: as is
    assert row_text(message, "Reason") == "a &lt; b &amp; c"
    assert row_text(message, "Description") == "&quot;quoted&quot; &lt;i&gt;"
    assert button_urls(message)[0].endswith("#alarmsV2:alarm/%3Cb%3Ex%3C%2Fb%3E")


def test_delivery_fields_are_left_out_and_card_id_is_stable() -> None:
    first, second = one("sns_anomaly"), one("sns_anomaly")
    assert "thread" not in first and "requestId" not in first
    assert first["cardsV2"][0]["cardId"] == second["cardsV2"][0]["cardId"]
    assert first["cardsV2"][0]["cardId"] != one("sns_korean_name")["cardsV2"][0]["cardId"]


def test_a_bad_time_zone_still_renders_in_utc() -> None:
    alarm = only("sns_korean_name")
    message = render_message(alarm, locale="en", time_zone="Not/AZone")
    assert row_text(message, "Changed at") == "2026-03-14 05:20 UTC"


def test_unnamed_alarm() -> None:
    alarm = Alarm(name="", state=AlarmState.ALARM, source="legacy", region="us-east-1")
    message = render_message(alarm, locale="en", time_zone="UTC")
    assert card(message)["header"]["title"] == "(unnamed alarm)"
    assert button_urls(message) == []


def test_generic_without_anything() -> None:
    notification = GenericNotification(title="", source="sns", dedup_id="x")
    message = render_message(notification, locale="en", time_zone="UTC")
    assert message["text"] == "🔔 AWS notification"
    assert card(message)["sections"][0]["widgets"]
