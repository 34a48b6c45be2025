"""Environment settings: defaults, and one clear error per bad value."""

from __future__ import annotations

import pytest

from alarm_bot.settings import (
    DEFAULT_CHAT_API_BASE_URL,
    DEFAULT_CHAT_CERTS_URL,
    DEFAULT_GOOGLE_OIDC_CERTS_URL,
    DeliverySettings,
    Settings,
    SettingsError,
)

CHAT = {"SUBSCRIPTIONS_TABLE": "t", "BOT_ID": "b", "CHAT_AUDIENCE": "123456789012"}
DELIVERY = {"SUBSCRIPTIONS_TABLE": "t", "BOT_ID": "b", "GOOGLE_CREDENTIALS_SECRET_ARN": "arn:aws:secret"}


def test_chat_defaults() -> None:
    settings = Settings.from_env(CHAT)
    assert settings.chat_certs_url == DEFAULT_CHAT_CERTS_URL
    assert settings.google_oidc_certs_url == DEFAULT_GOOGLE_OIDC_CERTS_URL
    assert (settings.locale, settings.time_zone, settings.slash_commands) == ("en", "UTC", {})
    assert settings.audience_is_project_number


def test_chat_full() -> None:
    settings = Settings.from_env(
        {
            **CHAT,
            "CHAT_AUDIENCE": "https://x.example/chat",
            "ADDON_PROJECT_NUMBER": "42",
            "LOCALE": "ko",
            "SLASH_COMMANDS": '{"1": "/help", "7": "mute"}',
            "TIME_ZONE": "Asia/Seoul",
        }
    )
    assert not settings.audience_is_project_number
    assert settings.slash_commands == {"1": "help", "7": "mute"}
    assert (settings.addon_project_number, settings.locale, settings.time_zone) == ("42", "ko", "Asia/Seoul")


BASE_ENVIRONMENTS: dict[type[Settings | DeliverySettings], dict[str, str]] = {
    Settings: CHAT,
    DeliverySettings: DELIVERY,
}


@pytest.mark.parametrize(
    ("settings_class", "override", "message"),
    [
        (Settings, {"SUBSCRIPTIONS_TABLE": ""}, "SUBSCRIPTIONS_TABLE is not set"),
        (Settings, {"BOT_ID": " "}, "BOT_ID is not set"),
        (Settings, {"CHAT_AUDIENCE": "http://plain.example"}, "CHAT_AUDIENCE must be"),
        (Settings, {"ADDON_PROJECT_NUMBER": "my-project"}, "ADDON_PROJECT_NUMBER must be"),
        (Settings, {"LOCALE": "fr"}, "LOCALE must be one of en, ko"),
        (Settings, {"SLASH_COMMANDS": "{"}, "SLASH_COMMANDS is not JSON"),
        (Settings, {"SLASH_COMMANDS": "[]"}, "SLASH_COMMANDS must be a JSON object"),
        (Settings, {"SLASH_COMMANDS": '{"1": "deploy"}'}, "unknown command 'deploy'"),
        (Settings, {"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE 'Mars/Olympus' is not an IANA time zone"),
        (DeliverySettings, {"GOOGLE_CREDENTIALS_SECRET_ARN": ""}, "GOOGLE_CREDENTIALS_SECRET_ARN is not set"),
        (
            DeliverySettings,
            {"CHAT_API_BASE_URL": "http://chat.example"},
            "CHAT_API_BASE_URL must be an https:// URL",
        ),
        (DeliverySettings, {"DELIVERY_CONCURRENCY": "0"}, "DELIVERY_CONCURRENCY must be"),
        (DeliverySettings, {"DELIVERY_CONCURRENCY": "many"}, "DELIVERY_CONCURRENCY must be"),
    ],
)
def test_each_bad_variable_is_named_in_the_error(
    settings_class: type[Settings | DeliverySettings], override: dict[str, str], message: str
) -> None:
    """Both functions' settings stop at cold start with the variable to fix, each from a working base."""
    with pytest.raises(SettingsError, match=message):
        settings_class.from_env({**BASE_ENVIRONMENTS[settings_class], **override})


def test_delivery_defaults_and_overrides() -> None:
    assert DeliverySettings.from_env(DELIVERY).chat_api_base_url == DEFAULT_CHAT_API_BASE_URL
    local = DeliverySettings.from_env(
        {**DELIVERY, "CHAT_API_BASE_URL": "http://127.0.0.1:8080/", "DELIVERY_CONCURRENCY": "4"}
    )
    assert (local.chat_api_base_url, local.max_workers) == ("http://127.0.0.1:8080", 4)


def test_chat_endpoint_url_is_optional_and_must_be_https() -> None:
    assert Settings.from_env(CHAT).chat_endpoint_url is None
    settings = Settings.from_env(
        {**CHAT, "CHAT_ENDPOINT_URL": "https://x.example/chat", "ADDON_PROJECT_NUMBER": "42"}
    )
    assert settings.chat_endpoint_url == "https://x.example/chat" and settings.add_on
    with pytest.raises(SettingsError, match="CHAT_ENDPOINT_URL"):
        Settings.from_env({**CHAT, "CHAT_ENDPOINT_URL": "http://x.example/chat"})
    with pytest.raises(SettingsError, match="CHAT_ENDPOINT_URL"):
        DeliverySettings.from_env({**DELIVERY, "CHAT_ENDPOINT_URL": "x.example/chat"})


def test_delivery_knows_whether_the_app_is_an_add_on() -> None:
    assert not DeliverySettings.from_env(DELIVERY).add_on
    settings = DeliverySettings.from_env(
        {**DELIVERY, "ADDON_PROJECT_NUMBER": "42", "CHAT_ENDPOINT_URL": "https://x.example/chat"}
    )
    assert settings.add_on and settings.chat_endpoint_url == "https://x.example/chat"


def test_mention_is_a_slash_command_name() -> None:
    assert Settings.from_env({**CHAT, "SLASH_COMMANDS": '{"7": "/mention"}'}).slash_commands == {
        "7": "mention"
    }
