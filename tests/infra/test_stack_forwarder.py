"""``AlarmChatBotForwarder``: one rule on the default bus to the bot's event bus, a role for it and a
dead-letter queue; a template that deploys without CDK bootstrap, as a StackSet or with ``cdk deploy``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pytest
from cfnlint.api import lint_file  # type: ignore[import-untyped]

from tests.infra.alarm_rule_expectations import assert_rule_takes_every_alarm_state_change
from tests.infra.test_compliance import acknowledgements

if TYPE_CHECKING:
    from tests.support.nag_synth import NaggedTemplate

FORWARDER = "AlarmChatBotForwarder"
BUS_ARN = "arn:aws:events:ap-northeast-2:123456789012:event-bus/AlarmChatBot-alarms"
Variant = Callable[[Mapping[str, object]], "NaggedTemplate"]


def resources_of(template: dict[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {key: r for key, r in template["Resources"].items() if r["Type"] == resource_type}


def one(template: dict[str, Any], resource_type: str) -> tuple[str, dict[str, Any]]:
    (found,) = resources_of(template, resource_type).items()
    return found


def test_only_the_rule_its_role_and_its_dead_letter_queue(forwarder_template: NaggedTemplate) -> None:
    types = sorted(resource["Type"] for resource in forwarder_template.template["Resources"].values())
    assert types == [
        "AWS::Events::Rule",
        "AWS::IAM::Policy",
        "AWS::IAM::Role",
        "AWS::SQS::Queue",
        "AWS::SQS::QueuePolicy",
    ]


def test_no_bootstrap_no_asset_no_lambda(forwarder_template: NaggedTemplate) -> None:
    """Deployable where nobody ran ``cdk bootstrap``: a StackSet target, or ``cdk deploy`` there."""
    template = forwarder_template.template
    assert set(template["Parameters"]) == {"AlarmBusArn"}  # no BootstrapVersion
    assert "Rules" not in template  # no CheckBootstrapVersion
    assert "Conditions" not in template and "Mappings" not in template  # no CDKMetadata either
    text = json.dumps(template)
    for bootstrap_reference in ("BootstrapVersion", "cdk-hnb659fds", "AWS::CDK::Metadata", "S3Bucket"):
        assert bootstrap_reference not in text
    assert not [r for r in template["Resources"].values() if r["Type"].startswith("AWS::Lambda::")]
    outdir = forwarder_template.outdir
    assert not (outdir / f"{FORWARDER}.assets.json").exists()
    manifest = json.loads((outdir / "manifest.json").read_text())
    properties = manifest["artifacts"][FORWARDER]["properties"]
    for key in ("assumeRoleArn", "cloudFormationExecutionRoleArn", "requiresBootstrapStackVersion"):
        assert key not in properties  # the CLI deploys with the shell's credentials
    assert "stackTemplateAssetObjectUrl" not in properties  # the template is not uploaded to S3
    assert manifest["artifacts"][FORWARDER]["environment"] == "aws://unknown-account/unknown-region"


def test_small_enough_for_the_cli_to_pass_inline(forwarder_template: NaggedTemplate) -> None:
    """The CDK CLI sends templates up to 50 KiB as TemplateBody; larger ones go to the bootstrap bucket."""
    assert forwarder_template.template_path.stat().st_size < 50 * 1024 // 2


def test_the_bus_arn_is_a_checked_parameter(forwarder_template: NaggedTemplate) -> None:
    parameter = forwarder_template.template["Parameters"]["AlarmBusArn"]
    assert parameter["Type"] == "String"
    assert "Default" not in parameter  # cdk.json sets no alarmBusArn: every deploy must name it
    assert "AlarmEventBusArn" in parameter["Description"]
    pattern = re.compile(parameter["AllowedPattern"])
    assert pattern.fullmatch(BUS_ARN)
    assert pattern.fullmatch("arn:aws-cn:events:cn-north-1:123456789012:event-bus/AlarmChatBot-alarms")
    for wrong in ("AlarmChatBot-alarms", "arn:aws:sns:eu-west-1:123456789012:topic", BUS_ARN + " x"):
        assert not pattern.fullmatch(wrong), wrong


def test_the_context_gives_the_parameter_a_default(forwarder_variant: Variant) -> None:
    template = forwarder_variant({"alarmBusArn": BUS_ARN}).template
    assert template["Parameters"]["AlarmBusArn"]["Default"] == BUS_ARN


def test_the_rule_forwards_every_alarm_state_change_by_default(forwarder_template: NaggedTemplate) -> None:
    template = forwarder_template.template
    rule = one(template, "AWS::Events::Rule")[1]["Properties"]
    assert "EventBusName" not in rule  # the account's default bus, where CloudWatch puts them
    assert_rule_takes_every_alarm_state_change(rule)
    assert rule["Targets"] == [
        {
            "Id": "Target0",
            "Arn": {"Ref": "AlarmBusArn"},
            "RoleArn": {"Fn::GetAtt": [one(template, "AWS::IAM::Role")[0], "Arn"]},
            "DeadLetterConfig": {"Arn": {"Fn::GetAtt": [one(template, "AWS::SQS::Queue")[0], "Arn"]}},
        }
    ]


def test_prefixes_limit_what_is_forwarded(forwarder_variant: Variant) -> None:
    variant = forwarder_variant({"alarmNamePrefixes": "prod-, api-"})
    rule = one(variant.template, "AWS::Events::Rule")[1]["Properties"]
    assert rule["EventPattern"]["detail"] == {"alarmName": [{"prefix": "prod-"}, {"prefix": "api-"}]}
    assert rule["Description"].endswith("whose name starts with prod-, api-")


def test_the_role_may_only_put_events_on_the_bus(forwarder_template: NaggedTemplate) -> None:
    template = forwarder_template.template
    role_id, role = one(template, "AWS::IAM::Role")
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}}
    ]
    assert "ManagedPolicyArns" not in role["Properties"] and "Policies" not in role["Properties"]
    policy = one(template, "AWS::IAM::Policy")[1]["Properties"]
    assert policy["Roles"] == [{"Ref": role_id}]
    assert policy["PolicyDocument"]["Statement"] == [
        {"Action": "events:PutEvents", "Effect": "Allow", "Resource": {"Ref": "AlarmBusArn"}}
    ]


def test_failed_forwards_wait_in_an_encrypted_queue(forwarder_template: NaggedTemplate) -> None:
    template = forwarder_template.template
    queue_id, queue = one(template, "AWS::SQS::Queue")
    assert queue["Properties"] == {"MessageRetentionPeriod": 14 * 86400, "SqsManagedSseEnabled": True}
    rule_arn = {"Fn::GetAtt": [one(template, "AWS::Events::Rule")[0], "Arn"]}
    policy = one(template, "AWS::SQS::QueuePolicy")[1]["Properties"]
    assert policy["Queues"] == [{"Ref": queue_id}]
    statements = policy["PolicyDocument"]["Statement"]
    (deny,) = [s for s in statements if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    (allow,) = [s for s in statements if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "events.amazonaws.com"}
    assert allow["Action"] == "sqs:SendMessage"
    assert allow["Condition"] == {"ArnEquals": {"aws:SourceArn": rule_arn}}
    assert template["Outputs"]["DeadLetterQueueUrl"]["Value"] == {"Ref": queue_id}


def test_nag_clean_with_only_the_dead_letter_queue_excused(forwarder_template: NaggedTemplate) -> None:
    """The real synthesis validates both stacks (its findings: tests/infra/test_compliance.py)."""
    assert forwarder_template.nag_findings == []
    found = acknowledgements(forwarder_template.template)
    assert {
        (rule_id, forwarder_template.template["Resources"][key]["Type"]) for key, rule_id, _ in found
    } == {
        ("AwsSolutions-SQS3", "AWS::SQS::Queue"),
        ("Serverless-SQSRedrivePolicy", "AWS::SQS::Queue"),
    }


@pytest.mark.parametrize("overrides", [{}, {"alarmNamePrefixes": ["prod-"], "alarmBusArn": BUS_ARN}])
def test_variants_are_nag_clean(forwarder_variant: Variant, overrides: Mapping[str, object]) -> None:
    variant = forwarder_variant(overrides)
    assert variant.nag_findings == [], "cdk-nag findings:\n" + "\n".join(variant.nag_findings)


def test_cfn_lint_is_clean(forwarder_template: NaggedTemplate, forwarder_variant: Variant) -> None:
    with_prefixes = forwarder_variant({"alarmNamePrefixes": ["prod-"], "alarmBusArn": BUS_ARN})
    for path in (forwarder_template.template_path, with_prefixes.template_path):
        matches = [match for match in lint_file(path) if match.rule.severity != "informational"]
        assert matches == [], "cfn-lint:\n" + "\n".join(str(match) for match in matches)


def test_cdk_reports_no_warnings(forwarder_template: NaggedTemplate) -> None:
    from aws_cdk.cx_api import CloudAssembly, SynthesisMessageLevel

    stack = CloudAssembly(str(forwarder_template.outdir)).get_stack_by_name(FORWARDER)
    messages = [m for m in stack.messages if m.level != SynthesisMessageLevel.INFO]
    assert messages == [], [f"{m.id}: {m.entry.data}" for m in messages]
