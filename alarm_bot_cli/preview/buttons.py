"""Card buttons as Chat draws them: pill-shaped, filled in Google blue unless told otherwise.

A button's look follows its ``type`` (``FILLED``, ``FILLED_TONAL``, ``OUTLINED``, ``BORDERLESS``);
a ``color`` forces a filled button of that colour, as Chat documents. A button with neither is
drawn filled, as Chat on the web shows the bot's Acknowledge and Mute buttons. Only an
``openLink`` to an http(s) URL becomes a link; an action or an overflow menu cannot run outside
Chat, so those buttons are inert, with the menu's items in the tooltip so a reader can see them.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

from alarm_bot_cli.preview.icons import icon_html
from alarm_bot_cli.preview.markup import plain, safe_url

__all__ = ["button_html", "button_row"]

_KINDS = {"FILLED": "filled", "FILLED_TONAL": "tonal", "OUTLINED": "outlined", "BORDERLESS": "borderless"}
_LIGHT = 0.6  # relative luminance above which a filled button's text is dark


def button_row(buttons: object) -> str:
    """A ``buttonList``: its buttons side by side, wrapping onto more rows like Chat's."""
    items = buttons if isinstance(buttons, Sequence) and not isinstance(buttons, str) else []
    drawn = "\n".join(button_html(button) for button in items if isinstance(button, Mapping))
    return f'<div class="w buttons">{drawn}</div>' if drawn else ""


def button_html(button: Mapping[str, Any]) -> str:
    """One button: a link for an http(s) ``openLink``, an inert pill for anything else."""
    text = button.get("text") if isinstance(button.get("text"), str) else ""
    icon = icon_html(button.get("icon"))
    classes = ["btn", _kind(button) if text else "icon-only"]
    if button.get("disabled") is True:
        classes.append("disabled")
    style = _colour_style(button.get("color")) if text else ""
    title = _tooltip(button)
    attributes = f'class="{" ".join(classes)}"{style}{title}'
    inner = f"{icon}{f'<span>{plain(text)}</span>' if text else ''}"
    url = _link(button.get("onClick"))
    if url is not None and button.get("disabled") is not True:
        return (
            f'<a {attributes} href="{html.escape(url)}" target="_blank" rel="noopener noreferrer">{inner}</a>'
        )
    return f'<span {attributes} role="button">{inner}</span>'


def _kind(button: Mapping[str, Any]) -> str:
    if isinstance(button.get("color"), Mapping):
        return "filled"
    kind = button.get("type")
    return _KINDS.get(kind, "filled") if isinstance(kind, str) else "filled"


def _link(on_click: object) -> str | None:
    if not isinstance(on_click, Mapping):
        return None
    link = on_click.get("openLink")
    return safe_url(link.get("url")) if isinstance(link, Mapping) else None


def _tooltip(button: Mapping[str, Any]) -> str:
    """``altText``, else the overflow menu's items: what a click would offer."""
    alt = button.get("altText") if isinstance(button.get("altText"), str) else ""
    on_click = button.get("onClick")
    menu = on_click.get("overflowMenu") if isinstance(on_click, Mapping) else None
    items = menu.get("items") if isinstance(menu, Mapping) else None
    if isinstance(items, Sequence) and not isinstance(items, str):
        names = [item.get("text") for item in items if isinstance(item, Mapping)]
        listed = " · ".join(name for name in names if isinstance(name, str))
        alt = f"{alt}: {listed}" if alt and listed else alt or listed
    return f' title="{html.escape(alt)}"' if alt else ""


def _colour_style(colour: object) -> str:
    """Background and text colour of a button with a ``color`` (RGBA as fractions of 1)."""
    if not isinstance(colour, Mapping):
        return ""
    rgb = [_channel(colour.get(name)) for name in ("red", "green", "blue")]
    alpha = _fraction(colour.get("alpha"), default=1.0)
    luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255
    text = "#1f1f1f" if luminance > _LIGHT or alpha < 0.5 else "#ffffff"
    background = f"rgba({rgb[0]},{rgb[1]},{rgb[2]},{alpha:g})"
    return f' style="background:{background};border-color:{background};color:{text}"'


def _channel(value: object) -> int:
    return round(_fraction(value, default=0.0) * 255)


def _fraction(value: object, *, default: float) -> float:
    """A number from 0 to 1 (JSON may give an int, or nothing for 0); anything else is ``default``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return default
    return min(max(float(value), 0.0), 1.0)
