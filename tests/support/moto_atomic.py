"""Give moto's DynamoDB the two properties of real DynamoDB that delivery relies on.

* **Per-item atomicity.** DynamoDB applies each write, a conditional ``ADD`` included, atomically.
  moto runs a request's read-modify-write of an item without a lock, so two threads updating one
  item (a shared counter, a lease) can both read the old value, and a failed
  ``TransactWriteItems`` restores a deep copy of the whole table taken before it began, undoing
  other threads' writes meanwhile. Every data call of the backend holds one re-entrant lock here.
* **A Query reads one partition.** moto looks at every item of the table, sorted, for each Query;
  DynamoDB reads the items of the partition asked for. With thousands of delivery records a
  Query then costs moto tens of milliseconds of CPU and a storm benchmark measures moto. Here a
  table's Query without an index sees only the partition's items (moto still applies every
  condition, filter, limit and order to them, so results are the same).

Delivery runs spaces in parallel threads (and the storm benchmark runs several consumers), so
tests and the benchmark apply both. Neither changes a result: they make moto keep the guarantees
the production code relies on, at DynamoDB's cost.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table

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
    """Idempotent: wraps each data call of moto's DynamoDB backend in one lock, and its Query."""
    for name in _CALLS:
        method = getattr(DynamoDBBackend, name)
        if not getattr(method, "_atomic", False):
            setattr(DynamoDBBackend, name, _locked(method))
    if not getattr(Table.query, "_partitioned", False):
        Table.query = _partitioned(Table.query)  # type: ignore[method-assign]


def _locked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    call._atomic = True  # type: ignore[attr-defined]
    return call


def _partitioned(method: Callable[..., Any]) -> Callable[..., Any]:
    """Table.query over the asked partition's items only, when no index is queried."""

    @functools.wraps(method)
    def query(table: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name or hash_key is None:
            return method(table, hash_key, *args, **kwargs)
        partition = table.items.get(hash_key, {})
        items = list(partition.values()) if isinstance(partition, dict) else [partition]
        table.all_items = lambda: items  # type: ignore[method-assign]  # read by moto's query
        try:
            return method(table, hash_key, *args, **kwargs)
        finally:
            del table.all_items

    query._partitioned = True  # type: ignore[attr-defined]
    return query
