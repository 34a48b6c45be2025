"""The MetricWidget of each kind of alarm matches its reviewed snapshot, in English and Korean.

The alarms are the shared samples (tests/fixtures, parsed by the production parser), drawn in
Asia/Seoul as the card snapshots are. Snapshots live in tests/charts/snapshots/<sample>.<locale>.json;
after an intended change, regenerate and review the diff:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/charts/test_chart_widget.py
"""

from __future__ import annotations

from pathlib import Path

import pytest

from alarm_bot.alarms.model import Alarm
from alarm_bot.charts.widget import MAX_WIDGET_BYTES, chart_widget, widget_bytes
from tests.alarms.alarm_samples import TIME_ZONE, only
from tests.support.snapshot_checks import assert_matches_snapshot

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
KINDS = {
    "sns_single_metric": "metric (real sample)",
    "sns_korean_name": "metric with a Korean name",
    "sns_math": "metric math (real sample)",
    "action_math": "metric math from the Lambda alarm action (real sample)",
    "sns_anomaly": "anomaly detection band",
    "sns_insufficient_data": "INSUFFICIENT_DATA with a percentile",
    "sns_ok": "OK, the recovery (real sample)",
}
CASES = [(sample, locale) for sample in KINDS for locale in ("en", "ko")]


def alarm(sample: str) -> Alarm:
    parsed = only(sample)
    assert isinstance(parsed, Alarm)
    return parsed


@pytest.mark.parametrize(("sample", "locale"), CASES)
def test_widget_matches_snapshot(sample: str, locale: str) -> None:
    widget = chart_widget(alarm(sample), time_zone=TIME_ZONE, locale=locale)
    assert widget is not None
    assert_matches_snapshot(SNAPSHOTS / f"{sample}.{locale}.json", widget)


@pytest.mark.parametrize(("sample", "locale"), CASES)
def test_widget_is_within_cloudwatch_limits(sample: str, locale: str) -> None:
    widget = chart_widget(alarm(sample), time_zone=TIME_ZONE, locale=locale)
    assert widget is not None
    assert widget_bytes(widget) <= MAX_WIDGET_BYTES
    assert 1 <= len(widget["metrics"]) <= 100
    assert widget["period"] in (1, 5, 10, 30) or widget["period"] % 60 == 0
    assert 1 <= widget["width"] <= 2000 and 1 <= widget["height"] <= 2000
    assert widget["timezone"] == "+0900"
    assert widget["start"] < widget["annotations"]["vertical"][0]["value"] < widget["end"]


def test_every_snapshot_belongs_to_a_case() -> None:
    expected = {f"{sample}.{locale}.json" for sample, locale in CASES}
    assert {path.name for path in SNAPSHOTS.glob("*.json")} == expected


@pytest.mark.parametrize(
    "sample", ["sns_composite_arns", "eventbridge_composite", "action_composite", "body_no_trigger"]
)
def test_alarms_without_a_metric_have_no_chart(sample: str) -> None:
    assert chart_widget(alarm(sample)) is None


def test_math_shows_only_what_the_alarm_returns() -> None:
    widget = chart_widget(alarm("action_math"))
    assert widget is not None
    expression, *inputs = widget["metrics"]
    assert expression == [{"expression": "m1/m2", "id": "e1", "label": "Expression1"}]
    assert [row[-1] for row in inputs] == [
        {"id": "m1", "visible": False, "stat": "SampleCount"},
        {"id": "m2", "visible": False, "stat": "SampleCount"},
    ]


def test_anomaly_shows_band_and_metric_without_a_threshold_line() -> None:
    widget = chart_widget(alarm("sns_anomaly"))
    assert widget is not None
    assert widget["metrics"] == [
        ["Shop", "OrdersPlaced", "Stage", "prod", {"id": "m1", "stat": "Sum"}],
        [{"expression": "ANOMALY_DETECTION_BAND(m1, 2)", "id": "ad1", "label": "OrdersPlaced (expected)"}],
    ]
    assert "horizontal" not in widget["annotations"]


def test_the_recovery_chart_ends_after_the_change_and_shades_the_alarming_side() -> None:
    widget = chart_widget(alarm("sns_ok"), time_zone=TIME_ZONE)
    assert widget is not None
    assert widget["start"] == "2019-02-12T12:45:24.006Z"  # three hours before the change
    assert widget["end"] == "2019-02-12T16:00:24.006Z"  # a twelfth of the window after it
    (threshold,) = widget["annotations"]["horizontal"]
    assert threshold == {"label": "Threshold < 1", "value": 1.0, "color": "#D93025", "fill": "below"}
    (change,) = widget["annotations"]["vertical"]
    assert change["label"] == "OK at 00:45" and change["color"] == "#188038"
