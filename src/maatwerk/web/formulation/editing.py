"""From the step forms to a new core ``Formulation``, and from the core's problems back to
the form fields.

Each step posts every row of its section as a formset of ``StepRow`` forms
(``forms.py``; existing rows carry their id; one blank row adds a new entry; a "remove"
checkbox drops a row). One loop, ``merged``, turns the valid rows of any section, in the
order posted, into its entries; the parsers put the sections into the whole new
formulation with ``dataclasses.replace`` on the current one, so the core validates it as
a whole; ``field_errors`` maps each ``Problem.path`` (e.g. ``complaints[2].text``) to the
form field it belongs to, in the user's language, so the page shows it there and keeps
what was typed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from maatwerk.core.formulation import (
    Activity,
    Complaint,
    Consequence,
    Edge,
    Formulation,
    FormulationError,
    FunctionalAnalysis,
    Goal,
    Node,
    Problem,
)
from maatwerk.core.formulation.model import CircleGraph
from maatwerk.web.formulation.forms import (
    ActivityRow,
    AnalysisRow,
    CircleChange,
    ComplaintRow,
    ConsequenceRow,
    GoalRow,
    StepRow,
)

NON_FIELD = "__all__"

_MESSAGES: Mapping[str, Promise] = {
    "empty_text": _("Write something here, or tick “remove”."),
    "empty_label": _("Write a few words here."),
    "unknown_node": _("Choose a box that is in the circle."),
    "self_loop": _("An arrow goes from one box to another box."),
    "duplicate_edge": _("This arrow is already in the circle."),
    "unknown_consequence": _("This consequence is no longer in the formulation."),
    "unknown_factor": _("Choose a factor from the list."),
    "unknown_goal": _("Choose a goal from the list."),
    "too_complex": _(
        "The circle has too many arrows to follow. Remove arrows that are not part of a circle."
    ),
}
_GENERIC = _("This could not be saved. Reload the page and try again.")


def message_for(problem: Problem) -> str:
    return str(_MESSAGES.get(problem.code, _GENERIC))


def field_errors(
    error: FormulationError, field_for: Callable[[str], str | None]
) -> dict[str, list[str]]:
    """Messages per form field; problems with no field of their own go to ``__all__``."""
    errors: dict[str, list[str]] = {}
    for problem in error.problems:
        name = field_for(problem.path) or NON_FIELD
        if name.endswith("-id"):  # ids are not typed by the user
            name = NON_FIELD
        message = message_for(problem)
        if message not in errors.setdefault(name, []):
            errors[name].append(message)
    return errors


def new_id(prefix: str, taken: Iterable[str]) -> str:
    used = set(taken)
    number = 1
    while f"{prefix}-{number}" in used:
        number += 1
    return f"{prefix}-{number}"


FieldFor = Callable[[str], str | None]


@dataclass(frozen=True)
class Draft:
    """A parsed form: ``build()`` makes the new formulation (the core may raise
    ``FormulationError``); ``field_for`` maps a problem path to its form field; ``errors``
    are input errors found before the core was asked (nothing to build then)."""

    build: Callable[[], Formulation]
    field_for: FieldFor
    errors: dict[str, list[str]]


def _refused(field_for: FieldFor, errors: dict[str, list[str]]) -> Draft:
    def nothing() -> Formulation:  # pragma: no cover - callers check errors first
        raise RuntimeError("the form has input errors")

    return Draft(nothing, field_for, errors)


# ------------------------------------------------------------------ the steps' rows

E = TypeVar("E", Complaint, Consequence, FunctionalAnalysis, Goal, Activity)
_INDEXED = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?")


@dataclass(frozen=True)
class Merged(Generic[E]):
    """A section's entries after its rows, and where each problem of them is typed."""

    entries: tuple[E, ...]
    field_for: FieldFor


def merged(
    existing: Sequence[E], form: type[StepRow], rows: Sequence[StepRow], make: Callable[..., E]
) -> Merged[E]:
    """The entries of ``form``'s section as its rows say, in their order: a row with the
    id of an entry changes it, a filled-in row without one adds an entry, a removed or
    blank row adds nothing. ``make`` is the entry's class, which checks the types of what
    the row gives it."""
    by_id = {entry.id: entry for entry in existing}
    taken = set(by_id)
    entries: list[E] = []
    positions: list[int] = []  # the row of each entry, for the field of its problems
    for position, row in enumerate(rows):
        if row.removed():
            continue
        old = by_id.get(row.entry_id())
        if old is not None:
            # Attributes the page does not edit (a goal's GAS goal) stay as they are.
            kept = {field.name: getattr(old, field.name) for field in dataclasses.fields(old)}
            entries.append(make(**(kept | row.values())))
        elif row.is_blank():
            continue
        else:
            entry_id = new_id(form.prefix_name, taken)
            taken.add(entry_id)
            entries.append(make(id=entry_id, **row.values()))
        positions.append(position)
    typed_in = form.entry_fields()

    def field_for(path: str) -> str | None:
        """``complaints[2].text`` -> ``complaint-<its row>-text``; a problem with no
        field of its own (an id) goes above the form."""
        match = _INDEXED.match(path)
        if match is None or match.group(1) != form.section:
            return None
        index = int(match.group(2))
        name = typed_in.get(match.group(3) or form.filled_by[0])
        if index >= len(positions) or name is None:
            return None
        return f"{form.prefix_name}-{positions[index]}-{name}"

    return Merged(tuple(entries), field_for)


def _either(*field_fors: FieldFor) -> FieldFor:
    return lambda path: next((name for f in field_fors if (name := f(path))), None)


Rows = tuple[Sequence[StepRow], ...]  # a step's rows, one sequence per formset


def _complaints(current: Formulation, rows: Rows) -> Draft:
    complaints = merged(current.complaints, ComplaintRow, rows[0], Complaint)
    return Draft(
        lambda: dataclasses.replace(current, complaints=complaints.entries),
        complaints.field_for,
        {},
    )


def _consequences(current: Formulation, rows: Rows) -> Draft:
    """A removed consequence is unlinked from the circle's nodes (the node and its words
    stay)."""
    consequences = merged(current.consequences, ConsequenceRow, rows[0], Consequence)
    analyses = merged(current.functional_analyses, AnalysisRow, rows[1], FunctionalAnalysis)
    kept = {c.id for c in consequences.entries}
    nodes = tuple(
        node
        if node.consequence_id is None or node.consequence_id in kept
        else dataclasses.replace(node, consequence_id=None)
        for node in current.circle.nodes
    )
    return Draft(
        lambda: dataclasses.replace(
            current,
            consequences=consequences.entries,
            functional_analyses=analyses.entries,
            circle=CircleGraph(nodes, current.circle.edges),
        ),
        _either(consequences.field_for, analyses.field_for),
        {},
    )


def _goals(current: Formulation, rows: Rows) -> Draft:
    goals = merged(current.goals, GoalRow, rows[0], Goal)
    return Draft(lambda: dataclasses.replace(current, goals=goals.entries), goals.field_for, {})


def _activities(current: Formulation, rows: Rows) -> Draft:
    activities = merged(current.activities, ActivityRow, rows[0], Activity)
    return Draft(
        lambda: dataclasses.replace(current, activities=activities.entries),
        activities.field_for,
        {},
    )


@dataclass(frozen=True)
class Step:
    """One step of the consult: the formsets its page posts and how their rows make the
    next formulation."""

    name: str  # its URL name and template
    forms: tuple[type[StepRow], ...]
    parse: Callable[[Formulation, Rows], Draft]
    note: str  # the note of the version it saves
    next_step: str  # where "save and go on" leads


COMPLAINTS = Step("complaints", (ComplaintRow,), _complaints, "complaints", "consequences")
CONSEQUENCES = Step(
    "consequences",
    (ConsequenceRow, AnalysisRow),
    _consequences,
    "consequences and functional analyses",
    "goals",
)
GOALS = Step("goals", (GoalRow,), _goals, "goals", "plan")
PLAN = Step("plan", (ActivityRow,), _activities, "activity plan", "plan")


# ------------------------------------------------------------------ the circle


def _circle_field(path: str) -> str | None:
    """Problems of the last added node/edge, or of a renamed node."""
    match = re.match(r"^circle\.(nodes|edges)\[(\d+)\](?:\.(\w+))?$", path)
    if match is None:
        return None
    section, index, part = match.group(1), match.group(2), match.group(3)
    if section == "nodes":
        return {"label": f"node-{index}-label", "factor_id": "node-factor"}.get(part or "")
    return f"edge-{part}" if part in ("source", "target", "label") else "edge-target"


def circle_field_for(action: str, node_index: int | None = None) -> Callable[[str], str | None]:
    def field_for(path: str) -> str | None:
        name = _circle_field(path)
        if name is None:
            return None
        if name.startswith("node-"):
            return "node-label" if action == "add_node" else name
        return name

    return field_for


def _renamed_source(
    current: Formulation, node: Node, label: str
) -> tuple[tuple[Complaint, ...], tuple[Consequence, ...]]:
    complaints = current.complaints
    consequences = current.consequences
    if node.consequence_id is not None:
        consequences = tuple(
            dataclasses.replace(c, words=label) if c.id == node.consequence_id else c
            for c in consequences
        )
    elif node.kind == "complaint":
        complaints = tuple(
            dataclasses.replace(c, text=label) if c.id == node.id else c for c in complaints
        )
    return complaints, consequences


def circle_change(current: Formulation, change: CircleChange) -> Draft:
    """One change of the circle: add, rename or remove a node; add or remove an edge."""
    graph = current.circle
    nodes = list(graph.nodes)
    edges = list(graph.edges)
    field_for = circle_field_for(change.action)
    if change.action == "add_node":
        # Not the id of a complaint: a new box stands for nothing until it is linked.
        taken = (*(n.id for n in nodes), *(c.id for c in current.complaints))
        node_id = new_id(change.kind, taken)
        nodes.append(Node(node_id, change.kind, change.label, change.factor_id))  # type: ignore[arg-type]
    elif change.action == "rename_node":
        index = next((i for i, n in enumerate(nodes) if n.id == change.node), None)
        if index is None or index >= len(change.node_labels):
            return _refused(field_for, {NON_FIELD: [str(_GENERIC)]})
        label = change.node_labels[index]
        nodes[index] = dataclasses.replace(nodes[index], label=label)
        # A box that stands for a complaint or consequence is renamed at its source, so
        # steps 1-2 and the circle keep saying the same (one truth).
        complaints, consequences = _renamed_source(current, nodes[index], label)
        return Draft(
            lambda: dataclasses.replace(
                current,
                complaints=complaints,
                consequences=consequences,
                circle=CircleGraph(tuple(nodes), tuple(edges)),
            ),
            field_for,
            {},
        )
    elif change.action == "remove_node":
        nodes = [n for n in nodes if n.id != change.node]
        edges = [e for e in edges if change.node not in (e.source, e.target)]
    elif change.action == "add_edge":
        edges.append(Edge(change.source, change.target, change.edge_label.strip() or None))
    elif change.action == "remove_edge":
        edges = [e for e in edges if (e.source, e.target) != (change.source, change.target)]
    else:  # pragma: no cover - the form accepts only the actions above
        return _refused(field_for, {NON_FIELD: [str(_GENERIC)]})
    return Draft(
        lambda: dataclasses.replace(current, circle=CircleGraph(tuple(nodes), tuple(edges))),
        field_for,
        {},
    )
