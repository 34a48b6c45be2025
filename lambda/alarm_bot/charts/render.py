"""Ask CloudWatch to draw a chart and keep the PNG, within a hard time budget.

A chart is a nice-to-have on a card that must arrive: it may cost a few seconds, never the card.
So :meth:`ChartRenderer.start` returns at once with a :class:`PendingChart`, the work runs on a
thread while the caller prepares the rest of the card, and :meth:`PendingChart.result` gives the
public URL, or ``None`` and a reason, by the deadline whatever CloudWatch or S3 are doing.

The budget (default 3 s from ``start``) is enforced twice: botocore's connect and read timeouts
equal it, with a single attempt (a retry could not fit), so a call cannot hang a thread for long;
and the caller stops waiting at the deadline, even if a thread is still busy. A late result is then
dropped, and not written to S3: nobody will show it.

Every failure is one log line (the reason and an AWS error code, never a payload or credentials)
and a :class:`SkipReason` the caller counts as the ``ChartsSkipped`` metric.

Other accounts: GetMetricWidgetImage draws the caller's own account's metrics. Alarms from elsewhere
(the bot can serve several accounts through SNS) need a client with credentials there, e.g. an
assumed role; ``other_accounts`` is where such a factory plugs in. Without one, or when it gives no
client, the chart is skipped as "other account" rather than drawn empty from the wrong account.
"""

from __future__ import annotations

import enum
import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Any, Protocol

import boto3
from aws_lambda_powertools import Logger
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, ReadTimeoutError

from alarm_bot.alarms.model import Alarm
from alarm_bot.charts.ids import chart_key, chart_path, new_chart_id
from alarm_bot.charts.storage import MAX_PNG_BYTES, ChartStoreError, ChartWriter, is_png

logger = Logger(child=True)

DEFAULT_BUDGET_SECONDS = 3.0
MAX_WORKERS = 4
_THROTTLED = frozenset(
    {"Throttling", "ThrottlingException", "LimitExceeded", "LimitExceededException"}
    | {"TooManyRequestsException", "RequestLimitExceeded"}
)
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]{1,2}", re.ASCII)


class SkipReason(enum.StrEnum):
    OTHER_ACCOUNT = "other account"
    BAD_REGION = "bad region"
    TIMEOUT = "timeout"
    THROTTLED = "throttled"
    CLOUDWATCH_ERROR = "cloudwatch error"
    NOT_PNG = "not a png"
    TOO_LARGE = "too large"
    STORE_FAILED = "store failed"
    ERROR = "error"  # a bug or an unexpected exception: still no chart, never a lost card


@dataclass(frozen=True)
class ChartResult:
    """``url`` when the chart is stored and public; otherwise ``None`` and why."""

    url: str | None
    reason: SkipReason | None = None
    chart_id: str | None = None


class WidgetImageClient(Protocol):
    """The one CloudWatch call a renderer makes (a boto3 CloudWatch client is one)."""

    def get_metric_widget_image(self, *, MetricWidget: str, OutputFormat: str = ...) -> Mapping[str, Any]: ...


# (account, region) to a client with credentials there, or None when there is none.
OtherAccountClients = Callable[[str, str], WidgetImageClient | None]
_ClientSource = Callable[[], WidgetImageClient | None]


def widget_image_client(region: str, budget: float, *, endpoint_url: str | None = None) -> WidgetImageClient:
    """A CloudWatch client whose one attempt cannot outlast ``budget`` per connect and per read."""
    config = Config(
        connect_timeout=budget, read_timeout=budget, retries={"total_max_attempts": 1, "mode": "standard"}
    )
    client: WidgetImageClient = boto3.client(
        "cloudwatch", region_name=region, config=config, endpoint_url=endpoint_url
    )
    return client


class _FirstResult:
    """The first result wins: the worker's, or the waiter's timeout. Only the winner logs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value: ChartResult | None = None

    def settle(self, result: ChartResult) -> bool:
        with self._lock:
            if self.value is not None:
                return False
            self.value = result
            return True

    @property
    def settled(self) -> bool:
        with self._lock:
            return self.value is not None


class PendingChart:
    """A chart being drawn; :meth:`result` returns by the deadline."""

    def __init__(
        self, future: Future[None] | None, outcome: _FirstResult, deadline: float, alarm_key: str
    ) -> None:
        self._future = future
        self._outcome = outcome
        self._deadline = deadline
        self._alarm_key = alarm_key

    def done(self) -> bool:
        return self._outcome.settled

    def result(self) -> ChartResult:
        if self._future is not None:
            try:
                self._future.result(timeout=max(self._deadline - time.monotonic(), 0.0))
            except (FutureTimeout, CancelledError):  # late, or queued behind busy threads at close()
                timeout = ChartResult(None, SkipReason.TIMEOUT)
                if self._outcome.settle(timeout):
                    _log_skip(timeout.reason, self._alarm_key, "deadline")
        # Settled by now: by the worker, by the timeout above, or in start().
        return self._outcome.value or ChartResult(None, SkipReason.ERROR)


class ChartRenderer:
    """Draws charts with CloudWatch and stores them; safe to share across invocations and threads."""

    def __init__(
        self,
        store: ChartWriter,
        public_base_url: str,
        *,
        account: str,
        region: str,
        budget_seconds: float = DEFAULT_BUDGET_SECONDS,
        own_clients: Callable[[str], WidgetImageClient] | None = None,
        other_accounts: OtherAccountClients | None = None,
        new_id: Callable[[], str] = new_chart_id,
    ) -> None:
        if not public_base_url.startswith(("https://", "http://127.0.0.1")):
            raise ValueError("public_base_url must be an https:// URL")
        if budget_seconds <= 0:
            raise ValueError("budget_seconds must be positive")
        self._store = store
        self._base_url = public_base_url.rstrip("/")
        self._account = account
        self._region = region
        self.budget = budget_seconds
        self._own_clients = own_clients or (lambda name: widget_image_client(name, budget_seconds))
        self._other_accounts = other_accounts
        self._new_id = new_id
        self._clients: dict[str, WidgetImageClient] = {}
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    def prepare(self, *regions: str) -> None:
        """Create the own-account clients now (the function's region by default), off the clock.

        Creating a boto3 client reads CloudWatch's model, a noticeable part of a 3 s budget; a
        handler calls this at initialisation (before a SnapStart snapshot) so no chart pays it.
        No network call is made.
        """
        for region in regions or (self._region,):
            self._own_client(region)

    def render(self, alarm: Alarm, widget: Mapping[str, Any]) -> ChartResult:
        """:meth:`start` and wait: for callers with nothing else to do meanwhile (the CLI)."""
        return self.start(alarm, widget).result()

    def start(self, alarm: Alarm, widget: Mapping[str, Any]) -> PendingChart:
        """Begin drawing ``widget`` (from :func:`alarm_bot.charts.widget.chart_widget`) for ``alarm``.

        Returns at once: the client is found or made (an assumed role's too) on the worker thread,
        within the budget; :meth:`prepare` makes the usual one beforehand.
        """
        deadline = time.monotonic() + self.budget
        outcome = _FirstResult()
        source, reason = self._client_source(alarm)
        if source is None:
            outcome.settle(ChartResult(None, reason))
            _log_skip(reason, alarm.key, "no client")
            return PendingChart(None, outcome, deadline, alarm.key)
        body = json.dumps(widget, ensure_ascii=False, separators=(",", ":"))
        future = self._pool().submit(self._draw, source, body, outcome, alarm.key)
        return PendingChart(future, outcome, deadline, alarm.key)

    def close(self) -> None:
        """Stop the worker threads (tests, the CLI); a Lambda container keeps them."""
        with self._lock:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None

    def _client_source(self, alarm: Alarm) -> tuple[_ClientSource | None, SkipReason | None]:
        """How the worker gets its client, decided without I/O; ``None`` and why when it cannot."""
        region = alarm.region or self._region
        if not _REGION.fullmatch(region):
            return None, SkipReason.BAD_REGION
        account = alarm.account
        if account is None or account == self._account:
            return (lambda: self._own_client(region)), None
        factory = self._other_accounts
        if factory is None:
            return None, SkipReason.OTHER_ACCOUNT
        return (lambda: factory(account, region)), None

    def _own_client(self, region: str) -> WidgetImageClient:
        with self._lock:
            if region not in self._clients:
                self._clients[region] = self._own_clients(region)
            return self._clients[region]

    def _pool(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix="chart")
            return self._executor

    def _draw(self, source: _ClientSource, body: str, outcome: _FirstResult, alarm_key: str) -> None:
        try:
            result, detail = self._drawn(source, body, outcome)
        except Exception as error:  # the thread must settle, whatever went wrong
            result, detail = ChartResult(None, SkipReason.ERROR), type(error).__name__
        if outcome.settle(result) and result.reason is not None:
            _log_skip(result.reason, alarm_key, detail)

    def _drawn(self, source: _ClientSource, body: str, outcome: _FirstResult) -> tuple[ChartResult, str]:
        if outcome.settled:  # queued behind busy threads until after the deadline: do not call
            return ChartResult(None, SkipReason.TIMEOUT), "queued"
        client = source()
        if client is None:
            return ChartResult(None, SkipReason.OTHER_ACCOUNT), "no client"
        image, reason, detail = _fetch(client, body)
        if image is None:
            return ChartResult(None, reason), detail
        if outcome.settled:  # the caller has given up: nobody will show it
            return ChartResult(None, SkipReason.TIMEOUT), "late"
        chart_id = self._new_id()
        try:
            self._store.put_png(chart_key(chart_id), image)
        except ChartStoreError as error:
            return ChartResult(None, SkipReason.STORE_FAILED), str(error)
        return ChartResult(self._base_url + chart_path(chart_id), None, chart_id), ""


def _fetch(client: WidgetImageClient, body: str) -> tuple[bytes | None, SkipReason | None, str]:
    """The PNG, or why there is none and a short detail for the log."""
    try:
        response = client.get_metric_widget_image(MetricWidget=body, OutputFormat="png")
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", "unknown"))
        return None, SkipReason.THROTTLED if code in _THROTTLED else SkipReason.CLOUDWATCH_ERROR, code
    except (ReadTimeoutError, ConnectTimeoutError) as error:
        return None, SkipReason.TIMEOUT, type(error).__name__
    except BotoCoreError as error:
        return None, SkipReason.CLOUDWATCH_ERROR, type(error).__name__
    image = response.get("MetricWidgetImage")
    if not isinstance(image, bytes) or not is_png(image):
        return None, SkipReason.NOT_PNG, type(image).__name__
    if len(image) > MAX_PNG_BYTES:
        return None, SkipReason.TOO_LARGE, str(len(image))
    return image, None, ""


def _log_skip(reason: SkipReason | None, alarm_key: str, detail: str) -> None:
    logger.warning("chart skipped", extra={"reason": str(reason), "alarm": alarm_key, "detail": detail})
