"""The page's server: routes to the playground's operations, and only for this machine's page.

Over real HTTP on 127.0.0.1, with a stand-in for the operations (what they do is tested with the
real parts elsewhere): the page and its stylesheets are served with a policy that keeps it from
loading anything from elsewhere; a request for another host name, a POST without the page's own
header, a body that is not a JSON object, an unknown space or sample are each refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from playground.app import BadRequest, NotFound
from playground.web import PageServer, dispatch

HEADERS = {"X-Playground": "1"}


class Operations:
    """What the server calls; records the calls, refuses what the real one refuses."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def state(self, known: str | None = None) -> dict[str, Any]:
        return {"version": "v1", "same": known == "v1"}

    def add(self, space: str) -> dict[str, Any]:
        if space != "S1":
            raise NotFound(f"no space {space!r}")
        self.calls.append(("add", space))
        return {"status": 200}

    def say(self, space: str, body: dict[str, Any]) -> dict[str, Any]:
        if not body.get("text"):
            raise BadRequest("say something")
        self.calls.append(("say", body["text"]))
        return {"status": 200}

    def fire(self, body: dict[str, Any]) -> dict[str, Any]:
        self.calls.append(("fire", body))
        return {"alarm": "a"}


@pytest.fixture
def server() -> Iterator[tuple[str, Operations]]:
    operations = Operations()
    page = PageServer(operations, 0).start()  # type: ignore[arg-type]
    try:
        yield page.url, operations
    finally:
        page.stop()


def test_the_page_and_its_files_are_served_with_a_strict_policy(server: tuple[str, Operations]) -> None:
    url, _ = server
    page = requests.get(url, timeout=5)
    assert page.status_code == 200 and "<title>" in page.text and "/static/app.js" in page.text
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert requests.get(f"{url}static/preview.css", timeout=5).text.startswith("\n*{box-sizing")
    assert requests.get(f"{url}static/app.js", timeout=5).status_code == 200
    assert requests.get(f"{url}static/../web.py", timeout=5).status_code == 404


def test_the_state_is_polled_with_the_version_the_page_has(server: tuple[str, Operations]) -> None:
    url, _ = server
    assert requests.get(f"{url}api/state", timeout=5).json() == {"version": "v1", "same": False}
    assert requests.get(f"{url}api/state?v=v1", timeout=5).json()["same"] is True


def test_operations_are_routed_with_their_body(server: tuple[str, Operations]) -> None:
    url, operations = server
    assert requests.post(f"{url}api/spaces/S1/add", json={}, headers=HEADERS, timeout=5).status_code == 200
    assert requests.post(
        f"{url}api/spaces/S1/messages", json={"text": "status"}, headers=HEADERS, timeout=5
    ).ok
    assert requests.post(f"{url}api/alarms", json={"sample": "x"}, headers=HEADERS, timeout=5).ok
    assert operations.calls == [("add", "S1"), ("say", "status"), ("fire", {"sample": "x"})]


def test_another_host_name_is_refused(server: tuple[str, Operations]) -> None:
    url, operations = server
    for method in (requests.get, requests.post):
        response = method(url, headers={**HEADERS, "Host": "attacker.example:80"}, timeout=5)
        assert response.status_code == 421
    assert operations.calls == []


def test_a_post_without_the_pages_header_or_with_a_bad_body_is_refused(
    server: tuple[str, Operations],
) -> None:
    url, operations = server
    assert requests.post(f"{url}api/spaces/S1/add", json={}, timeout=5).status_code == 403
    for body in (b"[1]", b"{not json"):
        assert (
            requests.post(f"{url}api/spaces/S1/add", data=body, headers=HEADERS, timeout=5).status_code == 400
        )
    assert operations.calls == []


def test_unknown_spaces_routes_and_bad_requests_get_their_status() -> None:
    operations = Operations()
    assert dispatch(operations, "/api/spaces/S9/add", {})[0] == 404  # type: ignore[arg-type]
    assert dispatch(operations, "/api/spaces/S1/messages", {})[0] == 400  # type: ignore[arg-type]
    assert dispatch(operations, "/api/nothing", {})[0] == 404  # type: ignore[arg-type]
    assert dispatch(operations, "/api/spaces/a/b/add", {})[0] == 404  # type: ignore[arg-type]
