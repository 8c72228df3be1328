"""The bundled knowledge base: it loads, every statement has provenance, references
resolve, broken files give precise errors, and the checked-in JSON Schemas are current."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from maatwerk.core.instruments.registry import bundled_instruments, get_instrument
from maatwerk.core.knowledge.errors import KnowledgeDefinitionError
from maatwerk.core.knowledge.loading import (
    build_knowledge_base,
    knowledge_json_schema_texts,
    load_collection_json,
    parse_collection,
)
from maatwerk.core.knowledge.model import FILE_MODELS, InstrumentThreshold
from maatwerk.core.knowledge.registry import bundled_files, bundled_knowledge
from maatwerk.core.knowledge.validation import measure_items, provenance_items, validate_knowledge

REPO = Path(__file__).resolve().parents[3]
SCHEMA_FOLDER = REPO / "docs" / "knowledge"
KB = bundled_knowledge()
NOT_CLINICAL_NUMBERS = {"step"}  # the order of care levels, not a clinical value

REQUIRED_FACTORS = {
    "fear_of_movement",
    "catastrophizing",
    "helplessness",
    "avoidance",
    "over_activity",
    "symptom_focus",
    "negative_mood",
    "poor_sleep",
    "deconditioning",
    "stigma",
    "social_support",
    "acceptance",
    "perceived_benefits",
    "self_efficacy",
}
REQUIRED_CONDITIONS = {
    "persistent_somatic_symptoms",
    "chronic_pain",
    "chronic_fatigue",
    "fibromyalgia",
    "irritable_bowel_syndrome",
    "tinnitus",
    "non_cardiac_chest_pain",
    "low_back_pain",
    "tension_headache",
    "rheumatoid_arthritis",
    "psoriasis",
    "diabetes",
}
REQUIRED_CARE_LEVELS = {
    "huisarts",
    "poh_ggz",
    "basis_ggz",
    "specialistische_ggz",
    "topggz",
    "multidisciplinary_rehabilitation",
}


def bundled_data() -> dict[str, dict[str, Any]]:
    """File name -> decoded JSON of every bundled file (a fresh copy to mutate)."""
    return {
        entry.name: json.loads(entry.read_bytes(), parse_float=Decimal) for entry in bundled_files()
    }


def problems_after(change: Callable[[dict[str, dict[str, Any]]], None]) -> list[str]:
    data = bundled_data()
    change(data)
    texts = {name: json.dumps(value, default=str) for name, value in data.items()}
    with pytest.raises(KnowledgeDefinitionError) as caught:
        build_knowledge_base(texts, bundled_instruments())
    return [str(problem) for problem in caught.value.problems]


# --- the bundled content -------------------------------------------------------------


def test_one_file_per_collection_each_versioned() -> None:
    assert {entry.name for entry in bundled_files()} == {f"{name}.json" for name in FILE_MODELS}
    assert set(KB.versions) == set(FILE_MODELS)
    assert all(version for version in KB.versions.values())


@pytest.mark.parametrize("entry", bundled_files(), ids=lambda entry: entry.name)
def test_every_bundled_file_passes_the_schema(entry: Any) -> None:
    collection_file = load_collection_json(entry.read_bytes(), origin=entry.name)
    assert entry.name == f"{collection_file.collection}.json"


def test_the_whole_knowledge_base_is_consistent() -> None:
    assert validate_knowledge(KB, bundled_instruments()) == ()


def test_the_required_content_is_present() -> None:
    assert {factor.id for factor in KB.factors.factors} >= REQUIRED_FACTORS
    assert {condition.id for condition in KB.conditions.conditions} >= REQUIRED_CONDITIONS
    assert {level.id for level in KB.care_levels.care_levels} >= REQUIRED_CARE_LEVELS
    kinds = {condition.kind for condition in KB.conditions.conditions}
    assert kinds == {"persistent_somatic_symptoms", "functional_syndrome", "chronic_disease"}
    flags = {flag.id: flag for flag in KB.medication.medication}
    assert {"long_term_benzodiazepine_use", "long_term_opioid_use"} <= set(flags)
    assert all(flag.flag == "to_discuss" and flag.scegs == "somatisch" for flag in flags.values())


def test_factor_texts_exist_in_both_languages_at_both_levels() -> None:
    for factor in KB.factors.factors:
        for text in (factor.name, factor.clinician_description, factor.patient_description):
            assert text.get("nl") and text.get("en"), factor.id


def test_risk_and_resilience_factors() -> None:
    resilience = {f.id for f in KB.factors.factors if f.kind == "resilience"}
    assert resilience == {"social_support", "acceptance", "perceived_benefits", "self_efficacy"}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


def _numbers_without_provenance(value: Any, path: str) -> Iterator[str]:
    """Numbers whose own object names no source and is not marked unverified."""
    if isinstance(value, list):
        for index, child in enumerate(value):
            yield from _numbers_without_provenance(child, f"{path}[{index}]")
    elif isinstance(value, dict):
        sourced = bool(value.get("source") or value.get("sources"))
        covered = sourced or value.get("unverified") is True
        for key, child in value.items():
            if _is_number(child) and key not in NOT_CLINICAL_NUMBERS and not covered:
                yield f"{path}.{key}"
            yield from _numbers_without_provenance(child, f"{path}.{key}")


@pytest.mark.parametrize("name", sorted(bundled_data()))
def test_every_number_has_a_source_or_is_unverified(name: str) -> None:
    assert list(_numbers_without_provenance(bundled_data()[name], "$")) == []


def test_the_number_check_finds_a_bare_number() -> None:
    bare = {"factors": [{"sources": ["x"], "measures": [{"threshold": 3}]}]}
    assert list(_numbers_without_provenance(bare, "$")) == ["$.factors[0].measures[0].threshold"]


def test_every_entry_has_a_known_source_or_is_unverified() -> None:
    known = {source.id for source in KB.sources.sources}
    for _collection, path, entry in provenance_items(KB):
        assert entry.sources or entry.unverified, path
        assert set(entry.sources) <= known, path
    for path, measure in measure_items(KB):
        assert measure.source is not None or measure.unverified, path


def test_thresholds_name_real_instrument_scales_and_agree_with_their_cutoffs() -> None:
    thresholds = [m for _, m in measure_items(KB) if isinstance(m, InstrumentThreshold)]
    assert thresholds
    for measure in thresholds:
        scale = get_instrument(measure.instrument, measure.instrument_version).scale(measure.scale)
        assert scale.range.min <= measure.threshold <= scale.range.max
        rules = {(cutoff.operator, cutoff.value) for cutoff in scale.cutoffs}
        bands = {band.min for band in scale.bands}
        if measure.unverified:
            continue
        # A verified threshold repeats a sourced cut-off of the instrument itself.
        assert (measure.operator, measure.threshold) in rules or (
            measure.operator == ">=" and measure.threshold in bands
        ), measure


def test_thresholds_from_the_issue() -> None:
    def rules(factor_id: str) -> set[tuple[str, str, str, Decimal]]:
        return {
            (m.instrument, m.scale, m.operator, m.threshold)
            for m in KB.factor(factor_id).measures
            if isinstance(m, InstrumentThreshold)
        }

    assert rules("fear_of_movement") == {("tsk", "total", ">", Decimal(37))}
    # PCS >= 30: the manual's reading (Sullivan, PCS user manual 1995-2009), not "> 30".
    assert rules("catastrophizing") == {("pcs", "total", ">=", Decimal(30))}
    assert rules("negative_mood") == {
        ("phq9", "total", ">=", Decimal(10)),
        ("gad7", "total", ">=", Decimal(10)),
    }
    # PHQ-15 measures symptom burden, not symptom focus: present, but unverified.
    [phq15] = [m for m in KB.factor("symptom_focus").measures if isinstance(m, InstrumentThreshold)]
    assert phq15.unverified


def test_intervention_map_references_resolve_and_keeps_status() -> None:
    factors = {factor.id for factor in KB.factors.factors}
    interventions = {i.id for i in KB.interventions.interventions}
    for link in KB.interventions.links:
        assert set(link.factors) <= factors
        assert set(link.interventions) <= interventions
    by_id = {link.id: link for link in KB.interventions.links}
    assert not by_id["activity_pattern"].unverified  # nhg-m102-henw, torenbeek-2006
    assert by_id["physical_deconditioning"].unverified  # a secondary source only
    assert by_id["sleep_problems"].unverified and not by_id["sleep_problems"].sources
    assert [link.id for link in KB.interventions_for("over_activity")] == ["activity_pattern"]


def test_condition_specific_factors_name_known_conditions() -> None:
    fear = KB.factor("fear_of_movement")
    assert fear.scope == "condition_specific"
    assert set(fear.conditions) <= {c.id for c in KB.conditions.conditions}
    assert KB.condition("chronic_pain").kind == "functional_syndrome"


def test_care_levels_are_ordered_and_name_known_disciplines() -> None:
    steps = [level.step for level in KB.care_levels.care_levels]
    assert steps == sorted(steps)
    assert KB.care_level("huisarts").step < KB.care_level("topggz").step
    disciplines = {d.id for d in KB.disciplines.disciplines}
    for level in KB.care_levels.care_levels:
        assert set(level.disciplines) <= disciplines


# --- broken synthetic files ------------------------------------------------------------


def _factor(data: dict[str, dict[str, Any]], factor_id: str) -> dict[str, Any]:
    factors: list[dict[str, Any]] = data["factors.json"]["factors"]
    [factor] = [f for f in factors if f["id"] == factor_id]
    return factor


def _index(data: dict[str, dict[str, Any]], factor_id: str) -> int:
    ids = [f["id"] for f in data["factors.json"]["factors"]]
    return ids.index(factor_id)


def test_unknown_instrument_scale_is_reported_precisely() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        _factor(data, "negative_mood")["measures"][0]["scale"] = "totl"

    index = _index(bundled_data(), "negative_mood")
    assert problems_after(change) == [
        f"factors.json: $.factors[{index}].measures[0].scale: "
        "instrument phq9 1.2 has no scale 'totl'"
    ]


def test_unknown_instrument_and_version_are_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        measures = _factor(data, "negative_mood")["measures"]
        measures[0]["instrument"] = "phq99"
        measures[1]["instrument_version"] = "9.9"

    index = _index(bundled_data(), "negative_mood")
    assert problems_after(change) == [
        f"factors.json: $.factors[{index}].measures[0].instrument: no instrument phq99 is bundled",
        f"factors.json: $.factors[{index}].measures[1].instrument: "
        "no instrument gad7 version 9.9 is bundled",
    ]


def test_threshold_outside_the_scale_range_is_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        _factor(data, "catastrophizing")["measures"][0]["threshold"] = 60

    [problem] = problems_after(change)
    assert problem.endswith(
        ".measures[0].threshold: threshold 60 is outside the scale's range 0-52"
    )


def test_missing_and_unknown_sources_are_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        factor = _factor(data, "negative_mood")
        factor["sources"] = []
        del factor["measures"][0]["source"]
        data["conditions.json"]["conditions"][0]["sources"] = ["no-such-source"]

    index = _index(bundled_data(), "negative_mood")
    assert set(problems_after(change)) == {
        "conditions.json: $.conditions[0].sources[0]: unknown source 'no-such-source'",
        f"factors.json: $.factors[{index}]: no source; list source ids or mark it unverified: true",
        f"factors.json: $.factors[{index}].measures[0]: "
        "no source; give a source id or mark it unverified: true",
    }


def test_unknown_references_are_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        _factor(data, "fear_of_movement")["conditions"][0] = "chronic_pian"
        data["interventions.json"]["links"][0]["factors"][0] = "overactivity"
        data["interventions.json"]["links"][0]["interventions"][0] = "graded"
        data["care_levels.json"]["care_levels"][0]["disciplines"] = ["gp"]

    index = _index(bundled_data(), "fear_of_movement")
    assert set(problems_after(change)) == {
        f"factors.json: $.factors[{index}].conditions[0]: unknown condition 'chronic_pian'",
        "interventions.json: $.links[0].factors[0]: unknown factor 'overactivity'",
        "interventions.json: $.links[0].interventions[0]: unknown intervention 'graded'",
        "care_levels.json: $.care_levels[0].disciplines[0]: unknown discipline 'gp'",
    }


def test_scope_and_conditions_must_agree() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        _factor(data, "fear_of_movement")["conditions"] = []
        _factor(data, "avoidance")["conditions"] = ["chronic_pain"]

    base = bundled_data()
    fear, avoidance = _index(base, "fear_of_movement"), _index(base, "avoidance")
    assert set(problems_after(change)) == {
        f"factors.json: $.factors[{fear}].conditions: a condition-specific factor needs conditions",
        f"factors.json: $.factors[{avoidance}].conditions: a generic factor lists no conditions",
    }


def test_duplicate_ids_are_reported() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        factors = data["factors.json"]["factors"]
        factors.append(copy.deepcopy(factors[0]))

    count = len(bundled_data()["factors.json"]["factors"])
    first = bundled_data()["factors.json"]["factors"][0]["id"]
    assert problems_after(change) == [
        f"factors.json: $.factors[{count}].id: duplicate factor id {first!r}"
    ]


def test_schema_errors_name_file_and_path_and_are_all_collected() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        factor = data["factors.json"]["factors"][0]
        factor["kind"] = "protective"
        factor["scegs"] = "social"
        factor["measures"][0]["kind"] = "questionnaire"
        data["conditions.json"]["conditions"][1]["nmae"] = "typo"

    found = problems_after(change)
    paths = {problem.split(": ")[0] + ": " + problem.split(": ")[1] for problem in found}
    assert paths == {
        "factors.json: $.factors[0].kind",
        "factors.json: $.factors[0].scegs",
        "factors.json: $.factors[0].measures[0]",
        "conditions.json: $.conditions[1].nmae",
    }
    assert any("'protective'" in problem for problem in found)
    assert any("kind must be 'instrument_scale' or 'clinician_judgement'" in p for p in found)


def test_floats_are_rejected_as_inexact() -> None:
    texts = {entry.name: entry.read_bytes() for entry in bundled_files()}
    data = json.loads(texts["factors.json"])  # floats, not Decimals
    data["factors"][0]["measures"][0]["threshold"] = 37.5
    with pytest.raises(KnowledgeDefinitionError) as caught:
        parse_collection(data, origin="factors.json")
    [problem] = caught.value.problems
    assert problem.path == "$.factors[0].measures[0].threshold"
    assert "exact" in problem.message


def test_file_level_problems() -> None:
    texts: dict[str, str | bytes] = {e.name: e.read_bytes() for e in bundled_files()}
    broken = dict(texts, **{"extra.json": texts["factors.json"], "bad.json": "{", "odd.json": "[]"})
    broken["what.json"] = json.dumps({"collection": "factorz", "version": "1.0"})
    with pytest.raises(KnowledgeDefinitionError) as caught:
        build_knowledge_base(broken, bundled_instruments())
    assert {str(problem) for problem in caught.value.problems} == {
        "bad.json: $: invalid JSON: Expecting property name enclosed in double quotes "
        "(line 1, column 2)",
        "factors.json: $.collection: collection 'factors' is also in extra.json",
        "odd.json: $: the file must hold one JSON object",
        "what.json: $.collection: must be one of 'sources', 'conditions', 'factors', "
        "'medication', 'care_levels', 'disciplines', 'interventions' (got 'factorz')",
    }
    missing = {name: text for name, text in texts.items() if name != "medication.json"}
    with pytest.raises(KnowledgeDefinitionError, match=r"missing collection\(s\): medication"):
        build_knowledge_base(missing, bundled_instruments())


def test_duplicate_json_keys_are_rejected() -> None:
    with pytest.raises(KnowledgeDefinitionError, match="duplicate key 'version'"):
        load_collection_json(
            '{"collection": "sources", "version": "1.0", "version": "2.0", "sources": []}',
            origin="sources.json",
        )


def test_knowledge_base_is_frozen() -> None:
    with pytest.raises(Exception, match="frozen"):
        KB.factor("stigma").kind = "resilience"


# --- the checked-in JSON Schemas ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted(knowledge_json_schema_texts()))
def test_checked_in_json_schemas_are_current(name: str) -> None:
    expected = knowledge_json_schema_texts()[name]
    path = SCHEMA_FOLDER / name
    assert path.exists() and path.read_text(encoding="utf-8") == expected, (
        f"docs/knowledge/{name} is stale; regenerate with\n"
        "  .venv/bin/python -c 'from maatwerk.core.knowledge.loading import "
        'write_json_schemas as w; w("docs/knowledge")\''
    )


def test_no_stray_schema_files() -> None:
    on_disk = {path.name for path in SCHEMA_FOLDER.glob("*.schema.json")}
    assert on_disk == set(knowledge_json_schema_texts())


def test_bundled_texts_replace_one_collection_and_validate_again() -> None:
    """An organization's edit replaces one file's text; the whole is validated again."""
    from maatwerk.core.knowledge.registry import bundled_texts

    texts = bundled_texts()
    assert set(texts) == {entry.name for entry in bundled_files()}
    assert build_knowledge_base(texts, bundled_instruments()) == KB
    factors = json.loads(texts["factors.json"])  # every number in it is an integer
    index = _index({"factors.json": factors}, "fear_of_movement")
    factors["factors"][index]["measures"][0]["threshold"] = 40
    factors["version"] = "1.0.1"
    edited = dict(texts, **{"factors.json": json.dumps(factors)})
    knowledge = build_knowledge_base(edited, bundled_instruments())
    measures = knowledge.factor("fear_of_movement").measures
    [tsk] = [m for m in measures if isinstance(m, InstrumentThreshold)]
    assert (tsk.threshold, knowledge.versions["factors"]) == (Decimal(40), "1.0.1")
    assert bundled_texts() == texts  # a fresh copy each call: the caller's edit stays its own
