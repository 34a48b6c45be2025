"""BotConfig's alarm delivery keys: defaults, command-line forms, and limits the function shares
(the bad values of each key are in tests/infra/test_bot_config_bad_values.py)."""

from __future__ import annotations

import pytest

from alarm_bot.settings import MAX_DELIVERY_CONCURRENCY, DeliverySettings, SettingsError
from chatbot_stack.config import BotConfig
from tests.infra.test_bot_config import CHOSEN


def test_defaults() -> None:
    config = BotConfig.from_mapping(CHOSEN)
    assert config.trusted_account_ids == ()
    assert config.alarm_name_prefixes == ()
    assert config.ops_email is None
    assert (config.fanout_timeout_seconds, config.delivery_concurrency) == (90, 16)


def test_json_values() -> None:
    config = BotConfig.from_mapping(
        {
            **CHOSEN,
            "trustedAccountIds": ["111122223333", "012345678901"],
            "alarmNamePrefixes": ["prod-", "api "],
            "opsEmail": " ops@example.com ",
            "fanoutTimeoutSeconds": 900,
            "deliveryConcurrency": 64,
        }
    )
    assert config.trusted_account_ids == ("111122223333", "012345678901")
    assert config.alarm_name_prefixes == ("prod-", "api")
    assert config.ops_email == "ops@example.com"
    assert (config.fanout_timeout_seconds, config.delivery_concurrency) == (900, 64)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('["111122223333"]', ("111122223333",)),
        ("111122223333,444455556666", ("111122223333", "444455556666")),
        (" 111122223333 , 111122223333 ", ("111122223333",)),
        ("", ()),
        ("[]", ()),
        ([], ()),
    ],
)
def test_account_ids_from_the_command_line(raw: object, expected: tuple[str, ...]) -> None:
    assert BotConfig.from_mapping({**CHOSEN, "trustedAccountIds": raw}).trusted_account_ids == expected


def test_prefixes_keep_their_order_without_duplicates() -> None:
    config = BotConfig.from_mapping({**CHOSEN, "alarmNamePrefixes": "api-, prod-, api-"})
    assert config.alarm_name_prefixes == ("api-", "prod-")


def test_numbers_from_the_command_line() -> None:
    config = BotConfig.from_mapping({**CHOSEN, "fanoutTimeoutSeconds": "120", "deliveryConcurrency": "8"})
    assert (config.fanout_timeout_seconds, config.delivery_concurrency) == (120, 8)


def test_concurrency_limit_matches_the_delivery_settings() -> None:
    """Synth must reject exactly what the fan-out function would reject at cold start."""
    base = {"SUBSCRIPTIONS_TABLE": "t", "BOT_ID": "b", "GOOGLE_CREDENTIALS_SECRET_ARN": "arn"}
    assert DeliverySettings.from_env({**base, "DELIVERY_CONCURRENCY": str(MAX_DELIVERY_CONCURRENCY)})
    with pytest.raises(SettingsError):
        DeliverySettings.from_env({**base, "DELIVERY_CONCURRENCY": str(MAX_DELIVERY_CONCURRENCY + 1)})
    with pytest.raises(ValueError, match="deliveryConcurrency"):
        BotConfig.from_mapping({**CHOSEN, "deliveryConcurrency": MAX_DELIVERY_CONCURRENCY + 1})


def test_storm_defaults_and_command_line_forms() -> None:
    defaults = BotConfig.from_mapping(CHOSEN)
    assert (defaults.space_writes_per_minute, defaults.project_writes_per_minute) == (50, 2700)
    assert (defaults.group_window_seconds, defaults.group_interval_seconds) == (30, 60)
    assert defaults.fanout_max_concurrency == 5
    given = BotConfig.from_mapping(
        {
            **CHOSEN,
            "spaceWritesPerMinute": "60",
            "projectWritesPerMinute": 3000,
            "groupWindowSeconds": "0",
            "groupIntervalSeconds": 300,
            "fanoutMaxConcurrency": "2",
        }
    )
    assert (given.space_writes_per_minute, given.project_writes_per_minute) == (60, 3000)
    assert (given.group_window_seconds, given.group_interval_seconds, given.fanout_max_concurrency) == (
        0,
        300,
        2,
    )


def test_write_limits_match_google_and_the_delivery_settings() -> None:
    """Synth accepts exactly the budgets the function accepts, and Google's quotas bound both."""
    from alarm_bot import settings
    from alarm_bot.delivery.rules import GOOGLE_PROJECT_WRITES_PER_MINUTE, GOOGLE_SPACE_WRITES_PER_MINUTE

    assert (settings.MAX_SPACE_WRITES, settings.MAX_PROJECT_WRITES) == (
        GOOGLE_SPACE_WRITES_PER_MINUTE,
        GOOGLE_PROJECT_WRITES_PER_MINUTE,
    )
    base = {"SUBSCRIPTIONS_TABLE": "t", "BOT_ID": "b", "GOOGLE_CREDENTIALS_SECRET_ARN": "arn"}
    for key, name, low, high in (
        (
            "spaceWritesPerMinute",
            "SPACE_WRITES_PER_MINUTE",
            settings.MIN_SPACE_WRITES,
            settings.MAX_SPACE_WRITES,
        ),
        (
            "projectWritesPerMinute",
            "PROJECT_WRITES_PER_MINUTE",
            settings.MIN_PROJECT_WRITES,
            settings.MAX_PROJECT_WRITES,
        ),
    ):
        for edge in (low, high):
            assert DeliverySettings.from_env({**base, name: str(edge)})
            assert BotConfig.from_mapping({**CHOSEN, key: edge})
        for wrong in (low - 1, high + 1):
            with pytest.raises(SettingsError, match=name):
                DeliverySettings.from_env({**base, name: str(wrong)})
            with pytest.raises(ValueError, match=f"context key '{key}'"):
                BotConfig.from_mapping({**CHOSEN, key: wrong})
