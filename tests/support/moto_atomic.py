"""Give moto's DynamoDB the per-item atomicity real DynamoDB has.

DynamoDB applies each write, a conditional ``ADD`` included, atomically. moto runs a request's
read-modify-write of an item without a lock, so two threads updating one item (a shared counter,
a lease) can both read the old value, and a failed ``TransactWriteItems`` restores a deep copy of
the whole table taken before it began, undoing other threads' writes meanwhile. Delivery runs
spaces in parallel threads (and the storm benchmark runs several consumers), so tests and the
benchmark apply this: every data call of the backend holds one re-entrant lock. It changes no
result, only makes moto keep the guarantee the production code relies on.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend

_LOCK = threading.RLock()
_CALLS = (
    "put_item",
    "get_item",
    "update_item",
    "delete_item",
    "query",
    "scan",
    "transact_write_items",
    "batch_get_item",
    "batch_write_item",
)


def make_dynamodb_atomic() -> None:
    """Idempotent: wraps each data call of moto's DynamoDB backend in one lock."""
    for name in _CALLS:
        method = getattr(DynamoDBBackend, name)
        if getattr(method, "_atomic", False):
            continue
        setattr(DynamoDBBackend, name, _locked(method))


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    call._atomic = True  # type: ignore[attr-defined]
    return call
