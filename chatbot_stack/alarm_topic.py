"""The SNS topic CloudWatch alarms publish to, and the customer-managed KMS key that encrypts it.

Why a customer-managed key: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed
``alias/aws/sns`` key (its key policy, which nobody can edit, does not let ``cloudwatch.amazonaws.com``
generate data keys). The alarm action then fails silently: nothing arrives, and the only trace is a
line in the alarm's history. Our own key's policy can let CloudWatch in.

Why an explicit topic policy: an ``AWS::SNS::TopicPolicy`` replaces the topic's default policy, so
everything the default allowed and we still want (the owning account publishing, e.g. an operator's
``alarm-bot test``, and managing the topic) is granted again here, next to CloudWatch.

Who publishes: an alarm of another account reaches the topic as ``cloudwatch.amazonaws.com`` acting
for that account, never as one of its IAM principals, so other accounts are trusted through that
service principal only, each limited by ``aws:SourceAccount`` and ``aws:SourceArn`` (or, for a whole
organization, ``aws:SourceOrgID``) to its own alarms in this region: a topic takes alarm actions from
alarms of its own region only. People and roles of other accounts cannot publish.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from aws_cdk import ArnFormat, Duration, RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

CLOUDWATCH: Final = "cloudwatch.amazonaws.com"
# What SNS needs of the key on behalf of a publisher: a data key to encrypt the message with, and
# decrypting it again for delivery.
KEY_ACTIONS: Final = ("kms:Decrypt", "kms:GenerateDataKey*")
# The default topic policy's actions, which the owning account keeps.
OWNER_ACTIONS: Final = (
    "sns:Publish",
    "sns:Subscribe",
    "sns:ListSubscriptionsByTopic",
    "sns:GetTopicAttributes",
    "sns:SetTopicAttributes",
    "sns:AddPermission",
    "sns:RemovePermission",
    "sns:DeleteTopic",
)

Conditions = dict[str, dict[str, object]]


@dataclass(frozen=True)
class AlarmSources:
    """Whose CloudWatch alarms may publish besides this account's: account ids, an organization."""

    trusted_account_ids: Sequence[str] = ()
    organization_id: str | None = None


def any_alarm_arn(scope: Construct, account: str | None = None) -> str:
    """``arn:<partition>:cloudwatch:<region>:<account>:alarm:*``: every alarm of an account here.

    ``account`` defaults to this stack's account; ``*`` means any account.
    """
    return Stack.of(scope).format_arn(
        service="cloudwatch",
        account=account,
        resource="alarm",
        resource_name="*",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )


def this_accounts_alarms(scope: Construct) -> Conditions:
    """Conditions that limit a CloudWatch service principal to alarms of this account (confused deputy)."""
    return {
        "StringEquals": {"aws:SourceAccount": Stack.of(scope).account},
        "ArnLike": {"aws:SourceArn": any_alarm_arn(scope)},
    }


def alarm_publishers(scope: Construct, sources: AlarmSources) -> dict[str, Conditions]:
    """Statement id → conditions, one entry per group of accounts whose alarms may publish.

    The trusted accounts share one statement: the two lists pair up exactly (an alarm's ARN names
    its account, which is also its ``aws:SourceAccount``), and one statement per account would let
    the policies outgrow SNS's and KMS's size limits at a few dozen accounts.
    """
    publishers = {"CloudWatchAlarmsOfThisAccount": this_accounts_alarms(scope)}
    accounts = list(sources.trusted_account_ids)
    if accounts:
        publishers["CloudWatchAlarmsOfTrustedAccounts"] = {
            "StringEquals": {"aws:SourceAccount": accounts},
            "ArnLike": {"aws:SourceArn": [any_alarm_arn(scope, account) for account in accounts]},
        }
    if sources.organization_id is not None:
        publishers["CloudWatchAlarmsOfTheOrganization"] = {
            "StringEquals": {"aws:SourceOrgID": sources.organization_id},
            "ArnLike": {"aws:SourceArn": any_alarm_arn(scope, "*")},
        }
    return publishers


def cloudwatch_statements(
    scope: Construct, sources: AlarmSources, *, actions: Sequence[str], resource: str
) -> list[iam.PolicyStatement]:
    """``actions`` on ``resource`` for CloudWatch, once per group of :func:`alarm_publishers`."""
    return [
        iam.PolicyStatement(
            sid=sid,
            principals=[iam.ServicePrincipal(CLOUDWATCH)],
            actions=list(actions),
            resources=[resource],
            conditions=conditions,
        )
        for sid, conditions in alarm_publishers(scope, sources).items()
    ]


class AlarmTopicKey(Construct):
    """``key``: a rotated KMS key for alarm topics, usable by CloudWatch for the alarms of ``sources``.

    The key protects messages only while SNS holds them, so it goes (after 7 days) with the stack.
    """

    def __init__(self, scope: Construct, construct_id: str, *, sources: AlarmSources | None = None) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.key = kms.Key(
            self,
            "Key",
            description=f"Encrypts the alarm topics of {stack.stack_name}; CloudWatch alarms publish with it",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.DESTROY,
            pending_window=Duration.days(7),
        )
        for statement in cloudwatch_statements(
            self, sources or AlarmSources(), actions=KEY_ACTIONS, resource="*"
        ):
            self.key.add_to_resource_policy(statement)


class AlarmTopic(Construct):
    """``topic``: an encrypted, HTTPS-only SNS topic that CloudWatch alarms of ``sources`` publish to.

    The owning account keeps the default policy's rights; no other account's principals get any.
    ``key`` must already let CloudWatch use it for the same ``sources`` (see :class:`AlarmTopicKey`).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: kms.IKey,
        display_name: str,
        sources: AlarmSources | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Topic", display_name=display_name, master_key=key, enforce_ssl=True)
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="OwnerAccount",
                principals=[iam.AccountRootPrincipal()],
                actions=list(OWNER_ACTIONS),
                resources=[self.topic.topic_arn],
            )
        )
        for statement in cloudwatch_statements(
            self, sources or AlarmSources(), actions=["sns:Publish"], resource=self.topic.topic_arn
        ):
            self.topic.add_to_resource_policy(statement)
