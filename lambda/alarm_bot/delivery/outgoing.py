"""What a space is sent for one notification, before threading: the rendered card as delivered.

An ALARM card gets its Acknowledge and Mute buttons (addressed as the deployment requires, see
:mod:`alarm_bot.alarms.card_buttons`) and, for spaces that asked for it, a variant with ``<users/all>``;
every other notification goes out as rendered. The message is then kept within Chat's limits with
room for the ``thread`` delivery adds.

Pure, and kept apart from :mod:`alarm_bot.delivery.cards` (which stores and edits cards, and so
imports boto3 and Powertools), so that ``alarm-bot render`` shows what delivery sends by calling
this same code, without loading what only a delivery needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from alarm_bot.alarms.alarm_text import AlarmText
from alarm_bot.alarms.card_buttons import button_target
from alarm_bot.alarms.card_facts import CardState
from alarm_bot.alarms.card_state import interactive_message, with_mention
from alarm_bot.alarms.model import Alarm, AlarmState, Notification
from alarm_bot.alarms.render_limits import MESSAGE_BYTES_LIMIT, TEXT_LIMIT, fit_message, message_bytes
from alarm_bot.alarms.render_widgets import more_row
from alarm_bot.settings import DeliverySettings

if TYPE_CHECKING:
    from alarm_bot.alarms.space_record import SpaceRecord

Message = dict[str, Any]


def opens_card(notification: Notification) -> TypeGuard[Alarm]:
    """Only an ALARM gets buttons, a mention and a stored card."""
    return isinstance(notification, Alarm) and notification.state is AlarmState.ALARM


@dataclass(frozen=True)
class OutgoingCard:
    """The message each space gets for one notification: the same card, mention or not."""

    plain: Message
    mentioning: Message

    def for_space(self, space: SpaceRecord) -> Message:
        return self.mentioning if space.mention else self.plain


def outgoing_card(notification: Notification, base: Message, settings: DeliverySettings) -> OutgoingCard:
    """``base`` as rendered, plus buttons and a mention variant when it is an ALARM."""
    if not opens_card(notification):
        return OutgoingCard(base, base)
    target = button_target(add_on=settings.add_on, endpoint_url=settings.chat_endpoint_url)
    state = CardState(since=alarm_since(notification, 0.0))  # nothing has happened to it yet
    card = interactive_message(
        base, notification.key, state, target=target, locale=settings.locale, time_zone=settings.time_zone
    )
    return OutgoingCard(card, with_mention(card))


def within_limits(message: Message, thread: dict[str, str] | None, locale: str) -> Message:
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
