"""ChatRequestVerifier's certificate cache: how long fetched certificates last, when they are
fetched again, and failing closed.

Certificates are fetched once while fresh (by ``Cache-Control: max-age`` or the default TTL), a
rotated key triggers one refetch, unknown kids refetch at most once a minute, and a failing, down or
malformed certificate endpoint rejects the request rather than trusting stale or broken keys. The
cache's clock is moved by the test; the keys and servers are real, from
``tests.support.chat_token_rig``.
"""

from __future__ import annotations

import json

import pytest

from alarm_bot.chat import verify
from alarm_bot.chat.verify import CertCache, CertificatesUnavailable, ChatRequestVerifier
from tests.support.chat_token_rig import CACHE_START, PROJECT, bearer, make_settings, rejected
from tests.support.google_tokens import FakeGoogleCerts
from tests.support.local_queue import VirtualClock

# --- certificate cache ---------------------------------------------------------------------------


def test_certificates_are_fetched_once_while_fresh(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, clock: VirtualClock
) -> None:
    for _ in range(3):
        project_verifier.verify(bearer(chat.chat_token(PROJECT)))
        clock.advance(600)

    assert chat.fetch_count == 1


def test_verifiers_share_the_module_cache_by_default(
    chat: FakeGoogleCerts, oidc: FakeGoogleCerts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(verify, "DEFAULT_CERT_CACHE", CertCache())
    settings = make_settings(chat, oidc, PROJECT)

    ChatRequestVerifier(settings).verify(bearer(chat.chat_token(PROJECT)))
    ChatRequestVerifier(settings).verify(bearer(chat.chat_token(PROJECT)))  # a later invocation

    assert chat.fetch_count == 1


def assert_certificates_last(
    seconds: int, verifier: ChatRequestVerifier, chat: FakeGoogleCerts, clock: VirtualClock
) -> None:
    """The fetched certificates serve every token for ``seconds``, and are fetched again just after."""
    verifier.verify(bearer(chat.chat_token(PROJECT)))
    clock.advance(seconds - 1)
    verifier.verify(bearer(chat.chat_token(PROJECT)))
    assert chat.fetch_count == 1

    clock.advance(2)
    verifier.verify(bearer(chat.chat_token(PROJECT)))
    assert chat.fetch_count == 2


def test_certificates_are_refetched_after_max_age(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, clock: VirtualClock
) -> None:
    chat.max_age = 100
    assert_certificates_last(100, project_verifier, chat, clock)


def test_default_ttl_applies_without_cache_control(chat: FakeGoogleCerts, oidc: FakeGoogleCerts) -> None:
    chat.max_age = None
    clock = VirtualClock(CACHE_START)
    verifier = ChatRequestVerifier(
        make_settings(chat, oidc, PROJECT), cert_cache=CertCache(clock=clock, default_ttl=50)
    )
    assert_certificates_last(50, verifier, chat, clock)


def fetch_then_pass_the_refetch_limit(
    verifier: ChatRequestVerifier, chat: FakeGoogleCerts, clock: VirtualClock
) -> None:
    """A genuine request fetches the certificates; two minutes on they are still fresh, but past
    ``MIN_REFETCH_INTERVAL``, so one refetch for an unknown kid is allowed again."""
    verifier.verify(bearer(chat.chat_token(PROJECT)))
    clock.advance(120)


def unpublished_kid_token(chat: FakeGoogleCerts) -> str:
    """A Chat token signed with a key of its own that no certificate set has ever published."""
    return chat.chat_token(PROJECT, kid=chat.add_key(publish=False, make_current=False))


def test_rotated_key_triggers_one_refetch_then_verifies(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, clock: VirtualClock
) -> None:
    old_kid = chat.kid
    fetch_then_pass_the_refetch_limit(project_verifier, chat, clock)
    new_kid = chat.add_key()  # Google publishes and starts using a new key

    assert project_verifier.verify(bearer(chat.chat_token(PROJECT)))["aud"] == PROJECT
    assert chat.fetch_count == 2
    project_verifier.verify(bearer(chat.chat_token(PROJECT, kid=new_kid)))
    project_verifier.verify(bearer(chat.chat_token(PROJECT, kid=old_kid)))
    assert chat.fetch_count == 2


def test_unknown_kids_refetch_at_most_once_a_minute(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, clock: VirtualClock
) -> None:
    fetch_then_pass_the_refetch_limit(project_verifier, chat, clock)
    for _ in range(5):  # an attacker spraying random kids
        assert rejected(project_verifier, bearer(unpublished_kid_token(chat))) == "unknown signing key"
        clock.advance(1)

    assert chat.fetch_count == 2  # the first unknown kid refetched; the rest were rate limited


def test_new_key_right_after_a_fetch_waits_for_the_rate_limit(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, clock: VirtualClock
) -> None:
    project_verifier.verify(bearer(chat.chat_token(PROJECT)))
    chat.add_key()

    assert rejected(project_verifier, bearer(chat.chat_token(PROJECT))) == "unknown signing key"
    assert chat.fetch_count == 1
    clock.advance(61)
    assert project_verifier.verify(bearer(chat.chat_token(PROJECT)))["aud"] == PROJECT
    assert chat.fetch_count == 2


def test_failed_refetch_for_an_unknown_kid_is_rate_limited_too(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, clock: VirtualClock
) -> None:
    fetch_then_pass_the_refetch_limit(project_verifier, chat, clock)
    chat.status = 500
    unknown = unpublished_kid_token(chat)

    assert (
        rejected(project_verifier, bearer(unknown), CertificatesUnavailable)
        == "signing certificates answered HTTP 500"
    )
    assert rejected(project_verifier, bearer(unknown)) == "unknown signing key"
    assert chat.fetch_count == 2
    # The still-fresh set keeps genuine requests working while the endpoint misbehaves.
    assert project_verifier.verify(bearer(chat.chat_token(PROJECT)))["aud"] == PROJECT


def test_retired_key_is_dropped_after_refetch(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, clock: VirtualClock
) -> None:
    old_kid = chat.kid
    project_verifier.verify(bearer(chat.chat_token(PROJECT)))
    chat.add_key()
    chat.unpublish(old_kid)
    clock.advance(3601)

    assert rejected(project_verifier, bearer(chat.chat_token(PROJECT, kid=old_kid))) == "unknown signing key"
    assert chat.fetch_count == 2


# --- failing closed ------------------------------------------------------------------------------


def test_certificate_server_error_fails_closed(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    chat.status = 500

    reason = rejected(project_verifier, bearer(chat.chat_token(PROJECT)), CertificatesUnavailable)

    assert reason == "signing certificates answered HTTP 500"
    assert chat.fetch_count == 1


def test_certificate_server_down_fails_closed(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    token = chat.chat_token(PROJECT)
    chat.stop()

    assert rejected(project_verifier, bearer(token), CertificatesUnavailable).startswith(
        "cannot fetch signing certificates"
    )


def test_expired_cache_is_not_used_when_the_server_fails(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, clock: VirtualClock
) -> None:
    project_verifier.verify(bearer(chat.chat_token(PROJECT)))
    chat.status = 503
    clock.advance(3601)

    reason = rejected(project_verifier, bearer(chat.chat_token(PROJECT)), CertificatesUnavailable)

    assert reason == "signing certificates answered HTTP 503"
    assert chat.fetch_count == 2  # it did try again rather than trusting the stale set


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html>not json</html>", "signing certificates are not JSON"),
        (b'["a", "b"]', "signing certificates are not an object of kid to PEM"),
        (b'{"kid": 1}', "signing certificates are not an object of kid to PEM"),
        (b"{}", "signing certificates are not an object of kid to PEM"),
    ],
)
def test_malformed_certificate_document_fails_closed(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, body: bytes, reason: str
) -> None:
    chat.body = body

    assert rejected(project_verifier, bearer(chat.chat_token(PROJECT)), CertificatesUnavailable) == reason


def test_garbage_certificate_for_the_kid_fails_closed(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    chat.body = json.dumps(
        {chat.kid: "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"}
    ).encode()

    assert rejected(project_verifier, bearer(chat.chat_token(PROJECT))) == "invalid token"
