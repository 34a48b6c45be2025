"""The Google Chat API's wire objects, named once: a message and a card widget are JSON objects.

Messages are rendered, edited, stored and sent as plain dicts that go to ``json.dumps`` as they are,
so every module that handles one says so with the same alias rather than a ``dict[str, Any]`` of its
own. A leaf module: it imports nothing of the project, so every layer may use it.
"""

from __future__ import annotations

from typing import Any

ChatMessage = dict[str, Any]  # a Chat API Message resource: text, cardsV2, thread, actionResponse…
CardWidget = dict[str, Any]  # one widget in a card section: decoratedText, textParagraph, buttonList…
