"""Cards and digests say where an alarm is: the account by its name (else its id) and the region.

Uses the adapted real EventBridge samples from two other accounts and regions; the full cards are
in the snapshots (eventbridge_math_eu, eventbridge_metric_us, en and ko).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from alarm_bot.alarms.digest_rows import DigestRow
from alarm_bot.alarms.model import Alarm
from alarm_bot.alarms.render import render_message
from alarm_bot.alarms.render_digest import render_digest, render_digest_parts, render_digest_update
from tests.alarms.alarm_samples import (
    ACCOUNT_NAMES,
    ADAPTED,
    TIME_ZONE,
    adapted_event,
    card,
    only,
    rendered,
    row_text,
    sample_json,
)
from tests.support.chat_schema import validate_message

NOW = 1_708_171_000.0  # 2024-02-17, shortly after the eu-west-1 alarm


@pytest.mark.parametrize("sample", sorted(ADAPTED))
def test_adapted_samples_are_their_real_source_in_the_eventbridge_envelope(sample: str) -> None:
    source, event_id, time = ADAPTED[sample]
    assert sample_json(sample) == adapted_event(sample_json(source), event_id, time)


@pytest.mark.parametrize("sample", sorted(ADAPTED))
def test_the_event_is_the_same_transition_as_its_source(sample: str) -> None:
    event, action = only(sample), only(ADAPTED[sample][0])
    assert isinstance(event, Alarm) and isinstance(action, Alarm)
    assert (event.source, action.source) == ("eventbridge", "lambda-action")
    assert event.transition_id == action.transition_id
    assert (event.account, event.region) == (action.account, action.region)


@pytest.mark.parametrize(
    ("locale", "label", "subtitle", "place"),
    [
        ("en", "Account · Region", "payments-prod · eu-west-1", "payments-prod (912397435824) · eu-west-1"),
        ("ko", "계정 · 리전", "payments-prod · eu-west-1", "payments-prod (912397435824) · eu-west-1"),
    ],
)
def test_a_card_names_the_account_and_its_region(locale: str, label: str, subtitle: str, place: str) -> None:
    (message,) = rendered("eventbridge_math_eu", locale)
    validate_message(message)
    assert card(message)["header"]["subtitle"] == subtitle
    assert row_text(message, label) == place


def test_an_account_without_a_name_is_shown_by_its_id() -> None:
    message = render_message(only("eventbridge_math_eu"), locale="en", time_zone=TIME_ZONE)
    assert card(message)["header"]["subtitle"] == "912397435824 · eu-west-1"
    assert row_text(message, "Account · Region") == "912397435824 · eu-west-1"


def test_other_notifications_name_their_account_too() -> None:
    health = only("event_health")
    names = {"123456789012": "shared-services"}
    message = render_message(health, locale="en", time_zone=TIME_ZONE, account_names=names)
    assert card(message)["header"]["subtitle"] == "shared-services · us-west-2"


def digest_row(sample: str, **changes: Any) -> DigestRow:
    alarm = dataclasses.replace(only(sample), **changes)
    assert isinstance(alarm, Alarm) and alarm.changed_at is not None
    return DigestRow(alarm, history=((alarm.state.value, alarm.changed_at.timestamp()),))


def top_labels(message: dict[str, Any]) -> list[str]:
    widgets = card(message)["sections"][0]["widgets"]
    return [widget["decoratedText"]["topLabel"] for widget in widgets if "decoratedText" in widget]


def test_every_digest_line_says_where_its_alarm_is() -> None:
    rows = [digest_row("eventbridge_math_eu", name=f"Test alert {index}") for index in range(2)]
    for message in (
        render_digest(
            rows, locale="en", time_zone=TIME_ZONE, target=None, now=NOW, account_names=ACCOUNT_NAMES
        ),
        render_digest_update(rows, locale="ko", time_zone=TIME_ZONE, now=NOW, account_names=ACCOUNT_NAMES),
    ):
        validate_message(message)
        assert all(label.endswith("· payments-prod · eu-west-1") for label in top_labels(message))


def test_a_digest_from_several_places_names_each_lines_own() -> None:
    rows = [digest_row("eventbridge_math_eu"), digest_row("eventbridge_metric_us"), digest_row("sns_ok")]
    (part,) = render_digest_parts(
        rows, locale="en", time_zone=TIME_ZONE, target=None, now=NOW, max_parts=1, account_names=ACCOUNT_NAMES
    )
    validate_message(part.message)
    labels = top_labels(part.message)
    assert any(label.endswith("· payments-prod · eu-west-1") for label in labels)
    assert any(label.endswith("· 데모 · us-east-1") for label in labels)
    assert any(label.endswith("· 735598076380 · us-east-1") for label in labels), "no name: the id"
