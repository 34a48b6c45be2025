"""The entry point both HTTP functions share: the Chat route's and the chart route's ``handler``.

Each answers the keep-warm ping before anything else, logs with the Lambda context, builds its
dependencies on the first request and, when the environment is wrong, answers with its own error
response and one log line naming the problem, rather than failing the invocation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger

from alarm_bot.keep_warm import is_keep_warm

DependenciesT = TypeVar("DependenciesT")
LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def http_lambda_handler(
    logger: Logger,
    get_dependencies: Callable[[], DependenciesT],
    handle_request: Callable[[dict[str, Any], DependenciesT], dict[str, Any]],
    *,
    misconfigured: type[Exception],
    misconfigured_log: str,
    misconfigured_response: Callable[[], dict[str, Any]],
) -> LambdaHandler:
    """The function's ``handler``: ``get_dependencies`` raising ``misconfigured`` is a bad setting."""

    @logger.inject_lambda_context(log_event=False, clear_state=True)
    def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
        try:
            dependencies = get_dependencies()
        except misconfigured as error:
            logger.error(misconfigured_log, extra={"reason": str(error)})
            return misconfigured_response()
        return handle_request(event, dependencies)

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if is_keep_warm(event):  # the schedule that keeps the SnapStart version active
            return {"statusCode": 204}
        return handle(event, context)

    return handler
