"""The two ways a command fails on purpose: both are one line on stderr, never a traceback.

A :class:`UsageError` is something wrong in what the operator typed or pointed at (a bad option, a
file that is not a key): exit status 2, as argparse uses. A :class:`CommandError` is the world not
being as expected (no stack, no credentials, an undelivered notification): exit status 1. Either
message says what to do next, because the operator reads nothing else.
"""

from __future__ import annotations

USAGE_STATUS = 2
FAILURE_STATUS = 1


class UsageError(Exception):
    """A problem the user can fix in the command line or its input; exit status 2."""

    status = USAGE_STATUS


class CommandError(Exception):
    """The deployment or AWS is not as the command needs it; exit status 1."""

    status = FAILURE_STATUS
