"""The formulation: the gevolgenmodel consult as immutable values, and its vicious circles.

A ``Formulation`` holds the four steps of the consult (the
gevolgenmodel: nalk-gevolgenmodel, psyq-alk) in the patient's own words:

1. ``complaints`` - the neutral inventory of the complaints;
2. ``consequences`` - their consequences in five domains, each marked maintaining or not;
3. ``goals`` - the patient's goals with the checks feasible / concrete / small steps;

plus the ``functional_analyses`` (situation -> thoughts and feelings -> behaviour ->
short- and long-term consequences), the ``tagged_factors`` the clinician places in the
3P model, and the ``circle``: a typed directed graph whose cycles through a complaint
are the vicious circles that keep the complaint going.

Every value validates itself on construction and raises ``FormulationError`` listing
every problem with a stable code and a path (``circle.edges[2].target``), so an invalid
formulation cannot exist. Step 4 (the plan) lives in ``maatwerk.core.planning``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from pydantic import ConfigDict

from maatwerk.core.formulation.errors import FormulationError, Problem

__all__ = [
    "CONSEQUENCE_DOMAINS",
    "NODE_KINDS",
    "Activity",
    "CircleGraph",
    "Complaint",
    "Consequence",
    "ConsequenceDomain",
    "Edge",
    "Formulation",
    "FunctionalAnalysis",
    "Goal",
    "Node",
    "NodeKind",
    "Role",
    "TaggedFactor",
    "circle_edges",
    "elementary_cycles",
    "formulation_problems",
    "graph_problems",
    "vicious_circles",
]

ConsequenceDomain = Literal["cognitive", "emotional", "behavioural", "physical", "social"]
NodeKind = Literal["complaint", "thought", "feeling", "behaviour", "physical", "social"]
Role = Literal["predisposing", "precipitating", "perpetuating"]

CONSEQUENCE_DOMAINS: tuple[ConsequenceDomain, ...] = (
    "cognitive",
    "emotional",
    "behavioural",
    "physical",
    "social",
)
NODE_KINDS: tuple[NodeKind, ...] = (
    "complaint",
    "thought",
    "feeling",
    "behaviour",
    "physical",
    "social",
)

# How the JSON document (``document.py``) reads these values: exact types, no unknown keys.
_STRICT = ConfigDict(strict=True, extra="forbid")

# Ids end up in URLs, form field names and DOT; keep them short and plain.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


# ------------------------------------------------------------------ the steps


@dataclass(frozen=True, slots=True)
class Complaint:
    """Step 1: one complaint in the patient's own words, with its meaning analysis
    (betekenisanalyse): what the complaint means to the patient, in their words (what
    they fear it says about their body, what it stands for in their life). Integrated
    CBT combines the functional analysis with such a meaning analysis
    (tijdschrift-gedragstherapie-2024-sr-pos). Blank when not yet discussed.
    """

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT
    id: str
    text: str
    screening_complaint: str | None = None  # complaint id of the screening intake
    meaning: str = ""


@dataclass(frozen=True, slots=True)
class Consequence:
    """Step 2: one consequence of the complaints in the patient's words.

    ``role`` places it in the 3P model; left out, a maintaining consequence counts as
    perpetuating and a non-maintaining one is not placed (see ``views.as_three_p``).
    """

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT
    id: str
    domain: ConsequenceDomain
    words: str
    maintaining: bool
    factor_id: str | None = None  # knowledge-base factor this consequence expresses
    role: Role | None = None

    @property
    def effective_role(self) -> Role | None:
        if self.role is not None:
            return self.role
        return "perpetuating" if self.maintaining else None


@dataclass(frozen=True, slots=True)
class Goal:
    """Step 3: a goal proposed from the patient's side.

    Each check is ``True`` (met), ``False`` (not met) or ``None`` (not checked yet); see
    ``maatwerk.core.formulation.goals.goal_issues`` for what is still open.
    """

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT
    id: str
    text: str
    feasible: bool | None = None
    concrete: bool | None = None
    small_steps: bool | None = None
    gas_goal_id: str | None = None  # the Goal Attainment Scaling goal in the plan


@dataclass(frozen=True, slots=True)
class Activity:
    """Step 4: one activity of the patient's plan, in their words: what they will do and
    when; ``goal_id`` links it to the step-3 goal it works towards (nalk-gevolgenmodel:
    step 4 makes the goals into a plan)."""

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT
    id: str
    text: str
    when: str = ""
    goal_id: str | None = None


@dataclass(frozen=True, slots=True)
class FunctionalAnalysis:
    """Situation -> thoughts and feelings -> behaviour -> short- and long-term
    consequences, each in the patient's words."""

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT
    id: str
    situation: str
    thoughts: tuple[str, ...] = ()
    feelings: tuple[str, ...] = ()
    behaviour: tuple[str, ...] = ()
    short_term: tuple[str, ...] = ()
    long_term: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TaggedFactor:
    """A 3P entry that is not a consequence, e.g. a predisposing trait or the event that
    precipitated the complaints, tagged by the clinician."""

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT
    id: str
    text: str
    role: Role
    factor_id: str | None = None


# ------------------------------------------------------------------ the circle


@dataclass(frozen=True, slots=True)
class Node:
    __pydantic_config__: ClassVar[ConfigDict] = _STRICT

    id: str
    kind: NodeKind
    label: str  # the patient's words
    factor_id: str | None = None
    consequence_id: str | None = None


@dataclass(frozen=True, slots=True)
class Edge:
    __pydantic_config__: ClassVar[ConfigDict] = _STRICT

    source: str
    target: str
    label: str | None = None  # e.g. "maakt erger" / "makes worse"; None: no label


def _blank(text: str) -> bool:
    return not text.strip()


def _check_ids(
    section: str, ids: Iterable[str], problems: list[Problem], *, what: str = "id"
) -> None:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        path = f"{section}[{index}].id"
        if not _ID.match(value):
            problems.append(
                Problem(
                    "invalid_id",
                    path,
                    f"{what} {value!r} must be 1-64 letters, digits, '_', '.', ':' or '-'",
                )
            )
        elif value in seen:
            problems.append(Problem("duplicate_id", path, f"duplicate {what} {value!r}"))
        seen.add(value)


def graph_problems(graph: CircleGraph, *, prefix: str = "circle") -> tuple[Problem, ...]:
    """Every problem of a graph: bad or duplicate node ids, empty labels, edges to unknown
    nodes, self-loops, duplicate edges and empty edge labels."""
    problems: list[Problem] = []
    _check_ids(f"{prefix}.nodes", (node.id for node in graph.nodes), problems, what="node id")
    for index, node in enumerate(graph.nodes):
        if _blank(node.label):
            problems.append(
                Problem(
                    "empty_label",
                    f"{prefix}.nodes[{index}].label",
                    f"node {node.id!r} needs a label",
                )
            )
    known = {node.id for node in graph.nodes}
    seen: set[tuple[str, str]] = set()
    for index, edge in enumerate(graph.edges):
        path = f"{prefix}.edges[{index}]"
        for end in ("source", "target"):
            node_id = edge.source if end == "source" else edge.target
            if node_id not in known:
                problems.append(
                    Problem(
                        "unknown_node",
                        f"{path}.{end}",
                        f"edge {edge.source!r} -> {edge.target!r}: unknown node {node_id!r}",
                    )
                )
        if edge.source == edge.target:
            problems.append(
                Problem(
                    "self_loop",
                    path,
                    f"edge from {edge.source!r} to itself: a circle needs at least two nodes",
                )
            )
        pair = (edge.source, edge.target)
        if pair in seen:
            problems.append(
                Problem(
                    "duplicate_edge",
                    path,
                    f"edge {edge.source!r} -> {edge.target!r} is already in the graph",
                )
            )
        seen.add(pair)
        if edge.label is not None and _blank(edge.label):
            problems.append(
                Problem(
                    "empty_label",
                    f"{path}.label",
                    "an edge label must not be empty (leave it out for no label)",
                )
            )
    return tuple(problems)


@dataclass(frozen=True, slots=True)
class CircleGraph:
    """The vicious-circle graph: nodes and directed edges, validated on construction."""

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()

    def __post_init__(self) -> None:
        problems = graph_problems(self)
        if problems:
            raise FormulationError(problems)

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def successors(self, node_id: str) -> tuple[str, ...]:
        """Targets of the edges leaving ``node_id``, in edge order."""
        return tuple(edge.target for edge in self.edges if edge.source == node_id)

    def edge(self, source: str, target: str) -> Edge:
        for edge in self.edges:
            if edge.source == source and edge.target == target:
                return edge
        raise KeyError((source, target))


# Enumerating cycles is exponential in the worst case. A consult-sized graph needs a few
# hundred search steps; the budget keeps a pathological (or hostile) graph from hanging a
# web request and turns it into a clear error instead.
SEARCH_BUDGET = 100_000


class _Budget:
    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise FormulationError(
                (
                    Problem(
                        "too_complex",
                        "circle",
                        "the graph has too many connections to list its circles; "
                        "remove edges that are not part of a circle",
                    ),
                )
            )


def _cycles_through(
    graph: CircleGraph, start: str, allowed: frozenset[str], budget: _Budget
) -> Iterator[tuple[str, ...]]:
    """Every elementary cycle through ``start`` that only visits ``allowed`` nodes, in
    depth-first order following the edge order (deterministic)."""
    path = [start]
    on_path = {start}
    stack = [iter(graph.successors(start))]
    while stack:
        budget.spend()
        following = next(stack[-1], None)
        if following is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        if following == start:
            yield tuple(path)
        elif following in allowed and following not in on_path:
            path.append(following)
            on_path.add(following)
            stack.append(iter(graph.successors(following)))


def elementary_cycles(
    graph: CircleGraph, *, budget: int = SEARCH_BUDGET
) -> tuple[tuple[str, ...], ...]:
    """Every elementary cycle of the graph, each once, as a path of node ids starting at
    its earliest node (in node order); ``("a", "b")`` means a -> b -> a.

    The classic ordering trick (as in Johnson's algorithm): the cycles found from the
    i-th node only visit nodes after it, so no cycle is found twice. Raises
    ``FormulationError`` (``too_complex``) when the search exceeds ``budget`` steps.
    """
    ids = [node.id for node in graph.nodes]
    steps = _Budget(budget)
    found: list[tuple[str, ...]] = []
    for index, start in enumerate(ids):
        found.extend(_cycles_through(graph, start, frozenset(ids[index + 1 :]), steps))
    return tuple(found)


def vicious_circles(
    graph: CircleGraph, *, budget: int = SEARCH_BUDGET
) -> tuple[tuple[str, ...], ...]:
    """The vicious circles: elementary cycles that pass through a complaint node.

    Each circle starts at its first complaint node (in node order) and is listed once;
    circles come per complaint in node order, then in depth-first edge order.
    *Decision:* a cycle that passes through no complaint (e.g. low mood -> cancelling
    friends -> low mood) is not a vicious circle of the complaint; it is still in
    ``elementary_cycles`` and still drawn, but not emphasised or told. Raises
    ``FormulationError`` (``too_complex``) when the search exceeds ``budget`` steps.
    """
    complaints = [node.id for node in graph.nodes if node.kind == "complaint"]
    everything = frozenset(node.id for node in graph.nodes)
    steps = _Budget(budget)
    found: list[tuple[str, ...]] = []
    for index, start in enumerate(complaints):
        allowed = everything - frozenset(complaints[:index])
        found.extend(_cycles_through(graph, start, allowed, steps))
    return tuple(found)


def circle_edges(circle: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The (source, target) edges of a circle path, including the one closing it."""
    return tuple(zip(circle, circle[1:] + circle[:1], strict=True))


# ------------------------------------------------------------------ the formulation


def _check_texts(
    section: str, field_name: str, texts: Iterable[str], problems: list[Problem]
) -> None:
    for index, text in enumerate(texts):
        if _blank(text):
            problems.append(
                Problem("empty_text", f"{section}[{index}].{field_name}", "must not be empty")
            )


def formulation_problems(formulation: Formulation) -> tuple[Problem, ...]:
    """Every problem of a formulation (its graph was checked when it was built)."""
    f = formulation
    problems: list[Problem] = []
    _check_ids("complaints", (c.id for c in f.complaints), problems)
    _check_texts("complaints", "text", (c.text for c in f.complaints), problems)
    _check_ids("consequences", (c.id for c in f.consequences), problems)
    _check_texts("consequences", "words", (c.words for c in f.consequences), problems)
    _check_ids("goals", (g.id for g in f.goals), problems)
    _check_texts("goals", "text", (g.text for g in f.goals), problems)
    _check_ids("functional_analyses", (a.id for a in f.functional_analyses), problems)
    for index, analysis in enumerate(f.functional_analyses):
        path = f"functional_analyses[{index}]"
        if _blank(analysis.situation):
            problems.append(Problem("empty_text", f"{path}.situation", "must not be empty"))
        for part in ("thoughts", "feelings", "behaviour", "short_term", "long_term"):
            entries: tuple[str, ...] = getattr(analysis, part)
            for position, entry in enumerate(entries):
                if _blank(entry):
                    problems.append(
                        Problem("empty_text", f"{path}.{part}[{position}]", "must not be empty")
                    )
    _check_ids("tagged_factors", (t.id for t in f.tagged_factors), problems)
    _check_texts("tagged_factors", "text", (t.text for t in f.tagged_factors), problems)
    _check_ids("activities", (a.id for a in f.activities), problems)
    _check_texts("activities", "text", (a.text for a in f.activities), problems)
    goals = {g.id for g in f.goals}
    for index, activity in enumerate(f.activities):
        if activity.goal_id is not None and activity.goal_id not in goals:
            problems.append(
                Problem(
                    "unknown_goal",
                    f"activities[{index}].goal_id",
                    f"activity {activity.id!r} refers to unknown goal {activity.goal_id!r}",
                )
            )
    consequences = {c.id for c in f.consequences}
    for index, node in enumerate(f.circle.nodes):
        if node.consequence_id is not None and node.consequence_id not in consequences:
            problems.append(
                Problem(
                    "unknown_consequence",
                    f"circle.nodes[{index}].consequence_id",
                    f"node {node.id!r} refers to unknown consequence {node.consequence_id!r}",
                )
            )
    return tuple(problems)


@dataclass(frozen=True, slots=True)
class Formulation:
    """One version of a patient's formulation (see the module docstring)."""

    __pydantic_config__: ClassVar[ConfigDict] = _STRICT
    complaints: tuple[Complaint, ...] = ()
    consequences: tuple[Consequence, ...] = ()
    goals: tuple[Goal, ...] = ()
    functional_analyses: tuple[FunctionalAnalysis, ...] = ()
    tagged_factors: tuple[TaggedFactor, ...] = ()
    circle: CircleGraph = field(default_factory=CircleGraph)
    activities: tuple[Activity, ...] = ()

    def __post_init__(self) -> None:
        problems = formulation_problems(self)
        if problems:
            raise FormulationError(problems)

    def consequence(self, consequence_id: str) -> Consequence:
        for consequence in self.consequences:
            if consequence.id == consequence_id:
                return consequence
        raise KeyError(consequence_id)

    @property
    def maintaining_consequences(self) -> tuple[Consequence, ...]:
        return tuple(c for c in self.consequences if c.maintaining)
