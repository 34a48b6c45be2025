"""Values from alarms and people, made literal for the ``text`` of a Chat message.

Chat interprets a message's ``text``: ``<users/all>`` notifies everyone in the space,
``<https://…|label>`` (Chat markup) and ``[label](https://…)`` (Markdown, the syntax new Chat apps
default to) are links whose label hides where they go, and a backtick opens or closes a code span.
Anyone who may name an alarm, set its state reason, publish to the topic or type a command would
otherwise decide all of that. Chat has no escape character for it, so :func:`literal` replaces
the characters that open these forms with look-alikes that form nothing (U+2039 for ``<``, U+02CB),
breaks a Markdown link's ``](`` and drops what changes how text reads without being seen (control
characters, bidirectional overrides, zero-width spaces, lone surrogates).

Card widgets are another matter: their text is HTML, escaped with :func:`html.escape` where the
widget is built. The bot's own markup (its ``<users/all>`` when ``mention`` is on, its code spans
around a pattern) is added after the values are made literal, so it still works.
"""

from __future__ import annotations

import re

__all__ = ["code_span", "literal"]

# What opens mentions, links, autolinks and HTML tags (all need ``<``; a lone ``>``, as in
# CloudWatch's "OK -> ALARM", forms none of them), and code spans.
_LOOK_ALIKES = {ord("<"): "\u2039", ord("`"): "\u02cb"}
# Invisible characters that reorder or hide text: C0/C1 controls (not tab and newline, handled
# below), bidirectional embeddings, overrides, isolates and marks, zero-width space, word joiner,
# byte-order mark. Joiners (U+200C, U+200D) stay: emoji sequences and some scripts need them.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x00, 0x09),
        *range(0x0B, 0x0D),
        *range(0x0E, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200B,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        0x2060,
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
)
_TABLE = {**_INVISIBLE, **_LOOK_ALIKES}
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n|[\r\u2028\u2029]")
_MARKDOWN_LINK = re.compile(r"\](?=[(:\[])")  # [label](url), [label]: url, [label][ref]
_SPACES = re.compile(r"[\t\n]+")


def literal(value: str, *, lines: bool = False) -> str:
    """``value`` as Chat shows it, forming no mention, link or code span; one line unless ``lines``."""
    text = _LINE_BREAK.sub("\n", _SURROGATE.sub("\ufffd", value)).translate(_TABLE)
    text = _MARKDOWN_LINK.sub("] ", text)
    return text if lines else _SPACES.sub(" ", text)


def code_span(value: str) -> str:
    """``value`` in backticks it cannot close (its own backticks are look-alikes)."""
    return f"`{literal(value)}`"
