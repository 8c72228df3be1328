"""The network picture (``maatwerk.core.analysis.network_svg``): legible on a phone, the
sign not by colour alone, names escaped."""

from __future__ import annotations

import re

import numpy as np

from maatwerk.core.analysis.network_svg import FONT, SIZE, network_svg

PHONE_CONTENT_WIDTH = 254
"""CSS px inside a card on a 320 px wide phone (1 rem page padding, 1 rem card padding
and the borders)."""


def test_text_is_at_least_12_px_on_a_phone() -> None:
    svg = network_svg(["a", "b"], np.zeros((2, 2)), directed=True, title="t", element_id="n")
    assert f'viewBox="0 0 {SIZE} {SIZE}"' in svg
    sizes = {float(s) for s in re.findall(r'font-size="([0-9.]+)"', svg)}
    assert sizes == {FONT}
    assert FONT * PHONE_CONTENT_WIDTH / SIZE >= 12


def test_positive_solid_negative_dashed_and_arrows_only_when_directed() -> None:
    weights = np.array([[0.3, 0.2, 0.0], [0.0, 0.0, -0.4], [0.0, 0.0, 0.0]])
    directed = network_svg(["a", "b", "c"], weights, directed=True, title="t", element_id="n")
    lines = re.findall(r"<line [^>]*>", directed)
    assert len(lines) == 2  # the autoregression of a is not drawn
    assert "stroke-dasharray" not in lines[0] and 'marker-end="url(#n-pos)"' in lines[0]
    assert "stroke-dasharray" in lines[1] and 'marker-end="url(#n-neg)"' in lines[1]
    symmetric = weights + weights.T
    undirected = network_svg(["a", "b", "c"], symmetric, directed=False, title="t", element_id="m")
    assert len(re.findall(r"<line ", undirected)) == 2
    assert "marker-end" not in undirected


def test_labels_and_title_are_escaped_and_named_for_assistive_technology() -> None:
    svg = network_svg(
        ["<b>", "pijn & moe"], np.zeros((2, 2)), directed=False, title="A & B", element_id="x"
    )
    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg and "pijn &amp;" in svg
    assert 'role="img" aria-labelledby="x-title"' in svg
    assert '<title id="x-title">A &amp; B</title>' in svg


def test_long_labels_are_wrapped_over_lines_not_cut_off() -> None:
    labels = ["Ik til en buk niet", "Mijn rug doet al weken zeer", "moe"]
    svg = network_svg(labels, np.zeros((3, 3)), directed=False, title="t", element_id="w")
    assert "…" not in svg
    shown = [
        " ".join(re.findall(r"<tspan [^>]*>([^<]*)</tspan>", t))
        for t in re.findall(r"<text [^>]*>(.*?)</text>", svg)
    ]
    assert shown == labels
    assert all(1 <= t.count("<tspan") <= 3 for t in re.findall(r"<text .*?</text>", svg))
    assert len(re.findall(r"<tspan ", svg)) > len(labels)  # the long ones use several lines


def test_opposite_arrows_curve_to_either_side_instead_of_overlapping() -> None:
    weights = np.array([[0.0, 0.3, 0.2], [0.25, 0.0, 0.0], [0.0, 0.0, 0.0]])
    svg = network_svg(["pijn", "bang", "moe"], weights, directed=True, title="t", element_id="o")
    curves = re.findall(
        r'<path class="edge-curve" d="M([-\d.]+),([-\d.]+) Q([-\d.]+),([-\d.]+)', svg
    )
    assert len(curves) == 2  # pijn → bang and bang → pijn
    assert len(re.findall(r"<line ", svg)) == 1  # pijn → moe has no opposite: straight
    # Each control point lies on its own side of the straight line between the boxes.
    (ax, ay, c1x, c1y), (bx, by, c2x, c2y) = ([float(v) for v in c] for c in curves)

    def side(px: float, py: float) -> float:
        return (bx - ax) * (py - ay) - (by - ay) * (px - ax)

    assert side(c1x, c1y) * side(c2x, c2y) < 0


def test_arrows_end_outside_the_boxes_so_no_arrowhead_is_hidden() -> None:
    labels = ["Mijn rug doet al weken zeer", "Ik til en buk niet", "moe", "bang"]
    weights = np.zeros((4, 4))
    weights[1, 0] = weights[2, 0] = weights[3, 0] = weights[0, 2] = 0.3
    svg = network_svg(labels, weights, directed=True, title="t", element_id="e")
    boxes = [
        tuple(float(v) for v in box)
        for box in re.findall(
            r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg
        )
    ]
    ends = [
        (float(x), float(y))
        for x, y in re.findall(r'x2="([\d.]+)" y2="([\d.]+)"', svg)
        + re.findall(r'class="edge-curve" d="[^"]* ([\d.]+),([\d.]+)"', svg)
    ]
    assert len(ends) == 4
    for x, y in ends:
        for left, top, width, height in boxes:
            assert not (left < x < left + width and top < y < top + height)
