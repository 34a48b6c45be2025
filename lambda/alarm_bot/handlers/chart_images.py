"""Lambda handler behind ``GET /charts/{id}.png``: serves the chart images shown on alarm cards.

Google fetches a card's image without credentials, so this route is public; the unguessable id is
the only thing standing between a stranger and a chart (:mod:`alarm_bot.charts.ids`). The handler
therefore answers exactly one question, "is this a chart fetch for an id that exists?":

* ``GET`` (or ``HEAD``) of ``/charts/<id>.png`` with a valid id and an existing object: the PNG,
  base64-encoded for API Gateway, cacheable for a year (a chart never changes; a new one gets a
  new id).
* **Anything else is 404**, with a small plain body: an unknown id, a malformed one (``../``,
  ``%2e%2e``, wrong length or alphabet), another path or another method. Not 405 for a wrong
  method: that would confirm to a scanner that the path is a real resource and need an ``Allow``
  header, for no client that matters (Google only ever GETs). The id is checked against a fixed
  pattern before any S3 call, and the object key is built from the checked id only, so no input
  can name another object; the bucket is never listed.
* S3 failing in another way (throttled, denied, unreachable) is **503** with a plain body and one
  error log line: a retry may work, and a wrong policy must not look like an expired chart.

Reads ``CHARTS_BUCKET``. Nothing from the request is logged but the method and whether the id was
valid: paths are attacker-chosen text.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools import Logger

from alarm_bot.charts.ids import chart_key, id_from_file_name
from alarm_bot.charts.storage import CACHE_CONTROL, CONTENT_TYPE, ChartReader, ChartStoreError, S3Charts
from alarm_bot.env_names import CHARTS_BUCKET
from alarm_bot.handlers.http_entry import http_lambda_handler
from alarm_bot.log_lines import log_line

logger = Logger(json_serializer=log_line)

ROUTE_PREFIX = "/charts/"
_METHODS = frozenset({"GET", "HEAD"})
_NOT_FOUND = "Not found\n"
_UNAVAILABLE = "Temporarily unavailable\n"


@dataclass(frozen=True)
class ChartImageDependencies:
    charts: ChartReader


_dependencies: ChartImageDependencies | None = None


class Misconfigured(Exception):
    """The function's environment lacks what it needs."""


def build_dependencies(environ: Mapping[str, str] | None = None) -> ChartImageDependencies:
    env = os.environ if environ is None else environ
    bucket = env.get(CHARTS_BUCKET, "").strip()
    if not bucket:
        raise Misconfigured(f"{CHARTS_BUCKET} is not set")
    return ChartImageDependencies(charts=S3Charts(bucket))


def _get_dependencies() -> ChartImageDependencies:
    global _dependencies  # noqa: PLW0603 - reused across invocations of a warm container
    if _dependencies is None:
        _dependencies = build_dependencies()
    return _dependencies


def handle_request(event: Mapping[str, Any], dependencies: ChartImageDependencies) -> dict[str, Any]:
    """One HTTP API (payload 2.0) request to its response."""
    method = _method(event)
    chart_id = requested_id(event)
    if method not in _METHODS or chart_id is None:
        logger.info("not a chart fetch", extra={"method": method[:10], "valid_id": chart_id is not None})
        return _plain(404, _NOT_FOUND)
    try:
        body = dependencies.charts.get_png(chart_key(chart_id))
    except ChartStoreError as error:
        logger.error("cannot read chart", extra={"reason": str(error)})
        return _plain(503, _UNAVAILABLE)
    if body is None:
        logger.info("no such chart")
        return _plain(404, _NOT_FOUND)
    return _image(body, head=method == "HEAD")


handler = http_lambda_handler(
    logger,
    _get_dependencies,
    handle_request,
    misconfigured=Misconfigured,
    misconfigured_log="chart route is misconfigured",
    misconfigured_response=lambda: _plain(503, _UNAVAILABLE),
)


def requested_id(event: Mapping[str, Any]) -> str | None:
    """The chart id of ``/charts/<id>.png``, from the raw (undecoded) path; ``None`` otherwise.

    The raw path keeps what the client sent, so ``%2e%2e`` stays three characters that fail the
    id pattern instead of becoming ``..``. A named stage's prefix (``/prod``) is allowed.
    """
    path = event.get("rawPath")
    if not isinstance(path, str):
        return None
    stage = _stage(event)
    if stage and path.startswith(f"/{stage}/"):
        path = path[len(stage) + 1 :]
    if not path.startswith(ROUTE_PREFIX):
        return None
    return id_from_file_name(path[len(ROUTE_PREFIX) :])


def _method(event: Mapping[str, Any]) -> str:
    context = event.get("requestContext")
    http = context.get("http") if isinstance(context, Mapping) else None
    method = http.get("method") if isinstance(http, Mapping) else None
    return method.upper() if isinstance(method, str) else ""


def _stage(event: Mapping[str, Any]) -> str | None:
    context = event.get("requestContext")
    stage = context.get("stage") if isinstance(context, Mapping) else None
    return stage if isinstance(stage, str) and stage and stage != "$default" else None


def _image(body: bytes, *, head: bool) -> dict[str, Any]:
    return {
        "statusCode": 200,
        "headers": {
            "Content-Type": CONTENT_TYPE,
            "Cache-Control": CACHE_CONTROL,
            "X-Content-Type-Options": "nosniff",
        },
        "isBase64Encoded": True,
        "body": "" if head else base64.b64encode(body).decode("ascii"),
    }


def _plain(status: int, text: str) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {
            "Content-Type": "text/plain; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
        "body": text,
    }
