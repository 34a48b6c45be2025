"""Can CloudWatch alarms publish to the bot's encrypted topic? Answered from the key policy alone.

An alarm publishing to an SNS topic encrypted with KMS needs the key to let
``cloudwatch.amazonaws.com`` generate data keys and decrypt. When it cannot, the alarm action fails
silently (one line in the alarm's history), so this is checked rather than trusted. Only ``Allow``
statements are read: a key policy is the bot's own, and the stack writes no ``Deny``. Conditions
(the stack scopes CloudWatch to this account's alarms) narrow who may use the key, not whether
CloudWatch may, so they are not evaluated. Pure functions.
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterable, Mapping
from typing import Any, Final

CLOUDWATCH: Final = "cloudwatch.amazonaws.com"
NEEDED_ACTIONS: Final = ("kms:GenerateDataKey", "kms:Decrypt")
AWS_MANAGED_SNS_KEY: Final = "alias/aws/sns"


def missing_cloudwatch_actions(policy: str | Mapping[str, Any]) -> list[str]:
    """The actions of ``NEEDED_ACTIONS`` that no Allow statement grants CloudWatch (empty: fine)."""
    document = json.loads(policy) if isinstance(policy, str) else policy
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    granted = [
        _as_list(statement.get("Action"))
        for statement in statements
        if isinstance(statement, dict) and statement.get("Effect") == "Allow" and _names_cloudwatch(statement)
    ]
    return [
        action for action in NEEDED_ACTIONS if not any(_matches(action, patterns) for patterns in granted)
    ]


def is_aws_managed_sns_key(key_id: str) -> bool:
    """``alias/aws/sns`` by alias or alias ARN: a key policy nobody can change, without CloudWatch."""
    return key_id == AWS_MANAGED_SNS_KEY or key_id.endswith(":" + AWS_MANAGED_SNS_KEY)


def _names_cloudwatch(statement: Mapping[str, Any]) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    return CLOUDWATCH in _as_list(principal.get("Service")) or "*" in _as_list(principal.get("AWS"))


def _matches(action: str, patterns: Iterable[str]) -> bool:
    """IAM action patterns are case-insensitive globs (``kms:GenerateDataKey*``, ``kms:*``, ``*``)."""
    return any(fnmatch.fnmatchcase(action.lower(), pattern.lower()) for pattern in patterns)


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(item) for item in value]
    return []
