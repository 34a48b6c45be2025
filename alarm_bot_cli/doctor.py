"""``alarm-bot doctor``: is the deployment able to deliver alarms? Each check says pass, warn or
fail, and what to do about a failure.

Checks are small functions of a shared :class:`DoctorContext` returning a :class:`Finding`
(see :mod:`doctor_checks`; the types are :mod:`doctor_findings`, which the checks import instead of
this module), so a test can break one thing and see exactly one failure. A check
that cannot run because an earlier one failed (no stack, no key) is reported as skipped rather than
failing twice for one cause. AWS errors inside a check (a denied call) fail that check only.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Final

from botocore.exceptions import BotoCoreError, ClientError

from alarm_bot_cli.aws import describe_aws_error, session_from
from alarm_bot_cli.doctor_checks import CHECKS
from alarm_bot_cli.doctor_findings import Check, CheckResult, DoctorContext, Finding, Skip, Status
from alarm_bot_cli.errors import CommandError
from alarm_bot_cli.output import print_json, say, width
from alarm_bot_cli.stack import Deployment, find_stack

HEALTHY_STATUSES: Final = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE")


def check_stack(context: DoctorContext) -> Finding:
    """The stack exists, finished deploying and has the outputs the other checks read."""
    try:
        stack = find_stack(context.session, context.stack_name)
    except CommandError as error:
        return Finding(Status.FAIL, str(error), "deploy with `make deploy`, or pass --stack/--region")
    detail = f"{stack.name} in {stack.region}: {stack.status}"
    if stack.missing_outputs:
        return Finding(
            Status.FAIL, f"{detail}; outputs missing: {', '.join(stack.missing_outputs)}", "`make deploy`"
        )
    context.deployment = Deployment(session=context.session, stack=stack)
    if stack.status in HEALTHY_STATUSES:
        return Finding(Status.PASS, detail)
    if stack.status.endswith("_IN_PROGRESS") or stack.status == "UPDATE_ROLLBACK_COMPLETE":
        return Finding(
            Status.WARN, detail, "wait for the deployment, or see the stack's events in CloudFormation"
        )
    return Finding(Status.FAIL, detail, "see the stack's events in CloudFormation, then `make deploy`")


def run(args: argparse.Namespace) -> int:
    context = DoctorContext(session=session_from(args), stack_name=args.stack)
    results = [run_check(name, check, context) for name, check in (("stack", check_stack), *CHECKS)]
    failed = any(result.finding.status is Status.FAIL for result in results)
    if args.json:
        print_json({"ok": not failed, "checks": [result.as_json() for result in results]})
    else:
        _print(results)
    return 1 if failed else 0


def run_check(name: str, check: Check, context: DoctorContext) -> CheckResult:
    """One check; AWS errors fail it, a missing prerequisite skips it."""
    try:
        finding = check(context)
    except Skip as reason:
        finding = Finding(Status.SKIP, str(reason))
    except (ClientError, BotoCoreError) as error:
        if check is check_stack:
            raise  # no credentials or no network: nothing else can run, say it once
        finding = Finding(Status.FAIL, describe_aws_error(error))
    except CommandError as error:
        finding = Finding(Status.FAIL, str(error))
    except Exception as error:  # a diagnostic tool reports the other checks even so
        finding = Finding(Status.FAIL, f"internal error: {type(error).__name__}: {error}")
    return CheckResult(name, finding)


def _print(results: Sequence[CheckResult]) -> None:
    name_width = max(width(result.check) for result in results)
    for result in results:
        finding = result.finding
        padding = " " * (name_width - width(result.check))
        say(f"{finding.status.upper():4}  {result.check}{padding}  {finding.detail}")
        if finding.fix and finding.status in (Status.FAIL, Status.WARN):
            say(f"{'':4}  {'':{name_width}}  fix: {finding.fix}")
    failures = sum(1 for result in results if result.finding.status is Status.FAIL)
    warnings = sum(1 for result in results if result.finding.status is Status.WARN)
    if failures:
        say(f"{failures} check(s) failed.")
    else:
        say("All checks passed." if not warnings else f"No check failed; {warnings} warning(s).")
