"""Fixtures for delivery tests: moto AWS, clients of the running FakeChatApi (``chat_api``, from
tests/conftest.py) that retry fast."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from alarm_bot.delivery.chat_client import ChatClient
from alarm_bot.delivery.credentials import chat_credentials
from tests.support.aws import aws, dynamodb  # noqa: F401 - fixtures
from tests.support.chat_api import FakeChatApi
from tests.support.service_account import TestServiceAccount

# Retries in tests: real backoff and Retry-After logic, scaled down to keep the suite fast.
FAST_RETRIES: dict[str, Any] = {
    "backoff_factor": 0.01,
    "backoff_jitter": 0.01,
    "backoff_max": 0.05,
    "connect_timeout": 1.0,
    "read_timeout": 1.0,
    "min_attempt_time": 0.05,
}

ClientFactory = Callable[..., ChatClient]


@pytest.fixture
def account(chat_api: FakeChatApi) -> TestServiceAccount:
    return chat_api.service_account()


@pytest.fixture
def make_client(chat_api: FakeChatApi, account: TestServiceAccount) -> Iterator[ClientFactory]:
    """``make_client(**overrides)``: a ChatClient for ``chat_api`` with fresh credentials."""
    clients: list[ChatClient] = []

    def make(info: dict[str, Any] | None = None, **overrides: Any) -> ChatClient:
        options = {"base_url": chat_api.url, **FAST_RETRIES, **overrides}
        client = ChatClient(chat_credentials(info or account.info), **options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: ClientFactory) -> ChatClient:
    return make_client()
