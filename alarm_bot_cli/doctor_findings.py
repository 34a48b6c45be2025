"""What ``alarm-bot doctor`` and its checks share: a check's context, what it finds, and its status.

Kept apart from :mod:`alarm_bot_cli.doctor` (which runs the checks and prints them) so that the
check modules (:mod:`doctor_checks`, :mod:`doctor_charts`, :mod:`doctor_sources`) import these types
without importing the command that imports them: the imports only point down.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from alarm_bot_cli.stack import Deployment

if TYPE_CHECKING:
    import boto3


class Status(enum.StrEnum):
    PASS = "pass"  # noqa: S105 - a check status, not a password
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class Finding:
    """What one check found; ``fix`` says what to do when it is not a pass."""

    status: Status
    detail: str
    fix: str = ""


@dataclass(frozen=True)
class CheckResult:
    check: str
    finding: Finding

    def as_json(self) -> dict[str, str]:
        finding = self.finding
        return {
            "check": self.check,
            "status": str(finding.status),
            "detail": finding.detail,
            "fix": finding.fix,
        }


class Skip(Exception):
    """Raised by a check that depends on something an earlier check found missing."""


@dataclass
class DoctorContext:
    """What the checks share: the session, the stack once found, the key once read."""

    session: boto3.Session
    stack_name: str
    deployment: Deployment | None = None
    key: dict[str, Any] | None = None

    def require_deployment(self) -> Deployment:
        if self.deployment is None:
            raise Skip("needs the stack")
        return self.deployment


Check = Callable[[DoctorContext], Finding]
