"""The network beside the vicious circle (``maatwerk.core.analysis.circle_network``).

Hand-made matrices with a known answer: which arrows of a circle the data support, which
they do not show, which strong edges the circle lacks, and adding them as arrows.
"""

from __future__ import annotations

import numpy as np
import pytest

from maatwerk.core.analysis.circle_network import (
    EdgeKind,
    compare_with_circle,
    data_edges,
    with_arrows,
)
from maatwerk.core.formulation import CircleGraph, Edge, FormulationError, Node

CIRCLE = CircleGraph(
    nodes=(
        Node("pain", "complaint", "Pain"),
        Node("fear", "feeling", "Fear"),
        Node("avoid", "behaviour", "Avoiding"),
        Node("weak", "physical", "Weaker muscles"),
    ),
    edges=(
        Edge("pain", "fear"),
        Edge("fear", "avoid"),
        Edge("avoid", "weak"),
        Edge("weak", "pain"),
    ),
)
VARIABLES = ("p", "f", "a", "t")  # pain, fear, avoiding, tired (tired has no box)
LINKS = {"p": "pain", "f": "fear", "a": "avoid"}
# rows = predictor at t − 1, columns = outcome at t
PDC = np.array(
    [
        [0.3, 0.2, 0.0, 0.0],  # p → f (an arrow), p → p (autoregression)
        [0.15, 0.2, 0.0, 0.0],  # f → p: the circle lacks it
        [0.0, 0.0, 0.25, 0.0],
        [0.0, 0.0, -0.3, 0.2],  # t → a: t is not linked
    ]
)
PCC = np.array(
    [
        [0.0, 0.0, 0.0, 0.4],  # p — t: t not linked
        [0.0, 0.0, 0.1, 0.0],  # f — a: supports the arrow fear → avoiding
        [0.0, 0.1, 0.0, 0.0],
        [0.4, 0.0, 0.0, 0.0],
    ]
)


def test_edges_are_listed_strongest_first_without_autoregressions() -> None:
    edges = data_edges(VARIABLES, PDC, PCC, LINKS)
    assert [(e.kind, e.source, e.target, e.weight) for e in edges] == [
        (EdgeKind.CONTEMPORANEOUS, "p", "t", 0.4),
        (EdgeKind.TEMPORAL, "t", "a", -0.3),
        (EdgeKind.TEMPORAL, "p", "f", 0.2),
        (EdgeKind.TEMPORAL, "f", "p", 0.15),
        (EdgeKind.CONTEMPORANEOUS, "f", "a", 0.1),
    ]
    assert edges[0].source_node == "pain" and edges[0].target_node is None


def test_the_circle_compared_with_the_data() -> None:
    found = compare_with_circle(CIRCLE, VARIABLES, PDC, PCC, LINKS)
    assert [
        (c.source_node, c.target_node, c.temporal, c.contemporaneous) for c in found.supported
    ] == [
        ("pain", "fear", 0.2, None),
        ("fear", "avoid", None, 0.1),
    ]
    assert found.not_shown == ()
    # "weak" has no diary question: the data cannot speak to its arrows.
    assert [(a.source, a.target) for a in found.untestable] == [("avoid", "weak"), ("weak", "pain")]
    assert [(e.source, e.target, e.kind) for e in found.missing] == [("f", "p", EdgeKind.TEMPORAL)]
    assert [(e.source, e.target) for e in found.unlinked] == [("p", "t"), ("t", "a")]


def test_an_arrow_without_an_edge_is_not_shown() -> None:
    found = compare_with_circle(CIRCLE, VARIABLES, np.zeros((4, 4)), np.zeros((4, 4)), LINKS)
    assert [(c.source_node, c.target_node) for c in found.not_shown] == [
        ("pain", "fear"),
        ("fear", "avoid"),
    ]
    assert found.supported == () and found.missing == ()


def test_links_to_boxes_no_longer_in_the_circle_are_ignored() -> None:
    found = compare_with_circle(CIRCLE, VARIABLES, PDC, PCC, {**LINKS, "t": "gone"})
    assert [(e.source, e.target) for e in found.unlinked] == [("p", "t"), ("t", "a")]


def test_a_contemporaneous_edge_the_circle_lacks_is_listed_once() -> None:
    pcc = np.zeros((4, 4))
    pcc[0, 2] = pcc[2, 0] = -0.2  # pain — avoiding: no arrow either way
    found = compare_with_circle(CIRCLE, VARIABLES, np.zeros((4, 4)), pcc, LINKS)
    assert [(e.source, e.target, e.weight) for e in found.missing] == [("p", "a", -0.2)]


def test_adding_arrows_makes_a_valid_circle_and_skips_what_is_there() -> None:
    circle = with_arrows(
        CIRCLE,
        [("fear", "pain"), ("pain", "fear"), ("fear", "pain"), ("x", "pain"), ("pain", "pain")],
        label="seen in the diary",
    )
    assert circle.edges[-1] == Edge("fear", "pain", "seen in the diary")
    assert len(circle.edges) == len(CIRCLE.edges) + 1


def test_an_empty_label_is_refused_like_any_circle() -> None:
    with pytest.raises(FormulationError):
        with_arrows(CIRCLE, [("fear", "pain")], label=" ")
