"""Module matching on the synthetic screening patients.

The patients and their screening results are those of
``tests/core/screening/test_synthetic_patients.py``; the modules are the bundled
catalogue (``content/modules``), the links the knowledge base's (``content/knowledge/
interventions.json``) and the planning rules (``content/planning/
rules.json``). The ranking rule (docs/planning/README.md), in short:

1. always-on "first" basics: psycho-education on the vicious circle when any risk factor
   is elevated (or a maintaining factor is named); the biopsychosocial explanation as
   self-help when no factor at all is found;
2. the matched modules, sorted by: more factors named maintaining in the formulation;
   then the best evidence grade of their reasons (0 = sourced and verified, 1 = sourced
   but unverified, 2 = no source); then more matched factors; then the module id;
3. always-on "last": relapse prevention, when any module was matched;
4. waves of ``max_modules_at_once`` (3 by default, editorial) in that order.

Evidence grades of the links used below: ``behavioural_experiments`` targets avoidance
and catastrophizing with a verified source (Visser & Reinders) -> 0; the KB links
avoidance -> behavioural experiments/exposure and catastrophizing -> cognitive
restructuring are verified -> 0; ``g_schema`` and ``exposure_hierarchy`` are modules
marked unverified (their direct targets -> 1); fear of movement -> graded exposure in
vivo is unverified (1); deconditioning/over-activity -> graded activity is verified (0);
helplessness -> ACT is secondary (1); poor sleep -> sleep has no source (2); negative
mood -> G-schema is the planning rules' own link (sourced e-Coach, unverified -> 1).
"""

from __future__ import annotations

import pytest

from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.core.planning.errors import PlanningInputError
from maatwerk.core.planning.matching import (
    ModuleRecommendation,
    PlanPreferences,
    recommend_modules,
)
from maatwerk.core.screening.model import JudgementEvidence, ScaleEvidence
from tests.core.screening.patients import KNOWLEDGE, run
from tests.core.screening.test_synthetic_patients import PATIENTS

CATALOGUE = bundled_catalogue()
RULES = bundled_planning_rules()

VC = "psychoeducation_vicious_circle"
BPS = "psychoeducation_biopsychosocial"
RP = "relapse_prevention"


def recommend(
    name: str,
    *,
    maintaining: tuple[str, ...] = (),
    preferences: PlanPreferences | None = None,
) -> tuple[ModuleRecommendation, ...]:
    patient, _ = PATIENTS[name]
    profile, _ = run(patient)
    return recommend_modules(
        profile,
        maintaining_factors=maintaining,
        preferences=preferences or PlanPreferences(modality=patient.modality),
        catalogue=CATALOGUE,
        knowledge=KNOWLEDGE,
        rules=RULES,
    )


def recommended(recs: tuple[ModuleRecommendation, ...]) -> list[tuple[str, int | None]]:
    return [(r.module_id, r.wave) for r in recs if r.status == "recommended"]


# name -> the expected recommended modules in rank order, with their wave.
EXPECTED: dict[str, list[tuple[str, int | None]]] = {
    # Nothing elevated, acceptance and social support present: only the biopsychosocial
    # explanation as self-help (rule self_help_when_nothing_elevated); no treatment
    # module is pushed, so no relapse prevention either.
    "well_adjusted_mild": [(BPS, 1)],
    # Scores just below every threshold: the same, nothing to treat.
    "boundaries_just_below": [(BPS, 1)],
    # Low literacy, low scores: the same single self-help module.
    "low_literacy": [(BPS, 1)],
    # Fear of movement (TSK 44) and catastrophizing (PCS 33) elevated; social support
    # low matches no module (the social-relationships link has no module). Vicious circle
    # first. Then two grade-0 modules with one factor each, by id: behavioural
    # experiments (targets catastrophizing, verified) and the G-schema (catastrophizing ->
    # cognitive restructuring, verified link). The exposure hierarchy matches both
    # factors but only through unverified links (grade 1), so it comes after them and,
    # with 3 modules at once, starts in wave 2 with relapse prevention.
    "pain_fear_and_catastrophizing": [
        (VC, 1),
        ("behavioural_experiments", 1),
        ("g_schema", 1),
        ("exposure_hierarchy", 2),
        (RP, 2),
    ],
    # Fear, catastrophizing and negative mood: the G-schema now matches 2 factors
    # (catastrophizing via a verified link, negative mood via the planning link) and goes
    # before behavioural experiments (grade 0, 1 factor); exposure (grade 1) after.
    "boundaries_just_met": [
        (VC, 1),
        ("g_schema", 1),
        ("behavioural_experiments", 1),
        ("exposure_hierarchy", 2),
        (RP, 2),
    ],
    # Negative mood (PHQ-9 14): the mood module is the G-schema (negative cognitions;
    # planning link, e-Coach sources, unverified), between the basics.
    "negative_mood_risk_profile": [(VC, 1), ("g_schema", 1), (RP, 1)],
    # Rheumatoid arthritis with distress, online preference: the same mood modules.
    "rheumatoid_arthritis_with_distress": [(VC, 1), ("g_schema", 1), (RP, 1)],
    # Deconditioning judged present: graded activity (target and the verified activity
    # pattern link); physiotherapy is a multidisciplinary part (test_plan).
    "deconditioning_rehabilitation": [(VC, 1), ("graded_activity", 1), (RP, 1)],
    # Helplessness and avoidance judged present: behavioural experiments and the exposure
    # hierarchy both reach avoidance through a verified link (grade 0, by id), then
    # acceptance and values (helplessness -> ACT, secondary source: grade 1) in wave 2.
    "judgement_only_risk_profile": [
        (VC, 1),
        ("behavioural_experiments", 1),
        ("exposure_hierarchy", 1),
        ("acceptance_values", 2),
        (RP, 2),
    ],
    # Poor sleep judged present: the sleep module (no source: grade 2, still matched).
    "long_term_benzodiazepine_use": [(VC, 1), ("sleep", 1), (RP, 1)],
    # Symptom focus (PHQ-15 18): the G-schema targets it; the attention/exposure
    # techniques of the KB link are delivered by no module.
    "severe_multi_cluster_long_duration": [(VC, 1), ("g_schema", 1), (RP, 1)],
    # TSK 45 met while judged absent: still elevated, so the exposure hierarchy.
    "threshold_met_but_judged_absent": [(VC, 1), ("exposure_hierarchy", 1), (RP, 1)],
    # A 15-year-old with negative mood: the mood module, as for adults.
    "adolescent_without_parent": [(VC, 1), ("g_schema", 1), (RP, 1)],
}


def test_at_least_ten_patients_are_reasoned() -> None:
    assert len(EXPECTED) >= 10
    assert set(EXPECTED) <= set(PATIENTS)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_ranking_of_synthetic_patient(name: str) -> None:
    recs = recommend(name)
    assert recommended(recs) == EXPECTED[name]
    assert [r.rank for r in recs] == list(range(1, len(recs) + 1))
    assert all(r.status == "recommended" for r in recs)
    for rec in recs:
        # every module has a reason: a basic rule or at least one matched factor
        assert rec.basic is not None or rec.reasons
        for reason in rec.reasons:
            assert reason.sources or reason.unverified


def test_well_adjusted_patient_gets_self_help_only() -> None:
    (rec,) = recommend("well_adjusted_mild")
    assert CATALOGUE.module(rec.module_id).guidance == "self_help"
    assert rec.basic is not None and rec.basic.rule_id == "self_help_when_nothing_elevated"
    assert rec.basic.unverified and rec.basic.sources
    assert rec.reasons == ()


def test_reasons_carry_the_screening_evidence_and_link_provenance() -> None:
    recs = {r.module_id: r for r in recommend("threshold_met_but_judged_absent")}
    exposure = recs["exposure_hierarchy"]
    assert exposure.factor_ids == ("fear_of_movement",)
    reason = next(r for r in exposure.reasons if r.via == "intervention_link")
    assert reason.link_id == "fear_of_movement_catastrophizing"
    assert reason.interventions == ("graded_exposure_in_vivo",)
    assert reason.sources == ("bmc-msd-2012",) and reason.unverified
    assert reason.note and "graded exposure" in reason.note
    # both pieces of evidence of the finding are shown: TSK 45 > 37 and the judgement
    scale = [e for e in reason.evidence if isinstance(e, ScaleEvidence)]
    judged = [e for e in reason.evidence if isinstance(e, JudgementEvidence)]
    assert [(e.instrument, e.value, e.operator, e.threshold, e.met) for e in scale] == [
        ("tsk", 45, ">", 37, True)
    ]
    assert [e.present for e in judged] == [False]
    assert exposure.unverified  # every reason rests on an unverified link or module


def test_verified_link_makes_a_recommendation_verified() -> None:
    recs = {r.module_id: r for r in recommend("deconditioning_rehabilitation")}
    graded = recs["graded_activity"]
    link = next(r for r in graded.reasons if r.via == "intervention_link")
    assert (link.link_id, link.sources, link.unverified) == (
        "activity_pattern",
        ("nhg-m102-henw", "torenbeek-2006"),
        False,
    )
    assert link.grade == 0 and not graded.unverified


def test_patient_excludes_a_module_with_the_reason_recorded() -> None:
    # The pain patient does not want the exposure hierarchy. It is listed as excluded
    # with the patient's words and no wave; the rest keeps its order, and relapse
    # prevention stays in wave 2 (4 modules, 3 at once).
    preferences = PlanPreferences(excluded_modules={"exposure_hierarchy": "Dat durf ik nog niet."})
    recs = recommend("pain_fear_and_catastrophizing", preferences=preferences)
    assert recommended(recs) == [
        (VC, 1),
        ("behavioural_experiments", 1),
        ("g_schema", 1),
        (RP, 2),
    ]
    excluded = [r for r in recs if r.status == "excluded_by_patient"]
    assert [(r.module_id, r.excluded_reason, r.rank, r.wave) for r in excluded] == [
        ("exposure_hierarchy", "Dat durf ik nog niet.", None, None)
    ]
    assert excluded[0].factor_ids == ("fear_of_movement", "catastrophizing")


def test_excluding_every_matched_module_drops_relapse_prevention() -> None:
    preferences = PlanPreferences(excluded_modules={"g_schema": ""})
    recs = recommend("negative_mood_risk_profile", preferences=preferences)
    assert recommended(recs) == [(VC, 1)]
    assert [r.module_id for r in recs if r.status == "excluded_by_patient"] == ["g_schema"]


def test_max_modules_at_once_and_modality_from_the_preferences() -> None:
    preferences = PlanPreferences(modality="online", max_at_once=2)
    recs = recommend("pain_fear_and_catastrophizing", preferences=preferences)
    assert recommended(recs) == [
        (VC, 1),
        ("behavioural_experiments", 1),
        ("g_schema", 2),
        ("exposure_hierarchy", 2),
        (RP, 3),
    ]
    assert {r.delivery for r in recs} == {"online"}


def test_formulation_maintaining_factor_ranks_first() -> None:
    # The formulation names fear of movement as the maintaining factor: the exposure
    # hierarchy, the only module reaching it, moves to the front of the matched modules.
    recs = recommend("pain_fear_and_catastrophizing", maintaining=("fear_of_movement",))
    assert recommended(recs)[:2] == [(VC, 1), ("exposure_hierarchy", 1)]
    exposure = next(r for r in recs if r.module_id == "exposure_hierarchy")
    fear = next(r for r in exposure.reasons if r.factor_id == "fear_of_movement")
    assert fear.origins == ("screening", "formulation")


def test_formulation_only_factor_is_matched_without_screening_evidence() -> None:
    # The well-adjusted patient's formulation names over-activity as maintaining (no
    # questionnaire measures it): the vicious circle, graded activity (verified link,
    # grade 0) before the warning-signal module (unverified target, grade 1), relapse
    # prevention last — and no longer the self-help-only rule.
    recs = recommend("well_adjusted_mild", maintaining=("over_activity",))
    assert recommended(recs) == [
        (VC, 1),
        ("graded_activity", 1),
        ("warning_signal_self_reward", 1),
        (RP, 2),
    ]
    graded = next(r for r in recs if r.module_id == "graded_activity")
    assert {(r.factor_status, r.origins, r.evidence) for r in graded.reasons} == {
        ("maintaining", ("formulation",), ())
    }


def test_ranking_is_deterministic() -> None:
    assert recommend("judgement_only_risk_profile") == recommend("judgement_only_risk_profile")


def test_unknown_ids_are_refused_with_every_problem_named() -> None:
    preferences = PlanPreferences(excluded_modules={"yoga": "no"}, max_at_once=0)
    with pytest.raises(PlanningInputError) as caught:
        recommend("well_adjusted_mild", maintaining=("bad_luck",), preferences=preferences)
    assert caught.value.problems == (
        "maintaining factor 'bad_luck' is not a factor of the knowledge base",
        "excluded module 'yoga' is not in the module catalogue",
        "max_at_once must be at least 1 (got 0)",
    )
