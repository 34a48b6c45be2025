"""Pictures of Chat messages: a message (or a thread) drawn in HTML the way Google Chat draws it.

``alarm-bot preview`` and ``make screenshots`` use it, and a local playground can: it is pure
(string in, string out) and imports neither boto3 nor anything that talks to AWS or Google.

* :func:`message_html`: one message as an HTML fragment;
* :func:`thread_html`: a message with its replies under it;
* :func:`page_html`: a whole self-contained page (inline CSS and SVG icons, no script).

Everything that came from a message is escaped, except the small HTML subset Chat itself renders
in card text, which is rebuilt from scratch (:mod:`alarm_bot_cli.preview.markup`).
"""

from __future__ import annotations

from alarm_bot_cli.preview.page import message_html, page_html, thread_html

__all__ = ["message_html", "page_html", "thread_html"]
