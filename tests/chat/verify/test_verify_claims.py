"""ChatRequestVerifier: the claims of genuine and misdirected tokens, and the audience settings.

The three modes (a: project-number audience, chat@system tokens; b: endpoint-URL audience, Google OIDC
ID tokens; c: b for a Workspace add-on) accepting their own tokens, then tokens rejected on their times
(expiry, skew, lifetime), audience, issuer or email, tokens of one mode shown to another, and the
audience settings refused at construction. Real keys and certificate servers, from
``tests.support.chat_token_rig``.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from alarm_bot.chat.verify import CertCache, ChatRequestVerifier
from alarm_bot.settings import SettingsError
from tests.support.chat_token_rig import ADDON_PROJECT, ENDPOINT, PROJECT, bearer, make_settings, rejected
from tests.support.google_tokens import CHAT_ISSUER, FakeGoogleCerts, addon_email

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
