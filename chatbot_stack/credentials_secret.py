"""The Secrets Manager secret that holds the Google service-account key the fan-out function posts with.

The stack creates the secret without a value: the key is issued in Google Cloud and only an operator
has it, so it must never pass through a template, a CDK context value or ``cdk.out``. CloudFormation
creates an empty secret when a secret has neither ``SecretString`` nor ``GenerateSecretString``;
the L2 ``Secret`` always adds ``GenerateSecretString`` (a random password nobody wants), so it is
removed from the resource here. Until an operator fills the secret, ``GetSecretValue`` fails with
``ResourceNotFoundException`` (no ``AWSCURRENT`` version), so no alarm can be posted to Chat yet.
"""

from __future__ import annotations

from typing import Final

from aws_cdk import RemovalPolicy
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from chatbot_stack.nag import acknowledge

DESCRIPTION: Final = (
    "Google service-account key JSON for the Chat app; fill with: alarm-bot credentials set KEY.json "
    "or aws secretsmanager put-secret-value"
)


class CredentialsSecret(Construct):
    """``secret``: created empty, retained when the stack is deleted.

    Retained because its value exists nowhere else in AWS: deleting the stack (or replacing the
    resource) would otherwise schedule the uploaded key for deletion, and a stack deployed again
    would start with a new, empty secret anyway. A retained secret costs a few cents a month; delete
    it by hand (``aws secretsmanager delete-secret``) when the bot is gone for good.
    """

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.secret = secretsmanager.Secret(
            self, "Secret", description=DESCRIPTION, removal_policy=RemovalPolicy.RETAIN
        )
        cfn_secret = self.secret.node.default_child
        if not isinstance(cfn_secret, secretsmanager.CfnSecret):
            raise TypeError(f"unexpected default child of Secret: {cfn_secret!r}")
        cfn_secret.add_property_deletion_override("GenerateSecretString")
        acknowledge(
            cfn_secret,
            "AwsSolutions-SMG4",
            "The secret holds a Google Cloud service-account key: Google issues it, and it is rotated "
            "in Google Cloud (new key, 'alarm-bot credentials set', then the old key deleted there), "
            "which a Secrets Manager rotation Lambda cannot do without Google admin rights.",
        )
