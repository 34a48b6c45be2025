"""The SNS topic CloudWatch alarms publish to, and the customer-managed KMS key that encrypts it.

Why a customer-managed key: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed
``alias/aws/sns`` key (its key policy, which nobody can edit, does not let ``cloudwatch.amazonaws.com``
generate data keys). The alarm action then fails silently: nothing arrives, and the only trace is a
line in the alarm's history. Our own key's policy can let CloudWatch in.

Why an explicit topic policy: an ``AWS::SNS::TopicPolicy`` replaces the topic's default policy, so
everything the default allowed and we still want (the owning account publishing, e.g. an operator's
``alarm-bot test``, and managing the topic) is granted again here, next to CloudWatch and the trusted
accounts.
"""

from __future__ import annotations

from collections.abc import Sequence
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


def any_alarm_arn(scope: Construct) -> str:
    """``arn:<partition>:cloudwatch:<region>:<account>:alarm:*``: every alarm of this account and region."""
    return Stack.of(scope).format_arn(
        service="cloudwatch", resource="alarm", resource_name="*", arn_format=ArnFormat.COLON_RESOURCE_NAME
    )


def this_accounts_alarms(scope: Construct) -> dict[str, dict[str, str]]:
    """Conditions that limit a CloudWatch service principal to alarms of this account (confused deputy)."""
    return {
        "StringEquals": {"aws:SourceAccount": Stack.of(scope).account},
        "ArnLike": {"aws:SourceArn": any_alarm_arn(scope)},
    }


class AlarmTopicKey(Construct):
    """``key``: a rotated KMS key for alarm topics, usable by this account's CloudWatch alarms.

    ``trusted_account_ids`` may use it only through SNS (``kms:ViaService``), which is what publishing
    to the encrypted topic needs; their own IAM policies must allow it too, as for any cross-account key.
    The key protects messages only while SNS holds them, so it goes (after 7 days) with the stack.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, trusted_account_ids: Sequence[str] = ()
    ) -> None:
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
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsOfThisAccount",
                principals=[iam.ServicePrincipal(CLOUDWATCH)],
                actions=list(KEY_ACTIONS),
                resources=["*"],
                conditions=this_accounts_alarms(self),
            )
        )
        if trusted_account_ids:
            self.key.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="TrustedAccountsThroughSns",
                    principals=[iam.AccountPrincipal(account) for account in trusted_account_ids],
                    actions=list(KEY_ACTIONS),
                    resources=["*"],
                    conditions={"StringEquals": {"kms:ViaService": f"sns.{stack.region}.{stack.url_suffix}"}},
                )
            )


class AlarmTopic(Construct):
    """``topic``: an encrypted, HTTPS-only SNS topic that alarms of this account can publish to.

    The owning account keeps the default policy's rights; ``trusted_account_ids`` may publish too.
    ``key`` must already let CloudWatch use it (see :class:`AlarmTopicKey`).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        key: kms.IKey,
        display_name: str,
        trusted_account_ids: Sequence[str] = (),
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
        self.topic.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchAlarmsOfThisAccount",
                principals=[iam.ServicePrincipal(CLOUDWATCH)],
                actions=["sns:Publish"],
                resources=[self.topic.topic_arn],
                conditions=this_accounts_alarms(self),
            )
        )
        if trusted_account_ids:
            self.topic.add_to_resource_policy(
                iam.PolicyStatement(
                    sid="TrustedAccountsPublish",
                    principals=[iam.AccountPrincipal(account) for account in trusted_account_ids],
                    actions=["sns:Publish"],
                    resources=[self.topic.topic_arn],
                )
            )
