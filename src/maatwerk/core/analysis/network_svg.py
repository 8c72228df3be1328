"""A personal network as an SVG picture, legible on a phone.

The variables sit on a circle; an edge is a line (contemporaneous) or an arrow
(temporal, from the beep before to the next), thicker when stronger. A positive edge is
a solid blue line, a negative one a dashed red line, so the sign does not depend on
colour alone. Autoregressions are not drawn. Text is 17 units high in a 340-unit-wide
picture: at least 12 px wherever the picture is 240 px wide or more (a 320 px phone
leaves about 254 px inside a card). A long label is wrapped over up to three lines,
never cut off; two opposite arrows between one pair are drawn as two curves, one to
either side, so they do not overlap. The caller gives the title and a text alternative
(the list of edges in words) next to the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape
from typing import Final

import numpy as np
from numpy.typing import NDArray

SIZE: Final = 340
FONT: Final = 17
BOX_WIDTH: Final = 108
LINE_HEIGHT: Final = 19
WRAP: Final = 10
"""Characters per label line before a line gets wider than the box."""
MAX_LINES: Final = 3
CHAR_WIDTH: Final = 0.6
"""A generous average glyph width of sans-serif text, in font sizes, to size the box."""
CURVE: Final = 36.0
"""How far the control point of an opposite pair's curve lies beside the straight line."""
POSITIVE: Final = "#1a4d8f"
NEGATIVE: Final = "#a4161a"


def _wrap(label: str, width: int = WRAP) -> list[str]:
    """The label's words over at most :data:`MAX_LINES` lines, lines widened as needed so
    that nothing is cut off (a word longer than a line stays whole)."""
    words = label.split() or [label]
    while True:
        lines: list[str] = []
        for word in words:
            if lines and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        if len(lines) <= MAX_LINES:
            return lines
        width += 1


def network_svg(
    labels: Sequence[str],
    weights: NDArray[np.float64],
    *,
    directed: bool,
    title: str,
    element_id: str,
) -> str:
    """The picture of one network: ``weights[j, i]`` is the edge from ``j`` to ``i``
    (directed) or between them (undirected, the upper triangle is read)."""
    p = len(labels)
    centre = SIZE / 2
    radius = SIZE / 2 - 62
    points = [
        (
            centre + radius * math.cos(2 * math.pi * k / p - math.pi / 2),
            centre + radius * math.sin(2 * math.pi * k / p - math.pi / 2),
        )
        for k in range(p)
    ]
    strongest = float(np.abs(weights - np.diag(np.diag(weights))).max()) or 1.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" '
        f'role="img" aria-labelledby="{element_id}-title" class="network-svg" '
        'preserveAspectRatio="xMidYMid meet" width="100%">',
        f'<title id="{element_id}-title">{escape(title)}</title>',
        "<defs>",
    ]
    for name, colour in (("pos", POSITIVE), ("neg", NEGATIVE)):
        parts.append(
            f'<marker id="{element_id}-{name}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    parts.append("</defs>")
    for j in range(p):
        for i in range(p):
            if i == j or (not directed and i < j):
                continue
            weight = float(weights[j, i])
            if weight == 0:
                continue
            # An opposite pair j→i and i→j curves apart; a single arrow stays straight.
            paired = directed and float(weights[i, j]) != 0
            parts.append(
                _edge(points[j], points[i], weight, strongest, directed, paired, element_id)
            )
    for (x, y), label in zip(points, labels, strict=True):
        parts.append(_label(x, y, label))
    parts.append("</svg>")
    return "".join(parts)


def _label(x: float, y: float, label: str) -> str:
    """A box with the whole label, one ``<tspan>`` a line, kept inside the picture."""
    lines = _wrap(label)
    width = max(BOX_WIDTH, max(len(line) for line in lines) * FONT * CHAR_WIDTH + 12)
    width = min(width, SIZE - 4)
    x = min(max(x, width / 2 + 2), SIZE - width / 2 - 2)
    height = LINE_HEIGHT * len(lines) + 10
    first = y - (len(lines) - 1) * LINE_HEIGHT / 2 + FONT / 3
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{first + n * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return (
        f'<rect x="{x - width / 2:.1f}" y="{y - height / 2:.1f}" width="{width:.1f}" '
        f'height="{height}" rx="8" fill="#ffffff" stroke="#333333" stroke-width="1.5"/>'
        f'<text text-anchor="middle" font-size="{FONT}" font-family="sans-serif" '
        f'fill="#111111">{spans}</text>'
    )


def _edge(
    start: tuple[float, float],
    end: tuple[float, float],
    weight: float,
    strongest: float,
    directed: bool,
    paired: bool,
    element_id: str,
) -> str:
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    # Leave the boxes free. The left-hand normal of j→i is the right-hand one of i→j,
    # so the two arrows of an opposite pair bend to either side.
    shift = 6.0 if paired else 0.0
    ox, oy = -uy * shift, ux * shift
    gap_start, gap_end = 30.0, 34.0 if directed else 30.0
    ax, ay = x1 + ux * gap_start + ox, y1 + uy * gap_start + oy
    bx, by = x2 - ux * gap_end + ox, y2 - uy * gap_end + oy
    positive = weight > 0
    colour = POSITIVE if positive else NEGATIVE
    width = 1.5 + 5.0 * abs(weight) / strongest
    dash = "" if positive else ' stroke-dasharray="7 4"'
    marker = f' marker-end="url(#{element_id}-{"pos" if positive else "neg"})"' if directed else ""
    style = f'stroke="{colour}" stroke-width="{width:.1f}"{dash}{marker} stroke-linecap="round"'
    if paired:
        cx, cy = (ax + bx) / 2 - uy * CURVE, (ay + by) / 2 + ux * CURVE
        return (
            f'<path class="edge-curve" d="M{ax:.1f},{ay:.1f} Q{cx:.1f},{cy:.1f} '
            f'{bx:.1f},{by:.1f}" fill="none" {style}/>'
        )
    return f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" {style}/>'
