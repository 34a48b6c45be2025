"""Google Chat's own part: people's messages, signed requests to the app, what Chat does with answers.

When someone adds the app, writes to it or clicks one of its buttons, Chat sends the app an event
with a bearer token it signed (``iss`` chat@system, ``aud`` the project number), then shows the
app's synchronous answer: a new message (the welcome card, a command's reply, in the thread of
what was said), or, for a click answered with ``UPDATE_MESSAGE``, the clicked card replaced. This
does the same against the Chat function's local endpoint, signing with a key generated at start
whose certificate the function fetches from ``CHAT_CERTS_URL``. Everything a space shows is kept by
the Chat API stand-in, so Chat's own writes go through it too, as another client of the API: the
page draws one list of messages, whoever wrote them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests
from google.auth.transport.requests import AuthorizedSession

from alarm_bot.delivery.credentials import chat_credentials
from playground import chat_events
from playground.chat_events import Person, PlaygroundSpace
from playground.config import PROJECT_NUMBER
from tests.support.chat_api import FakeChatApi
from tests.support.google_tokens import FakeGoogleCerts

REPLY = {"messageReplyOption": "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"}
REQUEST_TIMEOUT = 30.0  # Chat waits this long for an app's answer


@dataclass(frozen=True)
class Answer:
    """What the app answered: its HTTP status, the message Chat showed (if any) and how."""

    status: int
    elapsed_ms: int
    shown: str | None = None  # "NEW_MESSAGE", "UPDATE_MESSAGE", or None: nothing to show
    message: dict[str, Any] | None = None
    error: str | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "elapsedMs": self.elapsed_ms,
            "shown": self.shown,
            "message": self.message,
            "error": self.error,
        }


class GoogleChat:
    """Chat between the page and the app: the spaces it is in, the events, the answers shown."""

    def __init__(
        self,
        api: FakeChatApi,
        certs: FakeGoogleCerts,
        endpoint_url: str,
        bot: Mapping[str, str],
        *,
        locale: str = "en",
        time_zone: str = "UTC",
    ) -> None:
        self._api = api
        self._certs = certs
        self._endpoint = endpoint_url
        self.bot = dict(bot)
        self._locale = locale
        self._time_zone = time_zone
        account = api.service_account(name="google-chat", key_name="google-chat")
        self._writer = AuthorizedSession(chat_credentials(account.info))  # type: ignore[no-untyped-call]
        self._lock = threading.Lock()
        self.members: set[str] = set()  # spaces the app is in

    def close(self) -> None:
        self._writer.close()  # type: ignore[no-untyped-call]

    # --- what people do ---------------------------------------------------------------------------

    def add_app(self, space: PlaygroundSpace, user: Person) -> Answer:
        """Someone adds the app: ``ADDED_TO_SPACE``, and the answer (the welcome) in a new thread."""
        with self._lock:
            self.members.add(space.name)
        answer = self.send(chat_events.membership("ADDED_TO_SPACE", space, user))
        return self._show(space, answer, thread=None)

    def remove_app(self, space: PlaygroundSpace, user: Person) -> Answer:
        """Someone removes the app: ``REMOVED_FROM_SPACE``; Chat shows no answer to it."""
        with self._lock:
            self.members.discard(space.name)
        return self.send(chat_events.membership("REMOVED_FROM_SPACE", space, user))

    def say(self, space: PlaygroundSpace, user: Person, words: str) -> Answer:
        """``@App words`` in a new thread: the message, ``MESSAGE``, the answer in that thread."""
        body = {**chat_events.mention_message(words, self.bot), "sender": user.wire()}
        posted = self._post(space.name, body)
        answer = self.send(chat_events.message(space, user, posted))
        return self._show(space, answer, thread=posted["thread"]["name"])

    def click(
        self,
        space: PlaygroundSpace,
        user: Person,
        message_name: str,
        function: str,
        parameters: Mapping[str, str],
    ) -> Answer:
        """A button of the app's message ``message_name``: ``CARD_CLICKED``, the answer applied."""
        clicked = next((m for m in self._api.messages(space.name) if m["name"] == message_name), None)
        if clicked is None:
            return Answer(status=0, elapsed_ms=0, error=f"no message {message_name} in {space.name}")
        event = chat_events.card_clicked(
            space, user, clicked, function, parameters, locale=self._locale, time_zone=self._time_zone
        )
        answer = self.send(event)
        if answer.shown == "UPDATE_MESSAGE" and answer.message is not None:
            self._patch(message_name, answer.message)
            return answer
        return self._show(space, answer, thread=clicked["thread"]["name"])

    # --- the app's side of the wire ---------------------------------------------------------------

    def send(self, event: dict[str, Any]) -> Answer:
        """POST ``event`` to the app with a freshly signed token, as Chat does for every event."""
        token = self._certs.chat_token(audience=PROJECT_NUMBER)
        started = time.monotonic()
        try:
            response = requests.post(
                self._endpoint,
                json=event,
                headers={"Authorization": f"Bearer {token}"},
                timeout=REQUEST_TIMEOUT,
            )
        except requests.RequestException as error:
            return Answer(status=0, elapsed_ms=_since(started), error=f"the app did not answer: {error}")
        elapsed = _since(started)
        if response.status_code != 200:
            return Answer(status=response.status_code, elapsed_ms=elapsed, error=response.text[:500])
        return _read_answer(response, elapsed)

    def _show(self, space: PlaygroundSpace, answer: Answer, *, thread: str | None) -> Answer:
        """Post the answer's message as Chat would, in ``thread`` (``None``: a thread of its own)."""
        if answer.message is None:
            return answer
        body = dict(answer.message)
        if thread is not None:
            body["thread"] = {"name": thread}
        self._post(space.name, body, query=REPLY if thread is not None else None)
        return answer

    def _post(
        self, space: str, body: Mapping[str, Any], query: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        response = self._writer.post(
            f"{self._api.url}/v1/{space}/messages", json=body, params=query, timeout=10
        )
        response.raise_for_status()
        posted: dict[str, Any] = response.json()
        return posted

    def _patch(self, name: str, message: Mapping[str, Any]) -> None:
        fields = {key: message[key] for key in ("text", "cardsV2") if key in message}
        response = self._writer.patch(
            f"{self._api.url}/v1/{name}", json=fields, params={"updateMask": "text,cards_v2"}, timeout=10
        )
        response.raise_for_status()


def _read_answer(response: requests.Response, elapsed: int) -> Answer:
    """The message in a classic app's answer, and whether it is new or replaces the clicked card."""
    try:
        body = response.json()
    except ValueError:
        return Answer(status=200, elapsed_ms=elapsed, error="the answer is not JSON")
    if not isinstance(body, dict) or not (body.get("text") or body.get("cardsV2")):
        return Answer(status=200, elapsed_ms=elapsed)
    action = body.pop("actionResponse", None)
    kind = action.get("type") if isinstance(action, dict) else None
    shown = "UPDATE_MESSAGE" if kind == "UPDATE_MESSAGE" else "NEW_MESSAGE"
    return Answer(status=200, elapsed_ms=elapsed, shown=shown, message=body)


def _since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
