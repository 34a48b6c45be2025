"""The botocore failures that mean the same thing to an operator, grouped once for every command.

Each group is a tuple for ``isinstance``: a command that words its own advice (the preflight, the
chart of ``render``) still agrees with the others on which errors are a missing credential, an
expired login or an AWS that cannot be reached.
"""

from __future__ import annotations

from typing import Final

from botocore.exceptions import (
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
    SSOError,
    TokenRetrievalError,
)

MISSING_CREDENTIALS: Final = (NoCredentialsError, PartialCredentialsError)
EXPIRED_SSO_LOGIN: Final = (TokenRetrievalError, SSOError)
UNREACHABLE: Final = (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError)
