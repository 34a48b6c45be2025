"""SnapStart: published versions, a ``live`` alias per function, and every caller on the alias."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk.assertions import Template

from tests.infra.template_queries import (
    ALL_FEATURES,
    CHART_HANDLER,
    CHAT_HANDLER,
    FANOUT_HANDLER,
    Variant,
    alarm_state_rule,
    alias,
    condition_holds,
    function,
    resolve_conditions,
    synthesize,
)

HANDLERS = (CHAT_HANDLER, FANOUT_HANDLER)
# (partition, region, whether Lambda offers SnapStart there)
REGIONS = [
    ("aws", "us-east-1", True),
    ("aws", "ap-northeast-2", True),
    ("aws", "ap-east-1", True),  # Hong Kong has it
    ("aws", "ap-east-2", False),  # Taipei does not
    ("aws", "ap-southeast-6", False),  # nor New Zealand
    ("aws-cn", "cn-north-1", False),  # not listed for China
    ("aws-us-gov", "us-gov-west-1", False),  # nor for GovCloud
]
SWITCHED_OFF = {**ALL_FEATURES, "snapStart": False}


@pytest.fixture(scope="module")
def switch(cdk_context: dict[str, Any]) -> tuple[Template, Template]:
    """(snapStart on, snapStart off), synthesized back to back from the same source tree."""
    return synthesize({**cdk_context, **ALL_FEATURES}), synthesize({**cdk_context, **SWITCHED_OFF})


# Only these may name a function without its alias: older CloudWatch alarm actions (see fanout.py).
BARE_FUNCTION_CALLERS = {"lambda.alarms.cloudwatch.amazonaws.com"}


def versions_of(template: Template, function_id: str) -> dict[str, Any]:
    found: dict[str, Any] = template.find_resources(
        "AWS::Lambda::Version", {"Properties": {"FunctionName": {"Ref": function_id}}}
    )
    return found


@pytest.mark.parametrize("handler", HANDLERS)
def test_snapshots_are_taken_of_published_versions(stack_template: Template, handler: str) -> None:
    properties = function(stack_template, handler)[1]["Properties"]
    assert properties["SnapStart"] == {
        "Fn::If": ["SnapStartOn", {"ApplyOn": "PublishedVersions"}, {"Ref": "AWS::NoValue"}]
    }
    # What SnapStart cannot run with (Lambda rejects the version otherwise).
    assert properties.get("EphemeralStorage", {"Size": 512})["Size"] <= 512
    assert "FileSystemConfigs" not in properties


@pytest.mark.parametrize("handler", HANDLERS)
def test_live_alias_points_at_the_one_published_version(stack_template: Template, handler: str) -> None:
    function_id = function(stack_template, handler)[0]
    versions = versions_of(stack_template, function_id)
    assert len(versions) == 1
    ((version_id, version),) = versions.items()
    # A replaced version is deleted: with SnapStart each one keeps a snapshot that is billed.
    assert version["DeletionPolicy"] == "Delete"
    assert version["UpdateReplacePolicy"] == "Delete"
    live = alias(stack_template, handler)[1]["Properties"]
    assert live["Name"] == "live"
    assert live["FunctionVersion"] == {"Fn::GetAtt": [version_id, "Version"]}
    # SnapStart and provisioned concurrency exclude each other.
    assert "ProvisionedConcurrencyConfig" not in live


@pytest.mark.parametrize(("partition", "region", "available"), REGIONS)
def test_snap_start_is_asked_for_only_where_lambda_offers_it(
    stack_template: Template, partition: str, region: str, available: bool
) -> None:
    """One environment-agnostic template must deploy in every region: elsewhere SnapStart is left out."""
    pseudo = {"AWS::Partition": partition, "AWS::Region": region}
    assert condition_holds(stack_template, "SnapStartAvailable", pseudo) is available
    assert condition_holds(stack_template, "SnapStartOn", pseudo) is available


def test_switching_snap_start_keeps_the_version_ids(switch: tuple[Template, Template]) -> None:
    """The switch changes no function, version or alias resource (aws/aws-cdk#28252), only a mapping.

    Were the version's logical id to change, CloudFormation would publish a version of a function
    that did not change wherever SnapStart is not offered, and Lambda would refuse it (409).
    """
    on, off = switch
    for handler in HANDLERS:
        function_id, on_function = function(on, handler)
        assert function(off, handler) == (function_id, on_function)
        assert versions_of(on, function_id) == versions_of(off, function_id)
        assert alias(on, handler) == alias(off, handler)
    mappings = on.to_json()["Mappings"], off.to_json()["Mappings"]
    assert mappings == (
        {"SnapStartSetting": {"snapStart": {"requested": "true"}}},
        {"SnapStartSetting": {"snapStart": {"requested": "false"}}},
    )


@pytest.mark.parametrize(("partition", "region", "available"), REGIONS)
def test_a_switch_publishes_a_new_version_exactly_where_it_changes_the_function(
    switch: tuple[Template, Template], partition: str, region: str, available: bool
) -> None:
    """Where SnapStart exists, the switch updates the function and replaces its version (a new
    description), so the alias moves to a version published with the new setting; elsewhere
    nothing CloudFormation compares changes, so nothing is published."""
    pseudo = {"AWS::Partition": partition, "AWS::Region": region}
    on, off = switch
    for handler in HANDLERS:
        function_id = function(on, handler)[0]
        on_function, off_function = (
            resolve_conditions(template, function(template, handler)[1]["Properties"], pseudo)
            for template in (on, off)
        )
        ((on_version,),) = [resolve_conditions(on, list(versions_of(on, function_id).values()), pseudo)]
        ((off_version,),) = [resolve_conditions(off, list(versions_of(off, function_id).values()), pseudo)]
        assert on_function.get("SnapStart") == ({"ApplyOn": "PublishedVersions"} if available else None)
        assert "SnapStart" not in off_function
        assert (on_function != off_function) is available
        assert (on_version["Properties"] != off_version["Properties"]) is available
        assert {key for key in on_version["Properties"] if key != "Description"} == {"FunctionName"}


def test_a_change_to_the_function_still_publishes_a_new_version(
    cdk_context: dict[str, Any], switch: tuple[Template, Template]
) -> None:
    """The ids follow the function's configuration (here its LOCALE variable), as currentVersion does."""
    english, korean = switch[0], synthesize({**cdk_context, **ALL_FEATURES, "locale": "ko"})
    for handler in HANDLERS:
        function_id = function(english, handler)[0]
        assert set(versions_of(english, function_id)).isdisjoint(versions_of(korean, function_id))


def permissions_by_target(template: Template) -> dict[str, set[str]]:
    """Service principal → what it may invoke: ``alias`` or ``function`` (of any handler)."""
    names = {}
    for handler in (*HANDLERS, CHART_HANDLER):
        function_id = function(template, handler)[0]
        names[str({"Ref": alias(template, handler)[0]})] = "alias"
        names[str({"Fn::GetAtt": [function_id, "Arn"]})] = "function"
        names[str({"Ref": function_id})] = "function"
    targets: dict[str, set[str]] = {}
    for permission in template.find_resources("AWS::Lambda::Permission").values():
        properties = permission["Properties"]
        targets.setdefault(properties["Principal"], set()).add(names[str(properties["FunctionName"])])
    return targets


@pytest.mark.parametrize("snap_start", [True, False])
def test_every_trigger_invokes_an_alias(synth_variant: Variant, snap_start: bool) -> None:
    """API Gateway, alarm actions and the delivery queue's consumer name the alias, snapshots or not.

    SNS and the EventBridge rule no longer invoke anything: they put notifications on the queue.
    """
    template = synth_variant(ALL_FEATURES if snap_start else SWITCHED_OFF)
    targets = permissions_by_target(template)
    keep_warm = {"events.amazonaws.com"} if snap_start else set()  # the schedule pings both aliases
    assert set(targets) == {"apigateway.amazonaws.com", "lambda.alarms.cloudwatch.amazonaws.com", *keep_warm}
    for principal, kinds in targets.items():
        expected = {"alias", "function"} if principal in BARE_FUNCTION_CALLERS else {"alias"}
        assert kinds == expected, principal
    (mapping,) = template.find_resources("AWS::Lambda::EventSourceMapping").values()
    live = {"Ref": alias(template, FANOUT_HANDLER)[0]}
    assert mapping["Properties"]["FunctionName"]["Fn::Join"][1][0]["Fn::Select"][1]["Fn::Split"][1] == live
    rule = alarm_state_rule(template)[1]
    assert "Fn::GetAtt" in rule["Properties"]["Targets"][0]["Arn"]  # the delivery queue


def test_snap_start_can_be_switched_off(synth_variant: Variant) -> None:
    template = synth_variant(SWITCHED_OFF)  # the variant synthesized above
    for partition, region, _ in REGIONS:
        pseudo = {"AWS::Partition": partition, "AWS::Region": region}
        assert not condition_holds(template, "SnapStartOn", pseudo), region
    for handler in HANDLERS:
        function_id = function(template, handler)[0]
        # The callers' wiring does not change with the switch: the alias still takes every call.
        assert len(versions_of(template, function_id)) == 1
        assert alias(template, handler)[1]["Properties"]["Name"] == "live"


def keep_warm_rules(template: Template) -> dict[str, Any]:
    found: dict[str, Any] = template.find_resources(
        "AWS::Events::Rule", {"Properties": {"ScheduleExpression": "rate(6 hours)"}}
    )
    return found


def test_a_schedule_keeps_both_snapshots_active(stack_template: Template) -> None:
    """Lambda idles a SnapStart version after 14 days without a call; a ping every 6 hours prevents it."""
    from alarm_bot.keep_warm import KEEP_WARM_EVENT, is_keep_warm

    ((_, rule),) = keep_warm_rules(stack_template).items()
    targets = rule["Properties"]["Targets"]
    assert sorted(str(target["Arn"]) for target in targets) == sorted(
        str({"Ref": alias(stack_template, handler)[0]}) for handler in HANDLERS
    )
    for target in targets:
        assert json.loads(target["Input"]) == KEEP_WARM_EVENT
        assert is_keep_warm(json.loads(target["Input"]))  # what the stack sends, the handlers ignore
        assert target["RetryPolicy"]["MaximumRetryAttempts"] == 0


def test_no_keep_warm_schedule_without_snap_start(synth_variant: Variant) -> None:
    assert keep_warm_rules(synth_variant(SWITCHED_OFF)) == {}


def test_the_chart_function_never_uses_snap_start(switch: tuple[Template, Template]) -> None:
    """Its cold start imports little (boto3 only on the first request), so no snapshot is paid for:
    no SnapStart property, a fixed version description, and nothing the switch changes."""
    on, off = switch
    function_id, properties = function(on, CHART_HANDLER)
    assert "SnapStart" not in properties["Properties"]
    assert function(off, CHART_HANDLER) == (function_id, properties)
    assert versions_of(on, function_id) == versions_of(off, function_id)
    ((version,),) = [list(versions_of(on, function_id).values())]
    assert version["Properties"]["Description"] == "Published without SnapStart"
    assert alias(on, CHART_HANDLER)[1]["Properties"]["Name"] == "live"
