"""A :class:`~tests.support.delivery_rig.DeliveryRig` whose cards carry charts.

The renderer is the production one (:class:`~alarm_bot.charts.render.ChartRenderer` with the
production CloudWatch client: one attempt, timeouts equal to the budget) pointed at the
GetMetricWidgetImage stand-in on 127.0.0.1, and the chart bucket is moto's S3. The function's
account is the sample alarm's (735598076380), so its charts are drawn, unless a test says otherwise.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3

from alarm_bot.alarms.card_chart import chart_of
from alarm_bot.alarms.model import Notification
from alarm_bot.charts.render import ChartRenderer, widget_image_client
from alarm_bot.charts.storage import S3Charts
from alarm_bot.delivery.pipeline import DeliveryReport
from alarm_bot.delivery.queue_records import read_body
from alarm_bot.settings import ChartSettings
from tests.charts.widget_image_server import Step, WidgetImageServer, widget_image_server
from tests.support.chat_api import FakeChatApi
from tests.support.delivery_rig import DeliveryRig, sns_envelope

BUCKET = "alarm-chat-bot-charts"
CHARTS_URL = "https://abc123.execute-api.eu-west-2.amazonaws.com/charts"
ACCOUNT = "735598076380"
REGION = "eu-west-2"


@dataclass
class ChartRig:
    rig: DeliveryRig
    cloudwatch: WidgetImageServer
    s3: Any

    def deliver(self, *bodies: dict[str, Any]) -> DeliveryReport:
        """Notifications straight into the pipeline, as one batch; its report (counts, skips)."""
        notifications: list[Notification] = [
            notification for body in bodies for notification in read_body(sns_envelope(body)).notifications
        ]
        return self.rig.dependencies.pipeline.deliver(notifications, deadline=time.monotonic() + 60)

    def stored_charts(self) -> list[str]:
        listed = self.s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
        return sorted(item["Key"] for item in listed)

    def png(self, url: str) -> bytes:
        key = "charts/" + url.rsplit("/", 1)[-1]
        body: bytes = self.s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        return body


def image_url(message: dict[str, Any]) -> str | None:
    image = chart_of(message)
    return image.url if image is not None else None


def image_widgets(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [widget["image"] for widget in _widgets(message) if "image" in widget]


def _widgets(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        widget
        for card in message.get("cardsV2", [])
        for section in card["card"].get("sections", [])
        for widget in section.get("widgets", [])
    ]


@contextmanager
def chart_rig(
    dynamodb: Any,
    steps: Sequence[Step],
    *,
    spaces: Sequence[str] = ("spaces/ROOM0",),
    budget: float = 2.0,
    account: str = ACCOUNT,
    locale: str = "en",
    hours: int = 3,
) -> Iterator[ChartRig]:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings = ChartSettings(BUCKET, CHARTS_URL, REGION, hours=hours, budget_seconds=budget)
    with widget_image_server(steps) as cloudwatch, FakeChatApi() as api:
        renderer = ChartRenderer(
            S3Charts(BUCKET, s3),
            settings.base_url,
            account=account,
            region=REGION,
            budget_seconds=budget,
            own_clients=lambda region: widget_image_client(region, budget, endpoint_url=cloudwatch.url),
        )
        renderer.prepare()
        rig = DeliveryRig(api, dynamodb, locale=locale, extra={"charts": settings}, charts=renderer)
        rig.add_spaces(*spaces)
        try:
            yield ChartRig(rig, cloudwatch, s3)
        finally:
            rig.close()
            renderer.close()
