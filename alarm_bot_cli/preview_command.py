"""``alarm-bot preview FILE``: the message the bot would post, drawn as Google Chat draws it.

FILE is what ``alarm-bot render`` reads (a notification, made into the message by the same
delivery code), or a Chat message already rendered: a JSON object with Message fields such as
``text`` and ``cardsV2`` (what ``render`` prints, a message from the Chat API, a reply wrapped for
an add-on), or a JSON list of them, drawn as one thread, the first message with its replies under
it. ``--as`` decides when the guess would be wrong (``{"text": …}`` is both a plain SNS message and
a text-only Chat message; it is taken as a message).

The page is one self-contained HTML file (:mod:`alarm_bot_cli.preview`), written to ``--html`` or, with
neither option, to standard output; ``--png`` also takes a picture with headless Chromium
(:mod:`alarm_bot_cli.preview_png`). The HTML is written first, so it is there even when Chromium
is not.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from alarm_bot.alarms.parse import parse_notification
from alarm_bot.chat_message import ChatMessage
from alarm_bot.settings import DeliverySettings
from alarm_bot_cli.errors import UsageError
from alarm_bot_cli.output import note
from alarm_bot_cli.parser import PROG
from alarm_bot_cli.preview import page_html
from alarm_bot_cli.preview.styles import PAGE_WIDTH
from alarm_bot_cli.render import _read, _settings, delivered_message, plain_text_warning

# Fields of the Chat API's Message resource: an object made only of these is a message, not a payload.
MESSAGE_FIELDS: Final = frozenset(
    {
        "name", "sender", "createTime", "lastUpdateTime", "deleteTime", "text", "formattedText",
        "cards", "cardsV2", "annotations", "thread", "space", "fallbackText", "actionResponse",
        "argumentText", "slashCommand", "attachment", "matchedUrl", "threadReply",
        "clientAssignedMessageId", "emojiReactionSummaries", "privateMessageViewer",
        "deletionMetadata", "quotedMessageMetadata", "attachedGifs", "accessoryWidgets",
    }
)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    messages, threaded = _messages(args, settings, _read(args.file))
    title = f"{PROG} preview: {_name(args.file)}"
    _write(page_html(messages, title=title, locale=settings.locale, threaded=threaded), args)
    return 0


def _messages(
    args: argparse.Namespace, settings: DeliverySettings, data: bytes | str
) -> tuple[list[ChatMessage], bool]:
    """The messages to draw, and whether they are one thread (given as messages) or separate posts."""
    content = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    given = None if args.read_as == "payload" else chat_messages(_json(content))
    if given is not None:
        return given, True
    if args.read_as == "message":
        raise UsageError(f"{args.file} holds no Chat message (a JSON object with text or cardsV2, or a list)")
    warning = plain_text_warning(data)
    if warning:
        note(f"{PROG} preview: {warning}")
    notifications = parse_notification(content)
    return [delivered_message(n, settings, mention=args.mention) for n in notifications], False


def chat_messages(value: object) -> list[ChatMessage] | None:
    """The Chat message(s) ``value`` holds, or ``None`` when it is not one (then it is a payload)."""
    if isinstance(value, Mapping):
        message = _message(value)
        return None if message is None else [message]
    if isinstance(value, Sequence) and not isinstance(value, str) and value:
        found = [_message(item) if isinstance(item, Mapping) else None for item in value]
        return None if any(message is None for message in found) else [m for m in found if m is not None]
    return None


def _message(value: Mapping[str, Any]) -> ChatMessage | None:
    """A Message, or the message inside an add-on's reply (``hostAppDataAction``) or a dialog's."""
    action = value.get("hostAppDataAction")
    if isinstance(action, Mapping):
        chat = action.get("chatDataAction")
        for key in ("createMessageAction", "updateMessageAction"):
            inner = chat.get(key) if isinstance(chat, Mapping) else None
            if isinstance(inner, Mapping) and isinstance(inner.get("message"), Mapping):
                return dict(inner["message"])
        return None
    if value and set(value) <= MESSAGE_FIELDS and ({"text", "cardsV2", "cards"} & set(value)):
        return dict(value)
    return None


def _json(content: str) -> object:
    try:
        return json.loads(content)
    except ValueError:
        return None


def _write(page: str, args: argparse.Namespace) -> None:
    """The HTML to ``--html`` (or stdout when no file is asked for), then the PNG."""
    if args.html:
        _save(Path(args.html), page)
    elif not args.png:
        sys.stdout.write(page)
        sys.stdout.flush()
    if args.png:
        from alarm_bot_cli.preview_png import screenshot  # noqa: PLC0415 - subprocess and tempfile, 8 ms, only for --png

        screenshot(page, Path(args.png), width=PAGE_WIDTH)


def _save(path: Path, page: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None


def _name(file: str) -> str:
    return "standard input" if file == "-" else Path(file).name
