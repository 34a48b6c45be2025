"""Option value types for ``alarm-bot``'s parser: a bad value is argparse's usage error naming the option."""

from __future__ import annotations

import argparse

from alarm_bot_cli.cdk_context import context_pair

MAX_WAIT_SECONDS = 20  # SQS's longest long poll


def context_pair_option(value: str) -> tuple[str, str]:
    """``KEY=VALUE`` for ``--context``."""
    try:
        return context_pair(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def positive_count(value: str) -> int:
    """A whole number of at least 1 (``redrive --max``)."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return int(value)


def wait_seconds(value: str) -> int:
    """Whole seconds from 0 to 20, what an SQS receive may wait (``redrive --wait``)."""
    if not value.isdigit() or int(value) > MAX_WAIT_SECONDS:
        raise argparse.ArgumentTypeError(
            f"expected whole seconds from 0 to {MAX_WAIT_SECONDS}, not {value!r}"
        )
    return int(value)
