"""Loading the Chat app's service-account key from Secrets Manager (moto), and what errors reveal.

Every failure must say what is wrong and what to do, and must never quote the key: the tests check
each error message against the private key's PEM lines.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parameters.base import DEFAULT_PROVIDERS

from alarm_bot.delivery.credentials import (
    CHAT_BOT_SCOPE,
    CredentialsError,
    chat_credentials,
    load_service_account_info,
)
from tests.support.service_account import make_service_account

KEY = make_service_account("https://oauth2.googleapis.com/token").info


@pytest.fixture(scope="module", autouse=True)
def own_secrets_provider() -> Iterator[None]:
    """Powertools keeps one provider per process: start this module with a new one, leave none."""
    parameters.clear_caches()
    yield
    parameters.clear_caches()


@pytest.fixture(autouse=True)
def empty_parameter_cache() -> Iterator[None]:
    """Each test starts with nothing cached (the provider and its boto3 client are kept: ~0.1 s)."""
    yield
    if "secrets" in DEFAULT_PROVIDERS:
        DEFAULT_PROVIDERS["secrets"].clear_cache()


@pytest.fixture
def secrets(aws: None) -> Any:
    return _secrets_client()


@functools.cache
def _secrets_client() -> Any:
    """One client for the module (moto intercepts it inside each test's mock)."""
    return boto3.client("secretsmanager", region_name="ap-northeast-2")


def create_secret(client: Any, value: str, name: str = "alarm-bot/google-service-account") -> str:
    arn: str = client.create_secret(Name=name, SecretString=value)["ARN"]
    return arn


def assert_secret_free(message: str, info: dict[str, Any] = KEY) -> None:
    """No line of the PEM body (nor the whole key) may appear in ``message``."""
    key_lines = [line for line in str(info.get("private_key", "")).splitlines() if "-----" not in line]
    assert key_lines, "the test key should have a PEM body"
    for line in key_lines:
        assert line not in message
    assert "PRIVATE KEY" not in message


def test_loads_and_validates_the_key_json(secrets: Any) -> None:
    arn = create_secret(secrets, json.dumps(KEY))

    info = load_service_account_info(arn)

    assert info == KEY
    credentials = chat_credentials(info)
    assert credentials.service_account_email == KEY["client_email"]
    assert credentials.scopes == [CHAT_BOT_SCOPE]
    assert not credentials.valid  # no token until the first request


def test_second_load_is_served_from_the_cache(secrets: Any) -> None:
    arn = create_secret(secrets, json.dumps(KEY))
    first = load_service_account_info(arn)

    # If the second call reached Secrets Manager it would fail: the secret no longer exists.
    secrets.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)

    assert load_service_account_info(arn) == first


def test_cache_expires_after_max_age(secrets: Any) -> None:
    arn = create_secret(secrets, json.dumps(KEY))
    load_service_account_info(arn, max_age=0)  # max_age=0: nothing is cached
    rotated = {**KEY, "private_key_id": "rotated"}
    secrets.put_secret_value(SecretId=arn, SecretString=json.dumps(rotated))

    assert load_service_account_info(arn, max_age=0)["private_key_id"] == "rotated"


@pytest.mark.parametrize("value", ["{}", "   ", "null", "REPLACE_ME", "<paste the key JSON here>"])
def test_empty_or_placeholder_secret_says_to_fill_it(secrets: Any, value: str) -> None:
    arn = create_secret(secrets, value)

    with pytest.raises(CredentialsError) as caught:
        load_service_account_info(arn)

    message = str(caught.value)
    assert arn in message
    assert "is empty: fill it with the key JSON (see README)" in message


def test_secret_created_without_a_value_says_to_fill_it(secrets: Any) -> None:
    """The stack creates the secret with no value at all: it has no AWSCURRENT version yet."""
    arn = secrets.create_secret(Name="created-by-the-stack")["ARN"]

    with pytest.raises(CredentialsError, match="is empty: fill it with the key JSON") as caught:
        load_service_account_info(arn)

    assert arn in str(caught.value)


def test_secret_that_is_not_json(secrets: Any) -> None:
    arn = create_secret(secrets, "type=service_account private_key=" + KEY["private_key"])

    with pytest.raises(CredentialsError, match="is not JSON") as caught:
        load_service_account_info(arn)

    assert_secret_free(str(caught.value))


def test_secret_that_is_not_an_object(secrets: Any) -> None:
    arn = create_secret(secrets, json.dumps([KEY]))

    with pytest.raises(CredentialsError, match="must hold a JSON object") as caught:
        load_service_account_info(arn)

    assert_secret_free(str(caught.value))


@pytest.mark.parametrize("field", ["client_email", "private_key", "token_uri"])
def test_missing_fields_are_named(secrets: Any, field: str) -> None:
    arn = create_secret(secrets, json.dumps({k: v for k, v in KEY.items() if k != field}))

    with pytest.raises(CredentialsError, match=f"lacks {field}") as caught:
        load_service_account_info(arn)

    assert_secret_free(str(caught.value))


@pytest.mark.parametrize("kind", ["authorized_user", None, {"nested": "object"}])
def test_wrong_type(secrets: Any, kind: Any) -> None:
    arn = create_secret(secrets, json.dumps({**KEY, "type": kind}))

    with pytest.raises(CredentialsError, match="expected 'service_account'") as caught:
        load_service_account_info(arn)

    assert_secret_free(str(caught.value))


def test_unreadable_secret_names_it_without_content(aws: None) -> None:
    arn = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:missing-AbCdEf"

    with pytest.raises(CredentialsError, match="cannot read the Google service-account secret") as caught:
        load_service_account_info(arn)

    assert arn in str(caught.value)


def test_unusable_private_key_is_reported_without_quoting_it() -> None:
    broken = {**KEY, "private_key": KEY["private_key"].replace("MII", "XXX", 1)[:-60]}

    with pytest.raises(CredentialsError, match="key is unusable") as caught:
        chat_credentials(broken)

    assert_secret_free(str(caught.value), broken)
