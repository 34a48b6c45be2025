"""The page's HTTP server on 127.0.0.1: the Chat-like page, its stylesheet, and a small JSON API.

``GET /`` is the page (``static/index.html`` with ``app.js`` and ``app.css``), ``GET
/static/preview.css`` the preview's own stylesheet, so cards look exactly as ``alarm-bot preview``
draws them. ``GET /api/state?v=…`` is what the page polls; the ``POST /api/…`` routes are the
operations of :class:`~playground.app.Playground`.

Only this machine's pages may use it: the server listens on 127.0.0.1 only, answers only requests
whose ``Host`` is its own address (a page elsewhere cannot reach it through DNS rebinding) and takes
a ``POST`` only with the page's ``X-Playground`` header (which another site's page cannot send
without a CORS preflight that is never granted). The page loads nothing from anywhere else.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from alarm_bot_cli.preview.styles import STYLESHEET
from playground.app import BadRequest, NotFound, Playground

STATIC = Path(__file__).resolve().parent / "static"
FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/app.css": ("app.css", "text/css; charset=utf-8"),
}
# Cards carry style attributes (button colours, line clamps); scripts come from this server only.
POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "frame-ancestors 'none'"
)
MAX_BODY = 64 * 1024
_SPACE_ROUTE = re.compile(r"^/api/spaces/([A-Za-z0-9_-]+)/(add|remove|messages|click)$")

Operation = Callable[[Playground, dict[str, Any]], dict[str, Any]]
_SPACE_OPERATIONS: dict[str, Callable[[Playground, str, dict[str, Any]], dict[str, Any]]] = {
    "add": lambda playground, space, _body: playground.add(space),
    "remove": lambda playground, space, _body: playground.remove(space),
    "messages": lambda playground, space, body: playground.say(space, body),
    "click": lambda playground, space, body: playground.click(space, body),
}
_OPERATIONS: dict[str, Operation] = {
    "/api/alarms": lambda playground, body: playground.fire(body),
    "/api/storm": lambda playground, body: playground.storm(body),
}


class PageServer:
    """The page and its API for ``playground``, on ``127.0.0.1:port``."""

    def __init__(self, playground: Playground, port: int) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(playground))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1})
        self._thread.daemon = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def start(self) -> PageServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def dispatch(playground: Playground, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The answer to ``POST path``: the operation's result, or an error status with a reason."""
    match = _SPACE_ROUTE.match(path)
    try:
        if match:
            return 200, _SPACE_OPERATIONS[match.group(2)](playground, match.group(1), body)
        operation = _OPERATIONS.get(path)
        if operation is None:
            return 404, {"error": "no such route"}
        return 200, operation(playground, body)
    except NotFound as error:
        return 404, {"error": str(error)}
    except BadRequest as error:
        return 400, {"error": str(error)}


def _handler(playground: Playground) -> type[BaseHTTPRequestHandler]:
    class Request(BaseHTTPRequestHandler):
        server_version = "AlarmBotPlayground"

        def do_GET(self) -> None:
            if not self._trusted_host():
                return
            url = urlsplit(self.path)
            if url.path == "/api/state":
                known = parse_qs(url.query).get("v", [None])[0]
                self._json(200, playground.state(known))
            elif url.path == "/static/preview.css":
                self._send(200, "text/css; charset=utf-8", STYLESHEET.encode())
            elif url.path in FILES:
                name, kind = FILES[url.path]
                self._send(200, kind, (STATIC / name).read_bytes())
            else:
                self._json(404, {"error": "not found"})

        def do_POST(self) -> None:
            if not self._trusted_host():
                return
            if self.headers.get("X-Playground") != "1":
                self._json(403, {"error": "the playground's page sends X-Playground: 1"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._json(413, {"error": "too large"})
                return
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = None
            if not isinstance(body, dict):
                self._json(400, {"error": "the body is a JSON object"})
                return
            self._json(*dispatch(playground, urlsplit(self.path).path, body))

        def _trusted_host(self) -> bool:
            port = self.server.server_address[1]  # type: ignore[index]  # AF_INET: (host, port)
            if self.headers.get("Host") in (f"127.0.0.1:{port}", f"localhost:{port}"):
                return True
            self._json(421, {"error": "open the playground at its own address"})
            return False

        def _json(self, status: int, body: dict[str, Any]) -> None:
            self._send(
                status, "application/json; charset=utf-8", json.dumps(body, ensure_ascii=False).encode()
            )

        def _send(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Security-Policy", POLICY)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """The page polls every second; an access log would drown the terminal."""

    return Request
