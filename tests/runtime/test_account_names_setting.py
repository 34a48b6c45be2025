"""``ACCOUNT_NAMES``: read once by both functions; a malformed value fails the cold start, naming why."""

from __future__ import annotations

import pytest

from alarm_bot.settings import ACCOUNT_NAME_MAX_LENGTH, DeliverySettings, Settings, SettingsError

CHAT = {"SUBSCRIPTIONS_TABLE": "t", "BOT_ID": "b", "CHAT_AUDIENCE": "123456789012"}
DELIVERY = {"SUBSCRIPTIONS_TABLE": "t", "BOT_ID": "b", "GOOGLE_CREDENTIALS_SECRET_ARN": "arn:aws:secret"}
COMPACT = '{"111122223333":"prod","444455556666":"결제-운영"}'  # as the stack sets it


def test_both_functions_read_the_names() -> None:
    expected = {"111122223333": "prod", "444455556666": "결제-운영"}
    assert Settings.from_env({**CHAT, "ACCOUNT_NAMES": COMPACT}).account_names == expected
    assert DeliverySettings.from_env({**DELIVERY, "ACCOUNT_NAMES": COMPACT}).account_names == expected


@pytest.mark.parametrize("raw", [None, "", "  ", "{}"])
def test_no_names_is_no_names(raw: str | None) -> None:
    env = CHAT if raw is None else {**CHAT, "ACCOUNT_NAMES": raw}
    assert dict(Settings.from_env(env).account_names) == {}


def test_synths_rules_are_the_functions_so_a_deployed_stack_starts() -> None:
    """Spaces, capitals shared by two names, id-like names: shown on cards; filters use the id."""
    raw = '{"111122223333": " Production EU ", "444455556666": "prod", "777788889999": "PROD"}'
    assert dict(Settings.from_env({**CHAT, "ACCOUNT_NAMES": raw}).account_names) == {
        "111122223333": "Production EU",
        "444455556666": "prod",
        "777788889999": "PROD",
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{", "ACCOUNT_NAMES is not JSON"),
        ('["111122223333"]', "ACCOUNT_NAMES must be a JSON object of 12-digit account id to name"),
        ('{"12345": "prod"}', "ACCOUNT_NAMES key '12345' is not a 12-digit account id"),
        ('{"١١١١٢٢٢٢٣٣٣٣": "prod"}', "is not a 12-digit account id"),
        ('{"111122223333": ""}', "name '' of 111122223333 must be 1 to 64 characters"),
        ('{"111122223333": "   "}', "must be 1 to 64 characters"),
        ('{"111122223333": 7}', "name 7 of 111122223333"),
        ('{"111122223333": "a\\u0007b"}', "without control characters"),
        ('{"111122223333": "%s"}' % ("x" * (ACCOUNT_NAME_MAX_LENGTH + 1)), "1 to 64"),
    ],
)
def test_a_malformed_value_fails_both_functions_clearly(raw: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({**CHAT, "ACCOUNT_NAMES": raw})
    with pytest.raises(SettingsError, match=message):
        DeliverySettings.from_env({**DELIVERY, "ACCOUNT_NAMES": raw})


def test_the_rules_are_synths() -> None:
    from chatbot_stack import config_accounts

    for raw in ('{"111122223333": "a\\u0085b"}', '{"111122223333": ""}', '{"1": "x"}'):
        with pytest.raises(ValueError, match="accountNames"):
            config_accounts.account_names("accountNames", raw)
        with pytest.raises(SettingsError):
            Settings.from_env({**CHAT, "ACCOUNT_NAMES": raw})
