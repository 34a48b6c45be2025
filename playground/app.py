"""The page's operations, whatever the HTTP around them: what a person can do, and what they see.

Each operation is one thing a person does in Chat or in AWS (add the app, write to it, click a
button, fire an alarm, start a storm); each returns what happened in JSON, so the page can say
how the app answered. :meth:`Playground.state` is everything the page draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playground.alarm_intake import AlarmIntake
from playground.chat_events import PlaygroundSpace
from playground.google_chat import GoogleChat
from playground.samples import BY_ID, SAMPLES, STATES
from playground.view import SPACES, USER, space_view, version
from tests.support.chat_api import FakeChatApi


class NotFound(LookupError):
    """No such space or sample; the page gets a 404."""


class BadRequest(ValueError):
    """The request lacks something or asks for something impossible; the page gets a 400."""


@dataclass
class Playground:
    chat: GoogleChat
    intake: AlarmIntake
    api: FakeChatApi
    locale: str = "en"

    def state(self, known: str | None = None) -> dict[str, Any]:
        """Everything the page draws; only ``{"version", "same": true}`` when ``known`` is current."""
        spaces = [(space, self.api.messages(space.name)) for space in SPACES]
        members = sorted(self.chat.members)
        current = version([members, [messages for _, messages in spaces]])
        if known == current:
            return {"version": current, "same": True}
        return {
            "version": current,
            "locale": self.locale,
            "user": {"name": USER.display_name},
            "bot": self.chat.bot,
            "spaces": [
                space_view(
                    space,
                    messages,
                    self._first_versions(space),
                    member=space.name in members,
                    locale=self.locale,
                )
                for space, messages in spaces
            ],
            "samples": [{"id": s.id, "label": s.label, "alarm": s.alarm_name} for s in SAMPLES],
        }

    def add(self, space_id: str) -> dict[str, Any]:
        return self.chat.add_app(self._space(space_id), USER).summary()

    def remove(self, space_id: str) -> dict[str, Any]:
        return self.chat.remove_app(self._space(space_id), USER).summary()

    def say(self, space_id: str, body: dict[str, Any]) -> dict[str, Any]:
        space = self._space(space_id)
        words = str(body.get("text", "")).strip()
        if not words:
            raise BadRequest("say something")
        if space.name not in self.chat.members:
            raise BadRequest("add the app to the space first")
        return self.chat.say(space, USER, words[:4000]).summary()

    def click(self, space_id: str, body: dict[str, Any]) -> dict[str, Any]:
        space = self._space(space_id)
        parameters = body.get("parameters")
        if not isinstance(parameters, dict) or not body.get("message") or not body.get("function"):
            raise BadRequest("a click names the message, the function and its parameters")
        pairs = {str(key): str(value) for key, value in parameters.items()}
        return self.chat.click(space, USER, str(body["message"]), str(body["function"]), pairs).summary()

    def fire(self, body: dict[str, Any]) -> dict[str, Any]:
        sample = BY_ID.get(str(body.get("sample", "")))
        state = str(body.get("state", "ALARM"))
        if sample is None:
            raise NotFound(f"no sample {body.get('sample')!r}")
        if state not in STATES:
            raise BadRequest(f"state is one of {', '.join(STATES)}")
        return self.intake.fire(sample, state)

    def storm(self, body: dict[str, Any]) -> dict[str, Any]:
        count = body.get("count", 30)
        if not isinstance(count, int) or not 1 <= count <= 200:
            raise BadRequest("a storm has 1 to 200 alarms")
        return self.intake.fire_storm(count)

    def _space(self, space_id: str) -> PlaygroundSpace:
        for space in SPACES:
            if space.name == f"spaces/{space_id}":
                return space
        raise NotFound(f"no space {space_id!r}")

    def _first_versions(self, space: PlaygroundSpace) -> dict[str, Any]:
        """Each message as it was first posted, to tell which ones were edited since."""
        return {str(message["name"]): message for _, message in self.api.created.get(space.name, [])}
