"""What survives ``make destroy`` and why a stack deployed again does not collide with it.

The README's "Destroy and redeploy" section promises exactly these removal policies.
"""

from __future__ import annotations

from typing import Any

from aws_cdk.assertions import Template

from chatbot_stack.chat_endpoint import VENDED_LOGS_PREFIX
from tests.infra.template_queries import only

RETAINED = ("AWS::DynamoDB::Table", "AWS::SecretsManager::Secret", "AWS::Logs::LogGroup")


def access_log_group(template: Template) -> tuple[str, dict[str, Any]]:
    stage = only(template, "AWS::ApiGatewayV2::Stage")[1]["Properties"]
    group_id = stage["AccessLogSettings"]["DestinationArn"]["Fn::GetAtt"][0]
    group: dict[str, Any] = template.find_resources("AWS::Logs::LogGroup")[group_id]
    return group_id, group


def test_access_logs_go_to_a_vended_logs_group_named_per_stack(stack_template: Template) -> None:
    """Under /aws/vendedlogs/ (CloudWatch Logs' resource-policy limit), unique per stack and per
    creation of the stack (the stack id's GUID), so a retained group never blocks a new deploy."""
    name = access_log_group(stack_template)[1]["Properties"]["LogGroupName"]
    stack_guid_part = {
        "Fn::Select": [
            0,
            {"Fn::Split": ["-", {"Fn::Select": [2, {"Fn::Split": ["/", {"Ref": "AWS::StackId"}]}]}]},
        ]
    }
    assert name == {
        "Fn::Join": ["", ["/aws/vendedlogs/apigateway/AlarmChatBot-chat-access-", stack_guid_part]]
    }
    assert VENDED_LOGS_PREFIX == "/aws/vendedlogs/apigateway/"


def test_only_the_access_log_group_has_a_fixed_name_part(stack_template: Template) -> None:
    named = {
        group_id
        for group_id, group in stack_template.find_resources("AWS::Logs::LogGroup").items()
        if "LogGroupName" in group["Properties"]
    }
    assert named == {access_log_group(stack_template)[0]}


def test_state_and_logs_are_retained_and_versions_deleted(stack_template: Template) -> None:
    for resource_type in RETAINED:
        resources = stack_template.find_resources(resource_type)
        assert resources, resource_type
        for logical_id, resource in resources.items():
            assert (resource["DeletionPolicy"], resource["UpdateReplacePolicy"]) == ("Retain", "Retain"), (
                logical_id
            )
    for version in stack_template.find_resources("AWS::Lambda::Version").values():
        assert version["DeletionPolicy"] == "Delete"  # each one keeps a billed SnapStart snapshot
