"""The bundled screening content: it loads, every rule has provenance, references
resolve, broken files give precise errors, and the checked-in JSON Schemas are current."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from maatwerk.core.instruments.registry import bundled_instruments
from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.screening.content import (
    ScreeningContent,
    build_screening_content,
    bundled_files,
    bundled_screening_content,
    provenance_items,
    screening_json_schema_texts,
)
from maatwerk.core.screening.errors import ScreeningDefinitionError

REPO = Path(__file__).resolve().parents[3]
SCHEMA_FOLDER = REPO / "docs" / "screening"
CONTENT = bundled_screening_content()
KNOWLEDGE = bundled_knowledge()


def bundled_data() -> dict[str, dict[str, Any]]:
    """File name -> decoded JSON of every bundled file (a fresh copy to mutate)."""
    return {name: json.loads(text, parse_float=Decimal) for name, text in bundled_files().items()}


def build(data: dict[str, dict[str, Any]]) -> ScreeningContent:
    texts = {name: json.dumps(value, default=_exact) for name, value in data.items()}
    return build_screening_content(texts, knowledge=KNOWLEDGE, instruments=bundled_instruments())


def _exact(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(value)


def problems_after(change: Callable[[dict[str, dict[str, Any]]], None]) -> list[str]:
    data = bundled_data()
    change(data)
    with pytest.raises(ScreeningDefinitionError) as caught:
        build(data)
    return [str(problem) for problem in caught.value.problems]


# ------------------------------------------------------------------ bundled content


def test_bundled_content_loads_with_the_required_batteries() -> None:
    assert {"gp_short", "ggz_intake_full", "chronic_pain"} <= {b.id for b in CONTENT.batteries}
    assert CONTENT.versions == {
        "complaints": "1.0",
        "batteries": "1.0",
        "stepped_care": "1.1",
        "subgroups": "1.1",
        "patient_texts": "1.0",
    }


def test_the_copy_round_trip_used_by_these_tests_is_faithful() -> None:
    # The mutation tests below rebuild from decoded copies; an unchanged copy must load.
    assert build(bundled_data()).versions == CONTENT.versions


def test_complaint_list_covers_the_intake_and_marks_pain() -> None:
    ids = {c.id for c in CONTENT.complaints}
    assert {
        "back_neck_pain",
        "joint_muscle_pain",
        "headache",
        "abdominal_pain",
        "bowel_complaints",
        "chest_pain",
        "palpitations",
        "dizziness",
        "fatigue",
        "sleep_problems",
        "tinnitus",
        "itch",
        "shortness_of_breath",
    } <= ids
    assert CONTENT.complaint("back_neck_pain").pain is True
    assert CONTENT.complaint("fatigue").pain is False
    for complaint in CONTENT.complaints:
        assert complaint.patient_name.get("nl") and complaint.patient_name.get("en")


def test_clusters_are_editorial_and_marked_unverified() -> None:
    assert all(cluster.unverified and cluster.note for cluster in CONTENT.clusters)


def test_every_rule_has_a_source_or_is_unverified_with_a_note() -> None:
    for _collection, path, entry in provenance_items(CONTENT):
        assert entry.sources or entry.unverified, path
        if entry.unverified:
            assert entry.note, f"{path} is unverified without a note saying why"


def test_subgroups_are_practice_adaptations_flagged_unverified() -> None:
    ids = {subgroup.id for subgroup in CONTENT.subgroups}
    assert ids == {"child", "adolescent", "older_adult", "low_literacy", "migration"}
    assert all(subgroup.unverified for subgroup in CONTENT.subgroups)


def test_duration_rule_is_more_than_13_weeks() -> None:
    assert CONTENT.rules.severity.duration.severe_more_than_weeks == 13


# ------------------------------------------------------------------ broken files


def test_unknown_instrument_in_a_battery_is_reported_with_file_and_path() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        data["batteries.json"]["batteries"][0]["steps"][1]["instrument"] = "hads"

    assert problems_after(change) == [
        "batteries.json: $.batteries[0].steps[1].instrument: no instrument hads is bundled"
    ]


def test_unknown_care_level_is_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        data["stepped_care.json"]["care_rules"][1]["care_level"] = "psychiatrist"

    assert problems_after(change) == [
        "stepped_care.json: $.care_rules[1].care_level: unknown care level 'psychiatrist'"
    ]


def test_bad_operator_is_a_schema_error() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        data["stepped_care.json"]["comorbidities"][0]["suggested_by"][0]["operator"] = "=>"

    problems = problems_after(change)
    assert len(problems) == 1
    assert problems[0].startswith(
        "stepped_care.json: $.comorbidities[0].suggested_by[0].operator: "
    )
    assert "'=>'" in problems[0]


def test_threshold_outside_the_scale_range_is_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        data["stepped_care.json"]["comorbidities"][0]["suggested_by"][0]["threshold"] = 28

    assert problems_after(change) == [
        "stepped_care.json: $.comorbidities[0].suggested_by[0].threshold: "
        "threshold 28 is outside the scale's range 0-27"
    ]


def test_unknown_scale_is_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        data["stepped_care.json"]["comorbidities"][1]["suggested_by"][0]["scale"] = "sum"

    assert problems_after(change) == [
        "stepped_care.json: $.comorbidities[1].suggested_by[0].scale: "
        "instrument gad7 1.1 has no scale 'sum'"
    ]


def test_rule_without_source_or_unverified_is_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        rule = data["stepped_care.json"]["care_rules"][4]
        rule["sources"] = []
        rule["unverified"] = False

    assert problems_after(change) == [
        "stepped_care.json: $.care_rules[4]: no source; list source ids or mark it unverified: true"
    ]


def test_unknown_source_is_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        data["subgroups.json"]["subgroups"][0]["sources"] = ["who-2020"]

    assert problems_after(change) == [
        "subgroups.json: $.subgroups[0].sources[0]: unknown source 'who-2020'"
    ]


def test_unknown_factor_and_downward_escalation_are_both_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        rules = data["stepped_care.json"]
        rules["risk_profile"]["counted_factors"][0] = "worry"
        rules["escalation"][0]["to_level"] = "huisarts"

    assert problems_after(change) == [
        "stepped_care.json: $.risk_profile.counted_factors[0]: unknown factor 'worry'",
        "stepped_care.json: $.escalation[0].to_level: escalation must go to a more intensive "
        "level ('huisarts' is not above 'huisarts')",
    ]


def test_conditional_step_needs_a_skip_reason() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        del data["batteries.json"]["batteries"][0]["steps"][3]["skip_reason"]

    assert problems_after(change) == [
        "batteries.json: $.batteries[0].steps[3].skip_reason: a step with a condition "
        "('when') needs a skip_reason"
    ]


def test_unknown_complaint_cluster_and_missing_severity_fallback() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        data["complaints.json"]["complaints"][0]["cluster"] = "spine"
        rules = data["stepped_care.json"]["care_rules"]
        data["stepped_care.json"]["care_rules"] = [r for r in rules if r["id"] != "mild_huisarts"]

    assert problems_after(change) == [
        "complaints.json: $.complaints[0].cluster: unknown cluster 'spine'",
        "stepped_care.json: $.care_rules: severity 'mild' needs a rule without further "
        "conditions (the fallback)",
    ]


def test_missing_collection_and_invalid_json() -> None:
    data = bundled_data()
    del data["subgroups.json"]
    with pytest.raises(ScreeningDefinitionError) as caught:
        build(data)
    assert [str(p) for p in caught.value.problems] == [
        "<screening content>: $: missing collection(s): subgroups"
    ]
    texts = dict(bundled_files())
    texts["complaints.json"] = b"{"
    with pytest.raises(ScreeningDefinitionError) as caught:
        build_screening_content(texts, knowledge=KNOWLEDGE, instruments=bundled_instruments())
    assert str(caught.value.problems[0]).startswith("complaints.json: $: invalid JSON")


def test_unknown_key_is_rejected() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        data["subgroups.json"]["subgroups"][0]["match"]["age_max"] = 11

    problems = problems_after(change)
    assert problems == [
        "subgroups.json: $.subgroups[0].match.age_max: Extra inputs are not permitted"
    ]


# ------------------------------------------------------------------ JSON Schemas


@pytest.mark.parametrize("name", sorted(screening_json_schema_texts()))
def test_checked_in_json_schemas_are_current(name: str) -> None:
    expected = screening_json_schema_texts()[name]
    path = SCHEMA_FOLDER / name
    assert path.exists() and path.read_text(encoding="utf-8") == expected, (
        f"{path} is stale; regenerate with: .venv/bin/python -c 'from "
        "maatwerk.core.screening.content import write_json_schemas as w; "
        'w("docs/screening")\''
    )


def test_no_stray_schema_files() -> None:
    on_disk = {path.name for path in SCHEMA_FOLDER.glob("*.schema.json")}
    assert on_disk == set(screening_json_schema_texts())
