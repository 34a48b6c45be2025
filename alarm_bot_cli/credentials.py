"""``alarm-bot credentials set KEY.json``: put the Google service-account key where the bot reads it.

The file is checked before anything is sent to AWS, with the same validation the fan-out function
applies when it reads the secret, so a wrong download (an OAuth client file, a truncated copy)
is refused here with the reason instead of failing every delivery later. The key itself is never
printed: messages name the file, the service account and the secret, nothing else.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Final

from botocore.exceptions import ClientError

from alarm_bot.delivery.credentials import CredentialsError, parse_service_account_info
from alarm_bot_cli.aws import error_code
from alarm_bot_cli.errors import UsageError
from alarm_bot_cli.output import print_json, say
from alarm_bot_cli.stack import SECRET_ARN, Deployment, connect

MAX_KEY_BYTES: Final = 64 * 1024  # a key file is about 2.4 kB; anything this large is something else
KEY_HELP: Final = (
    "download a JSON key in Google Cloud console > IAM & Admin > Service accounts > Keys > Add key"
)


def run(args: argparse.Namespace) -> int:
    source = "standard input" if args.file == "-" else args.file
    text = _read(args.file, source)
    try:
        info = parse_service_account_info(text, source=source)
    except CredentialsError as error:
        raise UsageError(f"{error}; nothing was changed ({KEY_HELP})") from None
    deployment = connect(args)
    secret_arn = deployment.stack.output(SECRET_ARN)
    response = deployment.secrets().put_secret_value(SecretId=secret_arn, SecretString=text)
    summary = _summary(info, secret_arn, str(response.get("VersionId", "")))
    if args.json:
        print_json(summary)
    else:
        key = f"{summary['client_email']} (key id {summary['private_key_id']})"
        say(f"Stored the key of {key} in {secret_arn}.")
        say("The fan-out function uses it within 5 minutes. Check it with: alarm-bot doctor")
    return 0


def stored_key(deployment: Deployment) -> dict[str, Any]:
    """The key in the stack's secret, validated; ``CredentialsError`` (secret-free) if unusable."""
    secret_arn = deployment.stack.output(SECRET_ARN)
    try:
        value = deployment.secrets().get_secret_value(SecretId=secret_arn)
    except ClientError as error:
        if error_code(error) != "ResourceNotFoundException":
            raise
        if "AWSCURRENT" in str(error):  # the stack creates the secret without a value
            raise CredentialsError(
                f"the secret {secret_arn} is empty: store the key with `alarm-bot credentials set KEY.json`"
            ) from None
        raise CredentialsError(
            f"the secret {secret_arn} does not exist: deploy again with `make deploy`"
        ) from None
    raw = value.get("SecretString") or value.get("SecretBinary") or ""
    return parse_service_account_info(raw, source=f"the secret {secret_arn}")


def _read(file: str, source: str) -> str:
    """The key file's text; too large, binary or unreadable files are usage errors."""
    try:
        if file == "-":
            data = sys.stdin.buffer.read(MAX_KEY_BYTES + 1) if sys.stdin is not None else b""
        else:
            path = Path(file)
            if path.is_file() and path.stat().st_size > MAX_KEY_BYTES:
                raise UsageError(f"{source} is too large to be a service-account key; nothing was changed")
            data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {source}: {error.strerror or error}") from None
    if len(data) > MAX_KEY_BYTES:
        raise UsageError(f"{source} is too large to be a service-account key; nothing was changed")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(
            f"{source} is binary, not a JSON key file; nothing was changed ({KEY_HELP})"
        ) from None


def _summary(info: dict[str, Any], secret_arn: str, version_id: str) -> dict[str, str]:
    """What is safe to show: the account, a short key id (an identifier, not key material)."""
    key_id = str(info.get("private_key_id", ""))
    return {
        "secret": secret_arn,
        "version_id": version_id,
        "client_email": str(info.get("client_email", "")),
        "project_id": str(info.get("project_id", "")),
        "private_key_id": (key_id[:8] + "…") if len(key_id) > 8 else key_id or "unknown",
    }
