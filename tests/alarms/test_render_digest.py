"""Digest cards: one line per alarm, worst first, valid for Chat and within its limits, en and ko.

The rows are real samples (one per alarm kind and one AWS Health event) plus a storm of 300 alarms
made from the Korean-named sample. Snapshots live in tests/alarms/digest_snapshots/ (regenerate with
``UPDATE_SNAPSHOTS=1`` and review the diff).
"""

from __future__ import annotations

import dataclasses
import html
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from alarm_bot.alarms.card_buttons import ButtonTarget
from alarm_bot.alarms.card_facts import Acknowledgement
from alarm_bot.alarms.digest_rows import DigestRow
from alarm_bot.alarms.model import Alarm, AlarmState
from alarm_bot.alarms.render_digest import render_digest, render_digest_parts, render_digest_update
from alarm_bot.alarms.render_limits import MESSAGE_BYTES_LIMIT, TEXT_LIMIT, message_bytes, widget_count
from tests.alarms.alarm_samples import only
from tests.support.chat_schema import validate_message
from tests.support.snapshots import snapshot_text

SNAPSHOTS = Path(__file__).resolve().parent / "digest_snapshots"
NOW = datetime(2026, 11, 27, 1, 30, tzinfo=UTC).timestamp()
ENDPOINT = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat"


def row(sample: str, *history: str, **fields: Any) -> DigestRow:
    notification = only(sample)
    at = notification.changed_at if isinstance(notification, Alarm) else notification.time
    moment = at.timestamp() if at else NOW - 60
    state = notification.state.value if isinstance(notification, Alarm) else ""
    steps = tuple((name, moment - 60 * (len(history) - index)) for index, name in enumerate(history))
    return DigestRow(notification, history=(*steps, (state, moment)), **fields)


def sample_rows() -> list[DigestRow]:
    return [
        row("sns_ok", "ALARM"),
        row("sns_single_metric", acknowledgements=(Acknowledgement("users/1", "Jane", int(NOW) - 30),)),
        row("sns_insufficient_data"),
        row("sns_korean_name", muted_until=int(NOW) + 3600),
        row("event_health"),
        row("sns_composite_states", late=True),
    ]


def storm(count: int) -> list[DigestRow]:
    base = only("sns_korean_name")
    assert isinstance(base, Alarm)
    start = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    rows = []
    for index in range(count):
        alarm = dataclasses.replace(
            base,
            name=f"storm-{index:03d}-결제-API-오류율",
            arn=f"arn:aws:cloudwatch:ap-northeast-2:123456789012:alarm:storm-{index:03d}",
            changed_at=start + timedelta(seconds=index / 5),
            reason="Threshold Crossed: 1 out of the last 1 datapoints [5.2 (27/11/26 01:00:00)] was greater "
            "than the threshold (5.0) (minimum 1 datapoint for OK -> ALARM transition)." * 3,
        )
        rows.append(DigestRow(alarm, history=(("ALARM", alarm.changed_at.timestamp()),)))
    return rows


def lines(message: dict[str, Any]) -> list[dict[str, Any]]:
    widgets = message["cardsV2"][0]["card"]["sections"][0]["widgets"]
    return [widget["decoratedText"] for widget in widgets if "decoratedText" in widget]


def check_limits(message: dict[str, Any]) -> None:
    validate_message(message)
    assert len(message["text"]) <= TEXT_LIMIT
    assert message_bytes(message) <= MESSAGE_BYTES_LIMIT
    assert widget_count(message) <= 100


@pytest.mark.parametrize("locale", ["en", "ko"])
def test_digest_matches_its_snapshot(locale: str) -> None:
    message = render_digest(
        sample_rows(), locale=locale, time_zone="Asia/Seoul", target=ButtonTarget(), now=NOW
    )
    check_limits(message)
    path = SNAPSHOTS / f"digest.{locale}.json"
    actual = snapshot_text(path, message)
    assert path.exists(), f"no snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert json.loads(actual) == json.loads(path.read_text(encoding="utf-8"))


def test_lines_are_worst_first_with_counts_in_the_header_and_text() -> None:
    message = render_digest(
        sample_rows(), locale="en", time_zone="Asia/Seoul", target=ButtonTarget(), now=NOW
    )
    states = [line["topLabel"].split(" · ")[0] for line in lines(message)]
    assert states[:3] == ["ALARM", "ALARM", "ALARM"]
    assert states[-1] == "OK"
    header = message["cardsV2"][0]["card"]["header"]
    assert header["title"] == "5 alarms changed state"
    assert header["subtitle"].startswith("3 ALARM, 1 INSUFFICIENT_DATA, 1 OK, 1 other notifications")
    assert (
        message["text"]
        == "🚨 5 alarms changed state: 3 ALARM, 1 INSUFFICIENT_DATA, 1 OK, 1 other notifications"
    )


def test_a_line_shows_its_history_acknowledgements_mute_and_lateness() -> None:
    message = render_digest(
        sample_rows(), locale="en", time_zone="Asia/Seoul", target=ButtonTarget(), now=NOW
    )
    bottoms = [line.get("bottomLabel", "") for line in lines(message)]
    assert any(bottom.startswith("ALARM ") and " → OK " in bottom for bottom in bottoms)
    assert any("Acknowledged by Jane at" in bottom for bottom in bottoms)
    assert any("Muted here until" in bottom for bottom in bottoms)
    assert any("arrived late" in bottom for bottom in bottoms)


def test_open_alarms_carry_their_card_actions_in_an_overflow_menu() -> None:
    message = render_digest(
        sample_rows(), locale="en", time_zone="Asia/Seoul", target=ButtonTarget(), now=NOW
    )
    first = next(line for line in lines(message) if "ap-northeast-2" in line["topLabel"])
    items = first["button"]["onClick"]["overflowMenu"]["items"]
    assert [item["text"] for item in items] == [
        "Acknowledge",
        "Mute here 1h",
        "Mute here 1d",
        "Open in CloudWatch",
    ]
    parameters = {p["key"]: p["value"] for p in items[1]["onClick"]["action"]["parameters"]}
    assert parameters["action"] == "mute_alarm" and parameters["duration"] == "1h"
    resolved = lines(message)[-1]
    assert "overflowMenu" not in resolved["button"]["onClick"]  # an OK line only links to the console


def test_an_add_on_digest_puts_the_actions_in_a_button_row() -> None:
    target = ButtonTarget(ENDPOINT)
    message = render_digest(sample_rows(), locale="en", time_zone="Asia/Seoul", target=target, now=NOW)
    check_limits(message)
    widgets = message["cardsV2"][0]["card"]["sections"][0]["widgets"]
    rows = [widget for widget in widgets if "buttonList" in widget]
    assert rows and all(
        b["onClick"]["action"]["function"] == ENDPOINT for b in rows[0]["buttonList"]["buttons"]
    )
    assert not any("overflowMenu" in json.dumps(widget) for widget in widgets)


@pytest.mark.parametrize("locale", ["en", "ko"])
@pytest.mark.parametrize("target", [ButtonTarget(), ButtonTarget(ENDPOINT), None])
def test_a_storm_of_300_is_cut_to_chats_limits_with_and_n_more(
    locale: str, target: ButtonTarget | None
) -> None:
    message = render_digest(storm(300), locale=locale, time_zone="Asia/Seoul", target=target, now=NOW)
    check_limits(message)
    widgets = message["cardsV2"][0]["card"]["sections"][0]["widgets"]
    more = widgets[-1]["textParagraph"]["text"]
    shown = len(lines(message))
    assert str(300 - shown) in more
    assert ("status" in more) if locale == "en" else ("상태" in more)
    assert 10 <= shown <= 50
    assert str(shown) in message["cardsV2"][0]["card"]["header"]["title"]  # the message counts its lines


@pytest.mark.parametrize("locale", ["en", "ko"])
@pytest.mark.parametrize("target", [ButtonTarget(), ButtonTarget(ENDPOINT), None])
def test_a_storm_of_300_is_posted_in_numbered_parts_each_within_the_limits(
    locale: str, target: ButtonTarget | None
) -> None:
    rows = storm(300)
    parts = render_digest_parts(
        rows, locale=locale, time_zone="Asia/Seoul", target=target, now=NOW, max_parts=30
    )
    names = []
    for number, part in enumerate(parts, start=1):
        check_limits(part.message)
        shown = lines(part.message)
        assert len(shown) == len(part.rows)
        for line, shown_row in zip(shown, part.rows, strict=True):
            assert line["text"].startswith(f"<b>{html.escape(shown_row.notification.name)}</b> — ")
        names += [row.notification.name for row in part.rows]
        title = part.message["cardsV2"][0]["card"]["header"]["title"]
        label = f"({number}/{len(parts)})" if locale == "en" else f"({len(parts)}개 중 {number}번째)"
        assert title.endswith(label) and str(len(part.rows)) in title
        assert part.message["text"].endswith(label)
        assert "textParagraph" not in json.dumps(part.message)  # nothing left out
    assert names == [row.notification.name for row in rows]  # each once, in order (all ALARM)
    assert 300 / 50 <= len(parts) <= 300 / 10


def test_what_the_allowed_parts_have_no_room_for_is_counted_for_the_next_digest() -> None:
    parts = render_digest_parts(
        storm(300), locale="en", time_zone="Asia/Seoul", target=ButtonTarget(), now=NOW, max_parts=2
    )
    assert len(parts) == 2
    left = 300 - len(parts[0].rows) - len(parts[1].rows)
    more = parts[1].message["cardsV2"][0]["card"]["sections"][0]["widgets"][-1]["textParagraph"]["text"]
    assert more.startswith(f"… and {left} more, in the next digest")
    assert "textParagraph" not in json.dumps(parts[0].message)


def test_a_quiet_digest_is_one_message_without_a_number() -> None:
    parts = render_digest_parts(
        sample_rows(), locale="en", time_zone="Asia/Seoul", target=ButtonTarget(), now=NOW, max_parts=5
    )
    assert len(parts) == 1
    assert parts[0].message == render_digest(
        sample_rows(), locale="en", time_zone="Asia/Seoul", target=ButtonTarget(), now=NOW
    )


def test_the_update_reply_lists_the_changes_without_action_buttons() -> None:
    cleared = row("sns_ok", "ALARM")
    message = render_digest_update([cleared], locale="ko", time_zone="Asia/Seoul", now=NOW)
    check_limits(message)
    assert message["text"].startswith("위 다이제스트의 변경: 1 OK (정상)")
    assert "overflowMenu" not in json.dumps(message) and '"action"' not in json.dumps(message)


def test_a_huge_update_is_cut_too() -> None:
    changed = [
        dataclasses.replace(r, notification=dataclasses.replace(r.notification, state=AlarmState.OK))
        for r in storm(200)
    ]
    message = render_digest_update(changed, locale="en", time_zone="UTC", now=NOW)
    check_limits(message)
    assert message["cardsV2"][0]["card"]["header"]["title"] == "200 changes in this digest"
