"""The circle graph: every invalid input gives a specific problem; cycle detection."""

from __future__ import annotations

import pytest

from maatwerk.core.formulation.errors import FormulationError
from maatwerk.core.formulation.model import (
    CircleGraph,
    Complaint,
    Consequence,
    Edge,
    Formulation,
    FunctionalAnalysis,
    Node,
    NodeKind,
    circle_edges,
    elementary_cycles,
    vicious_circles,
)


def node(node_id: str, kind: NodeKind = "thought", label: str | None = None) -> Node:
    return Node(node_id, kind, label if label is not None else f"label {node_id}")


def problems(make: object) -> list[tuple[str, str, str]]:
    assert callable(make)
    with pytest.raises(FormulationError) as caught:
        make()
    return [(p.code, p.path, p.message) for p in caught.value.problems]


# ------------------------------------------------------------------ validation


def test_an_edge_to_an_unknown_node_names_the_end_and_the_node() -> None:
    found = problems(lambda: CircleGraph((node("a"),), (Edge("a", "b"),)))
    assert found == [
        ("unknown_node", "circle.edges[0].target", "edge 'a' -> 'b': unknown node 'b'")
    ]


def test_a_self_loop_is_refused() -> None:
    found = problems(lambda: CircleGraph((node("a"),), (Edge("a", "a"),)))
    assert found == [
        (
            "self_loop",
            "circle.edges[0]",
            "edge from 'a' to itself: a circle needs at least two nodes",
        )
    ]


def test_duplicate_node_ids_and_edges() -> None:
    found = problems(
        lambda: CircleGraph(
            (node("a"), node("b"), node("a")), (Edge("a", "b"), Edge("a", "b", "again"))
        )
    )
    assert [code for code, _, _ in found] == ["duplicate_id", "duplicate_edge"]
    assert found[0][1] == "circle.nodes[2].id"
    assert found[1][1] == "circle.edges[1]"


def test_empty_labels_on_nodes_and_edges() -> None:
    found = problems(lambda: CircleGraph((node("a", label="  "), node("b")), (Edge("a", "b", ""),)))
    assert found == [
        ("empty_label", "circle.nodes[0].label", "node 'a' needs a label"),
        (
            "empty_label",
            "circle.edges[0].label",
            "an edge label must not be empty (leave it out for no label)",
        ),
    ]


def test_bad_ids() -> None:
    found = problems(lambda: CircleGraph((node("has space"), node(""))))
    assert [(code, path) for code, path, _ in found] == [
        ("invalid_id", "circle.nodes[0].id"),
        ("invalid_id", "circle.nodes[1].id"),
    ]


def test_every_problem_is_reported_at_once_and_the_first_gives_the_code() -> None:
    with pytest.raises(FormulationError) as caught:
        CircleGraph((node("a"),), (Edge("a", "x"), Edge("a", "a")))
    assert caught.value.code == "unknown_node"
    assert [p.code for p in caught.value.problems] == ["unknown_node", "self_loop"]
    assert "circle.edges[1]: edge from 'a' to itself" in str(caught.value)


def test_formulation_checks_its_parts_and_node_references() -> None:
    found = problems(
        lambda: Formulation(
            complaints=(Complaint("c", ""), Complaint("c", "pijn")),
            consequences=(Consequence("x", "social", "ok", False),),
            functional_analyses=(FunctionalAnalysis("fa", " ", thoughts=("",)),),
            circle=CircleGraph((Node("n", "social", "x", consequence_id="missing"),)),
        )
    )
    assert found == [
        ("duplicate_id", "complaints[1].id", "duplicate id 'c'"),
        ("empty_text", "complaints[0].text", "must not be empty"),
        ("empty_text", "functional_analyses[0].situation", "must not be empty"),
        ("empty_text", "functional_analyses[0].thoughts[0]", "must not be empty"),
        (
            "unknown_consequence",
            "circle.nodes[0].consequence_id",
            "node 'n' refers to unknown consequence 'missing'",
        ),
    ]


# ------------------------------------------------------------------ cycles


def test_no_cycle() -> None:
    graph = CircleGraph(
        (node("c", "complaint"), node("a"), node("b")), (Edge("c", "a"), Edge("a", "b"))
    )
    assert vicious_circles(graph) == ()
    assert elementary_cycles(graph) == ()


def test_two_circles_sharing_the_complaint_and_a_node() -> None:
    # c -> a -> b -> c and c -> a -> d -> c share the complaint and a.
    graph = CircleGraph(
        (node("c", "complaint"), node("a"), node("b"), node("d")),
        (Edge("c", "a"), Edge("a", "b"), Edge("b", "c"), Edge("a", "d"), Edge("d", "c")),
    )
    assert vicious_circles(graph) == (("c", "a", "b"), ("c", "a", "d"))


def test_a_cycle_not_through_the_complaint_is_not_a_vicious_circle() -> None:
    # a <-> b feed each other, and c only feeds into them: no circle back to c.
    graph = CircleGraph(
        (node("c", "complaint"), node("a"), node("b")),
        (Edge("c", "a"), Edge("a", "b"), Edge("b", "a")),
    )
    assert vicious_circles(graph) == ()
    assert elementary_cycles(graph) == (("a", "b"),)


def test_circle_starts_at_the_complaint_even_when_listed_later() -> None:
    graph = CircleGraph(
        (node("a"), node("b"), node("c", "complaint")),
        (Edge("a", "b"), Edge("b", "c"), Edge("c", "a")),
    )
    assert vicious_circles(graph) == (("c", "a", "b"),)
    assert elementary_cycles(graph) == (("a", "b", "c"),)


def test_a_circle_through_two_complaints_is_listed_once_from_the_first() -> None:
    graph = CircleGraph(
        (node("pain", "complaint"), node("tired", "complaint"), node("a")),
        (Edge("pain", "tired"), Edge("tired", "a"), Edge("a", "pain"), Edge("tired", "pain")),
    )
    assert vicious_circles(graph) == (("pain", "tired", "a"), ("pain", "tired"))


def test_circle_edges_close_the_circle() -> None:
    assert circle_edges(("c", "a", "b")) == (("c", "a"), ("a", "b"), ("b", "c"))


def test_a_dense_graph_lists_every_cycle_once() -> None:
    # The complete directed graph on 4 nodes has 20 elementary cycles: C(4,2)*1 + C(4,3)*2
    # + C(4,4)*3! = 6 + 8 + 6.
    ids = ["c", "a", "b", "d"]
    graph = CircleGraph(
        tuple(node(i, "complaint" if i == "c" else "thought") for i in ids),
        tuple(Edge(s, t) for s in ids for t in ids if s != t),
    )
    cycles = elementary_cycles(graph)
    assert len(cycles) == 20
    assert len({frozenset(circle_edges(cycle)) for cycle in cycles}) == 20
    # Through c: 3 two-cycles, 3*2 three-cycles, 3! four-cycles = 15.
    assert len(vicious_circles(graph)) == 15


def test_a_graph_too_dense_to_search_is_a_clear_error_not_a_hang() -> None:
    # The complete directed graph on 10 nodes has over a million elementary cycles.
    ids = [f"n{i}" for i in range(10)]
    graph = CircleGraph(
        tuple(node(i, "complaint" if i == "n0" else "thought") for i in ids),
        tuple(Edge(s, t) for s in ids for t in ids if s != t),
    )
    for search in (vicious_circles, elementary_cycles):
        with pytest.raises(FormulationError) as caught:
            search(graph)
        assert caught.value.code == "too_complex"
        assert caught.value.problems[0].path == "circle"
