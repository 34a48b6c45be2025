"""Prove that a request to the Chat endpoint was sent by Google Chat.

The endpoint is public, so anyone can POST a forged event to it. Google Chat attaches
``Authorization: Bearer <JWT>``; we accept a request only if that JWT is signed by a key Google
publishes and its claims name *this* deployment. Which kind of token to expect comes from the
settings, never from the request, so a caller cannot pick the weakest check:

(a) ``CHAT_AUDIENCE`` is a project number: ``iss`` is chat@system.gserviceaccount.com, ``aud`` the
    project number, keys from ``chat_certs_url``.
(b) ``CHAT_AUDIENCE`` is the endpoint URL: a Google ID token (keys from ``google_oidc_certs_url``)
    for ``aud`` = the URL whose verified ``email`` is chat@system.gserviceaccount.com.
(c) ``ADDON_PROJECT_NUMBER`` is set: as (b), but the email is the add-on's service agent.

Signature, ``exp``/``iat`` and ``aud`` are checked by ``google.auth.jwt.decode``; this module only
picks the certificates and checks what google-auth leaves to the caller: issuer, email, ``nbf``,
finite times and a lifetime no longer than Google's hour.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from google.auth import exceptions as google_exceptions
from google.auth import jwt

from alarm_bot.settings import CHAT_ISSUER, Settings, SettingsError

if TYPE_CHECKING:
    import requests

GOOGLE_ISSUERS = frozenset({"https://accounts.google.com", "accounts.google.com"})
CLOCK_SKEW_SECONDS = 30
"""Tolerated difference between Google's clock and ours when checking ``iat``/``exp``/``nbf``."""
MIN_REFETCH_INTERVAL = 60.0
"""An unknown ``kid`` refetches certificates at most this often per URL, so forged tokens with
random key ids cannot turn us into an amplifier against Google (or slow every request down)."""
MAX_CERT_TTL = 86400.0
"""Cap on a ``max-age`` we honour: a retired key must not stay trusted for longer than a day."""
MAX_TOKEN_LIFETIME_SECONDS = 3600
"""Google's tokens live an hour (``exp`` - ``iat``); one that claims longer was not made by Google,
or was made to be replayed, and is refused (with :data:`CLOCK_SKEW_SECONDS` of slack)."""
MAX_TOKEN_LENGTH = 8192
"""Google's tokens are about 1 KiB; refuse to parse anything absurdly larger."""

_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
# What google-auth (and the stdlib underneath) raise for untrusted input: bad base64, bad JSON,
# deeply nested JSON, claims of the wrong type, certificates it cannot parse.
_TOKEN_ERRORS = (google_exceptions.GoogleAuthError, ValueError, TypeError, RecursionError)


class VerificationError(Exception):
    """The request is not provably from Google Chat.

    The message is a short fixed reason, safe to log: it never contains the token or claim values.
    """


class CertificatesUnavailable(VerificationError):
    """Google's certificates could not be fetched: our outage, not necessarily a forgery.

    Still a ``VerificationError`` (the request is refused either way); the handler may log it louder.
    """


@dataclass(frozen=True)
class _CachedCerts:
    certs: Mapping[str, str]
    expires_at: float


class CertCache:
    """Google's signing certificates per URL, shared across invocations of a warm Lambda.

    Fetching costs a network round trip on the request path, so a fetched set is kept for the
    response's ``Cache-Control: max-age`` (else ``default_ttl``). If fetching fails we fail closed
    (``CertificatesUnavailable``): without certificates no request can be trusted.
    """

    def __init__(
        self,
        *,
        fetch_timeout: float = 3.0,
        clock: Callable[[], float] = time.time,
        default_ttl: float = 3600,
        session: requests.Session | None = None,
    ) -> None:
        self._fetch_timeout = fetch_timeout
        self._clock = clock
        self._default_ttl = default_ttl
        self._session = session
        self._entries: dict[str, _CachedCerts] = {}
        self._last_attempt: dict[str, float] = {}  # successful or not, for the refetch rate limit
        self._lock = threading.Lock()

    def get(self, url: str, *, kid: str | None = None) -> Mapping[str, str]:
        """Return ``{kid: PEM certificate}`` for ``url``, fetching it if absent or expired.

        Passing the token's ``kid`` lets a fresh set that lacks it be refetched once (Google
        rotates keys), but not sooner than ``MIN_REFETCH_INTERVAL`` after the previous fetch.
        """
        with self._lock:
            now = self._clock()
            cached = self._entries.get(url)
            if cached is not None and now < cached.expires_at:
                recently = now - self._last_attempt.get(url, -math.inf) < MIN_REFETCH_INTERVAL
                if kid is None or kid in cached.certs or recently:
                    return cached.certs
            return self._fetch(url, now)

    def _fetch(self, url: str, now: float) -> Mapping[str, str]:
        import requests  # noqa: PLC0415 - cold start: requests, 55 ms; a request refused before the fetch never needs it

        self._last_attempt[url] = now
        if self._session is None:
            self._session = requests.Session()
        try:
            response = self._session.get(url, timeout=self._fetch_timeout, allow_redirects=False)
        except requests.RequestException as error:
            raise CertificatesUnavailable(
                f"cannot fetch signing certificates ({type(error).__name__})"
            ) from None
        if response.status_code != 200:
            raise CertificatesUnavailable(f"signing certificates answered HTTP {response.status_code}")
        try:
            document = json.loads(response.content)
        except (ValueError, RecursionError):
            raise CertificatesUnavailable("signing certificates are not JSON") from None
        if (
            not isinstance(document, dict)
            or not document
            or not all(isinstance(k, str) and isinstance(v, str) for k, v in document.items())
        ):
            raise CertificatesUnavailable("signing certificates are not an object of kid to PEM")
        ttl = _max_age(response.headers.get("Cache-Control"), self._default_ttl)
        self._entries[url] = _CachedCerts(certs=dict(document), expires_at=now + ttl)
        return self._entries[url].certs


def _max_age(cache_control: str | None, default: float) -> float:
    match = _MAX_AGE.search(cache_control or "")
    return min(float(match.group(1)), MAX_CERT_TTL) if match else default


DEFAULT_CERT_CACHE = CertCache()
"""The cache verifiers share unless given another; it lives as long as the Lambda container."""


@dataclass(frozen=True)
class _Policy:
    """What a genuine token looks like for this deployment."""

    certs_url: str
    issuers: frozenset[str]
    audience: str
    email: str | None  # None: mode (a) tokens carry no email claim to check


def _policy(settings: Settings) -> _Policy:
    audience = settings.chat_audience
    if settings.addon_project_number is not None:
        if not audience.startswith("https://"):
            raise SettingsError("ADDON_PROJECT_NUMBER needs CHAT_AUDIENCE to be the https:// endpoint URL")
        email = f"service-{settings.addon_project_number}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"
        return _Policy(settings.google_oidc_certs_url, GOOGLE_ISSUERS, audience, email)
    if settings.audience_is_project_number:
        return _Policy(settings.chat_certs_url, frozenset({CHAT_ISSUER}), audience, None)
    if not audience.startswith("https://"):
        raise SettingsError("CHAT_AUDIENCE must be a project number or the https:// endpoint URL")
    return _Policy(settings.google_oidc_certs_url, GOOGLE_ISSUERS, audience, CHAT_ISSUER)


class ChatRequestVerifier:
    """Checks the ``Authorization`` header of a Chat request against the deployment's settings.

    Raises ``SettingsError`` at construction when the audience cannot be checked (an add-on whose
    audience is not the endpoint URL, or neither a project number nor a URL), so a misconfiguration
    fails the cold start instead of rejecting every request.
    """

    def __init__(self, settings: Settings, *, cert_cache: CertCache | None = None) -> None:
        self._policy = _policy(settings)
        self._cache = cert_cache if cert_cache is not None else DEFAULT_CERT_CACHE

    def verify(self, authorization: str | None) -> Mapping[str, Any]:
        """Return the verified claims of the bearer token, or raise ``VerificationError``."""
        token = _bearer_token(authorization)
        kid = _signing_key_id(token)
        certificate = self._cache.get(self._policy.certs_url, kid=kid).get(kid)
        if certificate is None:
            raise VerificationError("unknown signing key")
        try:
            claims: Mapping[str, Any] = jwt.decode(  # type: ignore[no-untyped-call]
                token,
                certs={kid: certificate},
                audience=self._policy.audience,
                clock_skew_in_seconds=CLOCK_SKEW_SECONDS,
            )
        except _TOKEN_ERRORS as error:
            raise VerificationError(_decode_failure(error)) from None
        _check_claims(claims, self._policy)
        return claims


def _bearer_token(authorization: str | None) -> str:
    if not isinstance(authorization, str) or not authorization.strip():
        raise VerificationError("missing Authorization header")
    scheme, *rest = authorization.split(maxsplit=1)
    if scheme.lower() != "bearer":
        raise VerificationError("Authorization scheme is not Bearer")
    if not rest:
        raise VerificationError("empty bearer token")
    token = rest[0].strip()
    if len(token) > MAX_TOKEN_LENGTH or not _TOKEN_SHAPE.fullmatch(token):
        raise VerificationError("malformed token")
    return token


def _signing_key_id(token: str) -> str:
    """Read the unverified header only to choose the certificate; nothing in it is trusted."""
    try:
        header = jwt.decode_header(token)  # type: ignore[no-untyped-call]
    except _TOKEN_ERRORS:
        raise VerificationError("malformed token") from None
    # Google signs with RS256 only; refusing everything else up front also rules out "none" and
    # HMAC-with-the-public-key tricks regardless of what google-auth would do.
    if header.get("alg") != "RS256":
        raise VerificationError("unsupported signing algorithm")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise VerificationError("token has no key id")
    return kid


def _decode_failure(error: Exception) -> str:
    """Name the failure without echoing google-auth's message, which can contain the token."""
    message = str(error)
    for fragment, reason in (
        ("Token expired", "token expired"),
        ("Token used too early", "token not yet valid"),
        ("wrong audience", "wrong audience"),
        ("Could not verify token signature", "bad signature"),
        ("Unsupported signature algorithm", "unsupported signing algorithm"),
        ("does not contain required claim", "token lacks iat or exp"),
        ("Certificate key type does not match", "unsupported signing algorithm"),
    ):
        if fragment in message:
            return reason
    return "invalid token"


def _check_claims(claims: Mapping[str, Any], policy: _Policy) -> None:
    """Check what google-auth leaves to the caller: issuer, email, ``nbf``, sane claim types."""
    issuer = claims.get("iss")
    if not isinstance(issuer, str) or issuer not in policy.issuers:
        raise VerificationError("wrong issuer")
    if claims.get("aud") != policy.audience:  # google-auth checked it; cheap to be sure
        raise VerificationError("wrong audience")
    for name in ("iat", "exp"):  # NaN, Infinity or strings would slip through google-auth's checks
        if not _is_time(claims.get(name)):
            raise VerificationError(f"token {name} is not a time")
    if claims["exp"] - claims["iat"] > MAX_TOKEN_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS:
        raise VerificationError("token lifetime too long")
    not_before = claims.get("nbf")
    if not_before is not None and not _is_time(not_before):
        raise VerificationError("token nbf is not a time")
    if not_before is not None and time.time() + CLOCK_SKEW_SECONDS < not_before:
        raise VerificationError("token not yet valid")
    if policy.email is not None:
        if claims.get("email") != policy.email:
            raise VerificationError("wrong email")
        verified = claims.get("email_verified")
        if verified is not True and verified != "true":
            raise VerificationError("email not verified")


def _is_time(value: object) -> bool:
    """Seconds since the epoch: a finite number (JSON allows neither NaN nor Infinity, Python does)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
