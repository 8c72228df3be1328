"""The versioned JSON document: a faithful round trip, clear errors, and changes."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from hypothesis import given, settings

from maatwerk.core.formulation.document import (
    FORMAT_VERSION,
    changes,
    formulation_from_json,
    formulation_to_json,
)
from maatwerk.core.formulation.errors import FormulationError
from maatwerk.core.formulation.model import CircleGraph, Consequence, Edge, Formulation, Node
from tests.core.formulation.strategies import formulations
from tests.core.formulation.test_worked_example import BACK_PAIN


@settings(max_examples=150, deadline=None)
@given(formulations())
def test_round_trip(formulation: Formulation) -> None:
    text = formulation_to_json(formulation)
    assert formulation_from_json(text) == formulation
    # Stable: writing the read document gives the same text.
    assert formulation_to_json(formulation_from_json(text)) == text


def test_document_header_and_fixed_shape() -> None:
    data = json.loads(formulation_to_json(BACK_PAIN))
    assert list(data) == [
        "format",
        "format_version",
        "complaints",
        "consequences",
        "goals",
        "functional_analyses",
        "tagged_factors",
        "circle",
        "activities",
    ]
    assert data["format"] == "maatwerk.formulation"
    assert data["format_version"] == FORMAT_VERSION == 1
    # Absent optional values are written as null, so every version has the same keys.
    assert data["circle"]["edges"][1] == {"source": "fear", "target": "avoid", "label": None}


def test_a_document_written_before_activities_and_meaning_still_reads() -> None:
    # Issue 12 added the step-4 activities and the complaints' meaning analysis, both
    # optional: version-1 documents stored before them read as before.
    data = json.loads(formulation_to_json(BACK_PAIN))
    del data["activities"]
    for complaint in data["complaints"]:
        del complaint["meaning"]
    read = formulation_from_json(json.dumps(data))
    assert read == BACK_PAIN and read.activities == () and read.complaints[0].meaning == ""


def document_problems(change: object) -> list[tuple[str, str]]:
    data = json.loads(formulation_to_json(BACK_PAIN))
    assert callable(change)
    change(data)
    with pytest.raises(FormulationError) as caught:
        formulation_from_json(json.dumps(data))
    return [(p.code, p.path) for p in caught.value.problems]


def test_unsupported_version_and_wrong_format() -> None:
    assert document_problems(lambda d: d.update(format_version=2)) == [
        ("unsupported_format_version", "format_version")
    ]
    assert document_problems(lambda d: d.update(format="other")) == [("invalid_document", "format")]
    with pytest.raises(FormulationError) as caught:
        formulation_from_json("[1]")
    assert caught.value.code == "invalid_document"
    with pytest.raises(FormulationError) as caught:
        formulation_from_json("{not json")
    assert caught.value.code == "invalid_document"


def test_wrong_types_and_unknown_keys_are_document_errors_with_paths() -> None:
    def change(data: dict[str, object]) -> None:
        consequences = data["consequences"]
        assert isinstance(consequences, list)
        consequences[0]["maintaining"] = "yes"
        consequences[1]["colour"] = "red"

    assert document_problems(change) == [
        ("invalid_document", "consequences[0].maintaining"),
        ("invalid_document", "consequences[1].colour"),
    ]


def test_invalid_graph_in_a_document_keeps_the_graph_problem_code() -> None:
    def change(data: dict[str, object]) -> None:
        circle = data["circle"]
        assert isinstance(circle, dict)
        circle["edges"].append({"source": "pain", "target": "nowhere", "label": None})

    assert document_problems(change) == [("unknown_node", "circle.edges[8].target")]


def test_changes_between_two_versions() -> None:
    old = BACK_PAIN
    circle = old.circle
    new = replace(
        old,
        consequences=(
            *(c for c in old.consequences if c.id != "worry"),
            Consequence("sleep", "physical", "Ik slaap slecht", True, "poor_sleep"),
        ),
        circle=CircleGraph(
            (
                *(
                    replace(n, label="Ik voel me vaak somber") if n.id == "mood" else n
                    for n in circle.nodes
                ),
                Node("sleep", "physical", "Ik slaap slecht", "poor_sleep", "sleep"),
            ),
            (
                *(e for e in circle.edges if (e.source, e.target) != ("friends", "mood")),
                Edge("sleep", "pain"),
                Edge("pain", "sleep"),
            ),
        ),
    )
    found = changes(old, new)
    assert found.added_nodes == ("sleep",)
    assert found.removed_nodes == ()
    assert found.changed_nodes == ("mood",)
    assert found.added_consequences == ("sleep",)
    assert found.removed_consequences == ("worry",)
    assert found.changed_consequences == ()
    assert found.added_edges == (("sleep", "pain"), ("pain", "sleep"))
    assert found.removed_edges == (("friends", "mood"),)
    assert not found.empty
    assert changes(old, old).empty
