"""Clicks on an ALARM card's buttons: Acknowledge, and Mute here for 1 hour or 1 day.

Both change state, so a click is believed only after it is read strictly (see
:mod:`alarm_bot.chat.button_clicks`) and matched to what the bot stored when it posted the card: the
space must still be known, the alarm's card still kept, and the clicked message must be that card
(an older card of the same alarm is stale). Every refusal is a short reply, never an error.

Acknowledging or muting answers by replacing the clicked card with the same card redrawn: it now
says who acknowledged and when, or until when the alarm is muted in this space. A mute is stored on
the space record, where the fan-out's routing looks for it. A click on a line of a digest (the
alarm's record names the digest) redraws the whole digest, that line with its new state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from aws_lambda_powertools import Logger

from alarm_bot.alarms.card_buttons import ACKNOWLEDGE, button_target
from alarm_bot.alarms.card_drawing import interactive_message, with_mention
from alarm_bot.alarms.card_facts import Acknowledgement
from alarm_bot.alarms.render_digest import render_digest
from alarm_bot.alarms.space_record import SpaceRecord
from alarm_bot.chat.button_clicks import AlarmClick, InvalidClick, read_alarm_click
from alarm_bot.chat.events import ChatEvent
from alarm_bot.chat.reply_envelope import ChatOutcome
from alarm_bot.chat.reply_messages import text_message
from alarm_bot.i18n import Translator
from alarm_bot.literal import literal
from alarm_bot.settings import Settings
from alarm_bot.store.alarm_messages import AlarmMessage, AlarmMessageStore
from alarm_bot.store.digest_view import view_rows
from alarm_bot.store.digests import DynamoDigests
from alarm_bot.store.spaces import ChatSpaceStore, SpaceNotFound

logger = Logger(child=True)
UNKNOWN_USER = "users/unknown"


class AlarmClicks:
    """Answers clicks on alarm cards from the stored cards and the space records."""

    def __init__(
        self,
        settings: Settings,
        spaces: ChatSpaceStore,
        messages: AlarmMessageStore,
        clock: Callable[[], float] = time.time,
        digests: DynamoDigests | None = None,
    ) -> None:
        self._settings = settings
        self._spaces = spaces
        self._messages = messages
        self._digests = digests
        self._clock = clock
        self._t = Translator(settings.locale)
        self._target = button_target(add_on=settings.add_on, endpoint_url=settings.chat_endpoint_url)

    def handle(self, event: ChatEvent) -> ChatOutcome:
        try:
            click = read_alarm_click(event.action, event.parameters)
        except InvalidClick as error:
            logger.warning("refused a click with unexpected parameters", extra={"reason": str(error)})
            return self._reply("unknown_action", "invalid_click")
        space = self._spaces.get(event.space.name)
        if space is None:
            return self._reply("space_unknown", "unknown_space")
        record = self._messages.get(space.space, click.alarm_key)
        if record is None:
            return self._reply("alarm_unknown", "unknown_alarm")
        if event.message_name and event.message_name != record.message_name:
            return self._reply("alarm_card_stale", "stale_card", alarm=literal(record.alarm_name))
        if click.action == ACKNOWLEDGE:
            return self._acknowledge(event, space, record)
        return self._mute(space, record, click)

    def _acknowledge(self, event: ChatEvent, space: SpaceRecord, record: AlarmMessage) -> ChatOutcome:
        if record.resolved:
            return self._reply("alarm_resolved", "already_resolved", alarm=literal(record.alarm_name))
        now = self._clock()
        user = event.user
        ack = Acknowledgement(
            user=user.name if user else UNKNOWN_USER,
            name=(user.display_name or "") if user else "",
            at=int(now),
        )
        updated = self._messages.acknowledge(space.space, record.alarm_key, ack, now)
        if updated is None:
            return self._reply("alarm_unknown", "unknown_alarm")
        if updated.resolved:
            return self._reply("alarm_resolved", "already_resolved", alarm=literal(record.alarm_name))
        muted_until = space.alarm_muted_until(record.alarm_key, now)
        return self._redrawn(updated, muted_until, space, "acknowledged")

    def _mute(self, space: SpaceRecord, record: AlarmMessage, click: AlarmClick) -> ChatOutcome:
        now = self._clock()
        until = int(now) + click.mute_seconds
        try:
            self._spaces.mute_alarm(space.space, record.alarm_key, until, space.expired_alarm_mutes(now))
        except SpaceNotFound:
            return self._reply("space_unknown", "unknown_space")
        muted = replace(space, alarm_mutes={**space.alarm_mutes, record.alarm_key: until})
        return self._redrawn(record, until, muted, "alarm_muted")

    def _redrawn(
        self, record: AlarmMessage, muted_until: int | None, space: SpaceRecord, action: str
    ) -> ChatOutcome:
        """The clicked card (or digest) redrawn in place as it stands now."""
        if record.digest_id is None or self._digests is None:
            card = interactive_message(
                dict(record.message),
                record.alarm_key,
                record.card_state(muted_until),
                target=self._target,
                locale=self._settings.locale,
                time_zone=self._settings.time_zone,
            )
            return ChatOutcome(card, action, update=True)
        digest = self._digests.get(space.space, record.digest_id)
        if digest is None:  # kept 30 days, like the record; the click counted, the card stays as it is
            return self._reply("digest_gone", action)
        keys = [line.line_key for line in digest.lines if line.line_key != record.alarm_key]
        cards = {**self._messages.get_keys(space.space, keys), record.alarm_key: record}
        now = self._clock()
        message = render_digest(
            view_rows(digest.lines, digest_id=record.digest_id, cards=cards, space=space, now=now),
            locale=self._settings.locale,
            time_zone=self._settings.time_zone,
            target=self._target,
            now=now,
            part=digest.part,
            parts=digest.parts,
            account_names=self._settings.account_names,
        )
        if digest.mentioned:  # redrawn as it was posted
            message = with_mention(message)
        return ChatOutcome(message, action, update=True)

    def _reply(self, key: str, action: str, **params: object) -> ChatOutcome:
        return ChatOutcome(text_message(self._t(key, **params)), action)
