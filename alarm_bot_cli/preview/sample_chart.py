"""A stand-in for the PNG CloudWatch's GetMetricWidgetImage returns, for the README's picture.

The card picture needs a chart, and the gallery runs offline with no AWS account, so this draws one
as an SVG from the real widget definition the bot would send
(:func:`alarm_bot.charts.widget.chart_widget`): its title, time window and time zone, its threshold
and state-change annotations, its legend, and data points the caller supplies (in the picture: the
ones the alarm's own reason quotes). It mimics CloudWatch's layout; it is not CloudWatch's drawing,
and the README says so.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

_MARGIN_LEFT, _MARGIN_RIGHT, _TOP, _BOTTOM = 44, 16, 34, 58
_FONT = "font-family='Helvetica, Arial, sans-serif'"


def sample_chart_svg(widget: Mapping[str, Any], points: Sequence[tuple[datetime, float]]) -> str:
    """An SVG of ``widget`` (its ``width`` by ``height``) with ``points`` as the metric's series."""
    width, height = int(widget["width"]), int(widget["height"])
    start, end = _moment(widget["start"]), _moment(widget["end"])
    lines = [h["value"] for h in widget.get("annotations", {}).get("horizontal", [])]
    top = max([*(value for _, value in points), *lines, 1.0]) * 1.2
    plot = _Plot(width, height, start, end, top)
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' {_FONT}>",
        f"<rect width='{width}' height='{height}' fill='#ffffff'/>",
        f"<text x='{_MARGIN_LEFT}' y='20' font-size='13' fill='#16191f'>"
        f"{html.escape(widget['title'])}</text>",
        *plot.grid(),
        *_annotation_marks(plot, widget),
        _series(plot, points),
        _legend(widget, width, height),
        "</svg>",
    ]
    return "\n".join(parts)


class _Plot:
    def __init__(self, width: int, height: int, start: datetime, end: datetime, top: float) -> None:
        self.left, self.right = _MARGIN_LEFT, width - _MARGIN_RIGHT
        self.upper, self.lower = _TOP, height - _BOTTOM
        self.start, self.end, self.top = start, end, top

    def x(self, moment: datetime) -> float:
        share = (moment - self.start) / (self.end - self.start)
        return self.left + share * (self.right - self.left)

    def y(self, value: float) -> float:
        return self.lower - value / self.top * (self.lower - self.upper)

    def grid(self) -> list[str]:
        parts = []
        for step in range(5):
            value = self.top * step / 4
            y = self.y(value)
            parts.append(
                f"<line x1='{self.left}' x2='{self.right}' y1='{y:.1f}' y2='{y:.1f}' stroke='#e9ebed'/>"
            )
            label = (
                f"<text x='{self.left - 6}' y='{y + 4:.1f}' font-size='10' fill='#5f6b7a' text-anchor='end'>"
            )
            parts.append(f"{label}{value:.0f}</text>")
        moment = self.start.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        while moment < self.end:
            x = self.x(moment)
            parts.append(
                f"<text x='{x:.1f}' y='{self.lower + 14}' font-size='10' fill='#5f6b7a' "
                f"text-anchor='middle'>{moment:%H:%M}</text>"
            )
            moment += timedelta(hours=1)
        return parts


def _annotation_marks(plot: _Plot, widget: Mapping[str, Any]) -> list[str]:
    """Every horizontal annotation (a threshold), then every vertical one (a state change)."""
    parts: list[str] = []
    for direction, mark in (("horizontal", _horizontal_mark), ("vertical", _vertical_mark)):
        for line in widget.get("annotations", {}).get(direction, []):
            color = html.escape(line.get("color", "#d13212"))
            parts.extend(mark(plot, line["value"], color, html.escape(line.get("label", ""))))
    return parts


def _horizontal_mark(plot: _Plot, value: Any, color: str, label: str) -> tuple[str, str]:
    """A dashed line across the plot at ``value``, labelled just above its left end."""
    y = plot.y(float(value))
    return (
        f"<line x1='{plot.left}' x2='{plot.right}' y1='{y:.1f}' y2='{y:.1f}' stroke='{color}' "
        "stroke-dasharray='4 3'/>",
        f"<text x='{plot.left + 4}' y='{y - 4:.1f}' font-size='10' fill='{color}'>{label}</text>",
    )


def _vertical_mark(plot: _Plot, value: Any, color: str, label: str) -> tuple[str, str]:
    """A solid line down the plot at the moment ``value``, labelled to the left of its top."""
    x = plot.x(_moment(value))
    return (
        f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{plot.upper}' y2='{plot.lower}' stroke='{color}'/>",
        f"<text x='{x - 4:.1f}' y='{plot.upper + 10}' font-size='10' fill='{color}' "
        f"text-anchor='end'>{label}</text>",
    )


def _series(plot: _Plot, points: Sequence[tuple[datetime, float]]) -> str:
    path = " ".join(f"{plot.x(moment):.1f},{plot.y(value):.1f}" for moment, value in points)
    return f"<polyline points='{path}' fill='none' stroke='#0972d3' stroke-width='2'/>"


def _legend(widget: Mapping[str, Any], width: int, height: int) -> str:
    metric = widget["metrics"][0]
    name = html.escape(str(metric[1])) if len(metric) > 1 else ""
    return (
        f"<rect x='{_MARGIN_LEFT}' y='{height - 22}' width='10' height='10' fill='#0972d3'/>"
        f"<text x='{_MARGIN_LEFT + 16}' y='{height - 13}' font-size='11' fill='#16191f'>{name}</text>"
        f"<text x='{width - _MARGIN_RIGHT}' y='{height - 13}' font-size='10' fill='#5f6b7a' "
        f"text-anchor='end'>UTC{html.escape(widget.get('timezone', ''))}</text>"
    )


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
