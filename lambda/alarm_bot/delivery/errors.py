"""Short, secret-free descriptions of delivery failures, for outcomes and logs.

Exception strings from requests/urllib3 are long (pool reprs, full URLs) and google-auth's may carry
the token endpoint's response. Outcomes want one readable phrase an operator can act on, so these
helpers name the failure class (timeout, refused connection, rejected grant…) and keep Google's own
error message when there is one: it explains what is wrong with a card.
"""

from __future__ import annotations

import requests
from google.auth import exceptions as google_exceptions
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
)

MAX_REASON = 300


# Checked in order, so a subclass comes before its base class.
_PHRASES: tuple[tuple[type[BaseException], str], ...] = (
    (requests.exceptions.InvalidJSONError, "the message is not JSON-serializable"),
    (requests.exceptions.ConnectTimeout, "connect timed out"),
    (requests.exceptions.ReadTimeout, "read timed out"),
    (NewConnectionError, "could not connect"),
    (ConnectTimeoutError, "connect timed out"),
    (ReadTimeoutError, "read timed out"),
    (ProtocolError, "connection dropped"),
    (ResponseError, "too many retries"),
)


def describe_exception(error: BaseException) -> str:
    """One phrase for a transport or token failure (no URLs, headers or bodies)."""
    if isinstance(error, google_exceptions.RefreshError):
        return f"token endpoint refused: {_first_arg(error)}"
    if isinstance(error, google_exceptions.TransportError):
        cause = error.__cause__ or (error.args[0] if error.args else None)
        return describe_exception(cause) if isinstance(cause, BaseException) else "token endpoint unreachable"
    for candidate in (error, _wrapped(error)):
        for kind, phrase in _PHRASES:
            if isinstance(candidate, kind):
                return phrase
    return type(error).__name__


def _wrapped(error: BaseException) -> BaseException | None:
    """The urllib3 error requests wraps: ``ConnectionError(MaxRetryError(reason=...))``."""
    inner = error.args[0] if error.args else None
    if isinstance(inner, MaxRetryError):
        return inner.reason
    return inner if isinstance(inner, BaseException) else None


def google_error_message(response: requests.Response) -> str:
    """``STATUS: message`` from a Google API error body, else the HTTP reason phrase."""
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        status = error.get("status")
        text = f"{status}: {error['message']}" if isinstance(status, str) else error["message"]
        return _clip(text)
    return _clip(response.reason or "no reason given")


def _first_arg(error: BaseException) -> str:
    return _clip(str(error.args[0])) if error.args else type(error).__name__


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"
