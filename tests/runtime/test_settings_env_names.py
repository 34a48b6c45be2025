"""``alarm_bot.env_names``: every name the settings read comes from it, and it names nothing stale.

The stack side (every variable a function gets is read, the required ones are set) is in
``tests/infra/test_function_environments.py``; this side needs no CDK.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from alarm_bot import env_names
from alarm_bot.settings import DeliverySettings, Settings, SettingsError

NAMES = {value for key, value in vars(env_names).items() if key.isupper() and isinstance(value, str)}
URL = "https://abc.execute-api.us-east-1.amazonaws.com"
# A value for every variable either function reads, so that every branch of the settings runs.
EVERYTHING = {
    env_names.SUBSCRIPTIONS_TABLE: "table",
    env_names.BOT_ID: "bot",
    env_names.CHAT_AUDIENCE: "123456789012",
    env_names.ADDON_PROJECT_NUMBER: "42",
    env_names.LOCALE: "ko",
    env_names.TIME_ZONE: "Asia/Seoul",
    env_names.SLASH_COMMANDS: '{"1": "help"}',
    env_names.CHAT_ENDPOINT_URL: f"{URL}/chat",
    env_names.ACCOUNT_NAMES: '{"111122223333": "prod"}',
    env_names.GOOGLE_CREDENTIALS_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:k",
    env_names.CHARTS_BUCKET: "bucket",
    env_names.CHARTS_URL: f"{URL}/charts",
    env_names.AWS_REGION: "us-east-1",
}


class ReadRecorder(Mapping[str, str]):
    """An environment that notes every name asked for, found or not."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return self._values[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("settings must ask for names, not list the environment")

    def __len__(self) -> int:
        return len(self._values)


def names_read() -> set[str]:
    chat, delivery = ReadRecorder(EVERYTHING), ReadRecorder(EVERYTHING)
    Settings.from_env(chat)
    DeliverySettings.from_env(delivery)
    return chat.read | delivery.read


def test_each_constant_is_its_own_name() -> None:
    """A typo in the module would otherwise be a variable nobody sets."""
    for key, value in vars(env_names).items():
        if key.isupper() and isinstance(value, str):
            assert value == key


def test_the_settings_read_only_names_from_env_names() -> None:
    read = names_read()
    assert read <= NAMES, f"read by a literal name: {sorted(read - NAMES)}"
    # Only the stack and Powertools set or read the rest (the chart function reads CHARTS_BUCKET).
    assert NAMES - read == env_names.READ_BY_POWERTOOLS | {env_names.AWS_DEFAULT_REGION}


def test_the_test_only_variables_are_read_and_optional() -> None:
    assert names_read() >= env_names.NEVER_SET_BY_THE_STACK
    required = (env_names.SUBSCRIPTIONS_TABLE, env_names.BOT_ID, env_names.CHAT_AUDIENCE)
    assert Settings.from_env({key: EVERYTHING[key] for key in required})


def test_powertools_reads_the_names_the_stack_configures_it_with() -> None:
    from aws_lambda_powertools.shared import constants

    powertools = {
        constants.SERVICE_NAME_ENV,
        constants.POWERTOOLS_LOG_LEVEL_ENV,
        constants.METRICS_NAMESPACE_ENV,
    }
    assert powertools == env_names.READ_BY_POWERTOOLS


@pytest.mark.parametrize(
    ("reader", "required"),
    [
        (Settings.from_env, {env_names.SUBSCRIPTIONS_TABLE, env_names.BOT_ID, env_names.CHAT_AUDIENCE}),
        (
            DeliverySettings.from_env,
            {
                env_names.SUBSCRIPTIONS_TABLE,
                env_names.BOT_ID,
                env_names.GOOGLE_CREDENTIALS_SECRET_ARN,
                env_names.CHARTS_URL,  # because CHARTS_BUCKET is set
                env_names.AWS_REGION,  # likewise; Lambda always sets it
            },
        ),
    ],
)
def test_a_missing_required_variable_is_named(reader: object, required: set[str]) -> None:
    """What the comments in env_names call required is what the settings refuse to start without."""
    assert callable(reader)
    refused = set()
    for name in EVERYTHING:
        try:
            reader({key: value for key, value in EVERYTHING.items() if key != name})
        except SettingsError as error:
            assert str(error).startswith(name), error
            refused.add(name)
    assert refused == required
