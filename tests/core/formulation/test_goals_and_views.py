"""Goal checks with their hints, and the 3P view with clinician roles and a profile."""

from __future__ import annotations

from dataclasses import replace

from maatwerk.core.formulation.content import bundled_formulation_content
from maatwerk.core.formulation.goals import goal_issues
from maatwerk.core.formulation.model import Consequence, Formulation, Goal, TaggedFactor
from maatwerk.core.formulation.views import as_three_p
from tests.core.screening.patients import Patient, run

CONTENT = bundled_formulation_content()


def test_a_fully_checked_goal_has_no_issues() -> None:
    goal = Goal("walk", "Elke dag 10 minuten wandelen", True, True, True, "gas-1")
    assert goal_issues(goal, content=CONTENT, language="nl") == ()


def test_open_and_failed_checks_get_a_hint_each_in_order() -> None:
    goal = Goal("fit", "Weer fit worden", feasible=None, concrete=False, small_steps=False)
    issues = goal_issues(goal, content=CONTENT, language="nl")
    assert [(i.check, i.state, i.hint) for i in issues] == [
        ("feasible", "open", "Vraag: kun je dit doel echt halen?"),
        ("concrete", "failed", "Maak het doel concreet: wat doe je precies, en wanneer?"),
        ("small_steps", "failed", "Maak het doel kleiner: wat is de eerste stap?"),
    ]
    english = goal_issues(goal, content=CONTENT, language="en")
    assert english[2].hint == "Make the goal smaller: what is the first step?"


def test_three_p_roles_override_the_default_and_screening_factors_are_added() -> None:
    formulation = Formulation(
        consequences=(
            # maintaining without a role: perpetuating
            Consequence("fear", "emotional", "bang om te bewegen", True, "fear_of_movement"),
            # the clinician tags a non-maintaining consequence as precipitating
            Consequence("fall", "physical", "gevallen op het ijs", False, role="precipitating"),
            # and a maintaining one explicitly as predisposing (the role wins)
            Consequence("worrier", "cognitive", "ik pieker altijd al", True, role="predisposing"),
        ),
        tagged_factors=(TaggedFactor("family", "mijn moeder had ook pijn", "predisposing"),),
    )
    # TSK 45 (> 37) and PHQ-9 12 (>= 10): fear of movement and negative mood elevated.
    profile, _ = run(Patient(scores={"tsk": 45, "phq9": 12}, complaints=("back_neck_pain",)))
    view = as_three_p(formulation, profile)
    assert [(e.origin, e.id) for e in view.predisposing] == [
        ("consequence", "worrier"),
        ("tagged", "family"),
    ]
    assert [(e.origin, e.id) for e in view.precipitating] == [("consequence", "fall")]
    # Fear of movement is already a consequence; negative mood is not, so it is added
    # from the screening with no text (the UI shows the factor's name).
    assert [(e.origin, e.id, e.text) for e in view.perpetuating] == [
        ("consequence", "fear", "bang om te bewegen"),
        ("screening", "negative_mood", None),
    ]
    assert view.unplaced == ()
    # Without a profile nothing is added.
    assert [e.id for e in as_three_p(formulation).perpetuating] == ["fear"]
    # A role can be cleared again: a non-maintaining consequence without a role is unplaced.
    cleared = replace(formulation, consequences=(replace(formulation.consequences[1], role=None),))
    assert [e.id for e in as_three_p(cleared).unplaced] == ["fall"]
