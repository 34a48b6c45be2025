"""An HTTP API (payload format 2.0) in front of a Lambda handler, on 127.0.0.1.

API Gateway turns each request into an event and the handler's answer back into a response; the
Chat function expects exactly that, so the playground does the same instead of calling the handler
with a hand-made dict. :func:`http_api_event` and :func:`http_response` are the two conversions
(pure, so they are tested on their own), :class:`HttpApi` the server around them.

What it keeps of API Gateway's rules: header names in lower case and repeated headers joined with
commas, cookies in ``cookies``, query parameters joined the same way, a body that is not text
base64-encoded (``isBase64Encoded``), no ``body`` when there is none; only the configured route
invokes the function (anything else is API Gateway's own 404), and a handler that fails is a 500
without details. A response without ``statusCode`` is a 200 whose body is the JSON of the answer.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from playground.config import ACCOUNT

Handler = Callable[[dict[str, Any]], Any]
Response = tuple[int, list[tuple[str, str]], bytes]
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
API_ID = "playground"
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_NOT_FOUND: Response = (404, [("Content-Type", "application/json")], b'{"message":"Not Found"}')
_FAILED: Response = (500, [("Content-Type", "application/json")], b'{"message":"Internal Server Error"}')


def http_api_event(
    method: str,
    target: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    *,
    route_key: str,
    host: str = "127.0.0.1",
    source_ip: str = "127.0.0.1",
    now: float | None = None,
) -> dict[str, Any]:
    """The event API Gateway would invoke the function with for this request."""
    url = urlsplit(target)
    joined, cookies = _headers(headers)
    moment = time.time() if now is None else now
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": url.path,
        "rawQueryString": url.query,
        "headers": joined,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": API_ID,
            "domainName": host,
            "domainPrefix": host.split(".", 1)[0],
            "http": {
                "method": method,
                "path": url.path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": joined.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "time": _clf_time(moment),
            "timeEpoch": int(moment * 1000),
        },
        "isBase64Encoded": False,
    }
    if cookies:
        event["cookies"] = cookies
    query = _query(url.query)
    if query:
        event["queryStringParameters"] = query
    if body:
        event["body"], event["isBase64Encoded"] = _body(body, joined.get("content-type", ""))
    return event


def http_response(answer: Any) -> Response:
    """The HTTP response for what the handler returned (payload format 2.0's rules)."""
    if not isinstance(answer, dict) or "statusCode" not in answer:
        data = json.dumps(answer, ensure_ascii=False).encode()
        return 200, [("Content-Type", "application/json")], data
    status = int(answer["statusCode"])
    headers = [(str(name), str(value)) for name, value in (answer.get("headers") or {}).items()]
    headers += [("Set-Cookie", str(cookie)) for cookie in answer.get("cookies") or []]
    raw = answer.get("body")
    text = raw if isinstance(raw, str) else "" if raw is None else json.dumps(raw)
    data = base64.b64decode(text) if answer.get("isBase64Encoded") else text.encode()
    return status, headers, data


def answer_request(
    handler: Handler,
    route: tuple[str, str],
    *,
    method: str,
    target: str,
    headers: list[tuple[str, str]],
    body: bytes,
) -> Response:
    """Route, invoke and convert: what API Gateway does with one request."""
    if (method, urlsplit(target).path) != route:
        return _NOT_FOUND
    host = next((value for name, value in headers if name.lower() == "host"), "127.0.0.1")
    event = http_api_event(method, target, headers, body, route_key=f"{route[0]} {route[1]}", host=host)
    try:
        return http_response(handler(event))
    except Exception:  # the function failed: API Gateway answers 500 and says nothing more
        return _FAILED


class HttpApi:
    """``POST path`` on 127.0.0.1 invoking ``handler``; one request at a time, like one container."""

    def __init__(self, handler: Handler, *, path: str = "/chat", port: int = 0) -> None:
        self._server = HTTPServer(("127.0.0.1", port), _request_handler(handler, ("POST", path)))
        self._path = path
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{self._path}"

    def start(self) -> HttpApi:
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _request_handler(handler: Handler, route: tuple[str, str]) -> type[BaseHTTPRequestHandler]:
    class Request(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self._answer()

        def do_GET(self) -> None:
            self._answer()

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_PAYLOAD_BYTES:
                self._send((413, [("Content-Type", "application/json")], b'{"message":"Request Too Large"}'))
                return
            body = self.rfile.read(length)
            headers = list(self.headers.items())
            self._send(
                answer_request(
                    handler, route, method=self.command, target=self.path, headers=headers, body=body
                )
            )

        def _send(self, response: Response) -> None:
            status, headers, data = response
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """API Gateway's access log is not the function's: keep the function's log readable."""

    return Request


def _headers(headers: Iterable[tuple[str, str]]) -> tuple[dict[str, str], list[str]]:
    joined: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies += [part.strip() for part in value.split(";") if part.strip()]
            continue
        joined[key] = f"{joined[key]},{value}" if key in joined else value
    return joined, cookies


def _query(raw: str) -> dict[str, str]:
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(raw, keep_blank_values=True):
        values.setdefault(name, []).append(value)
    return {name: ",".join(items) for name, items in values.items()}


def _body(body: bytes, content_type: str) -> tuple[str, bool]:
    """Text as it is; anything else base64-encoded (as API Gateway does for binary media)."""
    textual = content_type.lower().startswith(_TEXT_TYPES) or "+json" in content_type.lower()
    if textual:
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(body).decode("ascii"), True


def _clf_time(moment: float) -> str:
    """``12/Mar/2020:19:03:58 +0000``, API Gateway's ``requestContext.time`` (English months,
    whatever the machine's locale)."""
    stamp = datetime.fromtimestamp(moment, UTC)
    return f"{stamp.day:02d}/{_MONTHS[stamp.month - 1]}/{stamp:%Y:%H:%M:%S} +0000"
