"""The Chat app's identity: a Google service-account key kept in AWS Secrets Manager.

The secret is read through Powertools Parameters, whose cache lives as long as the Lambda container,
so a warm container does not call Secrets Manager on every invocation. The key is validated before
use so that a secret left empty after deployment fails with an instruction instead of a stack trace
from google-auth. Nothing here ever logs the key or quotes it in an error message: errors name the
secret and the problem, never its content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.utilities import parameters
from aws_lambda_powertools.utilities.parameters.exceptions import GetParameterError
from google.oauth2 import service_account

CHAT_BOT_SCOPE = "https://www.googleapis.com/auth/chat.bot"
REQUIRED_FIELDS = ("client_email", "private_key", "token_uri")

# What an operator might leave in the secret before pasting the key (the stack may create it so).
_PLACEHOLDER = re.compile(
    r"^(?:<.*>|\{\s*\}|null|none|empty|todo|tbd|placeholder|change[-_ ]?me|replace[-_ ]?me|fill[-_ ]?me)$",
    re.IGNORECASE,
)


class CredentialsError(Exception):
    """The service-account secret is unreadable or not a usable key; the message is secret-free."""


def load_service_account_info(secret_arn: str, *, max_age: int = 300) -> dict[str, Any]:
    """The key JSON stored in ``secret_arn``, cached for ``max_age`` seconds and validated."""
    raw = _read_secret(secret_arn, max_age)
    return parse_service_account_info(raw, source=f"the Google service-account secret {secret_arn}")


def parse_service_account_info(raw: str | bytes, *, source: str) -> dict[str, Any]:
    """Validate key JSON; ``source`` names where it came from in error messages."""
    text = _as_text(raw, source)
    if not text.strip() or _PLACEHOLDER.match(text.strip()):
        raise CredentialsError(f"{source} is empty: fill it with the key JSON (see README)")
    try:
        info = json.loads(text)
    except json.JSONDecodeError as error:
        # error.msg and the position describe the syntax problem without echoing the content.
        raise CredentialsError(
            f"{source} is not JSON ({error.msg} at line {error.lineno}): "
            "fill it with the service-account key JSON (see README)"
        ) from None
    if not isinstance(info, dict):
        raise CredentialsError(f"{source} must hold a JSON object (the service-account key file)")
    if not info:
        raise CredentialsError(f"{source} is empty: fill it with the key JSON (see README)")
    _check_fields(info, source)
    return info


def chat_credentials(info: Mapping[str, Any]) -> service_account.Credentials:
    """Credentials that act as the Chat app itself (app authentication, ``chat.bot`` scope)."""
    factory = service_account.Credentials.from_service_account_info
    try:
        credentials: service_account.Credentials = factory(  # type: ignore[no-untyped-call]
            dict(info), scopes=[CHAT_BOT_SCOPE]
        )
    except (ValueError, TypeError, KeyError) as error:
        # google-auth's messages about a malformed key do not include the key material.
        raise CredentialsError(f"the service-account key is unusable: {type(error).__name__}") from None
    return credentials


def _read_secret(secret_arn: str, max_age: int) -> str | bytes:
    try:
        value: str | bytes = parameters.get_secret(secret_arn, max_age=max_age)
    except GetParameterError as error:
        if "AWSCURRENT" in str(error):
            # The stack creates the secret without a value: it has no current version until filled.
            source = f"the Google service-account secret {secret_arn}"
            raise CredentialsError(f"{source} is empty: fill it with the key JSON (see README)") from None
        # The SDK's message (access denied, not found…) carries the ARN and code, never the value.
        raise CredentialsError(
            f"cannot read the Google service-account secret {secret_arn}: {error}"
        ) from None
    return value


def _as_text(raw: str | bytes, source: str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CredentialsError(f"{source} is binary, not UTF-8 key JSON") from None


def _check_fields(info: dict[str, Any], source: str) -> None:
    kind = info.get("type")
    if kind != "service_account":
        shown = repr(kind) if isinstance(kind, str) and len(kind) <= 40 else "missing or not a string"
        raise CredentialsError(
            f"{source} has type {shown}, expected 'service_account' (a service-account key JSON)"
        )
    missing = [name for name in REQUIRED_FIELDS if not isinstance(info.get(name), str) or not info[name]]
    if missing:
        raise CredentialsError(f"{source} lacks {', '.join(missing)}: paste the complete key JSON")
