from collections.abc import Iterator

import pytest

from alarm_bot.chat import verify
from tests.support.aws import aws, dynamodb  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def fresh_cert_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test's Google stand-in has its own keys, and the OS may give it a port an earlier one had:
    certificates cached for that URL by an earlier test would then be stale, and the refetch rate limit
    would refuse a new fetch. A Lambda container lives with one Google, so the cache is per test here.
    """
    monkeypatch.setattr(verify, "DEFAULT_CERT_CACHE", verify.CertCache())
    yield
