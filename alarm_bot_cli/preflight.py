"""``alarm-bot preflight``: in a second or two, whether ``make deploy`` can work, before it starts.

A CDK deploy finds a missing credential, an unset region, an environment that was never
bootstrapped or an unset ``chatAudience`` only after it has installed, synthesized and bundled for
a minute or more, and then says so in a stack trace or a CloudFormation event. The preflight
checks each of them first and prints one line per problem that names the command that fixes it,
or one line that says where the deploy will go.

AWS is asked two questions, at the same time and with short timeouts (2 s to connect, 3 s to
read, no retry), so a wrong network fails fast: who the credentials are (STS GetCallerIdentity)
and the bootstrap version (the SSM parameter the CDK's own version check reads).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Final

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from alarm_bot_cli import cdk_context
from alarm_bot_cli.aws import describe_aws_error, error_code, open_session
from alarm_bot_cli.aws_failure_kinds import EXPIRED_SSO_LOGIN, MISSING_CREDENTIALS, UNREACHABLE
from alarm_bot_cli.errors import CommandError
from alarm_bot_cli.output import note, print_json, say
from alarm_bot_cli.parser import PROG

PREFLIGHT_CONFIG: Final = Config(
    connect_timeout=2,
    read_timeout=3,
    retries={"mode": "standard", "total_max_attempts": 1},
    user_agent_extra="alarm-bot-cli",
)
NO_CREDENTIALS: Final = "no AWS credentials: run `aws configure` or `aws sso login`, or set AWS_PROFILE"
NO_REGION: Final = (
    "no AWS region: set AWS_REGION (e.g. `export AWS_REGION=eu-west-1`) or a region in your AWS "
    "profile (`aws configure set region eu-west-1`)"
)
BOOTSTRAP: Final = "make bootstrap"
NEEDS_BOOTSTRAP: Final = 3  # exit status when bootstrapping is all that is missing
_DENIED: Final = ("AccessDenied", "AccessDeniedException")
_HTTP_FORBIDDEN: Final = 403


@dataclass
class Findings:
    """What the checks learned, and the one-line problems they found, in the order they ran."""

    problems: list[str] = field(default_factory=list)
    account: str | None = None
    region: str | None = None
    bootstrap: int | None = None
    bootstrap_note: str = ""
    audience: str = ""
    audience_value: str = ""
    bootstrap_problem: str | None = None  # also in ``problems``: `cdk bootstrap` fixes it

    def summary(self) -> str:
        bootstrap = f"bootstrapped (version {self.bootstrap})" if self.bootstrap else self.bootstrap_note
        return f"preflight: account {self.account}, region {self.region}, {bootstrap}, {self.audience}"

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": not self.problems,
            "account": self.account,
            "region": self.region,
            "bootstrapVersion": self.bootstrap,
            "chatAudience": self.audience_value or None,
            "problems": self.problems,
        }


def run(args: argparse.Namespace) -> int:
    """0: ready; 1: problems; 3 (:data:`NEEDS_BOOTSTRAP`): only the bootstrap is missing or old."""
    pairs, profile = cdk_context.from_cdk_args(args.cdk_args)
    context = cdk_context.deploy_context([*pairs, *(args.context or ())], args.cdk_json)
    if profile and not args.profile:
        args.profile = profile
    findings = Findings()
    session = _session(args, findings)
    if session is not None and findings.region:
        _ask_aws(session, cdk_context.bootstrap_parameter(context), findings)
    audience = cdk_context.chat_audience(context)
    findings.audience, findings.audience_value = audience.summary, audience.value
    if audience.problem:
        findings.problems.append(audience.problem)
    _print(findings, as_json=args.json)
    if not findings.problems:
        return 0
    return NEEDS_BOOTSTRAP if findings.problems == [findings.bootstrap_problem] else 1


def _session(args: argparse.Namespace, findings: Findings) -> boto3.Session | None:
    """The operator's session, if it has credentials; a missing region is noted, not fatal yet."""
    try:
        session = open_session(args.profile, args.region)
        credentials = session.get_credentials()
    except CommandError as error:
        findings.problems.append(str(error))
        return None
    except BotoCoreError as error:  # e.g. a profile whose source_profile does not exist
        findings.problems.append(_credentials_problem(error, args.profile))
        return None
    findings.region = session.region_name
    if credentials is None:
        findings.problems.append(NO_CREDENTIALS)
    if not findings.region:
        findings.problems.append(NO_REGION)
    return session if credentials is not None else None


def _ask_aws(session: boto3.Session, parameter: str, findings: Findings) -> None:
    """Who the credentials are and the bootstrap version, asked at the same time."""
    try:
        sts = session.client("sts", config=PREFLIGHT_CONFIG)
        ssm = session.client("ssm", config=PREFLIGHT_CONFIG)
    except BotoCoreError as error:
        findings.problems.append(_credentials_problem(error, session.profile_name))
        return
    with ThreadPoolExecutor(max_workers=2) as pool:
        identity = pool.submit(_outcome, sts.get_caller_identity)
        version = pool.submit(_outcome, lambda: ssm.get_parameter(Name=parameter))
    answer, failure = identity.result()
    if failure is not None:
        findings.problems.append(_credentials_problem(failure, session.profile_name, findings.region))
        return
    findings.account = str(answer["Account"])
    _read_bootstrap(version.result(), parameter, findings)


def _outcome(call: Callable[[], Any]) -> tuple[Any, Exception | None]:
    """The answer, or whatever went wrong: a preflight reports every failure as a line, never a trace."""
    try:
        return call(), None
    except Exception as error:
        return None, error


def _read_bootstrap(outcome: tuple[Any, Exception | None], parameter: str, findings: Findings) -> None:
    answer, error = outcome
    where = f"aws://{findings.account}/{findings.region}"
    if isinstance(error, ClientError) and _denied(error):
        findings.bootstrap_note = "bootstrap not checked (ssm:GetParameter denied)"
        return
    if isinstance(error, ClientError) and error_code(error) == "ParameterNotFound":
        _needs_bootstrap(findings, f"CDK is not bootstrapped in {where} (no {parameter}): run `{BOOTSTRAP}`")
        return
    if error is not None:
        aws_error = isinstance(error, BotoCoreError | ClientError)
        reason = describe_aws_error(error) if aws_error else _one_line(error)
        findings.problems.append(f"cannot read {parameter} (the CDK bootstrap): {reason}")
        return
    value = str(answer["Parameter"].get("Value", "")).strip()
    if not value.isdigit():
        _needs_bootstrap(findings, f"{parameter} holds {value!r}, not a bootstrap version: run `{BOOTSTRAP}`")
    elif int(value) < cdk_context.REQUIRED_BOOTSTRAP_VERSION:
        _needs_bootstrap(
            findings,
            f"the CDK bootstrap in {where} is version {value}; this app needs "
            f"{cdk_context.REQUIRED_BOOTSTRAP_VERSION} or newer: run `{BOOTSTRAP}` to upgrade it",
        )
    else:
        findings.bootstrap = int(value)


def _needs_bootstrap(findings: Findings, problem: str) -> None:
    findings.problems.append(problem)
    findings.bootstrap_problem = problem


def _denied(error: ClientError) -> bool:
    """Access denied, by its code or, as some endpoints and moto answer, only by HTTP 403."""
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return error_code(error) in _DENIED or status == _HTTP_FORBIDDEN


def _credentials_problem(error: Exception, profile: str | None, region: str | None = None) -> str:
    """One line for credentials that cannot be used, naming the login that fixes them."""
    login = f"aws sso login --profile {profile}" if profile and profile != "default" else "aws sso login"
    if isinstance(error, MISSING_CREDENTIALS):
        return NO_CREDENTIALS
    if isinstance(error, EXPIRED_SSO_LOGIN):
        return f"your AWS SSO session has expired: run `{login}`"
    if isinstance(error, ClientError) and error_code(error) in ("ExpiredToken", "ExpiredTokenException"):
        return f"your AWS credentials have expired: refresh them (`{login}`, `aws configure`)"
    if isinstance(error, UNREACHABLE):
        return f"cannot reach AWS STS in {region} ({error}): check your network and the region"
    if not isinstance(error, BotoCoreError | ClientError):  # e.g. a proxy that answers with nothing
        return f"unexpected answer from AWS STS in {region}: {_one_line(error)}"
    return describe_aws_error(error)


def _one_line(error: Exception) -> str:
    return " ".join(f"{type(error).__name__}: {error}".split())


def _print(findings: Findings, *, as_json: bool) -> None:
    if as_json:
        print_json(findings.as_json())
    elif findings.problems:
        for problem in findings.problems:
            note(f"{PROG} preflight: {problem}")
    else:
        say(findings.summary())
