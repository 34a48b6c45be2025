"""Every sample renders exactly as its reviewed snapshot, and as a message Chat accepts.

Snapshots live in tests/alarms/snapshots/<sample>.<locale>.json and hold what ``alarm-bot render``
prints (one object, or an array for several records). After an intended change, regenerate and
review the diff:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/alarms/test_render_snapshots.py
"""

from __future__ import annotations

import pytest

from alarm_bot.alarms.render_limits import MESSAGE_BYTES_LIMIT, TEXT_LIMIT, message_bytes, widget_count
from tests.alarms.alarm_samples import KOREAN_SNAPSHOTS, SAMPLES, SNAPSHOTS, rendered
from tests.support.chat_schema import validate_message
from tests.support.snapshot_checks import assert_matches_snapshot

CASES = [(sample, "en") for sample in SAMPLES] + [(sample, "ko") for sample in KOREAN_SNAPSHOTS]


@pytest.mark.parametrize(("sample", "locale"), CASES)
def test_rendering_matches_snapshot(sample: str, locale: str) -> None:
    messages = rendered(sample, locale)
    output = messages[0] if len(messages) == 1 else messages
    assert_matches_snapshot(SNAPSHOTS / f"{sample}.{locale}.json", output)


@pytest.mark.parametrize(("sample", "locale"), CASES)
def test_rendering_is_valid_for_chat(sample: str, locale: str) -> None:
    for message in rendered(sample, locale):
        validate_message(message)
        assert len(message["text"]) <= TEXT_LIMIT
        assert message_bytes(message) <= MESSAGE_BYTES_LIMIT
        assert widget_count(message) <= 100


def test_every_snapshot_belongs_to_a_case() -> None:
    expected = {f"{sample}.{locale}.json" for sample, locale in CASES}
    assert {path.name for path in SNAPSHOTS.glob("*.json")} == expected
