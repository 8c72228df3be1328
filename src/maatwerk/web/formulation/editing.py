"""From the step forms to a new core ``Formulation``, and from the core's problems back to
the form fields.

Each step posts every row of its section as a formset (``forms.py``; existing rows carry
their id; one blank row adds a new entry; a "remove" checkbox drops a row). The parsers
take the formsets' cleaned rows, in the order posted, and build the whole new
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
from maatwerk.core.formulation.model import CONSEQUENCE_DOMAINS, CircleGraph
from maatwerk.web.formulation.forms import CHECKS, FA_PARTS

NON_FIELD = "__all__"
Row = Mapping[str, object]

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


_INDEXED = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?")


def _indexed_field(prefix: str, section: str, rows: list[int]) -> Callable[[str], str | None]:
    """Map ``section[k].field`` to ``prefix-<form row>-field``."""

    def field_for(path: str) -> str | None:
        match = _INDEXED.match(path)
        if match is None or match.group(1) != section:
            return None
        index = int(match.group(2))
        if index >= len(rows):
            return None
        return f"{prefix}-{rows[index]}-{match.group(3) or 'text'}"

    return field_for


def _str(row: Row, name: str) -> str:
    value = row.get(name)
    return value if isinstance(value, str) else ""


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


# ------------------------------------------------------------------ step 1


def parse_complaints(current: Formulation, posted: Sequence[Row]) -> Draft:
    """Step 1: the complaints in the patient's own words."""
    existing = {c.id: c for c in current.complaints}
    complaints: list[Complaint] = []
    rows: list[int] = []
    taken = set(existing)
    for row, values in enumerate(posted):
        if values.get("remove"):
            continue
        text = _str(values, "text")
        meaning = _str(values, "meaning").strip()
        old = existing.get(_str(values, "id"))
        if old is None:
            if not text.strip():
                continue
            complaint_id = new_id("complaint", taken)
            taken.add(complaint_id)
            complaints.append(Complaint(complaint_id, text, meaning=meaning))
        else:
            complaints.append(dataclasses.replace(old, text=text, meaning=meaning))
        rows.append(row)
    field_for = _indexed_field("complaint", "complaints", rows)
    return Draft(lambda: dataclasses.replace(current, complaints=tuple(complaints)), field_for, {})


# ------------------------------------------------------------------ step 2


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def parse_consequences(
    current: Formulation, posted: Sequence[Row], posted_analyses: Sequence[Row]
) -> Draft:
    """Step 2: consequences in five domains and the functional analyses. A removed
    consequence is unlinked from the circle's nodes (the node and its words stay)."""
    errors: dict[str, list[str]] = {}
    existing = {c.id: c for c in current.consequences}
    consequences: list[Consequence] = []
    rows: list[int] = []
    taken = set(existing)
    for row, values in enumerate(posted):
        if values.get("remove"):
            continue
        words = _str(values, "words")
        old_id = _str(values, "id")
        domain = _str(values, "domain")
        if domain not in CONSEQUENCE_DOMAINS:
            if old_id not in existing and not words.strip():
                continue
            errors[f"consequence-{row}-domain"] = [str(_("Choose a domain."))]
            continue
        factor_id = _str(values, "factor").strip() or None
        role = _str(values, "role") or None
        if old_id in existing:
            consequence_id = old_id
        else:
            if not words.strip():
                continue
            consequence_id = new_id("consequence", taken)
            taken.add(consequence_id)
        consequences.append(
            Consequence(
                consequence_id,
                domain,  # type: ignore[arg-type]
                words,
                bool(values.get("maintaining")),
                factor_id,
                role,  # type: ignore[arg-type]
            )
        )
        rows.append(row)
    analyses: list[FunctionalAnalysis] = []
    fa_rows: list[int] = []
    fa_existing = {a.id for a in current.functional_analyses}
    fa_taken = set(fa_existing)
    for row, values in enumerate(posted_analyses):
        if values.get("remove"):
            continue
        situation = _str(values, "situation")
        parts = {part: _lines(_str(values, part)) for part in FA_PARTS}
        old_id = _str(values, "id")
        if old_id in fa_existing:
            analysis_id = old_id
        else:
            if not situation.strip() and not any(parts.values()):
                continue
            analysis_id = new_id("analysis", fa_taken)
            fa_taken.add(analysis_id)
        analyses.append(FunctionalAnalysis(analysis_id, situation, **parts))
        fa_rows.append(row)
    kept = {c.id for c in consequences}
    nodes = tuple(
        node
        if node.consequence_id is None or node.consequence_id in kept
        else dataclasses.replace(node, consequence_id=None)
        for node in current.circle.nodes
    )
    consequence_field = _indexed_field("consequence", "consequences", rows)
    analysis_field = _indexed_field("analysis", "functional_analyses", fa_rows)

    def field_for(path: str) -> str | None:
        if path.startswith("consequences"):
            name = consequence_field(path)
            return name.replace("-factor_id", "-factor") if name else None
        if path.startswith("functional_analyses"):
            return analysis_field(path)
        return None

    if errors:
        return _refused(field_for, errors)
    return Draft(
        lambda: dataclasses.replace(
            current,
            consequences=tuple(consequences),
            functional_analyses=tuple(analyses),
            circle=CircleGraph(nodes, current.circle.edges),
        ),
        field_for,
        {},
    )


# ------------------------------------------------------------------ step 3


def _check(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def parse_goals(current: Formulation, posted: Sequence[Row]) -> Draft:
    """Step 3: the patient's goals with the three checks."""
    existing = {g.id: g for g in current.goals}
    goals: list[Goal] = []
    rows: list[int] = []
    taken = set(existing)
    for row, values in enumerate(posted):
        if values.get("remove"):
            continue
        text = _str(values, "text")
        feasible, concrete, small_steps = (_check(_str(values, check)) for check in CHECKS)
        old = existing.get(_str(values, "id"))
        if old is None:
            if not text.strip():
                continue
            old = Goal(new_id("goal", taken), text)
            taken.add(old.id)
        goals.append(
            dataclasses.replace(
                old, text=text, feasible=feasible, concrete=concrete, small_steps=small_steps
            )
        )
        rows.append(row)
    field_for = _indexed_field("goal", "goals", rows)
    return Draft(lambda: dataclasses.replace(current, goals=tuple(goals)), field_for, {})


# ------------------------------------------------------------------ step 4


def parse_activities(current: Formulation, posted: Sequence[Row]) -> Draft:
    """Step 4: the activity plan (what, when, for which goal)."""
    existing = {a.id for a in current.activities}
    activities: list[Activity] = []
    rows: list[int] = []
    taken = set(existing)
    for row, values in enumerate(posted):
        if values.get("remove"):
            continue
        text = _str(values, "text")
        activity_id = _str(values, "id")
        if activity_id not in existing:
            if not text.strip():
                continue
            activity_id = new_id("activity", taken)
            taken.add(activity_id)
        activities.append(
            Activity(
                activity_id,
                text,
                _str(values, "when").strip(),
                _str(values, "goal").strip() or None,
            )
        )
        rows.append(row)
    indexed = _indexed_field("activity", "activities", rows)

    def field_for(path: str) -> str | None:
        name = indexed(path)
        return name.replace("-goal_id", "-goal") if name else None

    return Draft(lambda: dataclasses.replace(current, activities=tuple(activities)), field_for, {})


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


def circle_change(current: Formulation, posted: Row) -> Draft:
    """One change of the circle (the cleaned ``CircleForm``): add, rename or remove a
    node; add or remove an edge."""
    action = _str(posted, "action")
    graph = current.circle
    nodes = list(graph.nodes)
    edges = list(graph.edges)
    field_for = circle_field_for(action)
    if action == "add_node":
        kind = _str(posted, "node-kind")
        factor_id = _str(posted, "node-factor").strip() or None
        # Not the id of a complaint: a new box stands for nothing until it is linked.
        node_id = new_id(kind, (*(n.id for n in nodes), *(c.id for c in current.complaints)))
        nodes.append(Node(node_id, kind, _str(posted, "node-label"), factor_id))  # type: ignore[arg-type]
    elif action == "rename_node":
        node_id = _str(posted, "node")
        index = next((i for i, n in enumerate(nodes) if n.id == node_id), None)
        if index is None:
            return _refused(field_for, {NON_FIELD: [str(_GENERIC)]})
        label = _str(posted, f"node-{index}-label")
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
    elif action == "remove_node":
        node_id = _str(posted, "node")
        nodes = [n for n in nodes if n.id != node_id]
        edges = [e for e in edges if node_id not in (e.source, e.target)]
    elif action == "add_edge":
        label = _str(posted, "edge-label")
        edges.append(
            Edge(_str(posted, "edge-source"), _str(posted, "edge-target"), label.strip() or None)
        )
    elif action == "remove_edge":
        source, target = _str(posted, "source"), _str(posted, "target")
        edges = [e for e in edges if (e.source, e.target) != (source, target)]
    else:  # pragma: no cover - the form accepts only the actions above
        return _refused(field_for, {NON_FIELD: [str(_GENERIC)]})
    return Draft(
        lambda: dataclasses.replace(current, circle=CircleGraph(tuple(nodes), tuple(edges))),
        field_for,
        {},
    )
