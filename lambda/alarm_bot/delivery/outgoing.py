"""What a space is sent for one notification, before threading, and the edit that resolves its card.

An ALARM card gets its Acknowledge and Mute buttons (addressed as the deployment requires, see
:mod:`alarm_bot.alarms.card_buttons`) and, for spaces that asked for it, a variant with ``<users/all>``;
every other notification goes out as rendered. The message is then kept within Chat's limits with
room for the ``thread`` delivery adds. When the alarm returns to OK, the stored card is redrawn to
say when it was resolved and how long it lasted, without the buttons (:func:`resolved_message`).

Pure, and free of what only a delivery loads (boto3, Powertools, the stores: types only), so that
``alarm-bot render`` and the README's pictures (``make screenshots``) show what delivery sends by
calling this same code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeGuard

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.card_buttons import button_target
from alarm_bot.alarms.card_drawing import interactive_message, with_mention
from alarm_bot.alarms.card_facts import CardState
from alarm_bot.alarms.model import Alarm, AlarmState, Notification
from alarm_bot.alarms.render_limits import MESSAGE_BYTES_LIMIT, TEXT_LIMIT, fit_message, message_bytes
from alarm_bot.alarms.render_widgets import more_row
from alarm_bot.chat_message import ChatMessage
from alarm_bot.settings import DeliverySettings

if TYPE_CHECKING:
    from alarm_bot.alarms.space_record import SpaceRecord
    from alarm_bot.store.alarm_messages import AlarmMessage


def opens_card(notification: Notification) -> TypeGuard[Alarm]:
    """Only an ALARM gets buttons, a mention and a stored card."""
    return isinstance(notification, Alarm) and notification.state is AlarmState.ALARM


@dataclass(frozen=True)
class OutgoingCard:
    """The message each space gets for one notification: the same card, mention or not."""

    plain: ChatMessage
    mentioning: ChatMessage

    def for_space(self, space: SpaceRecord) -> ChatMessage:
        return self.mentioning if space.mention else self.plain


def outgoing_card(notification: Notification, base: ChatMessage, settings: DeliverySettings) -> OutgoingCard:
    """``base`` as rendered, plus buttons and a mention variant when it is an ALARM."""
    if not opens_card(notification):
        return OutgoingCard(base, base)
    target = button_target(add_on=settings.add_on, endpoint_url=settings.chat_endpoint_url)
    state = CardState(since=alarm_since(notification, 0.0))  # nothing has happened to it yet
    card = interactive_message(
        base, notification.key, state, target=target, locale=settings.locale, time_zone=settings.time_zone
    )
    return OutgoingCard(card, with_mention(card))


def within_limits(message: ChatMessage, thread: dict[str, str] | None, locale: str) -> ChatMessage:
    """The message as sent, mention and thread included, within Chat's limits (cut if need be)."""
    reserve = message_bytes({"thread": thread}) if thread else 0
    if (
        message_bytes(message) + reserve <= MESSAGE_BYTES_LIMIT
        and len(message.get("text") or "") <= TEXT_LIMIT
    ):
        return message
    return fit_message(message, more_row(AlarmText(locale)), reserve=reserve)


def alarm_since(alarm: Alarm, fallback: float) -> float:
    """When the alarm began (epoch seconds), or ``fallback`` for a notification without a time."""
    return alarm.changed_at.timestamp() if alarm.changed_at is not None else fallback


def resolved_message(
    card: AlarmMessage, space: SpaceRecord | None, resolved_at: int, settings: DeliverySettings, now: float
) -> ChatMessage:
    """The stored card redrawn as resolved: status lines kept, buttons gone."""
    muted_until = space.alarm_muted_until(card.alarm_key, now) if space is not None else None
    state = replace(card.card_state(muted_until), resolved_at=resolved_at)
    return interactive_message(
        dict(card.message),
        card.alarm_key,
        state,
        target=None,
        locale=settings.locale,
        time_zone=settings.time_zone,
    )
