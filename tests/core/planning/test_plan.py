"""The plan: multidisciplinary parts, expected duration, GAS goals and the FHIR export."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from maatwerk.core.fhir.care_plan import (
    GAS_MEASURE_SYSTEM,
    MODULE_SYSTEM,
    care_plan_bundle,
    goal_full_url,
    plan_to_fhir,
)
from maatwerk.core.fhir.errors import FhirMappingError
from maatwerk.core.fhir.validation import validate_resource
from maatwerk.core.instruments.personalized import GasGoal
from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.core.planning.decisions import PlanDecision, apply_decisions
from maatwerk.core.planning.duration import expected_duration
from maatwerk.core.planning.errors import PlanError, PlanningInputError
from maatwerk.core.planning.matching import PlanPreferences, recommend_modules
from maatwerk.core.planning.multidisciplinary import multidisciplinary_parts
from maatwerk.core.planning.plan import Plan, PlanGoal, build_plan
from tests.core.screening.patients import KNOWLEDGE, run
from tests.core.screening.test_synthetic_patients import PATIENTS

CATALOGUE = bundled_catalogue()
RULES = bundled_planning_rules()
CREATED = date(2026, 11, 25)


def parts(name: str, *, flags: tuple[str, ...] = (), severity: str | None = None) -> list[str]:
    profile, advice = run(PATIENTS[name][0])
    found = multidisciplinary_parts(
        profile,
        severity=severity or advice.severity,  # type: ignore[arg-type]
        clinician_flags=flags,
        rules=RULES,
        knowledge=KNOWLEDGE,
    )
    return [part.intervention_id for part in found]


def test_deconditioning_gets_physiotherapy_with_provenance() -> None:
    profile, advice = run(PATIENTS["deconditioning_rehabilitation"][0])
    (part,) = multidisciplinary_parts(
        profile, severity=advice.severity, rules=RULES, knowledge=KNOWLEDGE
    )
    assert (part.intervention_id, part.discipline_id, part.factors) == (
        "physiotherapy",
        "fysiotherapeut",
        ("deconditioning",),
    )
    # The NHG standard, read only in a secondary summary: cited, and still unverified
    assert part.sources == ("nhg-m102", "worldsupporter-nhg") and part.unverified
    assert "fysiotherapeut" in part.reason["nl"]


def test_clinician_flags_trauma_and_family_system() -> None:
    # Trauma and the family system are recorded by the clinician only (no instrument):
    # EMDR and systeemtherapie, both unverified (no source).
    assert parts("negative_mood_risk_profile") == []
    assert parts("negative_mood_risk_profile", flags=("trauma_maintains",)) == ["emdr"]
    assert parts(
        "negative_mood_risk_profile", flags=("trauma_maintains", "family_system_maintains")
    ) == ["emdr", "systeemtherapie"]


def test_lmbt_only_for_severe_non_responders() -> None:
    # Zorgstandaard via a review (◐): severe SOLK with insufficient response to CBT/ACT.
    assert parts("severe_multi_cluster_long_duration") == []
    assert parts("severe_multi_cluster_long_duration", flags=("cbt_act_non_response",)) == ["l_mbt"]
    # moderate severity: the flag alone is not enough
    assert parts("pain_fear_and_catastrophizing", flags=("cbt_act_non_response",)) == []


def test_unknown_clinician_flag_is_refused() -> None:
    with pytest.raises(PlanningInputError, match="'grief' is not declared"):
        parts("well_adjusted_mild", flags=("grief",))


def test_expected_duration_in_waves_and_unverified() -> None:
    # Pain patient, POH-GGZ, 3 at once: wave 1 = vicious circle 1, behavioural
    # experiments 3, G-schema 4 weeks -> 4; wave 2 = exposure 6, relapse prevention 2 ->
    # 6; total 10 weeks, under the 26-week ceiling.
    modules = [
        "psychoeducation_vicious_circle",
        "behavioural_experiments",
        "g_schema",
        "exposure_hierarchy",
        "relapse_prevention",
    ]
    duration = expected_duration(
        modules, catalogue=CATALOGUE, care_level="poh_ggz", max_at_once=3, rules=RULES
    )
    assert (duration.weeks, duration.waves, duration.capped) == (10, (4, 6), False)
    assert duration.ceiling_weeks == 26
    assert duration.unverified and duration.note and "inference" in duration.note


def test_expected_duration_capped_by_the_care_level_ceiling() -> None:
    # One at a time: 8 + 6 + 4 + 4 + 4 + 2 = 28 weeks > 26 -> capped at 26 for basis-GGZ;
    # at multidisciplinary rehabilitation no ceiling is configured: 28.
    modules = [
        "graded_activity",
        "exposure_hierarchy",
        "g_schema",
        "sleep",
        "acceptance_values",
        "relapse_prevention",
    ]
    capped = expected_duration(
        modules, catalogue=CATALOGUE, care_level="basis_ggz", max_at_once=1, rules=RULES
    )
    assert (capped.weeks, sum(capped.waves), capped.capped) == (26, 28, True)
    free = expected_duration(
        modules,
        catalogue=CATALOGUE,
        care_level="multidisciplinary_rehabilitation",
        max_at_once=1,
        rules=RULES,
    )
    assert (free.weeks, free.ceiling_weeks, free.capped) == (28, None, False)
    empty = expected_duration(
        [], catalogue=CATALOGUE, care_level="huisarts", max_at_once=3, rules=RULES
    )
    assert empty.weeks == 0


LEVELS_WALK = {
    -2: "Ik loop niet meer naar de bakker.",
    -1: "Ik loop met pauzes tot de hoek.",
    0: "Ik loop in 10 minuten naar de bakker.",
    1: "Ik loop naar de bakker en terug.",
    2: "Ik loop elke dag een half uur.",
}
LEVELS_FRIEND = {
    -2: "Ik zie niemand.",
    -1: "Ik app soms met Anna.",
    0: "Ik spreek één keer per week met Anna af.",
    1: "Ik spreek twee keer per week af.",
    2: "Ik ga weer naar de koffieochtend.",
}


def pain_plan() -> Plan:
    """A plan with two modules and two GAS goals (the treatment path)."""
    profile, advice = run(PATIENTS["pain_fear_and_catastrophizing"][0])
    recs = recommend_modules(
        profile,
        preferences=PlanPreferences(modality="blended"),
        catalogue=CATALOGUE,
        knowledge=KNOWLEDGE,
        rules=RULES,
    )
    decisions = (
        PlanDecision("exposure_hierarchy", "remove", "Later, eerst experimenten."),
        PlanDecision("behavioural_experiments", "remove", "Valt samen met de G-schema's."),
        PlanDecision("psychoeducation_vicious_circle", "remove", "Al besproken bij de intake."),
    )
    accepted = apply_decisions(recs, decisions)
    assert [a.module_id for a in accepted] == ["g_schema", "relapse_prevention"]
    goals = (
        PlanGoal(GasGoal("Weer naar de bakker lopen", -1), LEVELS_WALK),
        PlanGoal(GasGoal("Vaker met Anna afspreken", -1), LEVELS_FRIEND),
    )
    return build_plan(
        plan_id="7d0c9a52-1f2b-4c55-9e3a-0a6b5b1d2c3e",
        care_level=advice.care_level,
        modality="blended",
        accepted=accepted,
        goals=goals,
        multidisciplinary=multidisciplinary_parts(
            profile, severity=advice.severity, rules=RULES, knowledge=KNOWLEDGE
        ),
        duration=expected_duration(
            [a.module_id for a in accepted],
            catalogue=CATALOGUE,
            care_level=advice.care_level,
            max_at_once=3,
            rules=RULES,
        ),
        decisions=decisions,
        created=CREATED,
        status="active",
        catalogue=CATALOGUE,
        knowledge=KNOWLEDGE,
    )


def test_plan_value_with_reasons_goals_and_gas_score() -> None:
    plan = pain_plan()
    assert plan.care_level == "poh_ggz"
    assert [(m.order, m.module_id) for m in plan.modules] == [
        (1, "g_schema"),
        (2, "relapse_prevention"),
    ]
    g_schema = plan.modules[0]
    assert any("PCS total score 33, at or above 30" in line for line in g_schema.reasons["en"])
    # the knowledge base's link shown by the intervention's name, never by its id
    assert any(
        "koppeling in de kennisbank → Cognitieve herstructurering" in line
        for line in g_schema.reasons["nl"]
    )
    assert not any("catastrophic_cognitions" in line for line in g_schema.reasons["nl"])
    # both goals at -1 (the baseline convention): T = 50 + 10 x (-2) / sqrt(0.7 x 2 + 0.3 x 4)
    score = plan.gas_score
    assert score is not None and round(score.t_score, 2) == 37.60
    assert plan.duration.weeks == 4  # G-schema 4 and relapse prevention 2 in one wave
    assert plan.updated == plan.created


def test_plan_to_fhir_validates_and_carries_the_plan() -> None:
    plan = pain_plan()
    care_plan, goals = plan_to_fhir(
        plan, patient_ref="a3c1e0f4-0000-4000-8000-000000000001", author_ref="J. de Vries, POH-GGZ"
    )
    validate_resource(care_plan, "CarePlan")
    for goal in goals:
        validate_resource(goal, "Goal")
    assert care_plan["status"] == "active" and care_plan["intent"] == "plan"
    assert care_plan["period"] == {"start": "2026-11-25", "end": "2026-12-23"}  # + 4 weeks
    assert care_plan["subject"]["identifier"]["value"] == "a3c1e0f4-0000-4000-8000-000000000001"
    codes = [a["detail"]["code"]["coding"][0] for a in care_plan["activity"]]
    assert [(c["system"], c["code"]) for c in codes] == [
        (MODULE_SYSTEM, "g_schema"),
        (MODULE_SYSTEM, "relapse_prevention"),
    ]
    assert {a["detail"]["status"] for a in care_plan["activity"]} == {"not-started"}
    assert care_plan["goal"] == [
        {"reference": goal_full_url(plan, index)} for index in range(len(goals))
    ]
    notes = [note["text"] for note in care_plan["note"]]
    # the reasons per module (Dutch by default), the decisions and the duration
    assert any(
        text.startswith("1. ")
        and "PCS totaalscore 33, grens 30 of hoger" in text
        and "Visser, Reinders (2015)" in text
        for text in notes
    )
    assert (
        "Besluit behandelaar: verwijderen exposure_hierarchy: Later, eerst experimenten." in notes
    )
    assert any("niet geverifieerd" in text for text in notes)
    assert "Vorm: blended (online en in de praktijk)" in notes

    walk = goals[0]
    assert walk["description"]["text"] == "Weer naar de bakker lopen"
    assert walk["lifecycleStatus"] == "active"
    assert walk["target"][0]["detailInteger"] == 0
    assert walk["target"][0]["measure"]["coding"][0]["system"] == GAS_MEASURE_SYSTEM
    assert [note["text"] for note in walk["note"]][:5] == [
        f"Niveau {level:+d}: {text}" if level else f"Niveau 0: {text}"
        for level, text in LEVELS_WALK.items()
    ]
    assert walk["note"][5]["text"] == "Huidig niveau: -1"


def test_fhir_export_of_a_draft_with_a_multidisciplinary_part_in_english() -> None:
    profile, advice = run(PATIENTS["deconditioning_rehabilitation"][0])
    recs = recommend_modules(
        profile,
        preferences=PlanPreferences(),
        catalogue=CATALOGUE,
        knowledge=KNOWLEDGE,
        rules=RULES,
    )
    accepted = apply_decisions(recs, ())
    plan = build_plan(
        plan_id="p-1",
        care_level=advice.care_level,
        modality="face_to_face",
        accepted=accepted,
        goals=(),
        multidisciplinary=multidisciplinary_parts(
            profile, severity=advice.severity, rules=RULES, knowledge=KNOWLEDGE
        ),
        duration=expected_duration(
            [a.module_id for a in accepted],
            catalogue=CATALOGUE,
            care_level=advice.care_level,
            max_at_once=3,
            rules=RULES,
        ),
        decisions=(),
        created=CREATED,
        catalogue=CATALOGUE,
        knowledge=KNOWLEDGE,
    )
    care_plan, goals = plan_to_fhir(plan, patient_ref="p", author_ref="x", language="en")
    validate_resource(care_plan, "CarePlan")
    assert goals == [] and "goal" not in care_plan
    assert care_plan["status"] == "draft"
    assert care_plan["activity"][-1]["detail"]["code"]["coding"][0]["code"] == "physiotherapy"
    assert care_plan["category"][0]["coding"][0]["code"] == "multidisciplinary_rehabilitation"


def test_validation_catches_a_broken_care_plan() -> None:
    care_plan, _ = plan_to_fhir(pain_plan(), patient_ref="p", author_ref="x")
    del care_plan["intent"]
    with pytest.raises(FhirMappingError):
        validate_resource(care_plan, "CarePlan")


def test_goal_needs_every_level_described() -> None:
    with pytest.raises(PlanError, match=r"missing \+2"):
        PlanGoal(GasGoal("Wandelen", -1), {k: v for k, v in LEVELS_WALK.items() if k != 2})
    with pytest.raises(PlanError, match="unknown level"):
        PlanGoal(GasGoal("Wandelen", -1), {**LEVELS_WALK, 3: "te veel"})


def test_plan_refuses_duplicate_goals_and_dates_backwards() -> None:
    plan = pain_plan()
    same = PlanGoal(GasGoal("weer naar de bakker lopen", -1), LEVELS_WALK)
    with pytest.raises(PlanError, match="occurs more than once"):
        Plan(**{**_fields(plan), "goals": (plan.goals[0], same)})
    with pytest.raises(PlanError, match="before it was created"):
        Plan(**{**_fields(plan), "updated": date(2026, 1, 1)})


def _fields(plan: Plan) -> dict[str, object]:
    return {name: getattr(plan, name) for name in Plan.__dataclass_fields__}


def test_care_plan_bundle_full_urls_are_urn_uuids_and_care_plan_goals_resolve() -> None:
    """R4 Bundle: every fullUrl is absolute or a urn:uuid (bdl-7 asks them unique), and a
    reference inside an entry resolves against the fullUrls of the Bundle."""
    plan = pain_plan()
    bundle = care_plan_bundle(
        plan, patient_ref="p", author_ref="x", timestamp=datetime(2026, 12, 1, tzinfo=UTC)
    )
    validate_resource(bundle, "Bundle")
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert all(re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", url) for url in full_urls), full_urls
    assert len(set(full_urls)) == len(full_urls)
    care_plan = bundle["entry"][0]["resource"]
    goals = {
        e["fullUrl"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Goal"
    }
    assert goals and [ref["reference"] for ref in care_plan["goal"]] == list(goals)
    # stable: the same plan gives the same references
    again = care_plan_bundle(
        plan, patient_ref="p", author_ref="x", timestamp=datetime(2026, 12, 1, tzinfo=UTC)
    )
    assert [entry["fullUrl"] for entry in again["entry"]] == full_urls
