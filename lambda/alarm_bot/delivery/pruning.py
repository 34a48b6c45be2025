"""Decide which 403/404 answers really mean "this space is gone" before deleting anything.

Google answers 403 when the app was removed from a space and 404 when the space was deleted; the
bot then forgets the space. But a misconfigured Chat app (API disabled, app not configured, a key
from another project) also answers 403/404 — for every space at once. Pruning on those would wipe
the subscriptions table, so such answers are treated as failures: the event is retried and ends in
the dead-letter queue, where the operator sees it, and the spaces stay.
"""

from __future__ import annotations

from collections.abc import Sequence

from alarm_bot.delivery.chat_client import DeliveryOutcome, DeliveryStatus

# Phrases of Google's errors about the caller's setup rather than about one space.
_MISCONFIGURATION_HINTS = ("app not found", "has not been used", "is disabled", "service_disabled")


def misconfigured(outcome: DeliveryOutcome) -> bool:
    error = (outcome.error or "").lower()
    return any(hint in error for hint in _MISCONFIGURATION_HINTS)


def prunable(outcomes: Sequence[DeliveryOutcome]) -> list[DeliveryOutcome]:
    """The outcomes whose spaces may be deleted from the table."""
    gone = [o for o in outcomes if o.status is DeliveryStatus.GONE and not misconfigured(o)]
    if len(gone) > 1 and len(gone) == len(outcomes):
        return []  # every space refusing at once looks like our configuration, not n removals
    return gone
