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


def test_no_trusted_account_statements_by_default(stack_template: Template) -> None:
    assert "111122223333" not in str(stack_template.to_json())
    for policy in (key_policy(stack_template), topic_policy(stack_template, alarm_topic_id(stack_template))):
        assert {statement.get("Sid") for statement in policy["Statement"]}.isdisjoint(
            {"TrustedAccountsThroughSns", "TrustedAccountsPublish"}
        )


def test_trusted_accounts_may_publish_and_use_the_key_only_through_sns(synth_variant: Variant) -> None:
    template = synth_variant(ALL_FEATURES)
    trusted = account_root("111122223333")
    (key_statement,) = statements_for(key_policy(template), trusted)
    assert sorted(actions(key_statement)) == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert key_statement["Condition"] == {
        "StringEquals": {
            "kms:ViaService": {
                "Fn::Join": ["", ["sns.", {"Ref": "AWS::Region"}, ".", {"Ref": "AWS::URLSuffix"}]]
            }
        }
    }
    topic_id = alarm_topic_id(template)
    (publish,) = statements_for(topic_policy(template, topic_id), trusted)
    assert publish == {
        "Sid": "TrustedAccountsPublish",
        "Effect": "Allow",
        "Principal": trusted,
        "Action": "sns:Publish",
        "Resource": {"Ref": topic_id},
    }


def test_several_trusted_accounts_share_one_statement(synth_variant: Variant) -> None:
    template = synth_variant({"trustedAccountIds": "111122223333, 444455556666"})
    topic_id = alarm_topic_id(template)
    (publish,) = [
        s for s in topic_policy(template, topic_id)["Statement"] if s.get("Sid") == "TrustedAccountsPublish"
    ]
    assert publish["Principal"] == {
        "AWS": [account_root(account)["AWS"] for account in ("111122223333", "444455556666")]
    }


def test_alarm_topic_output(stack_template: Template) -> None:
    stack_template.has_output("AlarmTopicArn", {"Value": {"Ref": alarm_topic_id(stack_template)}})
