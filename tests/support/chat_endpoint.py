"""The bot's Chat endpoint on 127.0.0.1: the real chat-events handler behind a tiny HTTP server.

API Gateway turns an HTTP request into a Lambda event (payload format 2.0) and the handler's
answer back into a response; :class:`ChatEndpoint` does the same with ``http.server`` and calls
``alarm_bot.handlers.chat_events.handle_request`` with real dependencies (verifier, store), so
``alarm-bot doctor`` can probe it exactly as it probes the deployed endpoint. ``permissive=True``
serves a broken endpoint instead, one that answers 200 to anyone, for the failing case.

The API's other route is there too: ``GET /charts/{file}`` goes to the real chart-images handler
(``alarm_bot.handlers.chart_images``) reading ``charts`` (by default a store that has no chart);
any other GET gets API Gateway's own 404.

Usage::

    with ChatEndpoint() as endpoint:
        deploy_stack(endpoint_url=endpoint.url)
"""

from __future__ import annotations

import base64
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from alarm_bot.charts.storage import ChartReader
from alarm_bot.handlers import chart_images, chat_events
from alarm_bot.settings import Settings
from tests.support.aws import BOT_ID, TABLE_NAME

PROJECT_NUMBER = "123456789012"


class ChatEndpoint:
    """``url`` answers POST /chat through the chat-events handler (or 200, when permissive)."""

    def __init__(self, *, permissive: bool = False, charts: ChartReader | None = None) -> None:
        self.permissive = permissive
        self.requests = 0  # POST /chat only
        self.chart_requests = 0
        self._charts = chart_images.ChartImageDependencies(charts=charts or _NoCharts())
        settings = Settings(subscriptions_table=TABLE_NAME, bot_id=BOT_ID, chat_audience=PROJECT_NUMBER)
        self._dependencies = chat_events.build_dependencies(settings)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/chat"

    def answer(self, headers: dict[str, str], body: str) -> dict[str, Any]:
        """The handler's response to an API Gateway event built from the request."""
        self.requests += 1
        if self.permissive:
            return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": "{}"}
        event = {
            "version": "2.0",
            "routeKey": "POST /chat",
            "rawPath": "/chat",
            "headers": headers,
            "body": body,
            "isBase64Encoded": False,
            "requestContext": {"http": {"method": "POST", "path": "/chat"}},
        }
        return chat_events.handle_request(event, self._dependencies)

    def fetch(self, path: str) -> dict[str, Any]:
        """``GET path``: the chart handler's answer on its route, API Gateway's 404 elsewhere."""
        if not path.startswith(chart_images.ROUTE_PREFIX) or "/" in path[len(chart_images.ROUTE_PREFIX) :]:
            return {
                "statusCode": 404,
                "headers": {"Content-Type": "application/json"},
                "body": '{"message":"Not Found"}',
            }
        self.chart_requests += 1
        event = {
            "version": "2.0",
            "routeKey": "GET /charts/{file}",
            "rawPath": path,
            "requestContext": {"http": {"method": "GET", "path": path}, "stage": "$default"},
        }
        return chart_images.handle_request(event, self._charts)

    def __enter__(self) -> ChatEndpoint:
        chat_events.logger.addFilter(_quiet)  # its JSON log lines would land in the test's stdout
        chart_images.logger.addFilter(_quiet)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        ).start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        chat_events.logger.removeFilter(_quiet)
        chart_images.logger.removeFilter(_quiet)


def _quiet(record: logging.LogRecord) -> bool:
    return False


class _NoCharts:
    """A chart store that has none: every id is unknown."""

    def get_png(self, key: str) -> bytes | None:
        return None


def _handler_class(endpoint: ChatEndpoint) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
            headers = {key.lower(): value for key, value in self.headers.items()}
            self._send(endpoint.answer(headers, body))

        def do_GET(self) -> None:
            self._send(endpoint.fetch(self.path))

        def _send(self, response: dict[str, Any]) -> None:
            body = str(response.get("body", ""))
            data = base64.b64decode(body) if response.get("isBase64Encoded") else body.encode()
            self.send_response(int(response["statusCode"]))
            for name, value in (response.get("headers") or {}).items():
                self.send_header(name, str(value))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep pytest output clean."""

    return Handler
