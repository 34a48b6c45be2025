"""ChatRequestVerifier: malformed Authorization headers, key ids, algorithms and signatures.

Headers that are not a Bearer JWT are rejected before any certificate fetch; tokens signed with an
unpublished or impostor key, tampered with, lacking a kid, or using ``none``, HS256 (keyed with the
public certificate) or a non-RSA algorithm are rejected too. Real keys and a real certificate server,
from ``tests.support.chat_token_rig``.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest
from google.auth import crypt, jwt
from google.auth import exceptions as google_exceptions

from alarm_bot.chat.verify import ChatRequestVerifier
from tests.support.chat_token_rig import PROJECT, b64url, bearer, rejected, segment
from tests.support.google_tokens import FakeGoogleCerts, make_signing_key

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


# --- forged signatures and keys ------------------------------------------------------------------


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
