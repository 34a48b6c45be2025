"""Change the outputs of the moto stack ``deploy_stack`` made, as a later ``make deploy`` would.

``tests/support/deployed_stack.py`` creates the outputs of the stack version it models; outputs that
newer stacks add (``ChatAudience``) are put on top here with an ordinary stack update.
"""

from __future__ import annotations

import json

from tests.support.deployed_stack import DeployedStack

PROJECT_NUMBER = "123456789012"


def set_outputs(deployed: DeployedStack, **changes: str | None) -> None:
    """Update the stack so its outputs are ``deployed.outputs`` with ``changes`` (``None`` removes)."""
    outputs = {**deployed.outputs, **changes}
    deployed.outputs = {key: value for key, value in outputs.items() if value is not None}
    template = {
        "Resources": {"Placeholder": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
        "Outputs": {key: {"Value": value} for key, value in deployed.outputs.items()},
    }
    deployed.client("cloudformation").update_stack(StackName=deployed.name, TemplateBody=json.dumps(template))
