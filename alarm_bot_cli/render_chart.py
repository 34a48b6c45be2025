"""``alarm-bot render FILE --chart OUT.png``: the chart a card would carry, drawn with your credentials.

The chart is what the delivery function asks CloudWatch for (the same MetricWidget, from
:func:`alarm_bot.charts.widget.chart_widget`: the ``CHART_HOURS`` before the change, 3 by default,
in ``--time-zone`` and ``--locale``), sent with the operator's AWS credentials to GetMetricWidgetImage
in the alarm's own region, where its metrics are. So an operator sees the graph before deploying,
and checks that CloudWatch can draw the alarm's metric at all.

A chart is never worth failing the command for: without credentials, without a region, for an
alarm that has no chart (composite, no metric) or when CloudWatch refuses, the card is printed
anyway and one line on stderr says why there is no PNG (exit status 0). Only a PNG that cannot be
written where asked is an error, as an unreadable FILE is.

``AWS_ENDPOINT_URL_CLOUDWATCH`` (botocore's own setting) points the call elsewhere, as the tests do.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from alarm_bot.alarms.model import Alarm, AlarmKind, Notification
from alarm_bot.charts.storage import MAX_PNG_BYTES, is_png
from alarm_bot.charts.widget import MAX_HOURS, chart_widget
from alarm_bot_cli.aws import open_session, requested_region
from alarm_bot_cli.aws_failure_kinds import EXPIRED_SSO_LOGIN, MISSING_CREDENTIALS, UNREACHABLE
from alarm_bot_cli.errors import CommandError, UsageError

HOURS_VARIABLE: Final = "CHART_HOURS"
DEFAULT_HOURS: Final = 3
NO_CREDENTIALS: Final = "no AWS credentials found (set AWS_PROFILE, or run `aws configure`)"


def chart_hours(environ: dict[str, str] | None = None) -> int:
    """``CHART_HOURS`` as the deployed function reads it (1 to 24), else 3."""
    raw = (os.environ if environ is None else environ).get(HOURS_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_HOURS
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_HOURS:
        raise UsageError(f"{HOURS_VARIABLE} must be a whole number from 1 to {MAX_HOURS}, not {raw!r}")
    return int(raw)


def write_chart(
    notifications: Sequence[Notification], out: str, *, locale: str, time_zone: str, hours: int
) -> str | None:
    """Draw the first charted alarm of ``notifications`` into ``out``; why not, in one line, or None."""
    alarm = next(
        (n for n in notifications if isinstance(n, Alarm) and n.kind is not AlarmKind.COMPOSITE), None
    )
    if alarm is None:
        return "no chart: only metric alarms have one (not composite alarms or other notifications)"
    widget = chart_widget(alarm, hours=hours, time_zone=time_zone, locale=locale)
    if widget is None:
        return "no chart: the alarm names no metric CloudWatch could draw (or no time of change)"
    try:
        region, png = _draw(alarm, widget)
    except CommandError as error:
        return f"no chart: {error}"
    if not is_png(png) or len(png) > MAX_PNG_BYTES:
        return f"no chart: CloudWatch in {region} did not answer with a PNG"
    try:
        Path(out).write_bytes(png)
    except OSError as error:
        raise UsageError(f"cannot write the chart to {out}: {error.strerror or error}") from None
    return None


def _draw(alarm: Alarm, widget: dict[str, Any]) -> tuple[str, bytes]:
    """``(region, PNG)`` from GetMetricWidgetImage; every AWS failure as a one-line CommandError."""
    region = alarm.region or requested_region(None)
    if not region:
        raise CommandError("the alarm names no region: set AWS_REGION to the alarm's")
    session = open_session(None, region)
    config = Config(connect_timeout=5, read_timeout=10, retries={"mode": "standard", "total_max_attempts": 2})
    try:
        client = session.client("cloudwatch", config=config)
        answer = client.get_metric_widget_image(MetricWidget=json.dumps(widget), OutputFormat="png")
    except (BotoCoreError, ClientError) as error:
        raise CommandError(_why(error, region)) from None
    image = answer.get("MetricWidgetImage")
    return region, image if isinstance(image, bytes) else b""


def _why(error: Exception, region: str) -> str:
    """The failure in words that fit render (it has no --profile or --region to suggest)."""
    if isinstance(error, MISSING_CREDENTIALS):
        return NO_CREDENTIALS
    if isinstance(error, EXPIRED_SSO_LOGIN):
        return "your AWS SSO session has expired: run `aws sso login`"
    if isinstance(error, UNREACHABLE):
        return f"cannot reach CloudWatch in {region}"
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        code, message = details.get("Code", "unknown"), str(details.get("Message", "")).strip()
        return f"CloudWatch in {region} refused GetMetricWidgetImage: {code}" + (
            f": {message}" if message else ""
        )
    return f"AWS error: {error}"
