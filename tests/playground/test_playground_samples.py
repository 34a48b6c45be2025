"""The page's sample alarms and how the page draws messages and finds their buttons.

Every sample, fired in each state, must read as that alarm in that state, changed now (the bot's
own parser decides); a storm is many different alarms. The card's buttons the page makes live
must be the ones the preview draws, in the same order.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest

from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.alarms.parse import parse_notification
from alarm_bot.alarms.routing import matches_filters
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot_cli.preview import message_html
from playground.samples import SAMPLES, Sample, fired, storm, subject
from playground.view import SPACES, buttons, playground_thread_html, space_view
from tests.support.alarm_cards import posted_card

NOW = 1_800_000_000.0


def _alarm(payload: dict[str, Any]) -> Alarm:
    (parsed,) = parse_notification(payload)
    assert isinstance(parsed, Alarm)
    return parsed


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda sample: sample.id)
@pytest.mark.parametrize("state", ["ALARM", "OK"])
def test_every_sample_fires_as_its_alarm_in_the_state_asked_for_now(sample: Sample, state: str) -> None:
    alarm = _alarm(fired(sample, state, now=NOW))
    assert alarm.name == sample.alarm_name
    assert alarm.state is AlarmState(state)
    assert alarm.changed_at is not None and abs(alarm.changed_at.timestamp() - NOW) < 1


def test_firing_twice_is_two_transitions() -> None:
    first, second = (_alarm(fired(SAMPLES[0], "ALARM", now=NOW + offset)) for offset in (0, 60))
    assert first.transition_id != second.transition_id


def test_the_samples_cover_the_kinds_of_alarm_and_both_ways_in() -> None:
    labels = " ".join(sample.label for sample in SAMPLES)
    for kind in ("Metric", "Metric math", "Anomaly", "Composite", "Korean"):
        assert kind in labels
    assert {sample.route for sample in SAMPLES} == {"sns", "eventbridge"}


def test_a_storm_is_many_different_alarms_that_prod_star_receives() -> None:
    alarms = [_alarm(body) for body in storm(25, now=time.time(), tag="t1")]
    assert len({alarm.name for alarm in alarms}) == 25
    space = SpaceRecord("spaces/A", filters=("prod-*",))
    assert all(alarm.state is AlarmState.ALARM and matches_filters(space, alarm.name) for alarm in alarms)
    with pytest.raises(ValueError, match="1 to 200"):
        storm(0)


def test_the_subject_is_cloudwatchs_within_sns_limit() -> None:
    body = fired(SAMPLES[1], "ALARM", now=NOW)
    assert subject(body).startswith('ALARM: "prod-orders-per-minute-anomaly" in ')
    assert len(subject({"AlarmName": "x" * 300})) < 100


def test_the_live_buttons_are_the_ones_the_preview_draws_in_that_order() -> None:
    card = posted_card()
    found = buttons(card)
    actions = [entry["text"] for entry in found if "function" in entry]
    inert = re.findall(r'role="button"><span>([^<]+)</span>', message_html(card))
    assert actions == inert == ["Acknowledge", "Mute here 1h", "Mute here 1d"]
    (link,) = [entry for entry in found if "link" in entry]
    assert link["link"].startswith("https://ap-northeast-2.console.aws.amazon.com/cloudwatch/")
    assert found[0]["parameters"]["action"] == "acknowledge"


def test_an_overflow_menu_is_one_icon_button_with_its_items() -> None:
    acknowledge = {"function": "acknowledge", "parameters": [{"key": "a", "value": "1"}]}
    items = [
        {"text": "Acknowledge", "onClick": {"action": acknowledge}},
        {"text": "Open", "onClick": {"openLink": {"url": "https://example.com/"}}},
    ]
    menu = {"icon": {"materialIcon": {"name": "more_vert"}}, "altText": "Actions"}
    menu["onClick"] = {"overflowMenu": {"items": items}}
    widget = {"decoratedText": {"text": "line", "button": menu}}
    message = {"name": "spaces/A/messages/1", "cardsV2": [{"card": {"sections": [{"widgets": [widget]}]}}]}
    (entry,) = buttons(message)
    assert entry["menu"] == [
        {"text": "Acknowledge", "function": "acknowledge", "parameters": {"a": "1"}},
        {"text": "Open", "link": "https://example.com/"},
    ]
    assert 'class="btn icon-only" title="Actions: Acknowledge · Open" role="button"' in message_html(message)


def test_threads_keep_their_order_and_people_are_drawn_apart_from_the_app() -> None:
    thread = {"name": "spaces/A/threads/1"}
    jane = {"displayName": "Jane Doe", "type": "HUMAN"}
    person = {"name": "spaces/A/messages/1", "thread": thread, "text": "<b>status</b>", "sender": jane}
    reply = {"name": "spaces/A/messages/2", "thread": thread, "text": "ok"}
    card = {**posted_card(), "name": "spaces/A/messages/3", "thread": {"name": "spaces/A/threads/3"}}
    edited = {**card, "text": "changed"}
    view = space_view(
        SPACES[0], [person, reply, edited], {"spaces/A/messages/3": card}, member=True, locale="en"
    )
    first, second = view["threads"]
    assert "&lt;b&gt;status&lt;/b&gt;" in first["html"] and "JD" in first["html"]
    assert "1 reply" in first["html"] and list(first["buttons"]) == ["spaces/A/messages/2"]
    assert 'data-edited="1"' in second["html"]
    assert 'data-edited=""' in playground_thread_html([reply], {}, "en")
