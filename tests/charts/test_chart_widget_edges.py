"""The chart widget's time handling, its bounds on hostile values, and its words in both languages."""

from __future__ import annotations

import re
import string
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alarm_bot.alarms.model import AlarmKind, Metric, MetricQuery
from alarm_bot.charts.chart_text import CATALOGS
from alarm_bot.charts.widget import (
    MAX_TITLE_COLUMNS,
    MAX_WIDGET_BYTES,
    alt_text,
    chart_title,
    chart_widget,
    cloudwatch_offset,
    widget_bytes,
)
from alarm_bot.charts.widget_series import MAX_LABEL_CHARS
from tests.charts.chart_support import metric_alarm


@pytest.mark.parametrize(
    ("zone", "moment", "offset"),
    [
        ("UTC", datetime(2026, 3, 14, tzinfo=UTC), "+0000"),
        ("Asia/Seoul", datetime(2026, 3, 14, tzinfo=UTC), "+0900"),
        ("Asia/Kolkata", datetime(2026, 3, 14, tzinfo=UTC), "+0530"),
        ("America/St_Johns", datetime(2026, 1, 10, tzinfo=UTC), "-0330"),
        # New York switches to daylight time on 2026-03-08 at 07:00 UTC: the offset at the change.
        ("America/New_York", datetime(2026, 3, 8, 6, 59, tzinfo=UTC), "-0500"),
        ("America/New_York", datetime(2026, 3, 8, 7, 1, tzinfo=UTC), "-0400"),
    ],
)
def test_the_zone_becomes_cloudwatch_offset_at_the_change(zone: str, moment: datetime, offset: str) -> None:
    assert cloudwatch_offset(moment, zone) == offset


def test_the_change_line_is_labelled_in_the_zone() -> None:
    widget = chart_widget(metric_alarm(), time_zone="America/New_York", locale="en")
    assert widget is not None
    assert widget["timezone"] == "-0400"
    assert widget["annotations"]["vertical"][0] == {
        "label": "ALARM at 01:20",
        "value": "2026-03-14T05:20:03.250Z",
        "color": "#D93025",
    }


def test_a_long_period_widens_the_window_to_ten_points() -> None:
    hourly = metric_alarm(metric=Metric(namespace="N", name="M", statistic="Sum", period=3600))
    widget = chart_widget(hourly)
    assert widget is not None
    assert (widget["start"], widget["end"], widget["period"]) == (
        "2026-03-13T19:20:03.250Z",
        "2026-03-14T06:10:03.250Z",
        3600,
    )


def test_too_many_points_coarsen_the_period_to_whole_minutes() -> None:
    fast = metric_alarm(metric=Metric(namespace="N", name="M", statistic="Sum", period=10))
    assert chart_widget(fast, hours=3)["period"] == 10  # type: ignore[index] - 1,080 points fit
    assert chart_widget(fast, hours=24)["period"] == 60  # type: ignore[index] - 8,640 would not


@pytest.mark.parametrize("period", [None, 0, 7, 90])
def test_an_unusable_period_falls_back_to_cloudwatch_default(period: int | None) -> None:
    odd = metric_alarm(metric=Metric(namespace="N", name="M", statistic="Sum", period=period))
    assert chart_widget(odd)["period"] == 300  # type: ignore[index]


def test_configuration_errors_raise() -> None:
    with pytest.raises(ValueError, match="hours"):
        chart_widget(metric_alarm(), hours=0)
    with pytest.raises(ValueError, match="hours"):
        chart_widget(metric_alarm(), hours=25)
    with pytest.raises(ValueError, match="time zone"):
        chart_widget(metric_alarm(), time_zone="Mars/Olympus")
    with pytest.raises(ValueError, match="time zone"):
        chart_widget(metric_alarm(), time_zone="../etc/passwd")


def test_no_change_time_means_no_chart() -> None:
    assert chart_widget(metric_alarm(changed_at=None)) is None


def test_composite_kind_has_no_chart_even_with_a_metric() -> None:
    assert chart_widget(metric_alarm(kind=AlarmKind.COMPOSITE)) is None


def test_a_long_title_is_cut_by_columns() -> None:
    assert chart_title("a" * MAX_TITLE_COLUMNS) == "a" * MAX_TITLE_COLUMNS
    assert chart_title("a" * 200) == "a" * (MAX_TITLE_COLUMNS - 1) + "…"
    korean = chart_title("결제" * 100)
    assert korean.endswith("…") and len(korean) == (MAX_TITLE_COLUMNS - 1) // 2 + 1


@given(st.text(max_size=400))
def test_any_title_fits(name: str) -> None:
    title = chart_title(name)
    assert title == name or (title.endswith("…") and name.startswith(title[:-1]))
    assert len(title) <= MAX_TITLE_COLUMNS


METRIC = Metric(namespace="N", name="M", statistic="Sum", period=60)


def test_a_long_label_is_cut_but_kept() -> None:
    widget = chart_widget(
        metric_alarm(
            kind=AlarmKind.MATH,
            metric=None,
            queries=(
                MetricQuery("e1", expression="m1 * 2", label="x" * 5000, return_data=True),
                MetricQuery("m1", metric=METRIC),
            ),
        )
    )
    assert widget is not None
    assert len(widget["metrics"][0][0]["label"]) == MAX_LABEL_CHARS


@pytest.mark.parametrize(
    "queries",
    [
        (
            MetricQuery("e1", expression="m1" + " + 0" * 1000, return_data=True),
            MetricQuery("m1", metric=METRIC),
        ),
        (MetricQuery("E1", expression="m1", return_data=True), MetricQuery("m1", metric=METRIC)),
        (MetricQuery("e1/../x", expression="m1", return_data=True), MetricQuery("m1", metric=METRIC)),
        (MetricQuery("e1", expression="m1", return_data=False), MetricQuery("m1", metric=METRIC)),
        (MetricQuery("e1", return_data=True),),
        tuple(MetricQuery(f"m{index}", metric=METRIC, return_data=True) for index in range(21)),
    ],
    ids=["expression-too-long", "bad-id", "path-id", "nothing-returned", "empty-query", "too-many"],
)
def test_queries_cloudwatch_would_refuse_mean_no_chart(queries: tuple[MetricQuery, ...]) -> None:
    assert chart_widget(metric_alarm(kind=AlarmKind.MATH, metric=None, queries=queries)) is None


@pytest.mark.parametrize(
    "metric",
    [
        Metric(namespace="N" * 256, name="M"),
        Metric(namespace="N", name="M", dimensions=(("D", "v" * 1025),)),
        Metric(namespace="N", name="M", dimensions=tuple((f"D{i}", "v") for i in range(31))),
        Metric(namespace="N", name="M", statistic="p" * 65),
        Metric(namespace=None, name="M"),
    ],
    ids=["namespace", "dimension-value", "dimensions", "statistic", "no-namespace"],
)
def test_metrics_cloudwatch_would_refuse_mean_no_chart(metric: Metric) -> None:
    assert chart_widget(metric_alarm(metric=metric)) is None


def test_the_largest_acceptable_alarm_stays_under_the_payload_limit() -> None:
    dimensions = tuple((f"{i:02d}" + "D" * 250, "v" * 1024) for i in range(30))
    big = Metric(namespace="N" * 255, name="M" * 255, statistic="Sum", period=60, dimensions=dimensions)
    queries = tuple(MetricQuery(f"m{i}", metric=big, label="x" * 500) for i in range(19))
    expression = MetricQuery("e1", expression="SUM([" + ",".join(f"m{i}" for i in range(19)) + "])")
    alarm = metric_alarm(
        kind=AlarmKind.MATH, metric=None, queries=(replace(expression, return_data=True), *queries)
    )
    widget = chart_widget(alarm)
    # About 19 x 40 KB: over CloudWatch's 100 KB, so no chart rather than a refused request.
    assert widget is None
    small = metric_alarm(metric=replace(big, dimensions=dimensions[:3]))
    assert widget_bytes(chart_widget(small) or {}) <= MAX_WIDGET_BYTES


def test_alt_text_in_both_languages() -> None:
    assert alt_text(metric_alarm()) == "Graph of prod-api-5xx-high for the 3 h before it changed to ALARM"
    assert (
        alt_text(metric_alarm(), locale="ko")
        == "prod-api-5xx-high 알람이 ALARM 상태로 바뀌기 전 3시간 동안의 그래프"
    )


def test_both_languages_have_the_same_sentences() -> None:
    def placeholders(value: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(value) if name}

    english, korean = CATALOGS["en"], CATALOGS["ko"]
    assert english.keys() == korean.keys()
    for key in english:
        assert placeholders(english[key]) == placeholders(korean[key]), key


def test_korean_threshold_and_change_labels() -> None:
    widget = chart_widget(metric_alarm(), time_zone="Asia/Seoul", locale="ko")
    assert widget is not None
    assert widget["annotations"]["horizontal"][0]["label"] == "임계값 ≥ 50"
    assert widget["annotations"]["vertical"][0]["label"] == "14:20 ALARM 상태로 변경"
    assert re.fullmatch(r"[+-]\d{4}", widget["timezone"])
