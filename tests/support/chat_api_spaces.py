"""What the Chat API stand-in keeps per space, and how it creates a message in a thread.

Split from :mod:`tests.support.chat_api` (the server and its faults): the space's messages, threads
and request ids, and Google's rules for ``requestId`` (the same id returns the message created
first), for threads (``threadKey`` or ``thread.name`` joins a thread only with a reply option) and
for a message's size (:func:`message_too_large`).
"""

from __future__ import annotations

import datetime
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

MESSAGE_SIZE_LIMIT = 32_000  # bytes of the JSON body, as spaces.messages.create and patch document
REPLY_OPTIONS = ("REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD", "REPLY_MESSAGE_OR_FAIL")


@dataclass(frozen=True)
class RecordedRequest:
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    name: str = ""  # the message a PATCH was for


@dataclass
class StandInSpace:
    messages: list[dict[str, Any]] = field(default_factory=list)
    threads: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # thread name → messages
    thread_keys: dict[str, str] = field(default_factory=dict)  # threadKey → thread name
    by_request_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    patches: list[RecordedRequest] = field(default_factory=list)
    fault_streak: int = 0


def create_message(
    state: StandInSpace, space: str, query: dict[str, str], body: dict[str, Any], ids: itertools.count[int]
) -> tuple[dict[str, Any], bool]:
    """The message for ``body`` (and whether it is new): an earlier one with the same ``requestId``."""
    request_id = query.get("requestId")
    if request_id and request_id in state.by_request_id:
        return state.by_request_id[request_id], False
    thread = _thread_of(state, query, body, lambda: f"{space}/threads/T{next(ids)}")
    now = datetime.datetime.now(datetime.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    content = {key: value for key, value in body.items() if key not in ("name", "thread")}
    message = {
        "name": f"{space}/messages/M{next(ids)}",
        "sender": {"name": "users/app", "type": "BOT"},
        "createTime": now,
        "space": {"name": space},
        "thread": thread,
        **content,
    }
    state.messages.append(message)
    state.threads.setdefault(thread["name"], []).append(message)
    if request_id:
        state.by_request_id[request_id] = message
    return message, True


def _thread_of(
    state: StandInSpace, query: dict[str, str], body: dict[str, Any], new_name: Any
) -> dict[str, str]:
    """Join the key's (or named) thread when a reply option says so, else start a new thread."""
    requested: dict[str, Any] = body["thread"] if isinstance(body.get("thread"), dict) else {}
    key = requested.get("threadKey") or query.get("threadKey")
    replying = query.get("messageReplyOption") in REPLY_OPTIONS
    if replying and requested.get("name") in state.threads:
        return {"name": requested["name"]}
    if replying and key:
        name = state.thread_keys.setdefault(key, new_name())
        return {"name": name, "threadKey": key}
    return {"name": new_name()}


def message_too_large(headers: dict[str, str], body: Any) -> bool:
    """Over 32,000 bytes by either reading of Google's limit: the body as it came over the wire
    (``Content-Length``), or the message as UTF-8 JSON with its characters unescaped."""
    wire = int(headers.get("content-length") or 0)
    return max(wire, len(json.dumps(body, ensure_ascii=False).encode("utf-8"))) > MESSAGE_SIZE_LIMIT
