"""``alarm-bot doctor``'s "charts": the chart route answers, and the chart bucket stays private.

An alarm card's chart is ``<API>/charts/<id>.png`` (``chatbot_stack/charts.py``), fetched by Google
without credentials. Two things make that work, and keep it safe:

* **The route answers like the chart function.** A GET of a well-formed id that exists nowhere (a
  fresh random one) must be the function's own 404, a ``text/plain`` body. Anything else names a
  fault: a 200 serves an image that does not exist; API Gateway's own 404 (JSON
  ``{"message":"Not Found"}``) means there is no such route; a 503 is the function failing to read
  the bucket (a missing ``s3:ListBucket`` turns every expired chart into AccessDenied, see
  ``alarm_bot.charts.storage``); a 403 or another 5xx is API Gateway or Lambda refusing.
* **The bucket blocks public access**, all four settings: the id in a chart URL is only a secret if
  the bucket cannot be listed or read around the route.

The probe's id is made like a real one (:func:`alarm_bot.charts.ids.new_chart_id`), so it passes
the handler's id check and reaches S3, and it is random, so it can never name an existing chart.
A stack without the ``ChartsBucketName`` output has charts off (``charts=false``) or predates
them: a warning, since cards then simply carry no chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import requests
from botocore.exceptions import ClientError

from alarm_bot.charts.ids import chart_path, new_chart_id
from alarm_bot_cli.aws import error_code
from alarm_bot_cli.doctor_findings import DoctorContext, Finding, Status
from alarm_bot_cli.stack import ENDPOINT_URL

CHARTS_BUCKET: Final = "ChartsBucketName"  # chatbot_stack/stack.py's output (a test keeps them equal)
CHAT_ROUTE: Final = "/chat"
HTTP_TIMEOUT: Final = 10.0
NOT_FOUND: Final = 404
UNAVAILABLE: Final = 503
BLOCK_SETTINGS: Final = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")
REDEPLOY: Final = "deploy the current version with `make deploy`"


def check_charts(context: DoctorContext) -> Finding:
    """Charts on: an unknown chart is the function's 404, and the bucket blocks public access."""
    deployment = context.require_deployment()
    bucket = deployment.stack.outputs.get(CHARTS_BUCKET, "").strip()
    if not bucket:
        return Finding(
            Status.WARN,
            f"charts off: the stack has no {CHARTS_BUCKET} output, so cards carry no chart",
            f"to get them, {REDEPLOY} with charts=true (the default); ignore this if you chose charts=false",
        )
    url = probe_url(deployment.stack.output(ENDPOINT_URL))
    problems = [
        problem
        for problem in (
            bucket_problem(deployment.untyped_client("s3"), bucket),
            route_problem(url),
        )
        if problem is not None
    ]
    if problems:
        return Finding(
            Status.FAIL, "; ".join(detail for detail, _ in problems), "; ".join(fix for _, fix in problems)
        )
    return Finding(
        Status.PASS, f"{url} answers 404 for an unknown chart; bucket {bucket} blocks public access"
    )


def probe_url(endpoint_url: str) -> str:
    """``<API>/charts/<random id>.png`` next to the Chat endpoint (``<API>/chat``)."""
    base = endpoint_url.strip().rstrip("/").removesuffix(CHAT_ROUTE)
    return base + chart_path(new_chart_id())


def bucket_problem(s3: Any, bucket: str) -> tuple[str, str] | None:
    """(detail, fix) when ``bucket``'s Block Public Access is not fully on, else ``None``."""
    block_all = ",".join(f"{setting}=true" for setting in BLOCK_SETTINGS)
    restore = (
        f"aws s3api put-public-access-block --bucket {bucket} --public-access-block-configuration {block_all}"
    )
    try:
        response = s3.get_public_access_block(Bucket=bucket)
    except ClientError as error:
        code = error_code(error)
        if code == "NoSuchBucket":
            return f"bucket {bucket} does not exist", REDEPLOY
        if code == "NoSuchPublicAccessBlockConfiguration":
            return f"bucket {bucket} has no Block Public Access settings", restore
        raise
    settings: Mapping[str, Any] = response.get("PublicAccessBlockConfiguration", {})
    off = [setting for setting in BLOCK_SETTINGS if settings.get(setting) is not True]
    if off:
        return f"bucket {bucket} does not block public access: {', '.join(off)} off", restore
    return None


def route_problem(url: str) -> tuple[str, str] | None:
    """(detail, fix) unless ``url`` (an id that exists nowhere) gets the chart function's own 404."""
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT, allow_redirects=False)
    except requests.RequestException as error:
        reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
        return f"{url} is unreachable: {reason}", "check the API in API Gateway"
    status = response.status_code
    content_type = response.headers.get("Content-Type", "")
    if status == NOT_FOUND and content_type.startswith("text/plain"):
        return None
    if status == NOT_FOUND:
        return f"{url}: API Gateway has no chart route (its own 404)", REDEPLOY
    if response.ok:
        return f"{url} answered HTTP {status} for a chart that does not exist", REDEPLOY
    if status == UNAVAILABLE:
        return (
            f"{url} answered 503: the chart function cannot read the bucket",
            "see the chart function's log; its role needs s3:GetObject on charts/* and s3:ListBucket",
        )
    return f"{url} answered HTTP {status}, expected 404", "see the chart function's log"
