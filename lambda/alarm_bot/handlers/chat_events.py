"""Lambda handler behind the HTTP API route that Google Chat calls.

Request → verify (Google-signed bearer token) → parse (classic or add-on event) → act (store,
reply) → wrap the reply in the request's format. Every outcome is a small JSON response: 401 for
an unverified caller, 400 for a body that is not a Chat event, 500 without details when storage
fails. Nothing is written before the request is verified and parsed. Tokens and message text are
never logged.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from aws_lambda_powertools import Logger

from alarm_bot import snapstart
from alarm_bot.chat.actions import ChatBot
from alarm_bot.chat.events import ChatEvent, MalformedEvent, UnusedEvent, parse_chat_event
from alarm_bot.chat.reply_envelope import wrap_reply
from alarm_bot.chat.verify import CertificatesUnavailable, ChatRequestVerifier, VerificationError
from alarm_bot.handlers.http_entry import http_lambda_handler
from alarm_bot.log_lines import log_line
from alarm_bot.settings import Settings, SettingsError
from alarm_bot.store.alarm_messages import DynamoAlarmMessages
from alarm_bot.store.digests import DynamoDigests
from alarm_bot.store.spaces import DynamoSpaceStore
from alarm_bot.whole_text import whole_characters

if TYPE_CHECKING:
    from alarm_bot.alarms.firing import FiringList, FiringSource

logger = Logger(json_serializer=log_line)

# Imported lazily on first use; with SnapStart they are loaded before the snapshot instead.
PREWARM_MODULES = (
    "alarm_bot.chat.status",
    "alarm_bot.cloudwatch.firing_alarms",
    "alarm_bot.alarms.firing",
    "alarm_bot.chat.alarm_clicks",
    "requests",
    "boto3",
)
snapstart.prepare(PREWARM_MODULES)

MAX_BODY_BYTES = 256 * 1024


class Verifier(Protocol):
    def verify(self, authorization: str | None) -> Any: ...


@dataclass(frozen=True)
class ChatDependencies:
    verifier: Verifier
    bot: ChatBot


_dependencies: ChatDependencies | None = None


class _FiringOnFirstStatus:
    """CloudWatch's alarms in ALARM (``CloudWatchFiring``), its module imported by the first ``status``."""

    def __init__(self) -> None:
        self._source: FiringSource | None = None

    def firing(self) -> FiringList:
        if self._source is None:
            from alarm_bot.cloudwatch.firing_alarms import CloudWatchFiring  # noqa: PLC0415 - cold start: 3 ms, status only

            self._source = CloudWatchFiring()
        return self._source.firing()


def build_dependencies(settings: Settings) -> ChatDependencies:
    """Wire the real verifier and DynamoDB store; tests call this with their own settings."""
    store = DynamoSpaceStore(settings.subscriptions_table, settings.bot_id)
    messages = DynamoAlarmMessages(settings.subscriptions_table, settings.bot_id)
    digests = DynamoDigests(settings.subscriptions_table, settings.bot_id)
    bot = ChatBot(settings, store, messages=messages, firing=_FiringOnFirstStatus(), digests=digests)
    return ChatDependencies(verifier=ChatRequestVerifier(settings), bot=bot)


def _get_dependencies() -> ChatDependencies:
    global _dependencies  # noqa: PLW0603 - reused across invocations of a warm container
    if _dependencies is None:
        _dependencies = build_dependencies(Settings.from_env())
    return _dependencies


def handle_request(event: dict[str, Any], dependencies: ChatDependencies) -> dict[str, Any]:
    try:
        dependencies.verifier.verify(_authorization(event))
    except CertificatesUnavailable as error:
        # Our outage, not a forgery: fail closed, but loudly enough to alarm on.
        logger.error("cannot fetch Google's signing certificates", extra={"reason": str(error)})
        return _response(401, {"error": "unauthorized"})
    except VerificationError as error:
        logger.warning("rejected unverified request", extra={"reason": str(error)})
        return _response(401, {"error": "unauthorized"})
    try:
        chat_event = parse_chat_event(_json_body(event))
    except MalformedEvent as error:
        logger.warning("rejected malformed event", extra={"reason": str(error)})
        return _response(400, {"error": str(error)})
    if isinstance(chat_event, UnusedEvent):
        logger.info("ignored an event the bot has no use for", extra={"event": chat_event.name})
        return _response(200, {})
    return _act(chat_event, dependencies.bot)


handler = http_lambda_handler(
    logger,
    _get_dependencies,
    handle_request,
    misconfigured=SettingsError,
    misconfigured_log="bot is misconfigured",
    misconfigured_response=lambda: _response(500, {"error": "the bot is misconfigured; see its logs"}),
)


def _act(chat_event: ChatEvent, bot: ChatBot) -> dict[str, Any]:
    context = {
        "kind": chat_event.kind.value,
        "format": chat_event.format.value,
        "space": chat_event.space.name,
    }
    try:
        outcome = bot.handle(chat_event)
    except Exception:
        logger.exception("failed to handle chat event", extra=context)
        return _response(500, {"error": "internal error"})
    logger.info("handled chat event", extra={**context, "action": outcome.action})
    return _response(200, wrap_reply(chat_event, outcome.message, update=outcome.update))


def _authorization(event: dict[str, Any]) -> str | None:
    """The header in any capitalisation; a direct invoke can send anything, which counts as none.

    Read by hand, as the body is: Powertools' ``APIGatewayProxyEventV2`` would give these two
    fields, but importing its package costs 15-40 ms of every cold start (measured).
    """
    headers = event.get("headers")
    for key, value in headers.items() if isinstance(headers, dict) else ():
        if isinstance(key, str) and key.lower() == "authorization" and isinstance(value, str):
            return value
    return None


def _json_body(event: dict[str, Any]) -> Any:
    """The body as JSON; not Powertools' ``json_body``, which has no size limit, drops characters
    that are not base64 and raises on lone surrogates, where this answers 400 or writes U+FFFD.
    """
    raw = event.get("body")
    if not isinstance(raw, str) or not raw:
        raise MalformedEvent("request body is empty")
    if len(raw) > MAX_BODY_BYTES * 2:
        raise MalformedEvent("request body is too large")
    try:
        data = (
            base64.b64decode(raw, validate=True)
            if event.get("isBase64Encoded")
            else raw.encode("utf-8", "surrogatepass")
        )
        if len(data) > MAX_BODY_BYTES:
            raise MalformedEvent("request body is too large")
        return whole_characters(json.loads(data.decode("utf-8", "surrogatepass")))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise MalformedEvent("request body is not valid JSON") from None


def _response(status: int, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json; charset=utf-8"},
        "body": json.dumps(body, ensure_ascii=False),
    }
