"""Card text as Google Chat renders it: a small HTML subset kept, everything else shown as typed.

Chat renders the text of a card (``decoratedText.text``, ``textParagraph.text``, a section header)
as HTML limited to ``<b>``, ``<i>``, ``<u>``, ``<s>``, ``<font color>``, ``<a href>`` and ``<br>``.
A preview that passed the text to a browser as it is would run whatever an alarm carried: an alarm
name or state reason is chosen by whoever can create alarms or publish to the topic. So the text
is parsed, the subset is written again from scratch (only the attributes it may have, a colour
that is a colour, a link that is http(s)), and every other tag, comment or stray ``<`` is escaped
and shows as text. The output is always well-formed: what is opened is closed.

Plain-text fields (labels, button text, the card header) go through :func:`plain` instead.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

__all__ = ["card_markup", "plain", "safe_colour", "safe_url"]

_SIMPLE = {"b": "<b>", "i": "<i>", "u": "<u>", "s": "<s>"}
_KEPT = {*_SIMPLE, "font", "a"}  # elements with content; <br> is void
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|[a-zA-Z]{3,20}")
_LINK_REL = 'target="_blank" rel="noopener noreferrer nofollow"'


def plain(text: object) -> str:
    """A plain-text field, escaped so the browser shows exactly its characters."""
    return html.escape(text if isinstance(text, str) else "")


def safe_url(url: object) -> str | None:
    """``url`` when a link or an image may point there (absolute http or https), else ``None``.

    ``javascript:``, ``data:`` and relative URLs are refused, and so is any URL with whitespace or
    control characters, which browsers strip before reading the scheme.
    """
    if not isinstance(url, str) or not url or any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def safe_colour(value: object) -> str | None:
    """A ``#rgb``/``#rrggbb``/``#rrggbbaa`` or named colour, nothing that could leave a CSS value."""
    return value if isinstance(value, str) and _COLOUR.fullmatch(value) else None


def link_open(url: object) -> str | None:
    """The ``<a>`` start tag for ``url``, or ``None`` when it is not a link Chat would open."""
    safe = safe_url(url)
    return None if safe is None else f'<a href="{html.escape(safe)}" {_LINK_REL}>'


def card_markup(text: object) -> str:
    """Card text drawn as Chat draws it: the subset kept, anything else escaped."""
    if not isinstance(text, str) or not text:
        return ""
    parser = _Subset()
    parser.feed(text)
    parser.close()
    return parser.result()


class _Subset(HTMLParser):
    """Writes the allowed subset again; keeps a stack so every element it opens is closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._open: list[tuple[str, str]] = []  # (source tag, closing tag written for it)

    def result(self) -> str:
        while self._open:
            self._out.append(self._open.pop()[1])
        return "".join(self._out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._out.append("<br>")
        elif tag in _KEPT:
            opening, closing = _element(tag, dict(attrs))
            self._out.append(opening)
            self._open.append((tag, closing))
        else:
            self._literal(self.get_starttag_text() or f"<{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._out.append("<br>")
        elif tag not in _KEPT:  # <b/> opens and closes nothing visible
            self._literal(self.get_starttag_text() or f"<{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # browsers read </br> as <br>
            self._out.append("<br>")
        elif tag not in _KEPT:
            self._literal(f"</{tag}>")
        elif any(source == tag for source, _ in self._open):
            while self._open:
                source, closing = self._open.pop()
                self._out.append(closing)
                if source == tag:
                    break

    def handle_data(self, data: str) -> None:
        self._literal(data)

    def handle_comment(self, data: str) -> None:
        self._literal(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self._literal(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self._literal(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self._literal(f"<?{data}>")

    def _literal(self, text: str) -> None:
        self._out.append(html.escape(text, quote=False))


def _element(tag: str, attrs: dict[str, str | None]) -> tuple[str, str]:
    """Start and end tag written for an allowed element; only its one meaningful attribute is read."""
    if tag in _SIMPLE:
        return _SIMPLE[tag], f"</{tag}>"
    if tag == "font":
        colour = safe_colour(attrs.get("color"))
        return (f'<span style="color:{colour}">' if colour else "<span>"), "</span>"
    opening = link_open(attrs.get("href"))
    if opening is None:  # Chat would not open it: the words stay, the link goes
        return '<span class="bad-link" title="not an http(s) link">', "</span>"
    return opening, "</a>"
