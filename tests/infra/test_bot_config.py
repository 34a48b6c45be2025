"""BotConfig: CDK context in, validated settings out, and errors that name the context key (the bad
value of each key: tests/infra/test_bot_config_bad_values.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import aws_logs as logs

from alarm_bot import settings
from chatbot_stack.config import CONTEXT_FIELDS, BotConfig, context_defaults
from tests.infra.conftest import DEFAULT_COMMANDS, PROJECT_NUMBER

REPO_ROOT = Path(__file__).resolve().parents[2]
# The one key without a working default; every other key keeps its default in these tests.
CHOSEN = {"chatAudience": PROJECT_NUMBER}
ENVIRONMENT = {"SUBSCRIPTIONS_TABLE": "t", "BOT_ID": "b", "CHAT_AUDIENCE": PROJECT_NUMBER}


class FakeNode:
    """Stands in for ``app.node``: only ``try_get_context`` is used."""

    def __init__(self, context: dict[str, Any]) -> None:
        self._context = context

    def try_get_context(self, key: str) -> Any:
        return self._context.get(key)


def test_defaults_need_only_the_project_number() -> None:
    config = BotConfig.from_context(FakeNode(CHOSEN))
    assert config == BotConfig(chat_audience=PROJECT_NUMBER)
    assert config.chat_audience == PROJECT_NUMBER
    assert not config.audience_is_endpoint_url
    assert config.addon_project_number is None
    assert config.snap_start is True
    assert config.locale == "en"
    assert dict(config.slash_commands) == DEFAULT_COMMANDS
    assert (config.time_zone, config.bot_id) == ("UTC", "alarm-chat-bot")
    assert config.log_retention == logs.RetentionDays.THREE_MONTHS
    assert (config.api_throttle_rate_limit, config.api_throttle_burst_limit) == (20, 40)
    assert config.table_deletion_protection is True


def test_the_defaults_are_written_once_on_the_fields() -> None:
    """cdk.json holds CDK's own settings only: no copy of a default, and no Chat project chosen."""
    context = json.loads((REPO_ROOT / "cdk.json").read_text())["context"]
    assert not set(context) & set(CONTEXT_FIELDS), "a bot default in cdk.json: BotConfig's fields hold them"
    assert all(key.startswith("@aws-cdk/") for key in context)
    assert BotConfig.from_mapping({**context, **CHOSEN}) == BotConfig(chat_audience=PROJECT_NUMBER)


def test_every_field_has_one_context_key() -> None:
    from dataclasses import fields

    assert sorted(name for name, _parser in CONTEXT_FIELDS.values()) == sorted(
        item.name for item in fields(BotConfig)
    )


def test_the_defaults_as_context_values_read_back_as_the_defaults() -> None:
    """What a tool merging a deployment's context (the playground) gets: valid, JSON, the defaults."""
    defaults = context_defaults()
    assert set(defaults) == set(CONTEXT_FIELDS)
    assert json.loads(json.dumps(defaults)) == defaults
    assert defaults["slashCommands"]["2"] == "status" and defaults["opsEmail"] == ""
    assert BotConfig.from_mapping({**defaults, **CHOSEN}) == BotConfig(chat_audience=PROJECT_NUMBER)


@pytest.mark.parametrize(
    "context",
    [{}, {"chatAudience": ""}, {"chatAudience": " "}, {"chatAudience": None, "addOnProjectNumber": ""}],
)
def test_without_a_project_number_synth_stops_and_says_where_to_find_it(context: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="context key 'chatAudience' is not set") as error:
        BotConfig.from_mapping(context)
    message = str(error.value)
    assert "\n" not in message
    assert "-c chatAudience=123456789012" in message and "addOnProjectNumber" in message
    assert "project dashboard" in message and "IAM & Admin > Settings" in message
    assert "-c chatAudience=url explicitly" in message


def test_an_app_embedding_the_bot_must_choose_too() -> None:
    with pytest.raises(ValueError, match="'chatAudience' is not set"):
        BotConfig()
    assert BotConfig(addon_project_number="42").audience_is_endpoint_url


def test_url_mode_only_when_asked_for_by_name() -> None:
    config = BotConfig.from_mapping({"chatAudience": "url"})
    assert config.chat_audience == "url" and config.audience_is_endpoint_url
    addon = BotConfig.from_mapping({"addOnProjectNumber": "42"})  # an add-on needs no chatAudience
    assert addon.chat_audience == "" and addon.addon_project_number == "42"


def test_synth_accepts_every_locale_and_command_the_function_knows() -> None:
    """The lists are the runtime's (alarm_bot.settings); synth must take every entry of them."""
    for locale in settings.SUPPORTED_LOCALES:
        assert BotConfig.from_mapping({**CHOSEN, "locale": locale}).locale == locale
    for name in settings.COMMAND_NAMES:
        config = BotConfig.from_mapping({**CHOSEN, "slashCommands": {"9": f"/{name}"}})
        assert settings.Settings.from_env(
            {**ENVIRONMENT, "SLASH_COMMANDS": json.dumps(dict(config.slash_commands))}
        )


def test_project_number_and_addon() -> None:
    config = BotConfig.from_mapping({"chatAudience": 123456789012, "addOnProjectNumber": " 42 "})
    assert config.chat_audience == "123456789012"
    assert config.addon_project_number == "42"
    assert config.audience_is_endpoint_url  # an add-on's tokens are always for the URL
    assert not BotConfig.from_mapping({"chatAudience": "123456789012"}).audience_is_endpoint_url


def test_strings_from_the_command_line() -> None:
    config = BotConfig.from_mapping(
        {
            **CHOSEN,
            "slashCommands": '{"10": "/mute", "11": "unmute"}',
            "logRetentionDays": "365",
            "apiThrottleRateLimit": "2.5",
            "apiThrottleBurstLimit": "5",
            "tableDeletionProtection": "False",
            "addOnProjectNumber": "",
            "snapStart": "false",
        }
    )
    assert dict(config.slash_commands) == {"10": "mute", "11": "unmute"}
    assert config.log_retention == logs.RetentionDays.ONE_YEAR
    assert (config.api_throttle_rate_limit, config.api_throttle_burst_limit) == (2.5, 5)
    assert config.table_deletion_protection is False
    assert config.addon_project_number is None
    assert config.snap_start is False


def test_config_is_immutable() -> None:
    config = BotConfig(chat_audience=PROJECT_NUMBER)
    with pytest.raises(AttributeError):
        config.locale = "ko"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.slash_commands["1"] = "mute"


def test_mention_may_be_given_a_slash_command() -> None:
    config = BotConfig.from_mapping({**CHOSEN, "slashCommands": {"7": "/mention", "2": "status"}})
    assert dict(config.slash_commands) == {"7": "mention", "2": "status"}
    assert "mention" in settings.COMMAND_NAMES
