"""The bot's command names: the one list that reading, help and every setting check against.

Kept free of imports, so the settings, the stack's config check and the handler's cold start can
all load it for nothing. The order is the order help lists them in.
"""

from __future__ import annotations

from typing import Final

COMMAND_NAMES: Final = ("help", "status", "subscribe", "unsubscribe", "mute", "unmute", "mention")
