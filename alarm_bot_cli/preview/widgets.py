"""Each kind of card widget as HTML, laid out the way Chat lays it out (cards v2).

Text Chat renders as HTML goes through :func:`~alarm_bot_cli.preview.markup.card_markup`; labels and
titles Chat shows as plain text through :func:`~alarm_bot_cli.preview.markup.plain`. A widget the
preview does not draw (a form input, which a message rarely has) is a dashed box naming it, so a
picture never hides that something is there. Images are external: an ``<img>`` with the URL,
loaded when the page is opened (so an offline picture shows the alt text instead).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from alarm_bot_cli.preview.buttons import button_html, button_row
from alarm_bot_cli.preview.icons import icon_html
from alarm_bot_cli.preview.markup import card_markup, plain, safe_url
from alarm_bot_cli.preview.text_line import message_text

__all__ = ["widget_html", "widgets_html"]

Widget = Mapping[str, Any]
_SIZES = {"FILL_MINIMUM_SPACE": "min"}
_ALIGN = {"CENTER": "center", "END": "end"}
_VERTICAL = {"TOP": "top", "BOTTOM": "bottom"}


def widgets_html(widgets: object) -> str:
    """A list of widgets, in order; anything that is not a widget object is left out."""
    items = widgets if isinstance(widgets, Sequence) and not isinstance(widgets, str) else []
    return "\n".join(widget_html(widget) for widget in items if isinstance(widget, Mapping))


def widget_html(widget: Widget) -> str:
    """One widget by its kind: the first key that names a kind Chat knows."""
    for kind, draw in _DRAW.items():
        body = widget.get(kind)
        if isinstance(body, Mapping):
            return draw(body)
        if kind == "divider" and kind in widget:
            return '<hr class="w divider">'
    names = [key for key in widget if key != "horizontalAlignment"]
    return _not_drawn(names[0] if names else "empty widget", "not drawn by the preview")


def _decorated(body: Widget) -> str:
    """Icon, top label, text, bottom label, and a button, switch or icon at the end."""
    icon = icon_html(body.get("startIcon") or body.get("icon"))
    top = _label("top", body.get("topLabel"), body.get("topLabelText"))
    text = _paragraph_markup(body["contentText"]) if isinstance(body.get("contentText"), Mapping) else None
    main = f'<div class="dt-text">{text if text is not None else card_markup(body.get("text"))}</div>'
    bottom = _label("bottom", body.get("bottomLabel"), body.get("bottomLabelText"))
    classes = "w dt" if body.get("wrapText") is True else "w dt nowrap"
    start = f'<span class="dt-icon">{icon}</span>' if icon else ""
    return f'<div class="{classes}">{start}<div class="dt-body">{top}{main}{bottom}</div>{_end(body)}</div>'


def _label(where: str, text: object, paragraph: object) -> str:
    """A top or bottom label: plain text, or the formatted ``TextParagraph`` that replaces it."""
    if isinstance(paragraph, Mapping):
        return f'<div class="dt-{where}">{_paragraph_markup(paragraph)}</div>'
    if isinstance(text, str) and text:
        return f'<div class="dt-{where}">{plain(text)}</div>'
    return ""


def _end(body: Widget) -> str:
    if isinstance(body.get("button"), Mapping):
        return f'<span class="dt-end">{button_html(body["button"])}</span>'
    switch = body.get("switchControl")
    if isinstance(switch, Mapping):
        kind = "checkbox" if switch.get("controlType") == "CHECKBOX" else "switch"
        on = " on" if switch.get("selected") is True else ""
        return f'<span class="dt-end"><span class="{kind}{on}" role="{kind}"></span></span>'
    icon = icon_html(body.get("endIcon"))
    return f'<span class="dt-end">{icon}</span>' if icon else ""


def _paragraph(body: Widget) -> str:
    lines = body.get("maxLines")
    clamp = f' style="-webkit-line-clamp:{lines}"' if isinstance(lines, int) and 0 < lines < 100 else ""
    clamped = " clamped" if clamp else ""
    return f'<div class="w paragraph{clamped}"{clamp}>{_paragraph_markup(body)}</div>'


def _paragraph_markup(body: Widget) -> str:
    """A ``TextParagraph``'s text: HTML subset, or Chat's text marks with ``textSyntax: MARKDOWN``."""
    if body.get("textSyntax") == "MARKDOWN":
        return message_text(body.get("text"))
    return card_markup(body.get("text"))


def _image(body: Widget) -> str:
    url = safe_url(body.get("imageUrl"))
    alt = plain(body.get("altText"))
    if url is None:
        return _not_drawn("image", "its imageUrl is not an http(s) URL")
    return (
        "<!-- external image: the browser loads it from its URL when the page is opened -->"
        f'<div class="w image"><img src="{html.escape(url)}" alt="{alt}" loading="lazy"></div>'
    )


def _columns(body: Widget) -> str:
    items = body.get("columnItems")
    columns = items if isinstance(items, Sequence) and not isinstance(items, str) else []
    drawn = "\n".join(_column(column) for column in columns if isinstance(column, Mapping))
    return f'<div class="w columns">{drawn}</div>'


def _column(column: Widget) -> str:
    classes = ["column", _SIZES.get(str(column.get("horizontalSizeStyle")), "fill")]
    classes.append("h-" + _ALIGN.get(str(column.get("horizontalAlignment")), "start"))
    classes.append("v-" + _VERTICAL.get(str(column.get("verticalAlignment")), "center"))
    return f'<div class="{" ".join(classes)}">{widgets_html(column.get("widgets"))}</div>'


def _grid(body: Widget) -> str:
    count = body.get("columnCount")
    columns = count if isinstance(count, int) and 1 <= count <= 10 else 2
    title = f'<div class="grid-title">{plain(body.get("title"))}</div>' if body.get("title") else ""
    items = body.get("items")
    cells = items if isinstance(items, Sequence) and not isinstance(items, str) else []
    drawn = "\n".join(_grid_item(item) for item in cells if isinstance(item, Mapping))
    style = f"grid-template-columns:repeat({columns},minmax(0,1fr))"
    return f'<div class="w grid">{title}<div class="grid-items" style="{style}">{drawn}</div></div>'


def _grid_item(item: Widget) -> str:
    image = item.get("image")
    url = safe_url(image.get("imageUri")) if isinstance(image, Mapping) else None
    alt = plain(image.get("altText")) if isinstance(image, Mapping) else ""
    picture = f'<img src="{html.escape(url)}" alt="{alt}" loading="lazy">' if url else ""
    words = f'<div class="grid-item-title">{plain(item.get("title"))}</div>' if item.get("title") else ""
    if item.get("subtitle"):
        words += f'<div class="grid-item-subtitle">{plain(item.get("subtitle"))}</div>'
    above = item.get("layout") == "TEXT_ABOVE"
    return f'<div class="grid-item">{words + picture if above else picture + words}</div>'


def _chips(body: Widget) -> str:
    chips = body.get("chips")
    items = chips if isinstance(chips, Sequence) and not isinstance(chips, str) else []
    drawn = "".join(
        f'<span class="chip">{icon_html(chip.get("icon"))}{plain(chip.get("label"))}</span>'
        for chip in items
        if isinstance(chip, Mapping)
    )
    return f'<div class="w chips">{drawn}</div>'


def _not_drawn(kind: str, why: str) -> str:
    return f'<div class="w not-drawn">{plain(kind)}: {plain(why)}</div>'


_DRAW: dict[str, Callable[[Widget], str]] = {
    "decoratedText": _decorated,
    "textParagraph": _paragraph,
    "buttonList": lambda body: button_row(body.get("buttons")),
    "image": _image,
    "divider": lambda _: '<hr class="w divider">',
    "columns": _columns,
    "grid": _grid,
    "chipList": _chips,
}
