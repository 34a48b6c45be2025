"""The DynamoDB table of subscribed spaces, under the old bot's key schema."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

PARTITION_KEY = "bot_id"
SORT_KEY = "space_id"
# Epoch seconds after which DynamoDB deletes an item: the stored alarm cards set it (30 days past
# their last change); space records never do, so they stay.
TTL_ATTRIBUTE = "expires_at"


class SubscriptionsTable(Construct):
    """One partition per bot (``bot_id``), one item per space (``space_id``) and its related records.

    The keys match the Node.js bot's table so its data can be carried over unchanged. The table is
    the bot's only state, so it is retained when the stack (or the resource) goes away, backed up
    continuously, and protected from deletion unless ``deletion_protection`` is false
    (``tableDeletionProtection``). Time to live on ``expires_at`` removes posted alarm cards nobody
    has touched for 30 days.
    """

    def __init__(self, scope: Construct, construct_id: str, *, deletion_protection: bool) -> None:
        super().__init__(scope, construct_id)
        self.table = dynamodb.Table(
            self,
            "Table",
            partition_key=dynamodb.Attribute(name=PARTITION_KEY, type=dynamodb.AttributeType.STRING),
            sort_key=dynamodb.Attribute(name=SORT_KEY, type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            deletion_protection=deletion_protection,
            removal_policy=RemovalPolicy.RETAIN,
            time_to_live_attribute=TTL_ATTRIBUTE,
        )
