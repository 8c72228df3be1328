"""The clinician accepts or changes the recommendation; every deviation needs a reason."""

from __future__ import annotations

import pytest

from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.core.planning.decisions import PlanDecision, apply_decisions
from maatwerk.core.planning.errors import DecisionError, DecisionWithoutReason
from maatwerk.core.planning.matching import ModuleRecommendation, PlanPreferences, recommend_modules
from tests.core.screening.patients import KNOWLEDGE, run
from tests.core.screening.test_synthetic_patients import PATIENTS


def recommendation(**excluded: str) -> tuple[ModuleRecommendation, ...]:
    # The pain patient: vicious circle, behavioural experiments, G-schema, exposure
    # hierarchy, relapse prevention (test_matching).
    profile, _ = run(PATIENTS["pain_fear_and_catastrophizing"][0])
    return recommend_modules(
        profile,
        preferences=PlanPreferences(excluded_modules=excluded),
        catalogue=bundled_catalogue(),
        knowledge=KNOWLEDGE,
        rules=bundled_planning_rules(),
    )


def ids(accepted: tuple) -> list[str]:  # type: ignore[type-arg]
    return [item.module_id for item in accepted]


def test_without_decisions_the_recommendation_stands() -> None:
    accepted = apply_decisions(recommendation(), ())
    assert ids(accepted) == [
        "psychoeducation_vicious_circle",
        "behavioural_experiments",
        "g_schema",
        "exposure_hierarchy",
        "relapse_prevention",
    ]
    assert [item.order for item in accepted] == [1, 2, 3, 4, 5]
    assert not any(item.deviates for item in accepted)


def test_accepting_a_recommended_module_needs_no_reason() -> None:
    accepted = apply_decisions(recommendation(), (PlanDecision("g_schema", "accept"),))
    assert "g_schema" in ids(accepted)


def test_remove_and_add_with_reasons() -> None:
    decisions = (
        PlanDecision("exposure_hierarchy", "remove", "Eerst gedragsexperimenten afronden."),
        PlanDecision("relaxation_mindfulness", "add", "Veel spanning in het gesprek."),
    )
    accepted = apply_decisions(recommendation(), decisions)
    # the added module goes before relapse prevention, which stays last
    assert ids(accepted) == [
        "psychoeducation_vicious_circle",
        "behavioural_experiments",
        "g_schema",
        "relaxation_mindfulness",
        "relapse_prevention",
    ]
    added = accepted[3]
    assert added.recommendation is None and added.deviates
    assert added.decision == decisions[1]


def test_override_without_reason_is_refused() -> None:
    with pytest.raises(DecisionWithoutReason, match=r"remove module .g_schema.*recommended"):
        apply_decisions(recommendation(), (PlanDecision("g_schema", "remove", "  "),))
    with pytest.raises(DecisionWithoutReason, match=r"add module .sleep.*not recommended"):
        apply_decisions(recommendation(), (PlanDecision("sleep", "add"),))
    excluded = recommendation(exposure_hierarchy="Te eng.")
    with pytest.raises(DecisionWithoutReason, match="accept module 'exposure_hierarchy'"):
        apply_decisions(excluded, (PlanDecision("exposure_hierarchy", "accept"),))


def test_accepting_an_excluded_module_with_a_reason() -> None:
    excluded = recommendation(exposure_hierarchy="Te eng.")
    decision = PlanDecision("exposure_hierarchy", "accept", "Samen besproken; wil het proberen.")
    accepted = apply_decisions(excluded, (decision,))
    assert ids(accepted)[-2:] == ["exposure_hierarchy", "relapse_prevention"]
    assert accepted[-2].deviates


def test_conflicting_or_impossible_decisions() -> None:
    recs = recommendation()
    with pytest.raises(DecisionError, match="more than one decision"):
        apply_decisions(
            recs, (PlanDecision("g_schema", "accept"), PlanDecision("g_schema", "remove", "x"))
        )
    with pytest.raises(DecisionError, match="already recommended"):
        apply_decisions(recs, (PlanDecision("g_schema", "add", "x"),))
    with pytest.raises(DecisionError, match="not in the recommendation"):
        apply_decisions(recs, (PlanDecision("sleep", "remove", "x"),))


def test_a_refused_decision_names_its_module_as_a_field_not_only_in_the_message() -> None:
    recs = recommendation()
    with pytest.raises(DecisionError) as refused:
        apply_decisions(recs, (PlanDecision("sleep", "remove", "x"),))
    assert refused.value.module_id == "sleep"
    with pytest.raises(DecisionWithoutReason) as unreasoned:
        apply_decisions(recs, (PlanDecision("g_schema", "remove", ""),))
    assert unreasoned.value.module_id == "g_schema"
