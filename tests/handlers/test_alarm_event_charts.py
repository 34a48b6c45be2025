"""Charts through the delivery function as deployed: the settings read from its environment, the
renderer built by ``build_dependencies`` (production clients; ``AWS_ENDPOINT_URL_CLOUDWATCH``
points CloudWatch at the GetMetricWidgetImage stand-in), the account taken from the function's
ARN in the Lambda context, and the metrics as EMF: ``ChartsShown``, ``ChartsSkipped`` in all and
by ``Reason``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from alarm_bot.handlers import alarm_events
from tests.charts.widget_image_server import WidgetImageServer, image, widget_image_server
from tests.handlers.test_alarm_events_handler import (  # noqa: F401 - fixtures
    SPACES,
    LambdaContext,
    Queues,
    env,
    queues,
    store,
)
from tests.support.alarm_bodies import sns_alarm_body, sns_alarm_event
from tests.support.chart_rig import image_url
from tests.support.chat_api import FakeChatApi
from tests.support.sqs_event_source import SqsEventSource

BUCKET = "alarm-chat-bot-charts"
CHARTS_URL = "https://abc123.execute-api.ap-northeast-2.amazonaws.com/charts"
OWN = "arn:aws:lambda:ap-northeast-2:735598076380:function:fanout:live"  # the sample alarm's account
ELSEWHERE = "arn:aws:lambda:ap-northeast-2:111122223333:function:fanout:live"


@pytest.fixture
def cloudwatch(
    env: dict[str, str],  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[WidgetImageServer]:
    boto3.client("s3").create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-2"}
    )
    with widget_image_server([image()]) as fake:
        for name, value in {
            "CHARTS_BUCKET": BUCKET,
            "CHARTS_URL": CHARTS_URL,
            "CHART_BUDGET_SECONDS": "2",
            "AWS_ENDPOINT_URL_CLOUDWATCH": fake.url,
        }.items():
            monkeypatch.setenv(name, value)
        yield fake


def deliver_the_sample_alarm(queues: Queues, function_arn: str) -> None:  # noqa: F811
    """The sample alarm in and out again through the function deployed as ``function_arn``."""
    context = LambdaContext(invoked_function_arn=function_arn)
    alarm_events.handler(sns_alarm_event(sns_alarm_body()), context)
    SqsEventSource(queues.sqs, queues.url, lambda batch: alarm_events.handler(batch, context)).drain()


def emf(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]


def counted(blobs: list[dict[str, Any]], name: str) -> float:
    """The metric's total over the invocations (a batch may be delivered in more than one)."""
    return sum(value for blob in blobs for value in blob.get(name, []))


def test_the_deployed_wiring_draws_the_chart_of_its_own_accounts_alarm(
    cloudwatch: WidgetImageServer,
    chat_api: FakeChatApi,
    queues: Queues,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    deliver_the_sample_alarm(queues, OWN)
    urls = {image_url(chat_api.messages(space)[0]) for space in SPACES}
    (url,) = urls
    assert url is not None and url.startswith(CHARTS_URL + "/")
    key = "charts/" + url.rsplit("/", 1)[1]
    assert boto3.client("s3").head_object(Bucket=BUCKET, Key=key)["ContentType"] == "image/png"
    assert cloudwatch.regions == ["eu-west-2"], "the alarm's region, not the function's"
    assert counted(emf(capsys), "ChartsShown") == 1.0, "once, however many spaces show it"


def test_another_accounts_alarm_goes_without_a_chart_counted_by_reason(
    cloudwatch: WidgetImageServer,
    chat_api: FakeChatApi,
    queues: Queues,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    deliver_the_sample_alarm(queues, ELSEWHERE)
    assert all(image_url(chat_api.messages(space)[0]) is None for space in SPACES)
    assert cloudwatch.widgets == [], "never drawn from the wrong account"
    blobs = emf(capsys)
    assert counted([blob for blob in blobs if "Reason" not in blob], "ChartsSkipped") == 1.0
    (by_reason,) = [blob for blob in blobs if "Reason" in blob]
    assert (by_reason["Reason"], by_reason["ChartsSkipped"]) == ("other account", [1.0])
    (directive,) = by_reason["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "AlarmChatBot" and ["Reason"] in [
        [name for name in dimensions if name != "service"] for dimensions in directive["Dimensions"]
    ]
