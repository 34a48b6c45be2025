"""Mint Google-style JWTs and serve their certificates over real HTTP, for tests.

Google Chat signs each request with a key whose X.509 certificate it publishes as a JSON object
``{kid: PEM certificate}`` (both the chat@system endpoint and the OIDC ``oauth2/v1/certs`` endpoint
use that shape). ``FakeGoogleCerts`` plays both halves: it holds private keys, serves the matching
certificates from a ``ThreadingHTTPServer`` on 127.0.0.1, and signs tokens with
``google.auth.jwt.encode`` so tests exercise the same library the verifier uses, not a mock.

Usage::

    with FakeGoogleCerts() as google:
        settings = Settings(..., chat_audience="1234", chat_certs_url=google.url)
        token = google.chat_token(audience="1234")
        ChatRequestVerifier(settings, cert_cache=CertCache()).verify(f"Bearer {token}")
        assert google.fetch_count == 1

One instance is one certificate URL; use two when a test needs the chat@system and the OIDC
endpoints to hold different keys (as they do in production).
"""

from __future__ import annotations

import datetime
import json
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt, jwt
from google.auth.crypt import es

CHAT_ISSUER = "chat@system.gserviceaccount.com"
"""``iss`` of project-number tokens and ``email`` of endpoint-URL ID tokens."""
GOOGLE_ISSUER = "https://accounts.google.com"
"""``iss`` of Google OIDC ID tokens."""
CERTS_PATH = "/certs"

KeyAlgorithm = Literal["RS256", "ES256"]


def addon_email(project_number: str) -> str:
    """The service account that signs Workspace add-on requests for ``project_number``."""
    return f"service-{project_number}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com"


@dataclass(frozen=True)
class SigningKey:
    """One private key, its self-signed certificate and the signer google-auth needs."""

    kid: str
    algorithm: KeyAlgorithm
    certificate_pem: str
    private_key_pem: bytes
    signer: crypt.Signer


def make_signing_key(kid: str, algorithm: KeyAlgorithm = "RS256") -> SigningKey:
    """Generate a key pair and a self-signed certificate valid from yesterday to tomorrow."""
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    if algorithm == "RS256":
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, kid)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(private_key, hashes.SHA256())
    )
    private_pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    signer: crypt.Signer
    if algorithm == "RS256":
        signer = crypt.RSASigner.from_string(private_pem, key_id=kid)  # type: ignore[no-untyped-call]
    else:
        signer = es.EsSigner.from_string(private_pem, key_id=kid)
    return SigningKey(
        kid=kid,
        algorithm=algorithm,
        certificate_pem=certificate.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        private_key_pem=private_pem,
        signer=signer,
    )


class FakeGoogleCerts:
    """A Google certificate endpoint on 127.0.0.1 plus the private keys behind it.

    Knobs a test may set at any time (read on every request):

    * ``status``: HTTP status to answer with (e.g. 500); non-200 answers carry no certificates.
    * ``max_age``: ``Cache-Control: max-age`` value, or ``None`` to send no Cache-Control at all.
    * ``body``: raw bytes to serve instead of the certificate JSON (for malformed-response tests).

    ``fetch_count`` counts every GET of ``url`` (whatever the answer), so tests can assert caching.
    ``kid`` is the key ``mint`` signs with by default: the newest key added with ``make_current``.
    A fresh instance publishes one key: ``key`` if given, else a new RS256 key. Generating RSA keys
    takes ~0.1 s, so suites with many tests may make a few with ``make_signing_key`` once and pass
    them in; the instance never mutates a ``SigningKey``.
    """

    def __init__(self, *, max_age: int | None = 3600, key: SigningKey | None = None) -> None:
        self.max_age = max_age
        self.status = 200
        self.body: bytes | None = None
        self.fetch_count = 0
        self._keys: dict[str, SigningKey] = {}
        self._published: list[str] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None
        if key is None:
            self.kid = self.add_key()
        else:
            self._keys[key.kid] = key
            self._published.append(key.kid)
            self.kid = key.kid

    # --- server lifecycle -------------------------------------------------------------------------

    def start(self) -> FakeGoogleCerts:
        """Bind a random port on 127.0.0.1 and serve in a daemon thread; returns ``self``."""
        if self._server is not None:
            raise RuntimeError("already started")
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._url = f"http://127.0.0.1:{self._server.server_address[1]}{CERTS_PATH}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.01},  # stop() waits up to one poll interval
            name="fake-google-certs",
        )
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down and free the port: afterwards ``url`` refuses connections."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeGoogleCerts:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The certificate URL to put in ``Settings.chat_certs_url`` / ``google_oidc_certs_url``."""
        if self._url is None:
            raise RuntimeError("call start() (or use the instance as a context manager) first")
        return self._url

    # --- keys -------------------------------------------------------------------------------------

    def add_key(
        self,
        kid: str | None = None,
        *,
        algorithm: KeyAlgorithm = "RS256",
        publish: bool = True,
        make_current: bool = True,
    ) -> str:
        """Create a key; ``publish=False`` keeps its certificate off the endpoint (an unknown key).

        ``add_key()`` with the defaults simulates Google rotating keys: the new key is published and
        becomes the default signing key while the old ones stay published.
        """
        kid = kid or secrets.token_hex(20)
        key = make_signing_key(kid, algorithm)
        with self._lock:
            self._keys[kid] = key
            if publish:
                self._published.append(kid)
        if make_current:
            self.kid = kid
        return kid

    def unpublish(self, kid: str) -> None:
        """Remove a key's certificate from the endpoint (Google retiring a key)."""
        with self._lock:
            self._published.remove(kid)

    def key(self, kid: str | None = None) -> SigningKey:
        """The key ``kid`` (default: the current signing key)."""
        return self._keys[kid or self.kid]

    def certificate_pem(self, kid: str | None = None) -> str:
        """The PEM certificate exactly as served for ``kid`` (default: the current key)."""
        return self.key(kid).certificate_pem

    def certs_document(self) -> dict[str, str]:
        """The JSON object the endpoint currently serves: ``{kid: PEM certificate}``."""
        with self._lock:
            return {kid: self._keys[kid].certificate_pem for kid in self._published}

    # --- tokens -----------------------------------------------------------------------------------

    def mint(
        self,
        claims: Mapping[str, Any],
        *,
        kid: str | None = None,
        header: Mapping[str, Any] | None = None,
    ) -> str:
        """Sign ``claims`` verbatim with key ``kid`` (default: current key); returns the JWT.

        ``header`` adds or overrides header fields (the ``kid`` header is always the key's id).
        """
        key = self.key(kid)
        extra_header = {"alg": key.algorithm, **(header or {})}
        token: bytes = jwt.encode(  # type: ignore[no-untyped-call]
            key.signer, dict(claims), header=extra_header, key_id=key.kid
        )
        return token.decode("ascii")

    @staticmethod
    def chat_claims(audience: str, **overrides: Any) -> dict[str, Any]:
        """Claims of a project-number token: ``iss`` chat@system, ``aud`` the project number."""
        now = int(time.time())
        claims: dict[str, Any] = {"iss": CHAT_ISSUER, "aud": audience, "iat": now, "exp": now + 3600}
        claims.update(overrides)
        return claims

    @staticmethod
    def id_token_claims(audience: str, email: str = CHAT_ISSUER, **overrides: Any) -> dict[str, Any]:
        """Claims of a Google OIDC ID token for ``email`` (chat@system, or an add-on's account)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": GOOGLE_ISSUER,
            "aud": audience,
            "azp": "1234567890",
            "sub": "1234567890",
            "email": email,
            "email_verified": True,
            "iat": now,
            "exp": now + 3600,
        }
        claims.update(overrides)
        return claims

    def chat_token(self, audience: str, *, kid: str | None = None, **overrides: Any) -> str:
        """A signed project-number token (mode a); ``overrides`` replace individual claims."""
        return self.mint(self.chat_claims(audience, **overrides), kid=kid)

    def id_token(
        self, audience: str, email: str = CHAT_ISSUER, *, kid: str | None = None, **overrides: Any
    ) -> str:
        """A signed Google ID token (modes b and c); ``overrides`` replace individual claims."""
        return self.mint(self.id_token_claims(audience, email, **overrides), kid=kid)

    # --- HTTP -------------------------------------------------------------------------------------

    def _response(self) -> tuple[int, bytes, int | None]:
        with self._lock:
            self.fetch_count += 1
        if self.status != 200:
            return self.status, b'{"error": "fake failure"}', None
        body = self.body if self.body is not None else json.dumps(self.certs_document()).encode()
        return 200, body, self.max_age

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path != CERTS_PATH:
                    self.send_error(404)
                    return
                status, body, max_age = owner._response()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                if max_age is not None:
                    self.send_header("Cache-Control", f"public, max-age={max_age}, must-revalidate")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                """Keep pytest output clean."""

        return Handler
