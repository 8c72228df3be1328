"""A small, dependency-free SVG line chart of one scale's scores over time.

The chart repeats what the table next to it says (the table is the accessible source);
it adds the shape of the course and the interpretation bands behind it. One drawing,
two layouts: the clinician's wide chart, and the patient's phone chart (340 units wide
with 14-unit text, so labels stay at 12 px or more on a 300 px wide screen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

BAND_SHADES = ("#eef6f0", "#f7f2df", "#fbe9dc", "#f8dede", "#f3d3d3", "#efc9c9")


@dataclass(frozen=True)
class ChartLayout:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    font: int
    line_width: int
    dot_radius: int
    date_format: str
    # The phone chart: no middle tick and no axis line, and with many points only the
    # first and last dates fit under the axis.
    compact: bool


CLINICIAN = ChartLayout(560, 200, 40, 28, 12, 28, 11, 2, 4, "%d-%m", compact=False)
PHONE = ChartLayout(340, 190, 34, 18, 22, 30, 14, 3, 5, "%d-%m-%Y", compact=True)


def score_chart_svg(
    points: Sequence[tuple[date, Decimal]],
    *,
    low: Decimal,
    high: Decimal,
    bands: Sequence[tuple[Decimal, Decimal]] = (),
    title: str,
    layout: ChartLayout = CLINICIAN,
) -> str:
    """An SVG line chart; ``bands`` are (min, max) ranges drawn as shaded stripes."""
    lay = layout
    plot_w, plot_h = lay.width - lay.left - lay.right, lay.height - lay.top - lay.bottom
    span = float(high - low) or 1.0

    def y(value: Decimal) -> float:
        return lay.top + plot_h - (float(value - low) / span) * plot_h

    count = len(points)

    def x(index: int) -> float:
        return lay.left + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lay.width} {lay.height}" '
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
            f'<rect x="{lay.left}" y="{top:.1f}" width="{plot_w}" height="{bottom - top:.1f}" '
            f'fill="{shade}"/>'
        )
    ticks = (low, high) if lay.compact else (low, (low + high) / 2, high)
    nudge = (5, 5) if lay.compact else (6, 4)
    parts.extend(
        f'<text x="{lay.left - nudge[0]}" y="{y(tick) + nudge[1]:.1f}" text-anchor="end" '
        f'font-size="{lay.font}" fill="#4a4a4a">{_number(tick)}</text>'
        for tick in ticks
    )
    if not lay.compact:
        parts.append(
            f'<line x1="{lay.left}" y1="{lay.top + plot_h}" x2="{lay.left + plot_w}" '
            f'y2="{lay.top + plot_h}" stroke="#767676"/>'
        )
    coordinates = [(x(i), y(value)) for i, (_, value) in enumerate(points)]
    if len(coordinates) > 1:
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coordinates)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="#0b5c6b" '
            f'stroke-width="{lay.line_width}"/>'
        )
    dated = {0, count - 1} if lay.compact and count > 4 else set(range(count))
    for index, ((when, value), (cx, cy)) in enumerate(zip(points, coordinates, strict=True)):
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{lay.dot_radius}" fill="#0b5c6b"/>')
        parts.append(
            f'<text x="{cx:.1f}" y="{cy - lay.dot_radius - 4:.1f}" text-anchor="middle" '
            f'font-size="{lay.font}" fill="#1a1a1a">{_number(value)}</text>'
        )
        if index in dated:
            anchor = _anchor(lay, index, count)
            parts.append(
                f'<text x="{cx:.1f}" y="{lay.height - 8}" text-anchor="{anchor}" '
                f'font-size="{lay.font}" fill="#4a4a4a">{when.strftime(lay.date_format)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _anchor(layout: ChartLayout, index: int, count: int) -> str:
    """On the phone chart the first and last dates hug the edges so they stay inside."""
    if layout.compact and count > 1 and index in (0, count - 1):
        return "start" if index == 0 else "end"
    return "middle"


def _number(value: Decimal) -> str:
    normalized = value.normalize()
    return format(normalized, "f") if normalized != normalized.to_integral() else str(int(value))
