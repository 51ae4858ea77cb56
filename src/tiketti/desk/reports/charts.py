"""Charts as inline SVG, drawn on the server: no script, no library, readable without CSS.

Each bar is a `<rect class="bar">` with a `<title>` (label and value) for screen readers
and tooltips; the hour-of-week heat map is 7 × 24 `<rect class="cell">`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .figures import Table

WIDTH = 640
BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 220


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(title: str, bars: Sequence[tuple[str, float]]) -> SafeString:
    """A horizontal bar chart, one bar per (label, value), scaled to the largest value."""
    if not bars:
        return mark_safe("")
    largest = max(value for _label, value in bars) or 1.0
    room = WIDTH - LABEL_WIDTH - 60
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        format_html(
            '<svg class="chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="100%"'
            ' xmlns="http://www.w3.org/2000/svg">',
            title,
            WIDTH,
            height,
        )
    ]
    for index, (label, value) in enumerate(bars):
        top = GAP + index * (BAR_HEIGHT + GAP)
        length = max(1.0, room * value / largest) if value else 0.0
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="label">{}</text>'
                '<rect class="bar" x="{}" y="{}" width="{}" height="{}">'
                "<title>{}: {}</title></rect>"
                '<text x="{}" y="{}" class="value">{}</text>',
                LABEL_WIDTH - 8,
                top + BAR_HEIGHT - 4,
                _short(label),
                LABEL_WIDTH,
                top,
                f"{length:.1f}",
                BAR_HEIGHT,
                label,
                _number(value),
                LABEL_WIDTH + length + 6,
                top + BAR_HEIGHT - 4,
                _number(value),
            )
        )
    parts.append(mark_safe("</svg>"))
    # Every part came from format_html (values escaped) or is a literal tag.
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308


CELL = 22


def week_heat_map(title: str, table: Table, weekday_names: Sequence[str]) -> SafeString:
    """Tickets by weekday and hour as shaded cells (rows: Monday…Sunday, columns: 0–23)."""
    counts = {(int(row[0] or 0), int(row[1] or 0)): int(row[2] or 0) for row in table.rows}
    largest = max(counts.values(), default=0) or 1
    left, top = 40, 18
    parts = [
        format_html(
            '<svg class="chart heat-map" role="img" aria-label="{}" viewBox="0 0 {} {}"'
            ' width="100%" xmlns="http://www.w3.org/2000/svg">',
            title,
            left + 24 * CELL,
            top + 7 * CELL,
        )
    ]
    for hour in range(0, 24, 3):
        parts.append(
            format_html('<text x="{}" y="12" class="label">{}</text>', left + hour * CELL + 2, hour)
        )
    for day in range(1, 8):
        y = top + (day - 1) * CELL
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="label">{}</text>',
                left - 4,
                y + CELL - 7,
                weekday_names[day - 1],
            )
        )
        for hour in range(24):
            count = counts.get((day, hour), 0)
            parts.append(
                format_html(
                    '<rect class="cell" x="{}" y="{}" width="{}" height="{}"'
                    ' fill-opacity="{}"><title>{} {}:00 – {}</title></rect>',
                    left + hour * CELL,
                    y,
                    CELL - 2,
                    CELL - 2,
                    f"{0.08 + 0.92 * count / largest:.2f}",
                    weekday_names[day - 1],
                    hour,
                    count,
                )
            )
    parts.append(mark_safe("</svg>"))
    # Every part came from format_html (values escaped) or is a literal tag.
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308
