"""No input makes parsing raise: odd content becomes a notification a person can read."""

from __future__ import annotations

import json
import random
import string
from typing import Any

import pytest

from alarm_bot.alarms.model import Alarm, GenericNotification
from alarm_bot.alarms.parse import parse_lambda_event, parse_message_body, parse_notification
from alarm_bot.alarms.render import render_message
from tests.alarms.alarm_samples import SAMPLES, sample_text
from tests.support.chat_schema import validate_message


def deeply_nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"Records": [value]}
    return value


ODD_PAYLOADS: list[object] = [
    None,
    0,
    -1.5,
    float("nan"),
    True,
    [],
    [1, "two", None],
    {},
    "",
    "   ",
    "null",
    "[1, 2",
    "[" * 100_000,
    "{" * 5_000 + "}" * 5_000,
    "x" * 1_000_000,
    b"\xff\xfe not utf-8",
    deeply_nested(50),
    {"Records": None},
    {"Records": []},
    {
        "Records": [
            None,
            1,
            "x",
            {"Sns": None},
            {"Sns": {"Message": None}},
            {"Sns": {"Message": {"AlarmName": 5}}},
        ]
    },
    {"Records": [{"Sns": {"Message": '{"a": [' * 3000 + "0" + "]}" * 3000, "MessageId": 7}}]},
    {"detail-type": "CloudWatch Alarm State Change", "detail": None},
    {
        "detail-type": "CloudWatch Alarm State Change",
        "detail": {"state": [], "configuration": "x"},
        "resources": 5,
    },
    {"detail-type": 5, "detail": {}},
    {"source": "aws.cloudwatch", "alarmData": {"state": {"value": None, "reasonData": "{bad json"}}},
    {"source": "aws.cloudwatch", "alarmData": {"configuration": {"metrics": [None, {"metricStat": 3}]}}},
    {"AlarmName": None, "Trigger": None},
    {"AlarmName": "a", "Trigger": {"Metrics": "nope", "Dimensions": {"k": None}, "Threshold": "NaN"}},
    {"AlarmName": "a", "TriggeringChildren": [None, {"Arn": 5}, {"State": "x"}], "NewStateValue": "FIRE"},
    {"AlarmName": "a", "Trigger": {"Dimensions": [{"name": None, "value": 1}, "x"], "Period": 1e400}},
    {"AlarmName": "a", "StateChangeTime": "9999-99-99T99:99:99Z", "Region": ["x"]},
    {1: "int key", "a": {"b": 1}},
    {"huge": 10**5000},
]


@pytest.mark.parametrize("payload", ODD_PAYLOADS, ids=lambda payload: type(payload).__name__)
def test_odd_payloads_never_raise(payload: object) -> None:
    notifications = parse_notification(payload)
    assert notifications, "every payload gives at least one notification"
    for notification in notifications:
        assert isinstance(notification, Alarm | GenericNotification)
        validate_message(render_message(notification, locale="en", time_zone="UTC"))


def test_random_mutations_of_real_samples_never_raise() -> None:
    """Drop, retype and scramble fields of every sample, with a fixed seed."""
    chooser = random.Random(20260314)
    replacements: list[object] = [None, 0, "", [], {}, "ALARM", 1.5, "x" * 50]
    for sample in SAMPLES:
        original = json.loads(sample_text(sample))
        for _ in range(20):
            mutated = _mutate(json.loads(json.dumps(original)), chooser, replacements)
            for notification in parse_notification(mutated):
                render_message(notification, locale="ko", time_zone="Asia/Seoul")


def _mutate(value: Any, chooser: random.Random, replacements: list[object]) -> Any:
    if isinstance(value, dict):
        return {
            key: chooser.choice(replacements)
            if chooser.random() < 0.15
            else _mutate(item, chooser, replacements)
            for key, item in value.items()
            if chooser.random() > 0.1
        }
    if isinstance(value, list):
        return [_mutate(item, chooser, replacements) for item in value]
    if isinstance(value, str) and value.startswith("{") and chooser.random() < 0.5:
        try:
            return json.dumps(_mutate(json.loads(value), chooser, replacements))
        except ValueError:
            return value
    if isinstance(value, str) and chooser.random() < 0.1:
        return "".join(chooser.choice(string.printable + "가나다") for _ in range(len(value) % 40))
    return value


def test_message_body_entry_point_never_raises() -> None:
    for body in ["", "{}", "[]", "42", '"quoted"', "{" * 10_000, "\x00\x01"]:
        assert isinstance(
            parse_message_body(body, message_id=None, subject=None), Alarm | GenericNotification
        )


def test_lambda_event_entry_point_never_raises() -> None:
    assert len(parse_lambda_event({"unexpected": True})) == 1


def _surrogate_everywhere(value: Any) -> Any:
    """Every string of ``value`` with a lone surrogate inside, strings in nested JSON too."""
    if isinstance(value, dict):
        return {key: _surrogate_everywhere(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_surrogate_everywhere(item) for item in value]
    if isinstance(value, str) and value.startswith("{"):
        return json.dumps(_surrogate_everywhere(json.loads(value)))
    if isinstance(value, str):
        return value[:3] + "\ud800" + value[3:] + "\udfff"
    return value


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_lone_surrogate_in_any_field_is_made_whole(sample: str) -> None:
    """Valid JSON may spell ``\\ud800``: nothing downstream could store, hash, send or log it."""
    hostile = _surrogate_everywhere(json.loads(sample_text(sample)))
    for payload in (hostile, json.dumps(hostile)):  # decoded by Lambda, or a body still to decode
        for notification in parse_notification(payload):
            message = render_message(notification, locale="ko", time_zone="Asia/Seoul")
            json.dumps(message, ensure_ascii=False).encode("utf-8")  # raises on a lone surrogate
            if isinstance(notification, Alarm):
                assert "\ufffd" in notification.name
                assert len(notification.key) == 40
            validate_message(message)


def test_a_lone_surrogate_in_an_sns_message_string_is_made_whole() -> None:
    notification = parse_message_body(
        '{"AlarmName": "db\\ud800", "NewStateValue": "ALARM"}', subject="s\udc00"
    )
    assert isinstance(notification, Alarm) and notification.name == "db\ufffd"
    assert parse_message_body("plain \ud800 text").text.encode("utf-8")  # type: ignore[union-attr]
