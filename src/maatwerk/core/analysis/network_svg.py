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
from dataclasses import dataclass
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
    boxes = [_box(x, y, label) for (x, y), label in zip(points, labels, strict=True)]
    for j in range(p):
        for i in range(p):
            if i == j or (not directed and i < j):
                continue
            weight = float(weights[j, i])
            if weight == 0:
                continue
            # An opposite pair j→i and i→j curves apart; a single arrow stays straight.
            paired = directed and float(weights[i, j]) != 0
            parts.append(_edge(boxes[j], boxes[i], weight, strongest, directed, paired, element_id))
    parts.extend(_label(box) for box in boxes)
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True, slots=True)
class _Box:
    x: float
    y: float
    width: float
    height: float
    lines: tuple[str, ...]

    def edge_distance(self, ux: float, uy: float) -> float:
        """From the centre to the border along the unit direction (ux, uy), plus a gap."""
        across = self.width / 2 / abs(ux) if ux else math.inf
        down = self.height / 2 / abs(uy) if uy else math.inf
        return min(across, down) + 4.0


def _box(x: float, y: float, label: str) -> _Box:
    """The box of a label: wide enough for its longest line, kept inside the picture."""
    lines = _wrap(label)
    width = max(BOX_WIDTH, max(len(line) for line in lines) * FONT * CHAR_WIDTH + 12)
    width = min(width, SIZE - 4)
    x = min(max(x, width / 2 + 2), SIZE - width / 2 - 2)
    return _Box(x, y, width, LINE_HEIGHT * len(lines) + 10, tuple(lines))


def _label(box: _Box) -> str:
    """A box with the whole label, one ``<tspan>`` a line."""
    x, y, width, height, lines = box.x, box.y, box.width, box.height, box.lines
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
    start: _Box,
    end: _Box,
    weight: float,
    strongest: float,
    directed: bool,
    paired: bool,
    element_id: str,
) -> str:
    (x1, y1), (x2, y2) = (start.x, start.y), (end.x, end.y)
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    # Leave the boxes free. The left-hand normal of j→i is the right-hand one of i→j,
    # so the two arrows of an opposite pair bend to either side.
    shift = 6.0 if paired else 0.0
    ox, oy = -uy * shift, ux * shift
    # The line starts and ends at the boxes' borders, so no box hides an arrowhead.
    gap_start, gap_end = start.edge_distance(ux, uy), end.edge_distance(ux, uy)
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
