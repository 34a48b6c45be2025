"""Shared rig for the ``ChatRequestVerifier`` tests in ``tests/chat/verify/`` (whose conftest uses it).

Real RSA keys, real JWTs and real certificate servers on 127.0.0.1 (``FakeGoogleCerts``): one for the
chat@system endpoint and one for the Google OIDC endpoint, each with a key of its own. Only the cache's
clock is controlled by the test. Holds the audiences, the fixtures (import them into the test module
that uses them), ``make_settings`` and the header helpers, including ``rejected``, which checks that a
rejection reason is safe to log.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from alarm_bot.chat.verify import CertCache, CertificatesUnavailable, ChatRequestVerifier, VerificationError
from alarm_bot.settings import Settings
from tests.support.google_tokens import FakeGoogleCerts, SigningKey, make_signing_key
from tests.support.local_queue import VirtualClock

PROJECT = "123456789012"
ADDON_PROJECT = "987654321098"
ENDPOINT = "https://abc123.lambda-url.eu-west-1.on.aws/"


CACHE_START = 1_000_000.0  # the cache's clock, moved by the test (token times use the real clock)


@pytest.fixture(scope="module")
def chat_key() -> SigningKey:
    return make_signing_key("chat-key-1")


@pytest.fixture(scope="module")
def oidc_key() -> SigningKey:
    return make_signing_key("oidc-key-1")


@pytest.fixture
def chat(chat_key: SigningKey) -> Iterator[FakeGoogleCerts]:
    """The chat@system.gserviceaccount.com certificate endpoint (mode a); a fresh server per test."""
    with FakeGoogleCerts(key=chat_key) as server:
        yield server


@pytest.fixture
def oidc(oidc_key: SigningKey) -> Iterator[FakeGoogleCerts]:
    """The Google OIDC certificate endpoint (modes b and c), with a key of its own."""
    with FakeGoogleCerts(key=oidc_key) as server:
        yield server


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(CACHE_START)


@pytest.fixture
def cache(clock: VirtualClock) -> CertCache:
    return CertCache(clock=clock, fetch_timeout=2.0)


def make_settings(
    chat: FakeGoogleCerts, oidc: FakeGoogleCerts, audience: str, addon: str | None = None
) -> Settings:
    return Settings(
        subscriptions_table="subscriptions",
        bot_id="bot",
        chat_audience=audience,
        addon_project_number=addon,
        chat_certs_url=chat.url,
        google_oidc_certs_url=oidc.url,
    )


@pytest.fixture
def project_verifier(chat: FakeGoogleCerts, oidc: FakeGoogleCerts, cache: CertCache) -> ChatRequestVerifier:
    return ChatRequestVerifier(make_settings(chat, oidc, PROJECT), cert_cache=cache)


@pytest.fixture
def url_verifier(chat: FakeGoogleCerts, oidc: FakeGoogleCerts, cache: CertCache) -> ChatRequestVerifier:
    return ChatRequestVerifier(make_settings(chat, oidc, ENDPOINT), cert_cache=cache)


@pytest.fixture
def addon_verifier(chat: FakeGoogleCerts, oidc: FakeGoogleCerts, cache: CertCache) -> ChatRequestVerifier:
    return ChatRequestVerifier(make_settings(chat, oidc, ENDPOINT, ADDON_PROJECT), cert_cache=cache)


def bearer(token: str) -> str:
    return f"Bearer {token}"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def segment(value: Any) -> str:
    return b64url(json.dumps(value).encode())


def rejected(
    verifier: ChatRequestVerifier,
    authorization: str | None,
    error: type[VerificationError] = VerificationError,
) -> str:
    """Assert the header is rejected with ``error``; return the reason, checked to be safe to log."""
    with pytest.raises(error) as caught:
        verifier.verify(authorization)
    if error is VerificationError:  # a forgery must not look like our certificate outage
        assert not isinstance(caught.value, CertificatesUnavailable)
    reason = str(caught.value)
    token = (authorization or "").partition(" ")[2].strip()
    if len(token) > 8:
        assert token not in reason
        assert all(part not in reason for part in token.split(".") if len(part) > 8)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ or caught.value.__context__ is None
    return reason
