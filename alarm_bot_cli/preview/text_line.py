"""A message's ``text`` as Google Chat shows it above the cards: Chat's own markup, not HTML.

Chat formats a text message with a few marks (``*bold*``, ``_italic_``, ``~strike~``, backticks
for fixed-width text and blocks), turns ``<users/all>`` into a mention and ``<https://…|label>``
into a link, and shows everything else literally, ``<`` and ``&`` included. So the text is escaped
first and only those forms are drawn; this is also why the bot's :func:`alarm_bot.literal.literal`
changes what alarms put in the text, and the preview shows its look-alikes as Chat does.
"""

from __future__ import annotations

import html
import re

from alarm_bot_cli.preview.markup import link_open, safe_url

__all__ = ["message_text"]

_BLOCK = re.compile(r"```(.*?)```", re.DOTALL)
_CODE = re.compile(r"`([^`\n]+)`")
# <users/all>, <users/123>, <https://…|label>, <https://…>, and a bare http(s) URL.
_SPECIAL = re.compile(
    r"<(?P<user>users/[^>\s]+)>"
    r"|<(?P<url>https?://[^|>\s]+)(?:\|(?P<label>[^>\n]*))?>"
    r"|(?P<bare>https?://[^\s<>|]+)"
)
_MARKS = tuple(
    (re.compile(rf"(?<![\w{mark}])\{mark}(?=[^\s<>])([^{mark}\n<>]*?[^\s<>])\{mark}(?![\w{mark}])"), tag)
    for mark, tag in (("*", "b"), ("_", "i"), ("~", "s"))
)


def message_text(text: object) -> str:
    """The ``text`` field as HTML: Chat's marks drawn, everything else escaped."""
    if not isinstance(text, str):
        return ""
    parts = _BLOCK.split(text)
    return "".join(
        f'<pre class="code-block">{html.escape(part.strip(chr(10)))}</pre>' if index % 2 else _inline(part)
        for index, part in enumerate(parts)
    )


def _inline(text: str) -> str:
    """Code spans first: nothing inside backticks is formatted."""
    parts = _CODE.split(text)
    return "".join(
        f'<code class="code">{html.escape(part)}</code>' if index % 2 else _specials(part)
        for index, part in enumerate(parts)
    )


def _specials(text: str) -> str:
    """Mentions and links, with the marks applied to the text between them."""
    out, last = [], 0
    for match in _SPECIAL.finditer(text):
        out.append(_marked(text[last : match.start()]))
        out.append(_special(match))
        last = match.end()
    out.append(_marked(text[last:]))
    return "".join(out)


def _special(match: re.Match[str]) -> str:
    user = match.group("user")
    if user is not None:
        who = "@all" if user == "users/all" else "@" + user.removeprefix("users/")
        return f'<span class="mention">{html.escape(who)}</span>'
    url = match.group("url") or match.group("bare")
    label = match.group("label")
    opening = link_open(url) if safe_url(url) else None
    shown = html.escape(label if label else url)
    return f"{opening}{shown}</a>" if opening else shown


def _marked(text: str) -> str:
    """Escaped text with ``*bold*``, ``_italic_`` and ``~strike~`` drawn; a mark never spans a tag."""
    escaped = html.escape(text, quote=False)
    for pattern, tag in _MARKS:
        escaped = pattern.sub(rf"<{tag}>\1</{tag}>", escaped)
    return escaped
