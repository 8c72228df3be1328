"""A small SVG chart of one score's course, sized for a phone.

The clinician chart (:mod:`maatwerk.web.questionnaires.charts`) is 560 units wide with
11-unit labels, which a phone shrinks to about 7 px; this one is 340 units wide with
14-unit labels, so text stays at 12 px or more on a 300 px wide screen. The table and
sentences next to it say the same in words (the chart is decoration for screen readers'
users: it carries an ``aria-label`` that summarizes it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from html import escape

WIDTH, HEIGHT = 340, 190
LEFT, RIGHT, TOP, BOTTOM = 34, 18, 22, 30
FONT = 14
BAND_SHADES = ("#eef6f0", "#f7f2df", "#fbe9dc", "#f8dede", "#f3d3d3", "#efc9c9")


def course_chart_svg(
    points: Sequence[tuple[date, Decimal]],
    *,
    low: Decimal,
    high: Decimal,
    bands: Sequence[tuple[Decimal, Decimal]] = (),
    label: str,
) -> str:
    """An SVG line chart of ``points`` (date, value) between ``low`` and ``high``."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    span = float(high - low) or 1.0

    def y(value: Decimal) -> float:
        return TOP + plot_h - (float(value - low) / span) * plot_h

    count = len(points)

    def x(index: int) -> float:
        return LEFT + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}" class="score-chart">',
        f"<title>{escape(label)}</title>",
    ]
    ordered = sorted(bands)
    for index, (band_low, band_high) in enumerate(ordered):
        upper = ordered[index + 1][0] if index + 1 < len(ordered) else band_high
        top, bottom = y(min(upper, high)), y(max(band_low, low))
        parts.append(
            f'<rect x="{LEFT}" y="{top:.1f}" width="{plot_w}" height="{bottom - top:.1f}" '
            f'fill="{BAND_SHADES[index % len(BAND_SHADES)]}"/>'
        )
    parts.extend(
        f'<text x="{LEFT - 5}" y="{y(tick) + 5:.1f}" text-anchor="end" font-size="{FONT}" '
        f'fill="#4a4a4a">{_number(tick)}</text>'
        for tick in (low, high)
    )
    coordinates = [(x(i), y(value)) for i, (_, value) in enumerate(points)]
    if len(coordinates) > 1:
        path = " ".join(f"{cx:.1f},{cy:.1f}" for cx, cy in coordinates)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#0b5c6b" stroke-width="3"/>')
    # With many points only the first and last dates fit under the axis.
    dated = {0, count - 1} if count > 4 else set(range(count))
    for index, ((when, value), (cx, cy)) in enumerate(zip(points, coordinates, strict=True)):
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="#0b5c6b"/>')
        parts.append(
            f'<text x="{cx:.1f}" y="{cy - 9:.1f}" text-anchor="middle" font-size="{FONT}" '
            f'fill="#1a1a1a">{_number(value)}</text>'
        )
        if index in dated:
            anchor = (
                "start"
                if index == 0 and count > 1
                else "end"
                if index == count - 1 and count > 1
                else "middle"
            )
            parts.append(
                f'<text x="{cx:.1f}" y="{HEIGHT - 8}" text-anchor="{anchor}" font-size="{FONT}" '
                f'fill="#4a4a4a">{when:%d-%m-%Y}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _number(value: Decimal) -> str:
    normalized = value.normalize()
    return format(normalized, "f") if normalized != normalized.to_integral() else str(int(value))
