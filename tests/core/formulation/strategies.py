"""Hypothesis strategies for valid formulations (unique ids, non-empty texts)."""

from __future__ import annotations

from typing import get_args

from hypothesis import strategies as st

from maatwerk.core.formulation.model import (
    CircleGraph,
    Complaint,
    Consequence,
    ConsequenceDomain,
    Edge,
    Formulation,
    FunctionalAnalysis,
    Goal,
    Node,
    NodeKind,
    Role,
    TaggedFactor,
)

# Any text with something visible in it: quotes, <, &, backslashes, newlines, emoji.
texts = st.text(min_size=1, max_size=60).filter(lambda text: text.strip() != "")
ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,10}", fullmatch=True)
optional_ids = st.none() | ids
checks = st.none() | st.booleans()
roles = st.none() | st.sampled_from(get_args(Role))


@st.composite
def circle_graphs(draw: st.DrawFn, consequence_ids: tuple[str, ...] = ()) -> CircleGraph:
    node_ids = draw(st.lists(ids, unique=True, max_size=6))
    links: st.SearchStrategy[str | None] = (
        st.none() | st.sampled_from(consequence_ids) if consequence_ids else st.none()
    )
    nodes = tuple(
        Node(
            node_id,
            draw(st.sampled_from(get_args(NodeKind))),
            draw(texts),
            draw(optional_ids),
            draw(links),
        )
        for node_id in node_ids
    )
    pairs = [(s, t) for s in node_ids for t in node_ids if s != t]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=10)) if pairs else []
    edges = tuple(Edge(s, t, draw(st.none() | texts)) for s, t in chosen)
    return CircleGraph(nodes, edges)


@st.composite
def formulations(draw: st.DrawFn) -> Formulation:
    complaints = tuple(
        Complaint(i, draw(texts), draw(optional_ids))
        for i in draw(st.lists(ids, unique=True, max_size=3))
    )
    consequences = tuple(
        Consequence(
            i,
            draw(st.sampled_from(get_args(ConsequenceDomain))),
            draw(texts),
            draw(st.booleans()),
            draw(optional_ids),
            draw(roles),
        )
        for i in draw(st.lists(ids, unique=True, max_size=5))
    )
    goals = tuple(
        Goal(i, draw(texts), draw(checks), draw(checks), draw(checks), draw(optional_ids))
        for i in draw(st.lists(ids, unique=True, max_size=3))
    )
    text_lists = st.lists(texts, max_size=3).map(tuple)
    analyses = tuple(
        FunctionalAnalysis(
            i,
            draw(texts),
            draw(text_lists),
            draw(text_lists),
            draw(text_lists),
            draw(text_lists),
            draw(text_lists),
        )
        for i in draw(st.lists(ids, unique=True, max_size=2))
    )
    tagged = tuple(
        TaggedFactor(i, draw(texts), draw(st.sampled_from(get_args(Role))), draw(optional_ids))
        for i in draw(st.lists(ids, unique=True, max_size=2))
    )
    circle = draw(circle_graphs(tuple(c.id for c in consequences)))
    return Formulation(complaints, consequences, goals, analyses, tagged, circle)
