"""Fixtures for the chart tests: moto's S3 with the chart bucket (inside the ``aws`` fixture)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from tests.charts.chart_support import BUCKET, REGION
from tests.support.aws import aws  # noqa: F401 - fixture


@pytest.fixture
def s3(aws: None) -> Any:  # noqa: F811 - the fixture imported above
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    return client
