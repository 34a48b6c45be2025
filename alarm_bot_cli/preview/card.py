"""One card v2 as Chat draws it in a message: header, sections with dividers, widgets.

A collapsible section shows its first ``uncollapsibleWidgetsCount`` widgets and hides the rest
behind "Show more", as Chat does; the preview uses ``<details>`` for it, so the page needs no
script and a picture shows the section as a space first sees it, collapsed.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from alarm_bot_cli.preview.buttons import button_html
from alarm_bot_cli.preview.chrome import chrome_text
from alarm_bot_cli.preview.markup import card_markup, plain, safe_url
from alarm_bot_cli.preview.widgets import widgets_html

__all__ = ["card_html"]


def card_html(card: object, *, locale: str) -> str:
    """A ``Card`` (the ``card`` of one ``cardsV2`` entry); an empty card is an empty white box."""
    if not isinstance(card, Mapping):
        return ""
    sections = card.get("sections")
    items = sections if isinstance(sections, Sequence) and not isinstance(sections, str) else []
    divided = " no-dividers" if card.get("sectionDividerStyle") == "NO_DIVIDER" else ""
    body = "\n".join(_section(section, locale) for section in items if isinstance(section, Mapping))
    return (
        f'<div class="card{divided}">\n{_header(card.get("header"))}\n{body}\n'
        f"{_footer(card.get('fixedFooter'))}</div>"
    )


def _header(header: object) -> str:
    """Title and subtitle (plain text), with the image at the start, round for ``CIRCLE``."""
    if not isinstance(header, Mapping):
        return ""
    url = safe_url(header.get("imageUrl"))
    image = ""
    if url is not None:
        shape = "header-img circle" if header.get("imageType") == "CIRCLE" else "header-img"
        alt = plain(header.get("imageAltText"))
        image = f'<img class="{shape}" src="{html.escape(url)}" alt="{alt}" width="40" height="40">'
    title = f'<div class="card-title">{plain(header.get("title"))}</div>' if header.get("title") else ""
    subtitle = header.get("subtitle")
    sub = f'<div class="card-subtitle">{plain(subtitle)}</div>' if subtitle else ""
    if not (image or title or sub):
        return ""
    return f'<div class="card-header">{image}<div class="card-heading">{title}{sub}</div></div>'


def _section(section: Mapping[str, Any], locale: str) -> str:
    header = section.get("header")
    heading = f'<div class="section-header">{card_markup(header)}</div>' if header else ""
    widgets = section.get("widgets")
    items = list(widgets) if isinstance(widgets, Sequence) and not isinstance(widgets, str) else []
    if section.get("collapsible") is True:
        shown = section.get("uncollapsibleWidgetsCount")
        count = shown if isinstance(shown, int) and shown >= 0 else 0
        if count < len(items):
            more = chrome_text(locale, "show_more")
            hidden = widgets_html(items[count:])
            folded = f'<details class="more"><summary>{more}</summary>{hidden}</details>'
            return f'<div class="section">{heading}{widgets_html(items[:count])}{folded}</div>'
    return f'<div class="section">{heading}{widgets_html(items)}</div>'


def _footer(footer: object) -> str:
    """A dialog's fixed footer: secondary then primary button, at the end of the card."""
    if not isinstance(footer, Mapping):
        return ""
    buttons = [footer.get(name) for name in ("secondaryButton", "primaryButton")]
    drawn = "".join(button_html(button) for button in buttons if isinstance(button, Mapping))
    return f'<div class="card-footer">{drawn}</div>' if drawn else ""
