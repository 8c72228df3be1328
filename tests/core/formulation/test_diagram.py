"""DOT escaping and wrapping, the SVG renderer's errors, and the text alternative."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.core.formulation.diagram import (
    describe,
    diagram_titles,
    dot_string,
    render_svg,
    to_dot,
    wrap_label,
)
from maatwerk.core.formulation.errors import DiagramRenderError
from maatwerk.core.formulation.model import CircleGraph, Edge, Node
from tests.core.formulation.strategies import circle_graphs
from tests.core.formulation.test_worked_example import svg_text


def unescaped_quotes(line: str) -> int:
    """Double quotes in a DOT line that are not escaped by a backslash."""
    count = 0
    escaped = False
    for character in line:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif character == '"':
            count += 1
    return count


def test_escaping_quotes_backslashes_ampersands_and_newlines() -> None:
    assert dot_string('zei "nee"') == '"zei \\"nee\\""'
    assert dot_string("a\\b") == '"a\\\\b"'
    # & becomes &amp; so Graphviz does not read "&lt;" typed by a patient as "<".
    assert dot_string("pijn & moe <erg>") == '"pijn &amp; moe <erg>"'
    assert dot_string("regel 1\nregel 2\r\nregel 3") == '"regel 1\\nregel 2\\nregel 3"'
    assert dot_string("tab\there\x00\x85next") == '"tab here \\nnext"'


def test_long_labels_wrap_and_own_line_breaks_stay() -> None:
    assert wrap_label("Ik ben bang dat bewegen mijn rug beschadigt") == (
        "Ik ben bang dat bewegen",
        "mijn rug beschadigt",
    )
    assert wrap_label("kort\nook kort") == ("kort", "ook kort")
    assert wrap_label("x" * 30) == ("x" * 24, "x" * 6)


TRICKY = 'Hij zei: "het is <niet> erg" & ik\\jij\nnieuwe regel'


def test_tricky_labels_survive_graphviz_exactly() -> None:
    graph = CircleGraph(
        (Node("c", "complaint", TRICKY), Node("t", "thought", "&lt; is geen <")),
        (Edge("c", "t", 'zegt "ja"'), Edge("t", "c")),
    )
    svg = render_svg(to_dot(graph, language="en"))
    text = svg_text(svg)
    # Each line of the patient's words comes back literally (wrapped lines rejoin).
    assert 'Hij zei: "het is <niet> erg" & ik\\jij' in text
    assert "nieuwe regel" in text
    assert "&lt; is geen <" in text
    assert 'zegt "ja"' in text
    assert "(symptom)" in text and "(thought)" in text


@settings(max_examples=150, deadline=None)
@given(circle_graphs(), st.sampled_from(["nl", "en"]))
def test_dot_never_has_unbalanced_quotes(graph: CircleGraph, language: str) -> None:
    dot = to_dot(graph, language="nl" if language == "nl" else "en")
    for line in dot.splitlines():
        assert unescaped_quotes(line) % 2 == 0, line
    # One statement per node and per edge, plus the header (4 lines) and the closing brace.
    assert len(dot.splitlines()) == 5 + len(graph.nodes) + len(graph.edges)


@settings(max_examples=25, deadline=None)
@given(circle_graphs())
def test_graphviz_accepts_every_generated_graph(graph: CircleGraph) -> None:
    svg = render_svg(to_dot(graph, language="nl"))
    assert svg.startswith("<svg")
    text = " ".join(svg_text(svg).split())
    for node in graph.nodes:
        for line in wrap_label(node.label):
            assert " ".join(line.split()) in text


def test_render_errors_are_clear() -> None:
    with pytest.raises(DiagramRenderError, match="Graphviz is not installed"):
        render_svg("digraph {}", dot_binary="/nonexistent/dot")
    with pytest.raises(DiagramRenderError, match=r"Graphviz failed: .*syntax error"):
        render_svg("digraph { a -> }")


def test_svg_titles_name_each_node_and_arrow_in_words_for_assistive_technology() -> None:
    graph = CircleGraph(
        (Node("c", "complaint", "pijn"), Node("a", "feeling", "bang & moe")),
        (Edge("c", "a"),),
    )
    svg = render_svg(to_dot(graph, language="nl"), titles=diagram_titles(graph))
    titles = [html.unescape(t) for t in re.findall(r"<title>(.*?)</title>", svg)]
    assert titles == ["pijn", "bang & moe", "pijn → bang & moe"]  # no ids, no graph name


def test_svg_without_titles_has_no_ids() -> None:
    graph = CircleGraph((Node("c", "complaint", "pijn"), Node("a", "feeling", "bang")))
    assert "<title>" not in render_svg(to_dot(graph, language="nl"))


def test_describe_without_circles() -> None:
    graph = CircleGraph((Node("c", "complaint", "pijn"), Node("a", "feeling", "bang")))
    assert describe(graph, language="en") == ("There is no circle through a symptom yet.",)
