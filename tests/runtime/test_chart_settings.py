"""Chart settings (issue #13): off unless CHARTS_BUCKET is set, and one clear error per bad value."""

from __future__ import annotations

import pytest

from alarm_bot.settings import ChartSettings, DeliverySettings, SettingsError

DELIVERY = {
    "SUBSCRIPTIONS_TABLE": "t",
    "BOT_ID": "b",
    "GOOGLE_CREDENTIALS_SECRET_ARN": "arn:aws:secret",
    "AWS_REGION": "eu-west-1",
}
URL = "https://abc123.execute-api.eu-west-1.amazonaws.com/charts"
CHARTS = {**DELIVERY, "CHARTS_BUCKET": "alarm-chat-bot-charts", "CHARTS_URL": URL}


@pytest.mark.parametrize("bucket", [None, "", "  "])
def test_charts_are_off_without_a_bucket(bucket: str | None) -> None:
    env = {**DELIVERY, "CHARTS_URL": URL, "CHART_HOURS": "nonsense"}
    if bucket is not None:
        env["CHARTS_BUCKET"] = bucket
    assert DeliverySettings.from_env(env).charts is None, "nothing else about charts is read"


def test_defaults() -> None:
    charts = DeliverySettings.from_env(CHARTS).charts
    assert charts == ChartSettings("alarm-chat-bot-charts", URL, "eu-west-1", hours=3, budget_seconds=3.0)
    assert charts.base_url == "https://abc123.execute-api.eu-west-1.amazonaws.com"


def test_everything_set() -> None:
    env = {**CHARTS, "CHARTS_URL": URL + "/", "CHART_HOURS": "24", "CHART_BUDGET_SECONDS": "1.5"}
    charts = DeliverySettings.from_env(env).charts
    assert charts is not None
    assert (charts.url, charts.hours, charts.budget_seconds) == (URL, 24, 1.5)


def test_a_stage_prefix_is_kept_and_the_default_region_is_read() -> None:
    staged = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/charts"
    env = {**CHARTS, "CHARTS_URL": staged, "AWS_REGION": "", "AWS_DEFAULT_REGION": "ap-northeast-2"}
    charts = DeliverySettings.from_env(env).charts
    assert charts is not None and charts.base_url.endswith("/prod") and charts.region == "ap-northeast-2"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"CHARTS_URL": ""}, "CHARTS_URL is not set"),
        ({"CHARTS_URL": "http://abc.example/charts"}, "CHARTS_URL must be the https:// URL"),
        ({"CHARTS_URL": "https://abc.example/images"}, "ending in /charts"),
        ({"CHARTS_URL": "https://abc.example/charts?x=1"}, "CHARTS_URL must be"),
        ({"CHART_HOURS": "0"}, "CHART_HOURS must be a whole number from 1 to 24"),
        ({"CHART_HOURS": "25"}, "CHART_HOURS must be"),
        ({"CHART_HOURS": "2.5"}, "CHART_HOURS must be"),
        ({"CHART_BUDGET_SECONDS": "0"}, "CHART_BUDGET_SECONDS must be a number of seconds from 0.5 to 10"),
        ({"CHART_BUDGET_SECONDS": "11"}, "CHART_BUDGET_SECONDS must be"),
        ({"CHART_BUDGET_SECONDS": "nan"}, "CHART_BUDGET_SECONDS must be"),
        ({"CHART_BUDGET_SECONDS": "soon"}, "CHART_BUDGET_SECONDS must be"),
        ({"AWS_REGION": "", "AWS_DEFAULT_REGION": ""}, "AWS_REGION is not set"),
    ],
)
def test_bad_values_name_the_variable(override: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        DeliverySettings.from_env({**CHARTS, **override})
