"""The old direct path's tests run against the same Chat API stand-in and clients as delivery's."""

from __future__ import annotations

from tests.delivery.conftest import account, client, make_client  # noqa: F401 - fixtures
