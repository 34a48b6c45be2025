"""cdk-nag and cfn-lint on the synthesized template: clean, and every exception explained."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from cfnlint.api import lint_file  # type: ignore[import-untyped]

from chatbot_stack.nag import MIN_REASON_LENGTH, acknowledge, apply_nag
from tests.infra.template_queries import ALL_FEATURES

if TYPE_CHECKING:
    from tests.support.nag_synth import NaggedTemplate

# Each one is explained where it is made (chatbot_stack/chat_endpoint.py, function.py, fanout.py,
# charts.py, credentials_secret.py, dead_letter_queue.py). A new entry here means a new exception to
# security or serverless best practice: review it before adding it.
EXPECTED_ACKNOWLEDGEMENTS = {
    "AwsSolutions-APIG4",  # Chat's tokens cannot be checked by an authorizer; Google fetches charts bare
    "AwsSolutions-IAM5[Resource::*]",  # X-Ray, DescribeAlarms, GetMetricWidgetImage: no resource ARNs
    "AwsSolutions-S1",  # the chart bucket: expiring images, every outside fetch in the API's access log
    "AwsSolutions-SMG4",  # the Google service-account key is rotated in Google Cloud
    "AwsSolutions-SQS3",  # the dead-letter queue needs no dead-letter queue of its own
    "Serverless-LambdaDLQ",  # Chat: synchronous; fan-out: on-failure destination instead
    "Serverless-SQSRedrivePolicy",  # the dead-letter queue again
    "Serverless-LambdaEventSourceMappingDestination",  # SQS sources use the queue's redrive policy
    "Serverless-EventBusDLQ",  # the keep-warm schedule's pings carry nothing worth keeping
}
# (rule, resource type) of every acknowledgement: one per function for the Lambda rules, one per
# queue/secret; what each excuses must stay where it was reviewed.
# The chart grants' finding names the bucket's logical id (a hash of its path): see chart_objects.
CHART_OBJECTS = "AwsSolutions-IAM5[Resource::<charts bucket>.Arn>/charts/*]"
EXPECTED_PLACES = {
    ("AwsSolutions-APIG4", "AWS::ApiGatewayV2::Route"),
    ("AwsSolutions-IAM5[Resource::*]", "AWS::IAM::Policy"),
    ("AwsSolutions-S1", "AWS::S3::Bucket"),
    (CHART_OBJECTS, "AWS::IAM::Role"),  # the chart function reads charts/*
    (CHART_OBJECTS, "AWS::IAM::Policy"),  # the fan-out writes them
    ("AwsSolutions-SMG4", "AWS::SecretsManager::Secret"),
    ("AwsSolutions-SQS3", "AWS::SQS::Queue"),
    ("Serverless-LambdaDLQ", "AWS::Lambda::Function"),
    ("Serverless-SQSRedrivePolicy", "AWS::SQS::Queue"),
    ("Serverless-LambdaEventSourceMappingDestination", "AWS::Lambda::EventSourceMapping"),
    ("Serverless-EventBusDLQ", "AWS::Events::Rule"),
}


# How many resources carry each acknowledgement that is not one of a kind.
SEVERAL = {
    # Every function's X-Ray statement, Chat's DescribeAlarms policy, the fan-out's chart policy.
    "AwsSolutions-IAM5[Resource::*]": 5,
    "Serverless-LambdaDLQ": 3,  # Chat and charts: synchronous; fan-out: on-failure destination
    "AwsSolutions-APIG4": 2,  # POST /chat and GET /charts/{file}
    CHART_OBJECTS: 2,
}


def chart_objects(template: dict[str, Any]) -> str:
    """The chart grants' finding as cdk-nag names it: after the bucket's logical id."""
    (bucket,) = [key for key, r in template["Resources"].items() if r["Type"] == "AWS::S3::Bucket"]
    return f"AwsSolutions-IAM5[Resource::<{bucket}.Arn>/charts/*]"


def rule_ids(template: dict[str, Any]) -> set[str]:
    """The acknowledged rules, with the chart grants' finding under its generic name."""
    own = chart_objects(template)
    return {CHART_OBJECTS if rule == own else rule for _, rule, _ in acknowledgements(template)}


def acknowledgements(template: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(logical id, rule id, reason) from the ``cdk_nag`` metadata cdk-nag writes for auditors."""
    found = []
    for logical_id, resource in template["Resources"].items():
        for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
            found.append((logical_id, rule["id"], rule["reason"]))
    return found


def test_no_unacknowledged_nag_findings(nag_findings: list[str]) -> None:
    assert nag_findings == [], "cdk-nag findings:\n" + "\n".join(nag_findings)


def test_cdk_reports_no_warnings(cdk_warnings: list[str]) -> None:
    assert cdk_warnings == [], "CDK warnings/errors:\n" + "\n".join(cdk_warnings)


def test_every_acknowledgement_names_a_rule_and_a_reason(stack_template_dict: dict[str, Any]) -> None:
    found = acknowledgements(stack_template_dict)
    assert found, "no cdk_nag metadata: is apply_nag() still called by app.py?"
    for logical_id, rule_id, reason in found:
        assert re.fullmatch(
            r"(AwsSolutions|Serverless)-[A-Za-z0-9]+(\[.+\])?|CloudFormation-Validate::[EW][0-9]{4}", rule_id
        ), logical_id
        assert len(reason) >= MIN_REASON_LENGTH, f"{logical_id} {rule_id}: {reason!r}"
    assert rule_ids(stack_template_dict) == EXPECTED_ACKNOWLEDGEMENTS | {CHART_OBJECTS}


def test_acknowledgements_sit_on_the_resources_they_excuse(stack_template_dict: dict[str, Any]) -> None:
    found = acknowledgements(stack_template_dict)
    own = chart_objects(stack_template_dict)
    generic = [(logical_id, CHART_OBJECTS if rule == own else rule) for logical_id, rule, _ in found]
    places = {(rule, stack_template_dict["Resources"][logical_id]["Type"]) for logical_id, rule in generic}
    assert places == EXPECTED_PLACES
    resources_by_rule = Counter(rule for _, rule in generic)
    assert {rule: resources_by_rule[rule] for rule in SEVERAL} == SEVERAL
    assert all(count == 1 for rule, count in resources_by_rule.items() if rule not in SEVERAL)


def test_optional_resources_are_nag_clean_without_new_acknowledgements(
    checked_variant: Callable[[Mapping[str, object]], NaggedTemplate],
) -> None:
    """The EventBridge rule, the ops topic and its e-mail subscription, trusted-account statements."""
    variant = checked_variant(ALL_FEATURES)
    assert variant.nag_findings == [], "cdk-nag findings:\n" + "\n".join(variant.nag_findings)
    assert rule_ids(variant.template) == EXPECTED_ACKNOWLEDGEMENTS | {CHART_OBJECTS}


def test_charts_off_needs_none_of_their_acknowledgements(
    checked_variant: Callable[[Mapping[str, object]], NaggedTemplate],
) -> None:
    variant = checked_variant({"charts": False})
    assert variant.nag_findings == [], "cdk-nag findings:\n" + "\n".join(variant.nag_findings)
    found = Counter(rule for _, rule, _ in acknowledgements(variant.template))
    assert set(found) == EXPECTED_ACKNOWLEDGEMENTS - {"AwsSolutions-S1"}
    assert (found["AwsSolutions-IAM5[Resource::*]"], found["AwsSolutions-APIG4"]) == (3, 1)
    matches = [match for match in lint_file(variant.template_path) if match.rule.severity != "informational"]
    assert matches == [], "cfn-lint:\n" + "\n".join(str(match) for match in matches)


def test_optional_resources_are_cfn_lint_clean(
    checked_variant: Callable[[Mapping[str, object]], NaggedTemplate],
) -> None:
    path = checked_variant(ALL_FEATURES).template_path
    matches = [match for match in lint_file(path) if match.rule.severity != "informational"]
    assert matches == [], "cfn-lint:\n" + "\n".join(str(match) for match in matches)


@pytest.mark.parametrize(
    ("rule_id", "reason"),
    [
        ("IAM5", "a reason long enough to pass the length check, surely"),
        ("AwsSolutions-IAM5", "too short"),
        # Without its plugin's name CDK would file it under annotations, where it excuses nothing.
        ("W3694", "a reason long enough to pass the length check, surely"),
    ],
)
def test_acknowledge_rejects_vague_acknowledgements(rule_id: str, reason: str) -> None:
    from constructs import Construct

    with pytest.raises(ValueError, match=re.escape(rule_id)):
        acknowledge(Construct.__new__(Construct), rule_id, reason)


def test_apply_nag_runs_both_packs(tmp_path: Path) -> None:
    """A queue breaks rules of both packs; if a pack were dropped, its findings would vanish."""
    from aws_cdk import App, Stack
    from aws_cdk import aws_sqs as sqs

    app = App(outdir=str(tmp_path))
    sqs.Queue(Stack(app, "Bad"), "Queue")
    apply_nag(app)
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    report = json.loads((tmp_path / "validation-report.json").read_text())
    rules = {v["ruleName"] for plugin in report["pluginReports"] for v in plugin["violations"]}
    assert {"AwsSolutions-SQS4", "Serverless-SQSRedrivePolicy"} <= rules


def test_cfn_lint_is_clean(stack_template_path: Path) -> None:
    matches = [match for match in lint_file(stack_template_path) if match.rule.severity != "informational"]
    assert matches == [], "cfn-lint:\n" + "\n".join(str(match) for match in matches)


def test_only_the_known_cfn_lint_check_is_ignored(stack_template_dict: dict[str, Any]) -> None:
    """W3005 flags the DependsOn CDK adds from every Function to its role (aws/aws-cdk#24578)."""
    ignored: set[tuple[str, str]] = set()
    for resource in stack_template_dict["Resources"].values():
        config = resource.get("Metadata", {}).get("cfn-lint", {}).get("config", {})
        ignored.update((resource["Type"], check) for check in config.get("ignore_checks", []))
    assert ignored == {("AWS::Lambda::Function", "W3005")}
