"""One truth: the circle speaks the current words of steps 1 and 2.

A box in the circle that stands for a complaint (step 1) or a consequence (step 2) has no
words of its own: it shows what the complaint or consequence says *now*. Every derived
view (diagram, text alternative, explanation, SCEGS, 3P) reads the formulation through
:func:`with_current_words`, so editing step 1 or 2 can never leave a starter text or an
old sentence behind in the circle.

Which box stands for what:

* a box with ``consequence_id`` stands for that consequence;
* a complaint box whose id is the id of a complaint stands for that complaint (the draft
  from the screening gives the complaint and its box the same id, ``complaint``).

:func:`strongest_circle` picks the circle the patient reads first; the others are shown
on request.
"""

from __future__ import annotations

import dataclasses

from maatwerk.core.formulation.model import CircleGraph, Formulation, Node, vicious_circles

__all__ = ["circle_only", "linked_source", "strongest_circle", "with_current_words"]


def linked_source(formulation: Formulation, node: Node) -> str | None:
    """The current words of the complaint or consequence ``node`` stands for, or None
    when it stands for nothing (then its own label is the patient's words)."""
    if node.consequence_id is not None:
        for consequence in formulation.consequences:
            if consequence.id == node.consequence_id:
                return consequence.words
        return None
    if node.kind == "complaint":
        for complaint in formulation.complaints:
            if complaint.id == node.id:
                return complaint.text
    return None


def with_current_words(formulation: Formulation) -> Formulation:
    """``formulation`` with every linked box showing its source's current words (a
    source left blank keeps the box's own label, so a box is never empty)."""
    nodes: list[Node] = []
    changed = False
    for node in formulation.circle.nodes:
        words = linked_source(formulation, node)
        if words is not None and words.strip() and words != node.label:
            nodes.append(dataclasses.replace(node, label=words))
            changed = True
        else:
            nodes.append(node)
    if not changed:
        return formulation
    return dataclasses.replace(
        formulation, circle=CircleGraph(tuple(nodes), formulation.circle.edges)
    )


def strongest_circle(formulation: Formulation) -> tuple[str, ...] | None:
    """The vicious circle the patient reads first: the one with the most boxes that are
    maintaining consequences (what treatment works on), then the one with the most
    boxes, then the first found. None when there is no circle.

    A presentation choice, not a clinical rule: it puts first the circle that gives
    treatment the most places to break it.
    """
    circles = vicious_circles(formulation.circle)
    if not circles:
        return None
    maintaining = {c.id for c in formulation.consequences if c.maintaining}
    graph = formulation.circle

    def weight(indexed: tuple[int, tuple[str, ...]]) -> tuple[int, int, int]:
        index, circle = indexed
        on_circle = sum(
            1 for node_id in circle if graph.node(node_id).consequence_id in maintaining
        )
        return (on_circle, len(circle), -index)

    return max(enumerate(circles), key=weight)[1]


def circle_only(graph: CircleGraph, circle: tuple[str, ...]) -> CircleGraph:
    """The graph reduced to one circle: its boxes and the arrows between them."""
    kept = set(circle)
    pairs = set(zip(circle, circle[1:] + circle[:1], strict=True))
    return CircleGraph(
        tuple(node for node in graph.nodes if node.id in kept),
        tuple(edge for edge in graph.edges if (edge.source, edge.target) in pairs),
    )
