from collections.abc import Iterator

import pytest

from alarm_bot.chat import verify
from tests.support.aws import aws, dynamodb  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def fresh_cert_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test's certificate server has keys of its own, possibly on a port an earlier one had."""
    monkeypatch.setattr(verify, "DEFAULT_CERT_CACHE", verify.CertCache())
    yield
