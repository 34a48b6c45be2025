"""What a flush passes to every digest render, taken once from the delivery settings.

Posting a digest, redrawing it for an edit and announcing an update in its thread must all speak
the same locale, time zone and account names, and the messages must address the same buttons.
"""

from __future__ import annotations

from typing import TypedDict

from alarm_bot.alarms.card_buttons import ButtonTarget, button_target
from alarm_bot.alarms.places import AccountNames
from alarm_bot.settings import DeliverySettings


class DigestTextArgs(TypedDict):
    """The keyword arguments every digest render takes from the settings."""

    locale: str
    time_zone: str
    now: float
    account_names: AccountNames


class DigestCardArgs(DigestTextArgs):
    """A digest message's render also addresses its buttons."""

    target: ButtonTarget | None


def digest_text_args(settings: DeliverySettings, now: float) -> DigestTextArgs:
    """For the renders that draw text only (the thread's update notes)."""
    return {
        "locale": settings.locale,
        "time_zone": settings.time_zone,
        "now": now,
        "account_names": settings.account_names,
    }


def digest_card_args(settings: DeliverySettings, now: float) -> DigestCardArgs:
    """For the renders that draw the digest card itself, buttons and all."""
    target = button_target(add_on=settings.add_on, endpoint_url=settings.chat_endpoint_url)
    return {**digest_text_args(settings, now), "target": target}
