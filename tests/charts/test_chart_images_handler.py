"""``GET /charts/{id}.png`` serves stored charts and answers 404 to everything else (moto's S3)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from alarm_bot.charts.ids import chart_key, new_chart_id
from alarm_bot.charts.storage import ChartStoreError, S3Charts
from alarm_bot.handlers import chart_images
from alarm_bot.handlers.chart_images import (
    ChartImageDependencies,
    build_dependencies,
    handle_request,
    handler,
)
from tests.charts.chart_support import BUCKET
from tests.charts.widget_image_server import tiny_png

PNG = tiny_png(3, 2)
NOT_FOUND = "Not found\n"


def request(path: str, method: str = "GET", stage: str = "$default") -> dict[str, Any]:
    """An HTTP API payload 2.0 event as API Gateway sends it (``rawPath`` undecoded)."""
    return {
        "version": "2.0",
        "routeKey": "GET /charts/{file}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"user-agent": "Mozilla/5.0 (compatible; GoogleImageProxy)"},
        "requestContext": {"http": {"method": method, "path": path}, "stage": stage},
        "isBase64Encoded": False,
    }


@pytest.fixture
def stored(s3: Any) -> str:
    chart_id = new_chart_id()
    s3.put_object(Bucket=BUCKET, Key=chart_key(chart_id), Body=PNG, ContentType="image/png")
    return chart_id


@pytest.fixture
def deps(s3: Any) -> ChartImageDependencies:
    return ChartImageDependencies(charts=S3Charts(BUCKET))


def test_a_stored_chart_is_served_as_a_cacheable_png(stored: str, deps: ChartImageDependencies) -> None:
    response = handle_request(request(f"/charts/{stored}.png"), deps)
    assert response == {
        "statusCode": 200,
        "headers": {
            "Content-Type": "image/png",
            "Cache-Control": "public, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        },
        "isBase64Encoded": True,
        "body": base64.b64encode(PNG).decode(),
    }
    assert base64.b64decode(response["body"]) == PNG


def test_head_gives_the_headers_without_the_body(stored: str, deps: ChartImageDependencies) -> None:
    response = handle_request(request(f"/charts/{stored}.png", method="HEAD"), deps)
    assert response["statusCode"] == 200
    assert response["headers"]["Content-Type"] == "image/png"
    assert response["body"] == ""


def test_a_named_stage_prefix_is_allowed(stored: str, deps: ChartImageDependencies) -> None:
    response = handle_request(request(f"/prod/charts/{stored}.png", stage="prod"), deps)
    assert response["statusCode"] == 200


def assert_not_found(response: dict[str, Any]) -> None:
    assert response == {
        "statusCode": 404,
        "headers": {
            "Content-Type": "text/plain; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
        "body": NOT_FOUND,
    }


def test_an_unknown_id_is_404(deps: ChartImageDependencies) -> None:
    assert_not_found(handle_request(request(f"/charts/{new_chart_id()}.png"), deps))


@pytest.mark.parametrize(
    "path",
    [
        "/charts/../charts/{id}.png",
        "/charts/%2e%2e/{id}.png",
        "/charts/%2e%2e%2f{short}.png",
        "/charts/..%2f..%2fsecrets.png",
        "/charts/{id}.png/",
        "/charts/{id}.png%00",
        "/charts/{id}.PNG",
        "/charts/{upper}.png",
        "/charts/{id}",
        "/charts/",
        "/charts",
        "/{id}.png",
        "/other/{id}.png",
        "/charts/{id}.png?x=1",
        "/charts//{id}.png",
        "/prod/charts/{id}.png",  # a stage prefix only when the request came through that stage
    ],
)
def test_malformed_paths_are_404_without_reading_s3(path: str, stored: str) -> None:
    reader = RecordingReader()
    filled = path.format(id=stored, short=stored[:26], upper=stored.upper())
    assert_not_found(handle_request(request(filled), ChartImageDependencies(charts=reader)))
    assert reader.keys == []


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "", "get\r\nX: y"])
def test_other_methods_are_404(method: str, stored: str) -> None:
    reader = RecordingReader()
    assert_not_found(
        handle_request(request(f"/charts/{stored}.png", method=method), ChartImageDependencies(reader))
    )
    assert reader.keys == []


def test_lowercase_get_is_still_get(stored: str, deps: ChartImageDependencies) -> None:
    assert handle_request(request(f"/charts/{stored}.png", method="get"), deps)["statusCode"] == 200


@pytest.mark.parametrize("event", [{}, {"rawPath": 7}, {"rawPath": "/charts/x.png", "requestContext": "x"}])
def test_odd_events_are_404(event: dict[str, Any]) -> None:
    assert_not_found(handle_request(event, ChartImageDependencies(RecordingReader())))


class RecordingReader:
    def __init__(self, error: Exception | None = None) -> None:
        self.keys: list[str] = []
        self.error = error

    def get_png(self, key: str) -> bytes | None:
        self.keys.append(key)
        if self.error is not None:
            raise self.error
        return None


def test_the_key_read_is_built_from_the_id_only(stored: str) -> None:
    reader = RecordingReader()
    handle_request(request(f"/charts/{stored}.png"), ChartImageDependencies(reader))
    assert reader.keys == [f"charts/{stored}.png"]


def test_other_s3_errors_are_503_and_logged(stored: str, caplog: pytest.LogCaptureFixture) -> None:
    reader = RecordingReader(ChartStoreError("S3 GetObject failed: AccessDenied"))
    response = handle_request(request(f"/charts/{stored}.png"), ChartImageDependencies(reader))
    assert response["statusCode"] == 503
    assert response["body"] == "Temporarily unavailable\n"
    assert "Traceback" not in response["body"]
    (line,) = [record for record in caplog.records if record.getMessage() == "cannot read chart"]
    assert line.levelname == "ERROR" and line.reason == "S3 GetObject failed: AccessDenied"  # type: ignore[attr-defined]


def test_a_missing_bucket_is_503(aws: None) -> None:
    chart_id = new_chart_id()
    response = handle_request(
        request(f"/charts/{chart_id}.png"), ChartImageDependencies(S3Charts("no-such-bucket-here"))
    )
    assert response["statusCode"] == 503


def test_an_oversized_object_is_503(s3: Any) -> None:
    chart_id = new_chart_id()
    s3.put_object(Bucket=BUCKET, Key=chart_key(chart_id), Body=b"\x89PNG" + bytes(3 * 1024 * 1024))
    response = handle_request(request(f"/charts/{chart_id}.png"), ChartImageDependencies(S3Charts(BUCKET)))
    assert response["statusCode"] == 503


class Context:
    function_name = "chart-images"
    memory_limit_in_mb = 128
    invoked_function_arn = "arn:aws:lambda:ap-northeast-2:123456789012:function:chart-images"
    aws_request_id = "00000000-0000-4000-8000-000000000000"


def test_the_lambda_entry_point_reads_the_bucket_from_the_environment(
    stored: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chart_images, "_dependencies", None)
    monkeypatch.setenv("CHARTS_BUCKET", BUCKET)
    response = handler(request(f"/charts/{stored}.png"), Context())
    assert response["statusCode"] == 200 and base64.b64decode(response["body"]) == PNG


def test_without_a_bucket_the_entry_point_answers_503(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart_images, "_dependencies", None)
    monkeypatch.delenv("CHARTS_BUCKET", raising=False)
    assert handler(request(f"/charts/{new_chart_id()}.png"), Context())["statusCode"] == 503
    with pytest.raises(chart_images.Misconfigured):
        build_dependencies({"CHARTS_BUCKET": "  "})


def test_the_keep_warm_ping_is_answered_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHARTS_BUCKET", raising=False)
    assert handler({"alarmChatBot": "keep-warm"}, Context()) == {"statusCode": 204}
