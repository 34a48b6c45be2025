from tests.support.aws import aws, dynamodb  # noqa: F401 - fixtures
