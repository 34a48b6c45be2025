"""ChatRequestVerifier against real keys, real JWTs and a real certificate server on 127.0.0.1.

Nothing is mocked: tokens are signed with RSA keys generated here, certificates are fetched over
HTTP from ``FakeGoogleCerts``, and only the cache's clock is controlled by the test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from google.auth import crypt, jwt
from google.auth import exceptions as google_exceptions

from alarm_bot.chat import verify
from alarm_bot.chat.verify import (
    CertCache,
    CertificatesUnavailable,
    ChatRequestVerifier,
    VerificationError,
)
from alarm_bot.settings import Settings, SettingsError
from tests.support.google_tokens import (
    CHAT_ISSUER,
    FakeGoogleCerts,
    SigningKey,
    addon_email,
    make_signing_key,
)
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


# --- genuine requests ----------------------------------------------------------------------------


def test_mode_a_project_number_token_is_accepted(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    claims = project_verifier.verify(bearer(chat.chat_token(PROJECT)))

    assert claims["iss"] == CHAT_ISSUER
    assert claims["aud"] == PROJECT


@pytest.mark.parametrize("issuer", ["https://accounts.google.com", "accounts.google.com"])
def test_mode_b_endpoint_id_token_is_accepted(
    oidc: FakeGoogleCerts, url_verifier: ChatRequestVerifier, issuer: str
) -> None:
    claims = url_verifier.verify(bearer(oidc.id_token(ENDPOINT, iss=issuer)))

    assert claims["email"] == CHAT_ISSUER
    assert claims["aud"] == ENDPOINT


def test_mode_c_addon_token_is_accepted(oidc: FakeGoogleCerts, addon_verifier: ChatRequestVerifier) -> None:
    claims = addon_verifier.verify(bearer(oidc.id_token(ENDPOINT, addon_email(ADDON_PROJECT))))

    assert claims["email"] == f"service-{ADDON_PROJECT}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"


@pytest.mark.parametrize("scheme", ["bearer ", "BEARER ", "Bearer ", "Bearer\t", " Bearer  "])
def test_bearer_scheme_is_case_insensitive(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, scheme: str
) -> None:
    claims = project_verifier.verify(f"{scheme}{chat.chat_token(PROJECT)} ")

    assert claims["aud"] == PROJECT


def test_small_clock_skew_is_tolerated(chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier) -> None:
    now = int(time.time())
    just_expired = chat.chat_token(PROJECT, iat=now - 3600, exp=now - 10)
    slightly_early = chat.chat_token(PROJECT, iat=now + 10, exp=now + 3600)

    assert project_verifier.verify(bearer(just_expired))["exp"] == now - 10
    assert project_verifier.verify(bearer(slightly_early))["iat"] == now + 10


# --- malformed headers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        (None, "missing Authorization header"),
        ("", "missing Authorization header"),
        ("   ", "missing Authorization header"),
        ("Basic dXNlcjpwYXNz", "Authorization scheme is not Bearer"),
        ("Token abc.def.ghi", "Authorization scheme is not Bearer"),
        ("Bearer", "empty bearer token"),
        ("Bearer    ", "empty bearer token"),
        ("Bearer not-a-jwt-at-all", "malformed token"),
        ("Bearer a.b", "malformed token"),
        ("Bearer a.b.c.d", "malformed token"),
        ("Bearer <script>.x.y", "malformed token"),
        ("Bearer " + "A" * 5000 + "." + "B" * 5000 + ".C", "malformed token"),
        # Shaped like a JWT but the segments are not base64 JSON: google-auth's own message would
        # quote the token, ours must not.
        ("Bearer aGVsbG8gd29ybGQgbm90IGpzb24.aGVsbG8gd29ybGQgbm90IGpzb24.c2ln", "malformed token"),
        ("Bearer A.eyJhIjoxfQ.c2ln", "malformed token"),
    ],
)
def test_malformed_authorization_is_rejected(
    project_verifier: ChatRequestVerifier, chat: FakeGoogleCerts, authorization: str | None, reason: str
) -> None:
    assert rejected(project_verifier, authorization) == reason
    assert chat.fetch_count == 0  # rejected before any network work


def test_deeply_nested_header_is_rejected_not_crashed(project_verifier: ChatRequestVerifier) -> None:
    token = f"{b64url(b'[' * 3000)}.{segment({})}.c2ln"

    assert rejected(project_verifier, bearer(token)) == "malformed token"


# --- forged or misdirected tokens ----------------------------------------------------------------


def test_expired_token_is_rejected(chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier) -> None:
    now = int(time.time())
    token = chat.chat_token(PROJECT, iat=now - 7200, exp=now - 3600)

    assert rejected(project_verifier, bearer(token)) == "token expired"


def test_token_issued_in_the_future_is_rejected(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    now = int(time.time())
    token = chat.chat_token(PROJECT, iat=now + 600, exp=now + 4200)

    assert rejected(project_verifier, bearer(token)) == "token not yet valid"


def test_token_with_future_nbf_is_rejected(oidc: FakeGoogleCerts, url_verifier: ChatRequestVerifier) -> None:
    token = oidc.id_token(ENDPOINT, nbf=int(time.time()) + 600)

    assert rejected(url_verifier, bearer(token)) == "token not yet valid"


def test_token_without_exp_is_rejected(chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier) -> None:
    claims = chat.chat_claims(PROJECT)
    del claims["exp"]

    assert rejected(project_verifier, bearer(chat.mint(claims))) == "token lacks iat or exp"


@pytest.mark.parametrize("exp", [float("nan"), "9999999999", None])
def test_non_numeric_exp_is_rejected(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, exp: Any
) -> None:
    rejected(project_verifier, bearer(chat.chat_token(PROJECT, exp=exp)))


@pytest.mark.parametrize(
    ("lifetime", "reason"),
    [(3600 + 31, "token lifetime too long"), (86400 * 365, "token lifetime too long"), (3600, None)],
)
def test_a_token_may_live_no_longer_than_googles_hour(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, lifetime: int, reason: str | None
) -> None:
    now = int(time.time())
    token = bearer(chat.chat_token(PROJECT, iat=now - 5, exp=now - 5 + lifetime))
    if reason is None:
        assert project_verifier.verify(token)["aud"] == PROJECT
    else:
        assert rejected(project_verifier, token) == reason


@pytest.mark.parametrize(
    "claims",
    [{"exp": float("inf")}, {"iat": float("-inf")}, {"exp": float("inf"), "iat": float("-inf")}],
    ids=["exp Infinity", "iat -Infinity", "both"],
)
def test_infinite_times_are_rejected(
    chat: FakeGoogleCerts,
    oidc: FakeGoogleCerts,
    url_verifier: ChatRequestVerifier,
    project_verifier: ChatRequestVerifier,
    claims: dict[str, Any],
) -> None:
    for verifier, token in (
        (url_verifier, oidc.id_token(ENDPOINT, **claims)),
        (project_verifier, chat.chat_token(PROJECT, **claims)),
    ):
        assert rejected(verifier, bearer(token)) in {"token exp is not a time", "token iat is not a time"}


@pytest.mark.parametrize("audience", ["999999999999", ENDPOINT, "", None, [PROJECT]])
def test_wrong_audience_is_rejected_mode_a(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, audience: Any
) -> None:
    assert rejected(project_verifier, bearer(chat.chat_token(audience))) == "wrong audience"


@pytest.mark.parametrize("audience", ["https://other.example.com/", PROJECT, ENDPOINT.rstrip("/")])
def test_wrong_audience_is_rejected_mode_b_and_c(
    oidc: FakeGoogleCerts,
    url_verifier: ChatRequestVerifier,
    addon_verifier: ChatRequestVerifier,
    audience: str,
) -> None:
    assert rejected(url_verifier, bearer(oidc.id_token(audience))) == "wrong audience"
    addon_token = oidc.id_token(audience, addon_email(ADDON_PROJECT))
    assert rejected(addon_verifier, bearer(addon_token)) == "wrong audience"


@pytest.mark.parametrize(
    "issuer", ["https://accounts.google.com", "evil@example.com", "", None, [CHAT_ISSUER]]
)
def test_wrong_issuer_is_rejected_mode_a(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, issuer: Any
) -> None:
    assert rejected(project_verifier, bearer(chat.chat_token(PROJECT, iss=issuer))) == "wrong issuer"


@pytest.mark.parametrize("issuer", [CHAT_ISSUER, "https://evil.example.com", "http://accounts.google.com"])
def test_wrong_issuer_is_rejected_mode_b(
    oidc: FakeGoogleCerts, url_verifier: ChatRequestVerifier, issuer: str
) -> None:
    assert rejected(url_verifier, bearer(oidc.id_token(ENDPOINT, iss=issuer))) == "wrong issuer"


@pytest.mark.parametrize(
    "email", ["attacker@gmail.com", "CHAT@system.gserviceaccount.com", addon_email(ADDON_PROJECT), None]
)
def test_wrong_email_is_rejected_mode_b(
    oidc: FakeGoogleCerts, url_verifier: ChatRequestVerifier, email: Any
) -> None:
    assert rejected(url_verifier, bearer(oidc.id_token(ENDPOINT, email=email))) == "wrong email"


def test_missing_email_is_rejected(oidc: FakeGoogleCerts, url_verifier: ChatRequestVerifier) -> None:
    claims = oidc.id_token_claims(ENDPOINT)
    del claims["email"]

    assert rejected(url_verifier, bearer(oidc.mint(claims))) == "wrong email"


@pytest.mark.parametrize("verified", [False, "false", None, 1, "yes"])
def test_unverified_email_is_rejected(
    oidc: FakeGoogleCerts, url_verifier: ChatRequestVerifier, verified: Any
) -> None:
    token = oidc.id_token(ENDPOINT, email_verified=verified)

    assert rejected(url_verifier, bearer(token)) == "email not verified"


@pytest.mark.parametrize(
    "email", [addon_email("111111111111"), CHAT_ISSUER, addon_email(ADDON_PROJECT + "0")]
)
def test_addon_email_of_another_project_is_rejected(
    oidc: FakeGoogleCerts, addon_verifier: ChatRequestVerifier, email: str
) -> None:
    assert rejected(addon_verifier, bearer(oidc.id_token(ENDPOINT, email))) == "wrong email"


def test_addon_token_without_verified_email_is_rejected(
    oidc: FakeGoogleCerts, addon_verifier: ChatRequestVerifier
) -> None:
    token = oidc.id_token(ENDPOINT, addon_email(ADDON_PROJECT), email_verified=False)

    assert rejected(addon_verifier, bearer(token)) == "email not verified"


def test_mode_a_token_is_rejected_by_mode_b_verifier(
    chat: FakeGoogleCerts, url_verifier: ChatRequestVerifier
) -> None:
    # Signed by the chat@system key, which the OIDC certificate endpoint does not publish.
    assert rejected(url_verifier, bearer(chat.chat_token(ENDPOINT))) == "unknown signing key"


def test_mode_b_token_is_rejected_by_mode_a_verifier(
    oidc: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    assert rejected(project_verifier, bearer(oidc.id_token(PROJECT))) == "unknown signing key"


def test_modes_cannot_be_confused_even_with_one_shared_key(cache: CertCache) -> None:
    """Claims alone must keep the modes apart, should both endpoints ever publish the same key."""
    with FakeGoogleCerts() as google:
        mode_a = ChatRequestVerifier(make_settings(google, google, PROJECT), cert_cache=cache)
        mode_b = ChatRequestVerifier(make_settings(google, google, ENDPOINT), cert_cache=cache)

        assert rejected(mode_b, bearer(google.chat_token(ENDPOINT))) == "wrong issuer"
        assert rejected(mode_a, bearer(google.id_token(PROJECT))) == "wrong issuer"
        # The genuine tokens still pass, so the rejections above are about the claims.
        assert mode_a.verify(bearer(google.chat_token(PROJECT)))["aud"] == PROJECT
        assert mode_b.verify(bearer(google.id_token(ENDPOINT)))["aud"] == ENDPOINT


def test_token_signed_with_an_unpublished_key_is_rejected(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    kid = chat.add_key(publish=False)

    assert rejected(project_verifier, bearer(chat.chat_token(PROJECT, kid=kid))) == "unknown signing key"


def test_attacker_key_claiming_googles_kid_is_rejected(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    impostor = make_signing_key(chat.kid)
    token = jwt.encode(impostor.signer, chat.chat_claims(PROJECT), key_id=chat.kid).decode()

    assert rejected(project_verifier, bearer(token)) == "bad signature"


def test_tampered_claims_are_rejected(chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier) -> None:
    header, _, signature = chat.chat_token("999999999999").split(".")
    forged = f"{header}.{segment(chat.chat_claims(PROJECT))}.{signature}"

    assert rejected(project_verifier, bearer(forged)) == "bad signature"


def test_token_without_kid_is_rejected(chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier) -> None:
    signer = crypt.RSASigner.from_string(chat.key().private_key_pem)  # no key_id of its own
    signed = jwt.encode(signer, chat.chat_claims(PROJECT)).decode()
    assert "kid" not in jwt.decode_header(signed)

    assert rejected(project_verifier, bearer(signed)) == "token has no key id"


@pytest.mark.parametrize("alg", ["none", "None", "NONE", ""])
def test_alg_none_is_rejected(chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier, alg: str) -> None:
    header = {"alg": alg, "typ": "JWT", "kid": chat.kid}
    token = f"{segment(header)}.{segment(chat.chat_claims(PROJECT))}."

    assert rejected(project_verifier, bearer(token)) == "unsupported signing algorithm"


def hs256_with_public_key(chat: FakeGoogleCerts, secret: bytes) -> str:
    """The classic confusion attack: HMAC keyed with the (public) certificate the verifier holds."""
    signing_input = f"{segment({'alg': 'HS256', 'typ': 'JWT', 'kid': chat.kid})}."
    signing_input += segment(chat.chat_claims(PROJECT))
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def test_hs256_signed_with_the_public_certificate_is_rejected(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    certificate_pem = chat.certificate_pem().encode()
    public_key_pem = (
        x509.load_pem_x509_certificate(certificate_pem)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )

    for secret in (certificate_pem, public_key_pem):
        token = hs256_with_public_key(chat, secret)
        assert rejected(project_verifier, bearer(token)) == "unsupported signing algorithm"
        # google-auth alone refuses it too: the up-front check is defence in depth, not the only gate.
        with pytest.raises(google_exceptions.InvalidValue, match="Unsupported signature algorithm"):
            jwt.decode(token, certs={chat.kid: chat.certificate_pem()}, audience=PROJECT)


def test_non_rsa_algorithm_is_rejected_even_with_a_published_key(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    es_kid = chat.add_key(algorithm="ES256")
    token = chat.chat_token(PROJECT, kid=es_kid)
    # google-auth would accept this ES256 token, so only our RS256-only rule stops it.
    assert jwt.decode(token, certs=chat.certs_document(), audience=PROJECT)["aud"] == PROJECT

    assert rejected(project_verifier, bearer(token)) == "unsupported signing algorithm"


def test_rs256_header_over_an_ec_key_is_rejected(
    chat: FakeGoogleCerts, project_verifier: ChatRequestVerifier
) -> None:
    es_kid = chat.add_key(algorithm="ES256")
    token = chat.mint(chat.chat_claims(PROJECT), kid=es_kid, header={"alg": "RS256"})

    assert rejected(project_verifier, bearer(token)) in {"unsupported signing algorithm", "bad signature"}


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


# --- configuration -------------------------------------------------------------------------------


def test_addon_with_a_project_number_audience_is_a_settings_error(
    chat: FakeGoogleCerts, oidc: FakeGoogleCerts
) -> None:
    with pytest.raises(SettingsError, match="ADDON_PROJECT_NUMBER"):
        ChatRequestVerifier(make_settings(chat, oidc, PROJECT, ADDON_PROJECT))


def test_audience_that_is_neither_number_nor_https_url_is_a_settings_error(
    chat: FakeGoogleCerts, oidc: FakeGoogleCerts
) -> None:
    with pytest.raises(SettingsError, match="CHAT_AUDIENCE"):
        ChatRequestVerifier(make_settings(chat, oidc, "http://insecure.example.com/"))
