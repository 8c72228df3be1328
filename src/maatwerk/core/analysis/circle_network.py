"""The personal network beside the vicious circle: what the diary data say about the
arrows of the patient's formulation.

The clinician links each EMA variable to a box of the circle (or to none). Then every
arrow of the circle between two linked boxes is either

* **supported** — the data show a temporal edge in the same direction (the variable at
  t − 1 predicts the other at t, a non-zero partial directed correlation) or a
  contemporaneous edge (the two go together at the same beep, a non-zero partial
  correlation; it has no direction); or
* **not shown** — neither edge is in the selected model. That is not evidence against
  the arrow: the penalty leaves out weak edges and a diary may not measure what the
  arrow is about. It is a question for the clinician and the patient.

And every edge of the data between two different linked boxes that the circle lacks (a
temporal edge whose arrow is missing in that direction, a contemporaneous edge with no
arrow either way) is **missing from the circle**, strongest first. Edges with a variable
that is not linked to a box are listed apart: they can only be added once linked.

Autoregressions (a variable following itself) have no arrow in a circle and are left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
from numpy.typing import NDArray

from maatwerk.core.formulation.model import CircleGraph, Edge

Array = NDArray[np.float64]

MISSING_LISTED: Final = 8
"""Edges the circle lacks that are listed (strongest first); a screen-length choice."""


class EdgeKind(StrEnum):
    TEMPORAL = "temporal"
    """From one beep to the next (partial directed correlation)."""
    CONTEMPORANEOUS = "contemporaneous"
    """At the same beep (partial correlation); no direction."""


@dataclass(frozen=True, slots=True)
class DataEdge:
    """One edge of the estimated network, with the boxes its variables are linked to."""

    kind: EdgeKind
    source: str
    """Variable (for a temporal edge: at t − 1)."""
    target: str
    weight: float
    source_node: str | None
    target_node: str | None


@dataclass(frozen=True, slots=True)
class ArrowCheck:
    """One arrow of the circle and the edges of the data that bear on it."""

    source_node: str
    target_node: str
    temporal: float | None
    """The strongest temporal edge in the arrow's direction between linked variables."""
    contemporaneous: float | None
    """The strongest contemporaneous edge between linked variables."""

    @property
    def supported(self) -> bool:
        return self.temporal is not None or self.contemporaneous is not None


@dataclass(frozen=True, slots=True)
class CircleComparison:
    supported: tuple[ArrowCheck, ...]
    not_shown: tuple[ArrowCheck, ...]
    untestable: tuple[Edge, ...]
    """Arrows with a box no variable is linked to: the data cannot say anything."""
    missing: tuple[DataEdge, ...]
    """Edges between linked boxes that the circle lacks, strongest first."""
    unlinked: tuple[DataEdge, ...]
    """Edges with a variable not linked to a box, strongest first."""


def data_edges(
    variables: Sequence[str], pdc: Array, pcc: Array, mapping: Mapping[str, str]
) -> list[DataEdge]:
    """Every non-zero edge (no autoregressions), strongest first; ``pdc`` is (predictor at
    t − 1, outcome at t), ``pcc`` symmetric."""
    edges: list[DataEdge] = []
    p = len(variables)
    for j in range(p):
        for i in range(p):
            if i != j and pdc[j, i] != 0:
                edges.append(
                    _edge(EdgeKind.TEMPORAL, variables[j], variables[i], pdc[j, i], mapping)
                )
            if i > j and pcc[j, i] != 0:
                edges.append(
                    _edge(EdgeKind.CONTEMPORANEOUS, variables[j], variables[i], pcc[j, i], mapping)
                )
    edges.sort(key=lambda e: (-abs(e.weight), e.kind.value, e.source, e.target))
    return edges


def _edge(
    kind: EdgeKind, source: str, target: str, weight: float, mapping: Mapping[str, str]
) -> DataEdge:
    return DataEdge(
        kind=kind,
        source=source,
        target=target,
        weight=float(weight),
        source_node=mapping.get(source) or None,
        target_node=mapping.get(target) or None,
    )


def _strongest(weights: list[float]) -> float | None:
    return max(weights, key=abs) if weights else None


def compare_with_circle(
    circle: CircleGraph,
    variables: Sequence[str],
    pdc: Array,
    pcc: Array,
    mapping: Mapping[str, str],
    *,
    listed: int = MISSING_LISTED,
) -> CircleComparison:
    """Compare the circle's arrows with the network's edges (see the module docstring).

    ``mapping`` links variables to node ids of ``circle``; links to unknown nodes are
    ignored (the circle may have changed since the link was made)."""
    known = {node.id for node in circle.nodes}
    links = {v: n for v, n in mapping.items() if n in known and v in variables}
    edges = data_edges(variables, pdc, pcc, links)
    linked_nodes = set(links.values())
    supported: list[ArrowCheck] = []
    not_shown: list[ArrowCheck] = []
    untestable: list[Edge] = []
    for arrow in circle.edges:
        if arrow.source not in linked_nodes or arrow.target not in linked_nodes:
            untestable.append(arrow)
            continue
        temporal = [
            e.weight
            for e in edges
            if e.kind is EdgeKind.TEMPORAL
            and (e.source_node, e.target_node) == (arrow.source, arrow.target)
        ]
        together = [
            e.weight
            for e in edges
            if e.kind is EdgeKind.CONTEMPORANEOUS
            and {e.source_node, e.target_node} == {arrow.source, arrow.target}
        ]
        check = ArrowCheck(arrow.source, arrow.target, _strongest(temporal), _strongest(together))
        (supported if check.supported else not_shown).append(check)
    arrows = {(a.source, a.target) for a in circle.edges}
    missing: list[DataEdge] = []
    unlinked: list[DataEdge] = []
    seen: set[tuple[EdgeKind, str, str]] = set()
    for edge in edges:
        if edge.source_node is None or edge.target_node is None:
            unlinked.append(edge)
            continue
        if edge.source_node == edge.target_node:
            continue  # two variables of one box
        pair = (edge.source_node, edge.target_node)
        if edge.kind is EdgeKind.TEMPORAL:
            present = pair in arrows
        else:
            present = pair in arrows or pair[::-1] in arrows
            pair = tuple(sorted(pair))  # type: ignore[assignment]
        if present or (edge.kind, *pair) in seen:
            continue
        seen.add((edge.kind, *pair))
        missing.append(edge)
    return CircleComparison(
        supported=tuple(supported),
        not_shown=tuple(not_shown),
        untestable=tuple(untestable),
        missing=tuple(missing[:listed]),
        unlinked=tuple(unlinked[:listed]),
    )


def with_arrows(
    circle: CircleGraph, additions: Sequence[tuple[str, str]], *, label: str | None
) -> CircleGraph:
    """The circle with arrows ``(source node, target node)`` added (those already there
    and those between unknown nodes are skipped); validated as every circle is."""
    known = {node.id for node in circle.nodes}
    present = {(a.source, a.target) for a in circle.edges}
    added: list[Edge] = []
    for source, target in additions:
        if source == target or source not in known or target not in known:
            continue
        if (source, target) in present:
            continue
        present.add((source, target))
        added.append(Edge(source=source, target=target, label=label))
    return CircleGraph(nodes=circle.nodes, edges=(*circle.edges, *added))
