"""One boto3 session per command, from ``--profile`` and ``--region``, and AWS errors as advice.

The operator's shell decides the account and region, as for the AWS CLI: ``--profile`` or
``AWS_PROFILE``; ``--region``, then ``AWS_REGION``, then ``AWS_DEFAULT_REGION``, then the profile's
region (:func:`requested_region`; boto3 alone reads only ``AWS_DEFAULT_REGION``, so a shell set up
for the AWS CLI or the CDK with ``AWS_REGION`` would otherwise get "no region"). Errors that every
command can hit (no credentials, an expired SSO session, a mistyped region, a denied call) are
described once here, as one line that names the fix.
"""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Mapping
from typing import Final

import boto3
import botocore.loaders
import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOError,
    TokenRetrievalError,
)

from alarm_bot_cli.errors import CommandError

CLIENT_CONFIG: Final = Config(
    retries={"mode": "standard", "max_attempts": 5},
    connect_timeout=5,
    read_timeout=30,
    user_agent_extra="alarm-bot-cli",
)
NO_CREDENTIALS: Final = "no AWS credentials found: run `aws configure` or pass --profile"
NO_REGION: Final = "no AWS region: pass --region (e.g. ap-northeast-2) or set AWS_REGION"
# Where a region comes from when --region is not given, in the AWS CLI's order; then the profile.
REGION_VARIABLES: Final = ("AWS_REGION", "AWS_DEFAULT_REGION")
_EXPIRED: Final = ("ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired")
_REJECTED: Final = ("InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch")
_DENIED: Final = ("AccessDenied", "AccessDeniedException", "AuthorizationError")
_ADVICE: Final[tuple[tuple[type[Exception] | tuple[type[Exception], ...], str], ...]] = (
    ((NoCredentialsError, PartialCredentialsError), NO_CREDENTIALS),
    (
        (TokenRetrievalError, SSOError),
        "your AWS SSO session has expired: run `aws sso login` (with --profile if you use one)",
    ),
    (NoRegionError, NO_REGION),
    (ProfileNotFound, "{error}: check ~/.aws/config or pass another --profile"),
    (
        (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError),
        "cannot reach AWS ({error}): check --region and your network",
    ),
)


def session_from(args: argparse.Namespace) -> boto3.Session:
    """The session for ``--profile`` / ``--region``; a missing profile or region is an error now."""
    session = open_session(args.profile, args.region)
    if not session.region_name:
        raise CommandError(NO_REGION)
    return session


def open_session(profile: str | None, region: str | None) -> boto3.Session:
    """A session in the region :func:`requested_region` picks, else the profile's (maybe none).

    A profile that does not exist (``--profile`` or ``AWS_PROFILE``) and a region botocore does not
    know are :class:`CommandError`; a missing region is left to the caller to phrase.
    """
    try:
        session = _session(profile, requested_region(region))
        name = session.profile_name  # --profile, else AWS_PROFILE, else "default"
        if name != "default" and name not in session.available_profiles:
            raise ProfileNotFound(profile=name)
        chosen = session.region_name
    except ProfileNotFound as error:
        raise CommandError(
            f"AWS profile {error.kwargs.get('profile')!r} not found: "
            "check ~/.aws/config or pass another --profile"
        ) from None
    if chosen and chosen not in known_regions(session):
        raise CommandError(f"unknown AWS region {chosen!r}: pass --region with a code such as ap-northeast-2")
    return session


def requested_region(explicit: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """``--region``, else ``AWS_REGION``, else ``AWS_DEFAULT_REGION``; ``None`` lets the profile decide."""
    env = os.environ if environ is None else environ
    for candidate in (explicit, *(env.get(name) for name in REGION_VARIABLES)):
        if candidate and candidate.strip():
            return candidate.strip()
    return None


@functools.cache
def shared_loader() -> botocore.loaders.Loader:
    """botocore's JSON models, parsed once per process rather than once per session (~0.5 s each)."""
    return botocore.loaders.create_loader()


def _session(profile: str | None, region: str | None) -> boto3.Session:
    core = botocore.session.Session()
    core.register_component("data_loader", shared_loader())
    session = boto3.Session(botocore_session=core, profile_name=profile, region_name=region)
    paths = shared_loader().search_paths  # boto3 appends its data path to the loader per session
    paths[:] = list(dict.fromkeys(paths))
    return session


def known_regions(session: boto3.Session) -> set[str]:
    """Every region of every partition botocore knows (commercial, China, GovCloud…)."""
    regions: set[str] = set()
    for partition in session.get_available_partitions():
        regions.update(session.get_available_regions("cloudformation", partition_name=partition))
    return regions


def describe_aws_error(error: Exception) -> str:
    """One line for an AWS failure: what happened and what to do about it."""
    if isinstance(error, ClientError):
        return _client_error(error)
    for kinds, advice in _ADVICE:
        if isinstance(error, kinds):
            return advice.format(error=error)
    if isinstance(error, BotoCoreError):
        return f"AWS error: {error}"
    return f"internal error: {type(error).__name__}: {error}"


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _client_error(error: ClientError) -> str:
    code = error_code(error)
    message = str(error.response.get("Error", {}).get("Message", "")).strip()
    operation = error.operation_name
    if code in _EXPIRED:
        return (
            "your AWS credentials have expired: refresh them (`aws sso login`, `aws configure`) "
            "or pass --profile"
        )
    if code in _REJECTED:
        return (
            "AWS rejected your credentials: check them with `aws sts get-caller-identity` or pass --profile"
        )
    if code in _DENIED:
        return f"access denied to {operation}: use credentials that are allowed it ({message or code})"
    return f"AWS {operation} failed: {code}: {message}"
