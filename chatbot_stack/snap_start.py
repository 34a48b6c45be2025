"""Where Lambda SnapStart is on: CloudFormation conditions, so one template deploys anywhere.

SnapStart is offered in every commercial AWS region except Asia Pacific (New Zealand) and (Taipei);
AWS does not list it for China or GovCloud. A stack synthesized without a region (always: see
``app.py``) must still deploy there, so the functions ask for SnapStart only where the deploy region
has it (``SnapStartAvailable``), and the rest of the wiring (versions, the ``live`` alias) stays the
same either way.

The ``snapStart`` switch is a condition too, not a different function resource. CDK names a
function's published version after a hash of the function's properties (``currentVersion``), and
switching a property on and off (``SnapStart`` present or not) would give the version a new logical
id on every switch, also in a region where the condition leaves SnapStart out anyway: CloudFormation
would then publish a version of a function that did not change, which Lambda refuses ("A version for
this Lambda function exists", HTTP 409; aws/aws-cdk#28252). So the switch is a value in the
template's ``SnapStartSetting`` mapping, the function always carries the same
``Fn::If [SnapStartOn, …]``, and its version keeps its logical id. What tells CloudFormation to
publish a new version when, and only when, the setting really changes in the deploy region is the
version's description, which follows the same condition (:func:`version_description`): a changed
description replaces the version after the function itself was updated.
"""

from __future__ import annotations

from typing import Final, cast

from aws_cdk import Aws, CfnCondition, CfnMapping, CfnResource, Fn, ICfnConditionExpression, Stack
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

AVAILABLE_CONDITION_ID: Final = "SnapStartAvailable"
CONDITION_ID: Final = "SnapStartOn"
SETTING_MAPPING_ID: Final = "SnapStartSetting"
SETTING_PATH: Final = ("snapStart", "requested")
SNAPSTART_PARTITION: Final = "aws"
REGIONS_WITHOUT_SNAPSTART: Final = ("ap-southeast-6", "ap-east-2")  # New Zealand, Taipei
ON_PUBLISHED_VERSIONS: Final = {"ApplyOn": "PublishedVersions"}
VERSION_WITH_SNAPSTART: Final = "Published with SnapStart: new environments resume its snapshot"
VERSION_WITHOUT_SNAPSTART: Final = "Published without SnapStart"


def snap_start_condition(scope: Construct, *, requested: bool) -> CfnCondition:
    """The stack's ``SnapStartOn`` condition: ``snapStart`` is true and the region offers it.

    Created on first use; every function of the stack shares it (they share one ``snapStart``).
    """
    stack = Stack.of(scope)
    existing = stack.node.try_find_child(CONDITION_ID)
    if isinstance(existing, CfnCondition):
        return existing
    available = CfnCondition(
        stack,
        AVAILABLE_CONDITION_ID,
        expression=Fn.condition_and(
            Fn.condition_equals(Aws.PARTITION, SNAPSTART_PARTITION),
            *(
                Fn.condition_not(Fn.condition_equals(Aws.REGION, region))
                for region in REGIONS_WITHOUT_SNAPSTART
            ),
        ),
    )
    key, field = SETTING_PATH
    # Not lazy: a lazy mapping would inline the value, putting the switch back into the condition as
    # a constant; saying so also silences CDK's hint to make it lazy.
    setting = CfnMapping(
        stack, SETTING_MAPPING_ID, mapping={key: {field: "true" if requested else "false"}}, lazy=False
    )
    return CfnCondition(
        stack,
        CONDITION_ID,
        expression=Fn.condition_and(
            # A CfnCondition is a condition expression (it renders {"Condition": id}); jsii's Python
            # stubs miss one protocol member of the interface, hence the cast.
            cast(ICfnConditionExpression, available),
            Fn.condition_equals(setting.find_in_map(key, field), "true"),
        ),
    )


def version_description(condition: CfnCondition) -> str:
    """A version description that changes exactly when SnapStart takes effect or stops (see above)."""
    return Fn.condition_if(
        condition.logical_id, VERSION_WITH_SNAPSTART, VERSION_WITHOUT_SNAPSTART
    ).to_string()


def snap_start_where_available(function: lambda_.Function, condition: CfnCondition) -> None:
    """Let ``condition`` decide ``function``'s SnapStart setting when the stack is deployed.

    The function must have been created with ``SnapStartConf.ON_PUBLISHED_VERSIONS`` (whatever
    ``snapStart`` says), so that CDK checks the runtime and the rest of the configuration for it.
    """
    cfn_function = function.node.default_child
    if not isinstance(cfn_function, CfnResource):
        raise TypeError(f"{function.node.path} has no CloudFormation function resource")
    cfn_function.add_property_override(
        "SnapStart", Fn.condition_if(condition.logical_id, ON_PUBLISHED_VERSIONS, Aws.NO_VALUE)
    )
