"""cdk-nag rule packs, and the one way this app acknowledges a finding.

cdk-nag 3 runs as a CDK policy-validation plugin: an unacknowledged finding fails ``cdk synth`` and is
listed in ``cdk.out/validation-report.json``. Acknowledgements live next to the resource they excuse
(see :func:`acknowledge`) and are copied into the template's ``cdk_nag`` metadata for auditors.
"""

from __future__ import annotations

import re
from typing import Final

from aws_cdk import Acknowledgment, Validations
from cdk_nag import AwsSolutionsChecks, ServerlessChecks
from constructs import IConstruct

# cdk-nag's rules, and those of the "CloudFormation Validate" plugin CDK registers by itself.
_RULE_ID: Final = re.compile(
    r"^((AwsSolutions|Serverless)-[A-Za-z0-9]+(\[[^\]]+\])?|CloudFormation-Validate::[EW][0-9]{4})$"
)
MIN_REASON_LENGTH: Final = 40


def apply_nag(scope: IConstruct) -> None:
    """Check everything under ``scope`` with the AWS Solutions and Serverless packs."""
    Validations.of(scope).add_plugins(
        AwsSolutionsChecks(scope, write_suppressions_to_cloud_formation=True),
        ServerlessChecks(scope),
    )


def acknowledge(scope: IConstruct, rule_id: str, reason: str) -> None:
    """Accept one finding on ``scope`` and its children, for a reason a reviewer can check.

    ``rule_id`` is the finding as reported, e.g. ``AwsSolutions-IAM5[Resource::*]``: cdk-nag 3 has no
    prefix matching, so a vague acknowledgement cannot hide other findings of the same rule. A rule
    of CDK's own validation plugin is named with the plugin, e.g. ``CloudFormation-Validate::W3694``.
    """
    if not _RULE_ID.match(rule_id):
        raise ValueError(f"not a cdk-nag rule id: {rule_id!r}")
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise ValueError(f"the reason for acknowledging {rule_id} is too short to review: {reason!r}")
    Validations.of(scope).acknowledge(Acknowledgment(id=rule_id, reason=reason))
