"""Where Lambda SnapStart can be switched on: a CloudFormation condition, so one template deploys anywhere.

SnapStart is offered in every commercial AWS region except Asia Pacific (New Zealand) and (Taipei);
AWS does not list it for China or GovCloud. A stack synthesized without a region (the default)
must still deploy there, so the functions ask for SnapStart only where the deploy region has it,
and the rest of the wiring (versions, the ``live`` alias) stays the same either way.
"""

from __future__ import annotations

from typing import Final

from aws_cdk import Aws, CfnCondition, CfnResource, Fn, Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

CONDITION_ID: Final = "SnapStartAvailable"
SNAPSTART_PARTITION: Final = "aws"
REGIONS_WITHOUT_SNAPSTART: Final = ("ap-southeast-6", "ap-east-2")  # New Zealand, Taipei
ON_PUBLISHED_VERSIONS: Final = {"ApplyOn": "PublishedVersions"}


def snap_start_condition(scope: Construct) -> CfnCondition:
    """The stack's one ``SnapStartAvailable`` condition (created on first use)."""
    stack = Stack.of(scope)
    existing = stack.node.try_find_child(CONDITION_ID)
    if isinstance(existing, CfnCondition):
        return existing
    return CfnCondition(
        stack,
        CONDITION_ID,
        expression=Fn.condition_and(
            Fn.condition_equals(Aws.PARTITION, SNAPSTART_PARTITION),
            *(
                Fn.condition_not(Fn.condition_equals(Aws.REGION, region))
                for region in REGIONS_WITHOUT_SNAPSTART
            ),
        ),
    )


def snap_start_where_available(function: lambda_.Function) -> None:
    """Keep ``function``'s SnapStart setting only in regions that offer SnapStart.

    The function must have been created with ``SnapStartConf.ON_PUBLISHED_VERSIONS``: CDK hashes
    that setting into the published version, so switching ``snapStart`` publishes a new one.
    """
    cfn_function = function.node.default_child
    if not isinstance(cfn_function, CfnResource):
        raise TypeError(f"{function.node.path} has no CloudFormation function resource")
    condition = snap_start_condition(function)
    cfn_function.add_property_override(
        "SnapStart", Fn.condition_if(condition.logical_id, ON_PUBLISHED_VERSIONS, Aws.NO_VALUE)
    )
