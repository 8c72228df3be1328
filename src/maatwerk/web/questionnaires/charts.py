"""A small, dependency-free SVG line chart of one scale's scores over time.

The chart repeats what the table next to it says (the table is the accessible source);
it adds the shape of the course and the interpretation bands behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 28, 12, 28
BAND_SHADES = ("#eef6f0", "#f7f2df", "#fbe9dc", "#f8dede", "#f3d3d3", "#efc9c9")


def score_chart_svg(
    points: Sequence[tuple[datetime, Decimal]],
    *,
    low: Decimal,
    high: Decimal,
    bands: Sequence[tuple[Decimal, Decimal]] = (),
    title: str,
) -> str:
    """An SVG line chart; ``bands`` are (min, max) ranges drawn as shaded stripes."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = float(high - low) or 1.0

    def y(value: Decimal) -> float:
        return TOP + plot_h - (float(value - low) / span) * plot_h

    count = len(points)

    def x(index: int) -> float:
        return LEFT + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="score-chart">',
        f"<title>{escape(title)}</title>",
    ]
    ordered = sorted(bands)
    for index, (band_low, band_high) in enumerate(ordered):
        # Integer bands (0-4, 5-9) meet at the next band's minimum, leaving no gap.
        upper = ordered[index + 1][0] if index + 1 < len(ordered) else band_high
        top, bottom = y(min(upper, high)), y(max(band_low, low))
        shade = BAND_SHADES[index % len(BAND_SHADES)]
        parts.append(
            f'<rect x="{LEFT}" y="{top:.1f}" width="{plot_w}" height="{bottom - top:.1f}" '
            f'fill="{shade}"/>'
        )
    parts.extend(
        f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
        f'fill="#4a4a4a">{_number(tick)}</text>'
        for tick in (low, (low + high) / 2, high)
    )
    parts.append(
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        'stroke="#767676"/>'
    )
    coordinates = [(x(i), y(value)) for i, (_, value) in enumerate(points)]
    if len(coordinates) > 1:
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coordinates)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0b5c6b" stroke-width="2"/>')
    for (when, value), (cx, cy) in zip(points, coordinates, strict=True):
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="#0b5c6b"/>')
        parts.append(
            f'<text x="{cx:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11" '
            f'fill="#4a4a4a">{when:%d-%m}</text>'
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{cy - 8:.1f}" text-anchor="middle" font-size="11" '
            f'fill="#1a1a1a">{_number(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _number(value: Decimal) -> str:
    normalized = value.normalize()
    return format(normalized, "f") if normalized != normalized.to_integral() else str(int(value))
