"""Inline SVG charts for the HTML report: donuts, score rings and horizontal bars (pure functions).

Each function returns an ``<svg>`` string with a ``data-chart`` attribute naming the chart, its
own ``<title>`` for screen readers, and nothing fetched from anywhere: the report opens offline.

>>> svg = donut([("good", 3, "#1a9e5a"), ("bad", 1, "#e5484d")], chart="health")
>>> svg.startswith("<svg") and 'data-chart="health"' in svg and svg.count("<circle") == 3
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

__all__ = ["GREY", "INDIGO", "bars", "donut", "score_colour", "score_ring"]

GREEN, LIME, AMBER, RED, BLUE, INDIGO, GREY = (
    "#1a9e5a",
    "#7cb342",
    "#f5a623",
    "#e5484d",
    "#3b82f6",
    "#6366f1",
    "#b8c0cc",
)
_TRACK = "#eef1f5"


def score_colour(score: int | None) -> str:
    """The colour of a score: green 90+, lime 75+, amber 50+, red below, grey for none.

    >>> score_colour(95), score_colour(60), score_colour(None)
    ('#1a9e5a', '#f5a623', '#b8c0cc')
    """
    if score is None:
        return GREY
    if score >= 90:
        return GREEN
    if score >= 75:
        return LIME
    if score >= 50:
        return AMBER
    return RED


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def donut(
    segments: Sequence[tuple[str, int, str]],
    *,
    chart: str,
    size: int = 168,
    centre: str | None = None,
    caption: str | None = None,
) -> str:
    """A donut of ``(label, value, colour)`` segments; ``centre`` text in the hole (the total by
    default), ``caption`` under it. Zero values take no arc; an empty donut is a grey ring."""
    total = sum(max(0, v) for _, v, _ in segments)
    radius, stroke = size / 2 - 14, 22
    circumference = 2 * math.pi * radius
    c = size / 2
    parts = [
        f'<circle cx="{_num(c)}" cy="{_num(c)}" r="{_num(radius)}" fill="none" '
        f'stroke="{_TRACK}" stroke-width="{stroke}"/>'
    ]
    offset = 0.0
    for label, value, colour in segments:
        if value <= 0 or total == 0:
            continue
        length = circumference * value / total
        parts.append(
            f'<circle cx="{_num(c)}" cy="{_num(c)}" r="{_num(radius)}" fill="none" '
            f'stroke="{colour}" stroke-width="{stroke}" '
            f'stroke-dasharray="{_num(length)} {_num(circumference - length)}" '
            f'stroke-dashoffset="{_num(-offset)}" transform="rotate(-90 {_num(c)} {_num(c)})">'
            f"<title>{escape(label)}: {value}</title></circle>"
        )
        offset += length
    text = str(total) if centre is None else centre
    parts.append(
        f'<text x="{_num(c)}" y="{_num(c + (0 if caption else 8))}" text-anchor="middle" '
        f'class="donut-centre">{escape(text)}</text>'
    )
    if caption:
        parts.append(
            f'<text x="{_num(c)}" y="{_num(c + 22)}" text-anchor="middle" '
            f'class="donut-caption">{escape(caption)}</text>'
        )
    summary = ", ".join(f"{label} {value}" for label, value, _ in segments)
    return (
        f'<svg class="chart donut" data-chart="{escape(chart)}" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" role="img" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(summary)}</title>{''.join(parts)}</svg>"
    )


def score_ring(score: int | None, *, chart: str = "score", size: int = 132) -> str:
    """A ring filled to ``score`` percent in the score's colour, the score in the middle."""
    if score is None:
        return donut([], chart=chart, size=size, centre="n/a", caption="no score")
    segments = [("score", score, score_colour(score)), ("to fix", 100 - score, _TRACK)]
    return donut(segments, chart=chart, size=size, centre=str(score), caption="of 100")


def bars(
    rows: Sequence[tuple[str, float, str]],
    *,
    chart: str,
    maximum: float | None = None,
    width: int = 560,
    label_width: int = 220,
    value_suffix: str = "",
    links: Sequence[str | None] | None = None,
) -> str:
    """Horizontal bars of ``(label, value, colour)``, longest = ``maximum`` (the largest value
    by default), the value written after each bar; ``links`` make labels anchors (``#id``)."""
    row_height, bar_height = 30, 16
    top = max((v for _, v, _ in rows), default=0)
    scale_to = maximum if maximum is not None else top
    track = width - label_width - 56
    height = max(row_height, row_height * len(rows)) + 4
    parts = []
    for n, (label, value, colour) in enumerate(rows):
        y = n * row_height + 4
        length = 0.0 if not scale_to else track * max(0.0, value) / scale_to
        shown = escape(label if len(label) <= 32 else label[:31] + "…")
        text = (
            f'<text x="{label_width - 10}" y="{y + 13}" text-anchor="end" class="bar-label">'
            f"{shown}<title>{escape(label)}</title></text>"
        )
        link = links[n] if links is not None and n < len(links) else None
        if link:
            text = f'<a href="{escape(link)}">{text}</a>'
        parts.append(
            f"{text}"
            f'<rect x="{label_width}" y="{y}" width="{track}" height="{bar_height}" rx="4" '
            f'fill="{_TRACK}"/>'
            f'<rect class="bar" x="{label_width}" y="{y}" width="{_num(length)}" '
            f'height="{bar_height}" rx="4" fill="{colour}"><title>{escape(label)}: '
            f"{_num(value)}{value_suffix}</title></rect>"
            f'<text x="{_num(label_width + length + 8)}" y="{y + 13}" class="bar-value">'
            f"{_num(value)}{escape(value_suffix)}</text>"
        )
    if not rows:
        parts.append('<text x="0" y="18" class="bar-label">nothing to show</text>')
    return (
        f'<svg class="chart bars" data-chart="{escape(chart)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )
