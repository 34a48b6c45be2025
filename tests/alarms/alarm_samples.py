"""The sample payloads the alarm tests use, and small helpers to read rendered cards.

Real samples are unmodified copies of public test data (tests/fixtures/real, see PROVENANCE.md);
adapted ones are real payloads in another envelope (tests/fixtures/adapted/PROVENANCE.md, rebuilt by
:func:`adapted_event`); own samples are hand-written for shapes no public sample shows
(tests/fixtures/own/README.md). Cards are rendered with :data:`ACCOUNT_NAMES`, which names two of
the samples' accounts, so the snapshots show accounts both by name and by id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alarm_bot.alarms.model import Notification
from alarm_bot.alarms.parse import parse_notification
from alarm_bot.alarms.render import render_message
from alarm_bot.chat_message import ChatMessage

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
TIME_ZONE = "Asia/Seoul"
ACCOUNT_NAMES = {"912397435824": "payments-prod", "444455556666": "데모"}

SAMPLES: dict[str, str] = {
    # CloudWatch alarms through SNS (Lambda event or bare message body)
    "sns_single_metric": "real/aws-lambda-go/cloudwatch-alarm-sns-payload-single-metric.json",
    "sns_math": "real/aws-lambda-go/cloudwatch-alarm-sns-payload-multiple-metrics.json",
    "sns_ok": "real/notify-slack/messages/cloudwatch_alarm.json",
    "body_no_trigger": "real/notify-slack/events/cloudwatch_alarm.json",
    "sns_korean_name": "own/sns_korean_name.json",
    "sns_insufficient_data": "own/sns_insufficient_data_percentile.json",
    "sns_anomaly": "own/sns_anomaly_alarm.json",
    "sns_composite_arns": "own/sns_composite_children_arns.json",
    "sns_composite_states": "own/sns_composite_children_states.json",
    "legacy_missing_fields": "own/legacy_missing_fields.json",
    # CloudWatch alarms through EventBridge and the Lambda alarm action
    "eventbridge_metric": "own/eventbridge_metric_alarm.json",
    "eventbridge_composite": "own/eventbridge_composite_alarm.json",
    "action_metric": "real/aws-lambda-java-libs/cloudwatch_metric_alarm.json",
    "action_composite_java": "real/aws-lambda-java-libs/cloudwatch_composite_alarm.json",
    "action_math": "real/powertools-python/cloudWatchAlarmEventSingleMetric.json",
    "action_composite": "real/powertools-python/cloudWatchAlarmEventCompositeMetric.json",
    "eventbridge_math_eu": "adapted/eventbridge_math_alarm_eu_west_1.json",
    "eventbridge_metric_us": "adapted/eventbridge_metric_alarm_us_east_1.json",
    # Everything else
    "sns_text_hello": "real/aws-lambda-go/sns-event.json",
    "sns_text_powertools": "real/powertools-python/snsEvent.json",
    "sns_text_multiline": "real/notify-slack/messages/text_message.json",
    "sns_backup": "real/notify-slack/messages/backup.json",
    "sns_glue": "real/notify-slack/messages/glue_notification.json",
    "sns_guardduty": "real/notify-slack/messages/guardduty_finding.json",
    "event_guardduty": "real/notify-slack/events/guardduty_finding_high.json",
    "event_health": "real/notify-slack/events/aws_health_event.json",
    "event_securityhub": "real/notify-slack-pr198/events/securityhub_finding_low.json",
    "event_inspector": "real/notify-slack-pr267/events/inspector_finding.json",
    "event_codebuild": "real/aws-lambda-go/codebuild-state-change.json",
}
KOREAN_SNAPSHOTS = (
    "sns_korean_name",
    "sns_ok",
    "sns_insufficient_data",
    "eventbridge_math_eu",
    "eventbridge_metric_us",
)
# Adapted sample → (its real source, the EventBridge event id and time given to it).
ADAPTED = {
    "eventbridge_math_eu": (
        "action_math",
        "2f1d7a3e-5b6c-4d8e-9f0a-1b2c3d4e5f60",
        "2024-02-17T11:53:08Z",
    ),
    "eventbridge_metric_us": (
        "action_metric",
        "8a4c2e1f-3d5b-4a6c-8e7f-9a0b1c2d3e4f",
        "2023-08-04T12:36:15Z",
    ),
}


def sample_path(sample: str) -> Path:
    return FIXTURES / SAMPLES[sample]


def sample_text(sample: str) -> str:
    return sample_path(sample).read_text(encoding="utf-8")


def parsed(sample: str) -> list[Notification]:
    return parse_notification(sample_text(sample))


def only(sample: str) -> Notification:
    notifications = parsed(sample)
    assert len(notifications) == 1, notifications
    return notifications[0]


def rendered(sample: str, locale: str = "en") -> list[ChatMessage]:
    return [
        render_message(item, locale=locale, time_zone=TIME_ZONE, account_names=ACCOUNT_NAMES)
        for item in parsed(sample)
    ]


def adapted_event(action: dict[str, Any], event_id: str, time: str) -> dict[str, Any]:
    """A CloudWatch Lambda alarm-action payload as the EventBridge event of the same transition:
    ``alarmData`` is the ``detail``, the ARN's account and the region the envelope's."""
    return {
        "version": "0",
        "id": event_id,
        "detail-type": "CloudWatch Alarm State Change",
        "source": "aws.cloudwatch",
        "account": action["alarmArn"].split(":")[4],
        "time": time,
        "region": action["region"],
        "resources": [action["alarmArn"]],
        "detail": action["alarmData"],
    }


def sample_json(sample: str) -> Any:
    return json.loads(sample_text(sample))


def card(message: ChatMessage) -> dict[str, Any]:
    card_body: dict[str, Any] = message["cardsV2"][0]["card"]
    return card_body


def widgets(message: ChatMessage) -> Iterator[dict[str, Any]]:
    for section in card(message)["sections"]:
        yield from section["widgets"]


def rows(message: ChatMessage) -> list[tuple[str, str]]:
    """(topLabel, text) of every decoratedText, in card order."""
    found = []
    for widget in widgets(message):
        if "decoratedText" in widget:
            decorated = widget["decoratedText"]
            found.append((decorated.get("topLabel", ""), decorated["text"]))
    return found


def row_text(message: ChatMessage, label: str) -> str:
    matches = [text for top, text in rows(message) if top == label]
    assert matches, f"no row {label!r} in {rows(message)}"
    return matches[0]


def section_headers(message: ChatMessage) -> list[str]:
    return [section.get("header", "") for section in card(message)["sections"]]


def button_urls(message: ChatMessage) -> list[str]:
    urls = []
    for widget in widgets(message):
        for button in widget.get("buttonList", {}).get("buttons", []):
            urls.append(button["onClick"]["openLink"]["url"])
    return urls
