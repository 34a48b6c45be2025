"""Act on a parsed Chat event: keep the space store in step and choose the reply.

State changes go through the :class:`ChatSpaceStore` interface (and, for alarm card buttons,
:mod:`alarm_bot.chat.alarm_clicks`), so tests can run it against moto or any substitute. Commands
are validated before anything is written: a bad argument gets a precise reply and leaves the record
untouched.

Card clicks and the firing-alarm list of ``status`` are the rare events; their modules are imported
when one arrives (with SnapStart, before the snapshot), so a cold start does not pay for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger

from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat.button_clicks import is_alarm_click
from alarm_bot.chat.commands import Command, CommandArgumentError, UnknownCommand, read_command
from alarm_bot.chat.events import ChatEvent, EventKind
from alarm_bot.chat.reply_envelope import ChatOutcome
from alarm_bot.chat.reply_messages import (
    help_message,
    quote_terms,
    receives_summary,
    space_label,
    text_message,
    welcome_message,
)
from alarm_bot.chat_message import ChatMessage
from alarm_bot.i18n import Translator
from alarm_bot.literal import literal
from alarm_bot.settings import Settings
from alarm_bot.store.spaces import ChatSpaceStore
from alarm_bot.timefmt import format_epoch, utc_iso

if TYPE_CHECKING:
    from alarm_bot.alarms.firing import FiringSource
    from alarm_bot.chat.alarm_clicks import AlarmClicks
    from alarm_bot.chat.status import Firing
    from alarm_bot.store.alarm_messages import AlarmMessageStore
    from alarm_bot.store.digests import DynamoDigests

__all__ = ["ChatBot"]

logger = Logger(child=True)
# Commands a button may run: read-only ones, so a stale card can never change a subscription. The
# alarm card's own buttons (acknowledge, mute here) are the only state-changing clicks.
_BUTTON_COMMANDS = ("help", "status")


class ChatBot:
    def __init__(
        self,
        settings: Settings,
        store: ChatSpaceStore,
        clock: Callable[[], float] = time.time,
        *,
        messages: AlarmMessageStore | None = None,
        firing: FiringSource | None = None,
        digests: DynamoDigests | None = None,
    ) -> None:
        self._settings = settings
        self._store = store
        self._clock = clock
        self._t = Translator(settings.locale)
        self._firing = firing
        self._messages = messages
        self._digests = digests
        self._alarm_clicks: AlarmClicks | None = None

    def handle(self, event: ChatEvent) -> ChatOutcome:
        if event.kind is EventKind.ADDED_TO_SPACE:
            self._store.put(self._record_for(event))
            label = space_label(event.space.display_name, event.space.name)
            return ChatOutcome(welcome_message(self._t, label), "space_added")
        if event.kind is EventKind.REMOVED_FROM_SPACE:
            removed = self._store.remove(event.space.name)
            return ChatOutcome(None, f"space_removed:{removed}")
        if event.kind is EventKind.CARD_CLICKED and is_alarm_click(event.action, event.parameters):
            # Not a proof of membership worth re-adding a removed space for: the card is history.
            clicks = self._clicks()
            if clicks is None:
                return ChatOutcome(text_message(self._t("unknown_action")), "unknown_action")
            return clicks.handle(event)
        # Any other interaction proves the bot is in the space: remember spaces the old bot or a
        # lost ADDED_TO_SPACE event left out.
        self._store.put_if_absent(self._record_for(event))
        if event.kind is EventKind.CARD_CLICKED:
            return self._button(event)
        return self._command(event, event.text, event.command_id)

    def _clicks(self) -> AlarmClicks | None:
        """The alarm card buttons' handler, built on the first click (none without a card store)."""
        if self._alarm_clicks is None and self._messages is not None:
            from alarm_bot.chat.alarm_clicks import AlarmClicks  # noqa: PLC0415 - cold start: 4 ms, only card clicks need it

            self._alarm_clicks = AlarmClicks(
                self._settings, self._store, self._messages, self._clock, digests=self._digests
            )
        return self._alarm_clicks

    def _button(self, event: ChatEvent) -> ChatOutcome:
        action = (event.parameters.get("command") or event.action or "").lower()
        if action in _BUTTON_COMMANDS:
            return self._command(event, action, None)
        return ChatOutcome(text_message(self._t("unknown_action")), "unknown_action")

    def _command(self, event: ChatEvent, text: str, command_id: str | None) -> ChatOutcome:
        try:
            command = read_command(
                text, command_id, self._settings.slash_commands, self._settings.account_names
            )
            if isinstance(command, UnknownCommand):
                return ChatOutcome(self._unknown(command.word), "unknown_command")
            return ChatOutcome(self._run(event, command), command.name)
        except CommandArgumentError as error:
            return ChatOutcome(text_message(self._t(f"error_{error.code}", **error.params)), "rejected")

    def _unknown(self, word: str) -> ChatMessage:
        message = help_message(self._t)
        message["text"] = self._t("unknown_command", word=literal(word))
        return message

    def _run(self, event: ChatEvent, command: Command) -> ChatMessage:
        handlers: dict[str, Callable[[str, Command], ChatMessage]] = {
            "help": lambda _space, _command: help_message(self._t),
            "status": lambda space, _command: self._status(space),
            "subscribe": self._subscribe,
            "unsubscribe": lambda space, command: self._unsubscribe(space, command.terms),
            "mute": self._mute,
            "unmute": lambda space, _command: self._unmute(space),
            "mention": self._mention,
        }
        return handlers[command.name](event.space.name, command)

    def _subscribe(self, space: str, command: Command) -> ChatMessage:
        """Adds the terms to the space's filters; the reply says what the space receives now, as
        a new kind of term narrows what the filters already let through."""
        if not command.terms:
            self._store.subscribe_all(space)
            return text_message(self._t("subscribed_all"))
        self._store.add_filters(space, command.terms)
        record = self._store.get(space) or SpaceRecord(space=space, filters=command.terms)
        receives = receives_summary(self._t, record, self._settings.account_names)
        return text_message(self._t("subscribed_filters", receives=receives))

    def _mute(self, space: str, command: Command) -> ChatMessage:
        until = int(self._clock()) + command.mute_seconds
        self._store.set_muted_until(space, until)
        return text_message(self._t("muted", until=format_epoch(until, self._settings.time_zone)))

    def _mention(self, space: str, command: Command) -> ChatMessage:
        self._store.set_mention(space, command.enabled)
        return text_message(self._t("mention_on" if command.enabled else "mention_off"))

    def _status(self, space: str) -> ChatMessage:
        from alarm_bot.chat.status import status_message  # noqa: PLC0415 - cold start: it and alarms.firing, 5 ms, only status

        record = self._store.get(space) or SpaceRecord(space=space)
        firing = self._firing_for(record) if self._firing is not None else None
        return status_message(
            self._t,
            record,
            self._clock(),
            self._settings.time_zone,
            firing,
            account_names=self._settings.account_names,
        )

    def _firing_for(self, record: SpaceRecord) -> Firing:
        from alarm_bot.alarms.firing import for_space  # noqa: PLC0415 - cold start: loaded by _status's import (5 ms)
        from alarm_bot.chat.status import Firing  # noqa: PLC0415 - cold start: loaded by _status's import (5 ms)

        assert self._firing is not None
        try:
            alarms = self._firing.firing()
        except Exception:  # status must still answer when CloudWatch does not (throttled, denied)
            logger.exception("cannot list the alarms in ALARM", extra={"space": record.space})
            return Firing(available=False)
        listed = for_space(record, alarms)
        return Firing(listed.alarms, complete=listed.complete)

    def _unsubscribe(self, space: str, terms: tuple[str, ...]) -> ChatMessage:
        """Removes terms the space has; one it does not have changes nothing and says what it has."""
        t, names = self._t, self._settings.account_names
        if not terms:
            self._store.unsubscribe_all(space)
            return text_message(t("unsubscribed_all"))
        record = self._store.get(space) or SpaceRecord(space=space)
        if not record.filters:
            raise CommandArgumentError("no_patterns")
        missing = tuple(term for term in terms if term not in record.filters)
        if missing:
            raise CommandArgumentError(
                "pattern_not_in_filters",
                patterns=quote_terms(missing, names),
                current=quote_terms(record.filters, names),
            )
        self._store.remove_filters(space, terms)
        remaining = tuple(term for term in record.filters if term not in terms)
        after = SpaceRecord(space=space, filters=remaining, subscribed=record.subscribed)
        return text_message(
            t(
                "unsubscribed_patterns",
                patterns=quote_terms(terms, names),
                receives=receives_summary(t, after, names),
            )
        )

    def _unmute(self, space: str) -> ChatMessage:
        """Ends the space's mute and every mute set from an alarm card."""
        record = self._store.get(space)
        now = self._clock()
        was_muted = record is not None and (
            record.is_muted(now) or any(record.alarm_muted_until(key, now) for key in record.alarm_mutes)
        )
        self._store.clear_mutes(space)
        return text_message(self._t("unmuted" if was_muted else "not_muted"))

    def _record_for(self, event: ChatEvent) -> SpaceRecord:
        return SpaceRecord(
            space=event.space.name,
            display_name=event.space.display_name,
            space_type=event.space.space_type,
            added_by=_who(event),
            added_at=utc_iso(self._clock()),
        )


def _who(event: ChatEvent) -> str:
    if event.user is None:
        return ""
    return event.user.display_name or event.user.name
