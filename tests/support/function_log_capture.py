"""A Lambda function's log lines, as CloudWatch Logs would receive them, for tests to read."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from aws_lambda_powertools import Logger


@contextmanager
def captured_function_logs(function_logger: Logger, *also: str) -> Iterator[io.StringIO]:
    """Everything at INFO and above that ``function_logger`` (and the loggers named in ``also``)
    writes while the block runs, formatted by the function's own handler (Powertools' JSON lines)."""
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(function_logger.registered_handler.formatter)
    capture.setLevel(logging.INFO)
    loggers = {logging.getLogger(name) for name in (function_logger.name, *also)}
    for each in loggers:
        each.addHandler(capture)
    try:
        yield stream
    finally:
        for each in loggers:
            each.removeHandler(capture)
