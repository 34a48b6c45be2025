"""The alarm topic and its key: CloudWatch alarms can publish (a CMK, not alias/aws/sns), HTTPS only."""

from __future__ import annotations

from typing import Any

from aws_cdk.assertions import Template

from tests.infra.template_queries import (
    ALL_FEATURES,
    Variant,
    account_root,
    actions,
    any_alarm_arn,
    only,
    statements_for,
)

CLOUDWATCH = {"Service": "cloudwatch.amazonaws.com"}
THIS_ACCOUNTS_ALARMS = {
    "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}},
    "ArnLike": {"aws:SourceArn": any_alarm_arn()},
}


def key_policy(template: Template) -> dict[str, Any]:
    policy: dict[str, Any] = only(template, "AWS::KMS::Key")[1]["Properties"]["KeyPolicy"]
    return policy


def alarm_topic_id(template: Template) -> str:
    topics = template.find_resources(
        "AWS::SNS::Topic", {"Properties": {"DisplayName": "CloudWatch alarms to Google Chat"}}
    )
    assert len(topics) == 1, sorted(topics)
    return next(iter(topics))


def topic_policy(template: Template, topic_id: str) -> dict[str, Any]:
    found = [
        resource["Properties"]["PolicyDocument"]
        for resource in template.find_resources("AWS::SNS::TopicPolicy").values()
        if resource["Properties"]["Topics"] == [{"Ref": topic_id}]
    ]
    assert len(found) == 1, f"expected one policy for {topic_id}"
    policy: dict[str, Any] = found[0]
    return policy


def test_key_is_customer_managed_and_rotated(stack_template: Template) -> None:
    stack_template.resource_count_is("AWS::KMS::Key", 1)
    stack_template.has_resource_properties(
        "AWS::KMS::Key", {"EnableKeyRotation": True, "PendingWindowInDays": 7}
    )


def test_key_policy_lets_this_accounts_alarms_encrypt(stack_template: Template) -> None:
    (statement,) = statements_for(key_policy(stack_template), CLOUDWATCH)
    assert statement["Effect"] == "Allow"
    assert sorted(actions(statement)) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert statement["Resource"] == "*"
    assert statement["Condition"] == THIS_ACCOUNTS_ALARMS


def test_key_policy_keeps_the_account_in_control(stack_template: Template) -> None:
    """Without the root statement, IAM policies could not grant the key (e.g. to an operator)."""
    (statement,) = statements_for(key_policy(stack_template), account_root())
    assert statement["Action"] == "kms:*"


def test_topic_is_encrypted_with_the_customer_managed_key(stack_template: Template) -> None:
    key_id = only(stack_template, "AWS::KMS::Key")[0]
    topic = stack_template.find_resources("AWS::SNS::Topic")[alarm_topic_id(stack_template)]
    assert topic["Properties"]["KmsMasterKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert "alias/aws/sns" not in str(stack_template.to_json())


def test_topic_refuses_plain_http(stack_template: Template) -> None:
    topic_id = alarm_topic_id(stack_template)
    denials = [s for s in topic_policy(stack_template, topic_id)["Statement"] if s["Effect"] == "Deny"]
    assert denials == [
        {
            "Sid": "AllowPublishThroughSSLOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sns:Publish",
            "Resource": {"Ref": topic_id},
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]


def test_topic_policy_lets_this_accounts_alarms_publish(stack_template: Template) -> None:
    topic_id = alarm_topic_id(stack_template)
    (statement,) = statements_for(topic_policy(stack_template, topic_id), CLOUDWATCH)
    assert statement["Effect"] == "Allow"
    assert actions(statement) == ["sns:Publish"]
    assert statement["Resource"] == {"Ref": topic_id}
    assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}


def test_topic_policy_keeps_the_owner_publishing_and_managing(stack_template: Template) -> None:
    """A TopicPolicy replaces the default policy: operators' `alarm-bot test` must still publish."""
    topic_id = alarm_topic_id(stack_template)
    (statement,) = statements_for(topic_policy(stack_template, topic_id), account_root())
    assert statement["Effect"] == "Allow"
    assert {"sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:SetTopicAttributes"} <= set(
        actions(statement)
    )
    assert "Condition" not in statement


OTHER_ACCOUNTS = ("111122223333", "444455556666")
TRUSTED_SID = "CloudWatchAlarmsOfTrustedAccounts"
ORGANIZATION_SID = "CloudWatchAlarmsOfTheOrganization"
# What earlier versions granted other accounts' IAM principals; CloudWatch never publishes as them.
RETIRED_SIDS = {"TrustedAccountsThroughSns", "TrustedAccountsPublish"}


def alarm_arn(account: str) -> dict[str, Any]:
    """``arn:<partition>:cloudwatch:<this region>:<account>:alarm:*`` as CDK renders it."""
    parts = ["arn:", {"Ref": "AWS::Partition"}, ":cloudwatch:", {"Ref": "AWS::Region"}, f":{account}:alarm:*"]
    return {"Fn::Join": ["", parts]}


def both_policies(template: Template) -> dict[str, dict[str, Any]]:
    return {"key": key_policy(template), "topic": topic_policy(template, alarm_topic_id(template))}


def by_sid(policy: dict[str, Any], sid: str) -> dict[str, Any]:
    (statement,) = [s for s in policy["Statement"] if s.get("Sid") == sid]
    return statement


def assert_only_this_account_principals(policy: dict[str, Any]) -> None:
    """No other account's IAM principal gets anything: CloudWatch is the only way in."""
    for statement in policy["Statement"]:
        principal = statement["Principal"]
        if statement["Effect"] == "Deny":
            continue
        assert principal in (account_root(), CLOUDWATCH), statement


def test_no_trusted_account_statements_by_default(stack_template: Template) -> None:
    assert "111122223333" not in str(stack_template.to_json())
    for policy in both_policies(stack_template).values():
        sids = {statement.get("Sid") for statement in policy["Statement"]}
        assert sids.isdisjoint({TRUSTED_SID, ORGANIZATION_SID, *RETIRED_SIDS})
        assert_only_this_account_principals(policy)


def test_trusted_accounts_alarms_publish_through_cloudwatch(synth_variant: Variant) -> None:
    """Cross-account alarm actions publish as cloudwatch.amazonaws.com for the alarm's account."""
    template = synth_variant({"trustedAccountIds": ",".join(OTHER_ACCOUNTS)})
    expected_conditions = {
        "StringEquals": {"aws:SourceAccount": list(OTHER_ACCOUNTS)},
        "ArnLike": {"aws:SourceArn": [alarm_arn(account) for account in OTHER_ACCOUNTS]},
    }
    policies = both_policies(template)
    key_statement = by_sid(policies["key"], TRUSTED_SID)
    assert key_statement["Principal"] == CLOUDWATCH
    assert sorted(actions(key_statement)) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert key_statement["Resource"] == "*"
    assert key_statement["Condition"] == expected_conditions
    publish = by_sid(policies["topic"], TRUSTED_SID)
    assert publish == {
        "Sid": TRUSTED_SID,
        "Effect": "Allow",
        "Principal": CLOUDWATCH,
        "Action": "sns:Publish",
        "Resource": {"Ref": alarm_topic_id(template)},
        "Condition": expected_conditions,
    }


def test_other_accounts_principals_may_no_longer_publish_or_use_the_key(synth_variant: Variant) -> None:
    template = synth_variant(ALL_FEATURES)
    for name, policy in both_policies(template).items():
        assert statements_for(policy, account_root("111122223333")) == [], name
        assert {s.get("Sid") for s in policy["Statement"]}.isdisjoint(RETIRED_SIDS), name
        assert_only_this_account_principals(policy)
        # This account's own alarms keep their statement; people of this account keep theirs.
        assert by_sid(policy, "CloudWatchAlarmsOfThisAccount")["Condition"] == THIS_ACCOUNTS_ALARMS
    assert statements_for(key_policy(template), account_root())[0]["Action"] == "kms:*"
    owner = by_sid(topic_policy(template, alarm_topic_id(template)), "OwnerAccount")
    assert owner["Principal"] == account_root() and "sns:Publish" in actions(owner)


def test_an_organizations_alarms_publish_through_source_org_id(synth_variant: Variant) -> None:
    template = synth_variant({"organizationId": "o-a1b2c3d4e5"})
    expected_conditions = {
        "StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"},
        "ArnLike": {"aws:SourceArn": alarm_arn("*")},
    }
    policies = both_policies(template)
    key_statement = by_sid(policies["key"], ORGANIZATION_SID)
    assert (key_statement["Principal"], key_statement["Resource"]) == (CLOUDWATCH, "*")
    assert sorted(actions(key_statement)) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert key_statement["Condition"] == expected_conditions
    publish = by_sid(policies["topic"], ORGANIZATION_SID)
    assert (publish["Principal"], publish["Action"]) == (CLOUDWATCH, "sns:Publish")
    assert publish["Condition"] == expected_conditions
    for policy in policies.values():
        assert {s.get("Sid") for s in policy["Statement"]}.isdisjoint({TRUSTED_SID, *RETIRED_SIDS})
        assert_only_this_account_principals(policy)


def test_alarm_topic_output(stack_template: Template) -> None:
    stack_template.has_output("AlarmTopicArn", {"Value": {"Ref": alarm_topic_id(stack_template)}})
