"""``alarm-bot doctor``'s "charts": the chart route's 404 for an unknown chart, and a private bucket.

The bucket lives in moto's S3 (``deploy_stack`` creates it as the stack does, every public access
blocked); the route is the local endpoint's ``GET /charts/{file}``, which runs the real chart-images
handler. Each case breaks one thing of an otherwise healthy deployment: only this check may change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import pytest

from alarm_bot.charts.ids import ID_LENGTH, is_chart_id
from alarm_bot.charts.storage import PNG_SIGNATURE, ChartStoreError
from alarm_bot_cli.doctor_charts import probe_url
from tests.cli.test_cli_doctor import (  # noqa: F401 - fixtures
    assert_only,
    deployment,
    doctor,
    endpoint,
    healthy,
)
from tests.support.chat_api import FakeChatApi
from tests.support.chat_endpoint import ChatEndpoint
from tests.support.cli_runner import CliRunner
from tests.support.deployed_stack import DeployedStack

CHECK = "charts"
SUFFIX = ".png"


class RecordingEndpoint(ChatEndpoint):
    """The local endpoint, remembering the chart paths it was asked for."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.chart_paths: list[str] = []

    def fetch(self, path: str) -> dict[str, Any]:
        self.chart_paths.append(path)
        return super().fetch(path)


class FixedChartRoute(ChatEndpoint):
    """An API whose ``/charts`` answers ``response`` whatever is asked (``/chat`` stays the real one)."""

    def __init__(self, response: dict[str, Any]) -> None:
        super().__init__()
        self.response = response

    def fetch(self, path: str) -> dict[str, Any]:
        return self.response


class EveryChartExists:
    def get_png(self, key: str) -> bytes | None:
        return PNG_SIGNATURE + b"an image for any id"


class UnreadableBucket:
    """What the function sees without ``s3:ListBucket``: AccessDenied for a chart that is not there."""

    def get_png(self, key: str) -> bytes | None:
        raise ChartStoreError("S3 GetObject failed: AccessDenied")


@pytest.fixture
def recording() -> Iterator[RecordingEndpoint]:
    with RecordingEndpoint() as served:
        yield served


def charts_of(cli: CliRunner) -> dict[str, str]:
    return doctor(cli)[1][CHECK]


def test_a_healthy_deployment_probes_one_random_well_formed_id(
    cli: CliRunner, aws: None, chat_api: FakeChatApi, recording: RecordingEndpoint
) -> None:
    deployed = healthy(chat_api, recording.url)
    result, checks = doctor(cli)
    assert result.status == 0
    assert_only(checks, CHECK, "pass", detail=f"bucket {deployed.charts_bucket} blocks public access")
    assert "answers 404 for an unknown chart" in checks[CHECK]["detail"]
    doctor(cli)
    first, second = recording.chart_paths
    assert first != second, "a fresh id every time: it can never name a real chart"
    for path in (first, second):
        name = path.removeprefix("/charts/")
        assert name.endswith(SUFFIX) and is_chart_id(name.removesuffix(SUFFIX)), path
        assert len(name) == ID_LENGTH + len(SUFFIX)


def test_charts_off_is_a_warning(
    cli: CliRunner,
    aws: None,
    chat_api: FakeChatApi,
    endpoint: ChatEndpoint,  # noqa: F811 - the fixture
) -> None:
    healthy(chat_api, endpoint.url, charts=False)
    result, checks = doctor(cli)
    assert result.status == 0, "charts=false is a choice, not a fault"
    assert_only(checks, CHECK, "warn", detail="charts off", fix="charts=true")
    assert endpoint.chart_requests == 0, "nothing to probe without charts"


@pytest.mark.parametrize(
    "setting", ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]
)
def test_each_public_access_setting_that_is_off_fails(
    cli: CliRunner,
    deployment: DeployedStack,  # noqa: F811
    setting: str,
) -> None:
    settings = {name: name != setting for name in ("BlockPublicAcls", "IgnorePublicAcls")}
    settings |= {name: name != setting for name in ("BlockPublicPolicy", "RestrictPublicBuckets")}
    deployment.client("s3").put_public_access_block(
        Bucket=deployment.charts_bucket, PublicAccessBlockConfiguration=settings
    )
    result, checks = doctor(cli)
    assert result.status == 1
    assert_only(
        checks,
        CHECK,
        "fail",
        detail=f"bucket {deployment.charts_bucket} does not block public access: {setting} off",
        fix=f"aws s3api put-public-access-block --bucket {deployment.charts_bucket}",
    )
    assert "RestrictPublicBuckets=true" in checks[CHECK]["fix"]


def test_a_bucket_without_public_access_block_fails(
    cli: CliRunner,
    deployment: DeployedStack,  # noqa: F811
) -> None:
    deployment.client("s3").delete_public_access_block(Bucket=deployment.charts_bucket)
    assert_only(
        doctor(cli)[1],
        CHECK,
        "fail",
        detail="has no Block Public Access settings",
        fix="put-public-access-block",
    )


def test_a_deleted_bucket_fails(
    cli: CliRunner,
    deployment: DeployedStack,  # noqa: F811
) -> None:
    deployment.client("s3").delete_bucket(Bucket=deployment.charts_bucket)
    assert_only(doctor(cli)[1], CHECK, "fail", detail="does not exist", fix="make deploy")


def chart_route_answering(status: int, body: str) -> Callable[[], FixedChartRoute]:
    """A FixedChartRoute whose ``/charts`` answers ``status`` with a JSON ``body``, made when called."""
    response = {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": body}
    return partial(FixedChartRoute, response)


@pytest.mark.parametrize(
    ("broken_route", "detail", "fix"),
    [
        pytest.param(
            partial(ChatEndpoint, charts=EveryChartExists()),
            "answered HTTP 200 for a chart that does not exist",
            "",
            id="serves-charts-that-do-not-exist",
        ),
        pytest.param(
            partial(ChatEndpoint, charts=UnreadableBucket()),
            "answered 503: the chart function cannot read",
            "s3:ListBucket",  # what the function's role needs
            id="function-cannot-read-the-bucket",
        ),
        pytest.param(
            chart_route_answering(404, '{"message":"Not Found"}'),  # API Gateway's: no route matches
            "API Gateway has no chart route",
            "make deploy",
            id="no-chart-route",
        ),
        pytest.param(
            chart_route_answering(403, '{"message":"Forbidden"}'),
            "answered HTTP 403, expected 404",
            "chart function's log",
            id="forbidden",
        ),
        pytest.param(
            chart_route_answering(500, "{}"),
            "answered HTTP 500, expected 404",
            "chart function's log",
            id="server-error",
        ),
    ],
)
def test_a_broken_chart_route_fails(
    cli: CliRunner,
    aws: None,
    chat_api: FakeChatApi,
    *,
    broken_route: Callable[[], ChatEndpoint],
    detail: str,
    fix: str,
) -> None:
    """Each route is built inside the test: an endpoint opens its socket when it is made."""
    with broken_route() as broken:
        healthy(chat_api, broken.url)
        checks = doctor(cli)[1]
    assert_only(checks, CHECK, "fail", detail=detail, fix=fix)


def test_bucket_and_route_problems_are_both_reported(
    cli: CliRunner, aws: None, chat_api: FakeChatApi
) -> None:
    with ChatEndpoint(charts=UnreadableBucket()) as broken:
        deployed = healthy(chat_api, broken.url)
        deployed.client("s3").delete_public_access_block(Bucket=deployed.charts_bucket)
        found = doctor(cli)[1][CHECK]
    assert found["status"] == "fail"
    assert "no Block Public Access settings" in found["detail"] and "answered 503" in found["detail"]
    assert "put-public-access-block" in found["fix"] and "s3:ListBucket" in found["fix"]


@pytest.mark.parametrize(
    "endpoint_url",
    [
        "https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat",
        "https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat/",
        " https://abc123.execute-api.ap-northeast-2.amazonaws.com/chat ",
    ],
)
def test_the_probe_is_next_to_the_chat_route(endpoint_url: str) -> None:
    url = probe_url(endpoint_url)
    prefix = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/charts/"
    assert url.startswith(prefix) and url.endswith(SUFFIX)
    assert is_chart_id(url.removeprefix(prefix).removesuffix(SUFFIX))
