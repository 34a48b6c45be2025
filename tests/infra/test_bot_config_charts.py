"""BotConfig's chart keys: ``charts``, ``chartHours``, ``chartBudgetSeconds``; errors name the key."""

from __future__ import annotations

import pytest

from alarm_bot import settings
from alarm_bot.settings import DeliverySettings, SettingsError
from chatbot_stack.config import BotConfig
from tests.infra.test_bot_config import CHOSEN

# What the fan-out needs besides the chart variables (alarm_bot.settings.DeliverySettings.from_env).
BASE_ENVIRONMENT = {
    "SUBSCRIPTIONS_TABLE": "t",
    "BOT_ID": "b",
    "GOOGLE_CREDENTIALS_SECRET_ARN": "arn",
    "CHARTS_BUCKET": "charts-bucket",
    "CHARTS_URL": "https://abc123.execute-api.us-east-1.amazonaws.com/charts",
    "AWS_REGION": "us-east-1",
}


def test_defaults() -> None:
    defaults = BotConfig.from_mapping(CHOSEN)
    assert (defaults.charts, defaults.chart_hours, defaults.chart_budget_seconds) == (True, 3, 3.0)


def test_json_and_command_line_forms() -> None:
    given = BotConfig.from_mapping(
        {**CHOSEN, "charts": "false", "chartHours": "24", "chartBudgetSeconds": "0.5"}
    )
    assert (given.charts, given.chart_hours, given.chart_budget_seconds) == (False, 24, 0.5)
    given = BotConfig.from_mapping({**CHOSEN, "charts": True, "chartHours": 1, "chartBudgetSeconds": 10})
    assert (given.charts, given.chart_hours, given.chart_budget_seconds) == (True, 1, 10.0)
    assert BotConfig.from_mapping({**CHOSEN, "chartBudgetSeconds": "2.5"}).chart_budget_seconds == 2.5


def test_a_card_must_not_wait_for_its_chart_longer_than_the_function_may_run() -> None:
    with pytest.raises(
        ValueError, match="'chartBudgetSeconds' \\(5\\) must be less than 'fanoutTimeoutSeconds' \\(5\\)"
    ):
        BotConfig.from_mapping({**CHOSEN, "chartBudgetSeconds": 5, "fanoutTimeoutSeconds": 5})
    assert BotConfig.from_mapping({**CHOSEN, "chartBudgetSeconds": 4.5, "fanoutTimeoutSeconds": 5})
    # Without charts the budget is never spent, so it cannot be too long.
    assert BotConfig.from_mapping(
        {**CHOSEN, "charts": False, "chartBudgetSeconds": 5, "fanoutTimeoutSeconds": 5}
    )


def test_limits_match_the_chart_builder_and_the_delivery_settings() -> None:
    """Synth accepts exactly what the fan-out accepts at cold start, and what a chart can draw."""
    from alarm_bot.charts.render import DEFAULT_BUDGET_SECONDS
    from alarm_bot.charts.widget import MAX_HOURS

    assert settings.MAX_CHART_HOURS == MAX_HOURS
    assert BotConfig.from_mapping(CHOSEN).chart_budget_seconds == DEFAULT_BUDGET_SECONDS
    for key, name, low, high in (
        ("chartHours", "CHART_HOURS", 1, settings.MAX_CHART_HOURS),
        (
            "chartBudgetSeconds",
            "CHART_BUDGET_SECONDS",
            settings.MIN_CHART_BUDGET_SECONDS,
            settings.MAX_CHART_BUDGET_SECONDS,
        ),
    ):
        for edge in (low, high):
            charts = DeliverySettings.from_env({**BASE_ENVIRONMENT, name: f"{edge:g}"}).charts
            assert charts is not None
            assert BotConfig.from_mapping({**CHOSEN, key: edge, "fanoutTimeoutSeconds": 900})
    for key, name, wrong in (
        ("chartHours", "CHART_HOURS", settings.MAX_CHART_HOURS + 1),
        ("chartBudgetSeconds", "CHART_BUDGET_SECONDS", settings.MAX_CHART_BUDGET_SECONDS + 0.5),
        ("chartBudgetSeconds", "CHART_BUDGET_SECONDS", settings.MIN_CHART_BUDGET_SECONDS - 0.1),
    ):
        with pytest.raises(SettingsError, match=name):
            DeliverySettings.from_env({**BASE_ENVIRONMENT, name: f"{wrong:g}"})
        with pytest.raises(ValueError, match=f"context key '{key}'"):
            BotConfig.from_mapping({**CHOSEN, key: wrong})
