"""Google service-account keys made up for tests, and the token endpoint that accepts them.

A key dict has the fields of the JSON file the Google Cloud console hands out (``type``,
``private_key``, ``client_email``, ``token_uri``…). Pointing ``token_uri`` at a local stand-in
(``FakeChatApi.token_url``) makes ``google.oauth2.service_account.Credentials`` sign a real RS256
JWT assertion and exchange it there, exactly as it would against ``oauth2.googleapis.com``.

Usage::

    account = make_service_account(api.token_url)
    api.tokens.trust(account)  # FakeChatApi.service_account() does both steps
    credentials = chat_credentials(account.info)

``TokenEndpoint`` is Google's side of that exchange: it checks the assertion's signature, audience
and scope and issues opaque access tokens; ``FakeChatApi`` serves it at ``/token`` and asks it
whether a bearer token is live.

RSA key generation costs ~0.1 s, so keys are cached per ``key_name``: accounts made with the same
name share a key pair (tests that need a key the server does not trust pass another name).
"""

from __future__ import annotations

import functools
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import exceptions as google_exceptions
from google.auth import jwt

PROJECT_ID = "alarm-bot-test"
CHAT_SCOPE = "https://www.googleapis.com/auth/chat.bot"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# google-auth addresses every service-account assertion to Google's token endpoint, whatever the
# key's token_uri says, and Google checks exactly that; so does TokenEndpoint.
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"


@dataclass(frozen=True)
class TestServiceAccount:
    """A service-account key (``info``) and what a token server needs to verify its assertions."""

    __test__ = False  # not a pytest test class despite the name

    info: dict[str, Any]
    key_id: str
    public_key_pem: str

    @property
    def client_email(self) -> str:
        return str(self.info["client_email"])


@functools.cache
def _key_pair(key_name: str) -> tuple[str, str]:
    """(private PKCS#8 PEM, public SubjectPublicKeyInfo PEM) for ``key_name``, generated once."""
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")
    public_pem = (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return private_pem, public_pem


def make_service_account(
    token_uri: str,
    *,
    name: str = "alarm-bot",
    project_id: str = PROJECT_ID,
    key_name: str = "default",
) -> TestServiceAccount:
    """A key dict shaped like a downloaded service-account key, whose tokens come from ``token_uri``."""
    private_pem, public_pem = _key_pair(key_name)
    key_id = secrets.token_hex(20)
    info = {
        "type": "service_account",
        "project_id": project_id,
        "private_key_id": key_id,
        "private_key": private_pem,
        "client_email": f"{name}@{project_id}.iam.gserviceaccount.com",
        "client_id": str(secrets.randbelow(10**20)),
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "universe_domain": "googleapis.com",
    }
    return TestServiceAccount(info=info, key_id=key_id, public_key_pem=public_pem)


class TokenEndpoint:
    """Google's OAuth token endpoint for the JWT-bearer grant, without the HTTP (a server wraps it).

    Knobs, read on every request: ``expires_in`` (seconds a new token lives; keep it above
    google-auth's 225 s refresh margin unless a test wants a refresh on every call) and ``error``
    (``(status, code)``, e.g. ``(400, "invalid_grant")``, to refuse every grant). ``requests`` counts
    grant requests, whatever the answer.
    """

    def __init__(self, *, expires_in: int = 3600) -> None:
        self.expires_in = expires_in
        self.error: tuple[int, str] | None = None
        self.requests = 0
        self._lock = threading.Lock()
        self._trusted: dict[str, TestServiceAccount] = {}
        self._tokens: dict[str, float] = {}  # access token → time.monotonic() expiry

    def trust(self, account: TestServiceAccount) -> None:
        with self._lock:
            self._trusted[account.key_id] = account

    def revoke_all(self) -> None:
        """Forget every issued token, as if they had all expired."""
        with self._lock:
            self._tokens.clear()

    def is_live(self, token: str) -> bool:
        with self._lock:
            expiry = self._tokens.get(token)
        return expiry is not None and time.monotonic() < expiry

    def grant(self, form: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
        """Answer a token request; ``form`` is its decoded ``x-www-form-urlencoded`` body."""
        with self._lock:
            self.requests += 1
            forced, trusted = self.error, dict(self._trusted)
        if forced is not None:
            return forced[0], {"error": forced[1], "error_description": "injected failure"}
        if form.get("grant_type") != JWT_BEARER:
            return 400, {"error": "unsupported_grant_type"}
        try:
            claims = _verify_assertion(form.get("assertion", ""), trusted, GOOGLE_TOKEN_AUDIENCE)
        except (ValueError, google_exceptions.GoogleAuthError) as error:
            return 400, {"error": "invalid_grant", "error_description": str(error)}
        if CHAT_SCOPE not in str(claims.get("scope", "")).split():
            return 400, {"error": "invalid_scope", "error_description": "the chat.bot scope is missing"}
        token = "ya29.fake-" + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = time.monotonic() + self.expires_in
        return 200, {"access_token": token, "expires_in": self.expires_in, "token_type": "Bearer"}


def _verify_assertion(
    assertion: str, trusted: Mapping[str, TestServiceAccount], audience: str
) -> dict[str, Any]:
    """Claims of a JWT signed by a trusted key (RS256) for ``audience``; ValueError otherwise."""
    header = jwt.decode_header(assertion)  # type: ignore[no-untyped-call]
    account = trusted.get(str(header.get("kid")))
    if account is None:
        raise ValueError("Invalid JWT Signature.")
    claims: dict[str, Any] = jwt.decode(  # type: ignore[no-untyped-call]
        assertion, certs={account.key_id: account.public_key_pem}, audience=audience
    )
    if claims.get("iss") != account.client_email:
        raise ValueError("Invalid JWT: iss is not the key's service account.")
    return claims
