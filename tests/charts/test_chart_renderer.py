"""The renderer against a CloudWatch stand-in on 127.0.0.1 and moto's S3: in time or not at all.

The CloudWatch client is the production one (:func:`widget_image_client`, one attempt, connect and
read timeouts equal to the budget) pointed at the stand-in. Upper bounds on elapsed time are the
budget plus a generous margin: the property is "never late", not "fast".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from typing import Any

import boto3
import pytest

from alarm_bot.charts.render import MAX_WORKERS, ChartRenderer, ChartResult, SkipReason, widget_image_client
from alarm_bot.charts.storage import MAX_PNG_BYTES, PNG_SIGNATURE, S3Charts
from alarm_bot.charts.widget import chart_widget
from tests.charts.chart_support import ACCOUNT, BASE_URL, BUCKET, REGION, metric_alarm, stored_keys
from tests.charts.widget_image_server import (
    BAD_WIDGET,
    FAILING,
    HANG,
    LIMIT_EXCEEDED,
    THROTTLED,
    Step,
    WidgetImageServer,
    image,
    tiny_png,
    widget_image_server,
)

BUDGET = 3.0  # the default: enough for a cold client under a loaded test run
SHORT = 1.0  # for the cases that wait for the deadline
MARGIN = 1.0
ALARM = metric_alarm()
WIDGET = chart_widget(ALARM)
assert WIDGET is not None


@pytest.fixture
def renderers(s3: Any) -> Iterator[list[ChartRenderer]]:
    made: list[ChartRenderer] = []
    yield made
    for renderer in made:
        renderer.close()


def renderer_for(
    fake: WidgetImageServer, made: list[ChartRenderer], budget: float = BUDGET, **options: Any
) -> ChartRenderer:
    """A renderer whose clients exist before any clock starts, as in a warm function."""
    renderer = ChartRenderer(
        S3Charts(BUCKET, boto3.client("s3")),
        BASE_URL + "/",
        account=ACCOUNT,
        region=REGION,
        budget_seconds=budget,
        own_clients=lambda region: widget_image_client(region, budget, endpoint_url=fake.url),
        **options,
    )
    renderer.prepare()
    made.append(renderer)
    return renderer


def renderer_around(client: object, made: list[ChartRenderer], **options: Any) -> ChartRenderer:
    """A renderer whose CloudWatch client, in every region, is the stand-in ``client``."""
    renderer = ChartRenderer(
        S3Charts(BUCKET),
        BASE_URL,
        account=ACCOUNT,
        region=REGION,
        own_clients=lambda region: client,
        **options,
    )
    made.append(renderer)
    return renderer


def skips(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.getMessage() == "chart skipped"]


def test_a_chart_is_stored_and_its_public_url_returned(s3: Any, renderers: list[ChartRenderer]) -> None:
    with widget_image_server([image()]) as fake:
        result = renderer_for(fake, renderers).render(ALARM, WIDGET)
    assert result.reason is None and result.chart_id is not None
    assert result.url == f"{BASE_URL}/charts/{result.chart_id}.png"
    assert stored_keys(s3) == [f"charts/{result.chart_id}.png"]
    stored = s3.get_object(Bucket=BUCKET, Key=f"charts/{result.chart_id}.png")
    assert stored["ContentType"] == "image/png"
    assert stored["CacheControl"] == "public, max-age=31536000, immutable"
    assert stored["Body"].read() == tiny_png()
    assert fake.widgets == [WIDGET] and fake.formats == ["png"]


def test_start_returns_at_once_and_a_slow_answer_within_the_budget_still_counts(
    s3: Any, renderers: list[ChartRenderer]
) -> None:
    with widget_image_server([image(delay=0.8)]) as fake:
        renderer = renderer_for(fake, renderers)
        started = time.monotonic()
        pending = renderer.start(ALARM, WIDGET)
        assert time.monotonic() - started < 0.3  # the caller is free meanwhile
        assert not pending.done()
        result = pending.result()
        elapsed = time.monotonic() - started
    assert 0.8 <= elapsed < BUDGET + MARGIN
    assert result.url is not None and pending.done()


def test_a_hanging_cloudwatch_is_given_up_at_the_deadline(
    s3: Any, renderers: list[ChartRenderer], caplog: pytest.LogCaptureFixture
) -> None:
    with widget_image_server([HANG]) as fake:
        started = time.monotonic()
        result = renderer_for(fake, renderers, budget=SHORT).render(ALARM, WIDGET)
        elapsed = time.monotonic() - started
        time.sleep(SHORT)  # the worker's own read timeout passes too: still one line, no object
    assert result == ChartResult(None, SkipReason.TIMEOUT)
    assert SHORT * 0.9 <= elapsed < SHORT + MARGIN
    assert stored_keys(s3) == []
    (line,) = skips(caplog)
    assert (line.reason, line.alarm) == ("timeout", ALARM.key)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (THROTTLED, (SkipReason.THROTTLED, "Throttling")),
        (LIMIT_EXCEEDED, (SkipReason.THROTTLED, "LimitExceeded")),
        (FAILING, (SkipReason.CLOUDWATCH_ERROR, "InternalServiceError")),
        (BAD_WIDGET, (SkipReason.CLOUDWATCH_ERROR, "InvalidParameterInput")),
        (image(b"GIF89a not a png"), (SkipReason.NOT_PNG, "bytes")),
        (image(PNG_SIGNATURE + bytes(MAX_PNG_BYTES)), (SkipReason.TOO_LARGE, str(MAX_PNG_BYTES + 8))),
    ],
    ids=["throttled", "limit-exceeded", "failing", "bad-widget", "not-png", "too-large"],
)
def test_failures_are_one_attempt_one_line_and_no_object(
    step: Step,
    expected: tuple[SkipReason, str],
    s3: Any,
    renderers: list[ChartRenderer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    reason, detail = expected
    with widget_image_server([step, image()]) as fake:
        started = time.monotonic()
        result = renderer_for(fake, renderers).render(ALARM, WIDGET)
        assert time.monotonic() - started < BUDGET + MARGIN
    assert result == ChartResult(None, reason)
    assert len(fake.widgets) == 1  # no retry: it could not fit in the budget
    assert stored_keys(s3) == []
    (line,) = skips(caplog)
    assert (line.reason, line.detail) == (reason.value, detail)  # type: ignore[attr-defined]
    assert "metrics" not in line.getMessage() and "Rate exceeded" not in str(line.__dict__)


def test_an_unwritable_bucket_skips_the_chart(aws: None, caplog: pytest.LogCaptureFixture) -> None:
    with widget_image_server([image()]) as fake:
        renderer = renderer_for(fake, [])
        result = renderer.render(ALARM, WIDGET)  # no bucket was created
        renderer.close()
    assert result == ChartResult(None, SkipReason.STORE_FAILED)
    (line,) = skips(caplog)
    assert line.detail == "S3 PutObject failed: NoSuchBucket"  # type: ignore[attr-defined]


def test_another_account_is_skipped_without_a_call(
    s3: Any, renderers: list[ChartRenderer], caplog: pytest.LogCaptureFixture
) -> None:
    other = metric_alarm(account="999999999999")
    with widget_image_server([image()]) as fake:
        result = renderer_for(fake, renderers).render(other, WIDGET)
    assert result == ChartResult(None, SkipReason.OTHER_ACCOUNT)
    assert fake.widgets == []
    assert [line.reason for line in skips(caplog)] == ["other account"]  # type: ignore[attr-defined]


def test_another_account_is_drawn_with_the_factory_client(s3: Any, renderers: list[ChartRenderer]) -> None:
    asked: list[tuple[str, str]] = []
    with widget_image_server([image()]) as fake:

        def assume_role(account: str, region: str) -> Any:
            asked.append((account, region))
            return widget_image_client(region, BUDGET, endpoint_url=fake.url)

        other = metric_alarm(account="999999999999", region="us-east-1")
        result = renderer_for(fake, renderers, other_accounts=assume_role).render(other, WIDGET)
    assert asked == [("999999999999", "us-east-1")]
    assert result.url is not None


def test_a_factory_without_a_client_is_another_account(s3: Any, renderers: list[ChartRenderer]) -> None:
    with widget_image_server([]) as fake:
        renderer = renderer_for(fake, renderers, other_accounts=lambda account, region: None)
        result = renderer.render(metric_alarm(account="999999999999"), WIDGET)
    assert result.reason is SkipReason.OTHER_ACCOUNT


def test_the_alarm_region_picks_the_client_and_a_bad_one_is_refused(
    s3: Any, renderers: list[ChartRenderer]
) -> None:
    with widget_image_server([image(), image()]) as fake:
        renderer = renderer_for(fake, renderers)
        renderer.prepare("ap-northeast-1")
        assert renderer.render(metric_alarm(region="ap-northeast-1"), WIDGET).url is not None
        assert renderer.render(metric_alarm(region=None, account=None), WIDGET).url is not None
        hostile = renderer.render(metric_alarm(region="evil.example.com/"), WIDGET)
    assert fake.regions == ["ap-northeast-1", REGION]  # each request was signed for its region
    assert hostile.reason is SkipReason.BAD_REGION


class LateClient:
    """Answers with a PNG after the caller's deadline (a stand-in below botocore's timeouts)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.calls = 0

    def get_metric_widget_image(self, *, MetricWidget: str, OutputFormat: str = "png") -> Mapping[str, Any]:
        self.calls += 1
        time.sleep(self.delay)
        return {"MetricWidgetImage": tiny_png()}


def test_work_queued_past_its_deadline_makes_no_call(s3: Any, renderers: list[ChartRenderer]) -> None:
    late = LateClient(0.5)
    renderer = renderer_around(late, renderers, budget_seconds=0.2)
    pending = [renderer.start(ALARM, WIDGET) for _ in range(MAX_WORKERS + 1)]
    assert {item.result().reason for item in pending} == {SkipReason.TIMEOUT}
    time.sleep(0.8)  # the busy threads finish; the queued one starts and sees it is too late
    assert late.calls == MAX_WORKERS
    assert stored_keys(s3) == []


def test_a_result_after_the_deadline_is_not_stored(s3: Any, renderers: list[ChartRenderer]) -> None:
    renderer = renderer_around(LateClient(0.5), renderers, budget_seconds=0.2)
    assert renderer.render(ALARM, WIDGET) == ChartResult(None, SkipReason.TIMEOUT)
    time.sleep(0.6)
    assert stored_keys(s3) == []


class BrokenClient:
    def get_metric_widget_image(self, *, MetricWidget: str, OutputFormat: str = "png") -> Mapping[str, Any]:
        raise RuntimeError("a bug")


def test_an_unexpected_exception_is_a_skip_not_a_crash(s3: Any, renderers: list[ChartRenderer]) -> None:
    renderer = renderer_around(BrokenClient(), renderers)
    assert renderer.render(ALARM, WIDGET) == ChartResult(None, SkipReason.ERROR)


@pytest.mark.parametrize(
    ("base_url", "budget"), [("http://example.com", 3.0), ("ftp://x", 3.0), (BASE_URL, 0.0)]
)
def test_bad_configuration_raises(base_url: str, budget: float) -> None:
    with pytest.raises(ValueError):
        ChartRenderer(S3Charts(BUCKET), base_url, account=ACCOUNT, region=REGION, budget_seconds=budget)
