"""Card icons drawn as small inline SVGs, so a preview needs no icon font and no network.

Chat draws ``materialIcon`` from Google's Material Symbols and ``knownIcon`` from its own set. A
preview cannot fetch either (the page is one self-contained file), so this module draws the icons
the bot uses, and a few common ones, as simple outlined shapes in the spirit of Material Symbols;
any other name gets a neutral placeholder that names it in its tooltip. ``iconUrl`` is an image
like any other: drawn only when it is an http(s) URL.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from alarm_bot_cli.preview.markup import plain, safe_url

__all__ = ["icon_html", "svg_icon"]

# name: (outline shapes, glyph shapes). With ``fill`` the outline is filled and the glyph is white.
_CIRCLE = '<circle cx="12" cy="12" r="9"/>'
_BELL = '<path d="M6 17v-6a6 6 0 0 1 12 0v6l1.5 1.5h-15z"/><path d="M10 21h4"/>'
_SHAPES: dict[str, tuple[str, str]] = {
    "error": (_CIRCLE, '<path d="M12 7.5v5.5"/><circle cx="12" cy="16.4" r=".6"/>'),
    "warning": (
        '<path d="M12 3.5 21.5 20h-19z"/>',
        '<path d="M12 9.5v5"/><circle cx="12" cy="17.2" r=".6"/>',
    ),
    "info": (_CIRCLE, '<path d="M12 11v5.5"/><circle cx="12" cy="7.8" r=".6"/>'),
    "check_circle": (_CIRCLE, '<path d="m8 12.3 2.8 2.8L16.3 9.5"/>'),
    "help": (
        _CIRCLE,
        '<path d="M9.6 9.6a2.5 2.5 0 1 1 3.4 2.3c-.7.3-1 .8-1 1.6v.3"/><circle cx="12" cy="17" r=".6"/>',
    ),
    "cancel": (_CIRCLE, '<path d="m9 9 6 6m0-6-6 6"/>'),
    "person": ('<circle cx="12" cy="8" r="3.6"/><path d="M5 20c0-3.6 3.1-6 7-6s7 2.4 7 6z"/>', ""),
    "group": (
        '<circle cx="9" cy="8.5" r="3.2"/><path d="M3 19.5c0-3.2 2.7-5.3 6-5.3s6 2.1 6 5.3z"/>'
        '<path d="M15.5 5.6a3 3 0 0 1 0 5.8M17.5 14.4c2 .7 3.5 2.4 3.5 5.1"/>',
        "",
    ),
    "notifications": (_BELL, ""),
    "notifications_off": (_BELL, '<path d="M3.5 3.5l17 17"/>'),
    "schedule": (_CIRCLE, '<path d="M12 7v5l3.5 2"/>'),
    "event": ('<rect x="3.5" y="5" width="17" height="15" rx="2"/>', '<path d="M3.5 10h17M8 3v4M16 3v4"/>'),
    "email": ('<rect x="3" y="5" width="18" height="14" rx="2"/>', '<path d="m3.5 6.5 8.5 6.5 8.5-6.5"/>'),
    "description": (
        '<path d="M6 3h8l4 4v14H6z"/>',
        '<path d="M14 3v4h4M9 12h6M9 15.5h6"/>',
    ),
    "bookmark": ('<path d="M7 4h10v16l-5-4-5 4z"/>', ""),
    "star": ('<path d="m12 3.5 2.6 5.4 5.9.8-4.3 4.1 1 5.8L12 16.8l-5.2 2.8 1-5.8L3.5 9.7l5.9-.8z"/>', ""),
    "place": (
        '<path d="M12 21s-6.5-6.2-6.5-11.2a6.5 6.5 0 0 1 13 0C18.5 14.8 12 21 12 21z"/>',
        '<circle cx="12" cy="9.8" r="2.3"/>',
    ),
    "link": (
        "",
        '<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3'
        'a4 4 0 0 0 5.7 5.7l1-1"/>',
    ),
    "open_in_new": (
        "",
        '<path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5"/>',
    ),
    "more_vert": (
        "",
        '<circle cx="12" cy="5.5" r="1.2"/><circle cx="12" cy="12" r="1.2"/>'
        '<circle cx="12" cy="18.5" r="1.2"/>',
    ),
    "check": ("", '<path d="m5 12.5 4.5 4.5L19 7.5"/>'),
    "close": ("", '<path d="m6 6 12 12M18 6 6 18"/>'),
    "search": ("", '<circle cx="10.5" cy="10.5" r="6"/><path d="m15 15 5.5 5.5"/>'),
    "cloud": ('<path d="M7 19a4.5 4.5 0 0 1-.6-9A6 6 0 0 1 18 9.5a4.8 4.8 0 0 1-.5 9.5z"/>', ""),
    "lock": ('<rect x="5" y="10" width="14" height="11" rx="2"/>', '<path d="M8 10V7a4 4 0 0 1 8 0v3"/>'),
}
_ALIASES = {
    # knownIcon values, and Material names that draw the same here
    "CLOCK": "schedule",
    "EMAIL": "email",
    "PERSON": "person",
    "MULTIPLE_PEOPLE": "group",
    "DESCRIPTION": "description",
    "BOOKMARK": "bookmark",
    "STAR": "star",
    "MAP_PIN": "place",
    "INVITE": "email",
    "error_outline": "error",
    "report": "warning",
    "warning_amber": "warning",
    "task_alt": "check_circle",
    "help_outline": "help",
    "notifications_active": "notifications",
    "alarm": "schedule",
    "people": "group",
    "calendar_today": "event",
    "article": "description",
    "location_on": "place",
}
_PLACEHOLDER = ('<rect x="5" y="5" width="14" height="14" rx="3"/>', "")


def svg_icon(name: str, *, filled: bool = False, label: str = "") -> str:
    """An inline 24-unit SVG of the icon called ``name`` (Material or known-icon name)."""
    key = name if name in _SHAPES else _ALIASES.get(name, name)
    outline, glyph = _SHAPES.get(key, _PLACEHOLDER)
    if filled and outline:
        outline = outline.replace("/>", ' fill="currentColor"/>')
        glyph = f'<g stroke="#fff">{glyph}</g>' if glyph else ""
    title = f"<title>{html.escape(label or name)}</title>"
    return (
        '<svg class="icon" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" '
        f'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">'
        f"{title}{outline}{glyph}</svg>"
    )


def icon_html(icon: object) -> str:
    """A card ``Icon`` (``materialIcon``, ``knownIcon`` or ``iconUrl``) as HTML; empty if it is none."""
    if not isinstance(icon, Mapping):
        return ""
    alt = icon.get("altText")
    label = alt if isinstance(alt, str) else ""
    material = icon.get("materialIcon")
    if isinstance(material, Mapping) and isinstance(material.get("name"), str):
        return svg_icon(material["name"], filled=material.get("fill") is True, label=label)
    if isinstance(icon.get("knownIcon"), str):
        return svg_icon(icon["knownIcon"], label=label)
    return _image_icon(icon, label)


def _image_icon(icon: Mapping[str, Any], label: str) -> str:
    url = safe_url(icon.get("iconUrl"))
    if url is None:
        return svg_icon("", label=label or "icon not drawn: no http(s) iconUrl") if "iconUrl" in icon else ""
    shape = "icon-img circle" if icon.get("imageType") == "CIRCLE" else "icon-img"
    return f'<img class="{shape}" src="{html.escape(url)}" alt="{plain(label)}" width="24" height="24">'
