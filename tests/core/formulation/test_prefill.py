"""The draft formulation from a screening profile built with the real screening core."""

from __future__ import annotations

from dataclasses import replace

import pytest

from maatwerk.core.formulation.content import bundled_formulation_content
from maatwerk.core.formulation.errors import FormulationError
from maatwerk.core.formulation.model import vicious_circles
from maatwerk.core.formulation.prefill import (
    check_factor_references,
    factor_reference_problems,
    prefill_from_profile,
)
from maatwerk.core.formulation.views import as_three_p
from maatwerk.core.screening.model import PatientPriorities, ScreeningProfile
from tests.core.screening.patients import CONTENT as SCREENING
from tests.core.screening.patients import KNOWLEDGE, Patient, run

FORMULATION_CONTENT = bundled_formulation_content()

# Low back pain with high TSK (45 > 37: fear of movement) and PCS (35 > 30:
# catastrophizing), PHQ-9 12 (>= 10: negative mood), and the clinician judged avoidance
# and deconditioning present and poor sleep absent. (Thresholds: factors.json.)
BACK_PAIN = Patient(
    scores={"tsk": 45, "pcs": 35, "phq9": 12},
    complaints=("back_neck_pain",),
    judged={"avoidance": True, "deconditioning": True, "poor_sleep": False},
)


def profile_with_words(patient: Patient, own_words: str) -> ScreeningProfile:
    screening = patient.screening()
    priorities: PatientPriorities = replace(screening.priorities, own_words=own_words)
    profile, _ = run(replace(screening, priorities=priorities))
    return profile


def test_elevated_factors_become_maintaining_nodes_with_typical_edges() -> None:
    profile = profile_with_words(BACK_PAIN, "pijn in mijn onderrug")
    assert profile.elevated_risk_factors == (
        "fear_of_movement",
        "catastrophizing",
        "avoidance",
        "negative_mood",
        "deconditioning",
    )
    draft = prefill_from_profile(profile, knowledge=KNOWLEDGE, content=FORMULATION_CONTENT)
    # The complaint in the patient's own words, linked to the intake complaint.
    assert [(c.id, c.text, c.screening_complaint) for c in draft.complaints] == [
        ("complaint", "pijn in mijn onderrug", "back_neck_pain")
    ]
    # One node per elevated factor, in knowledge-base order, kind from the template.
    assert [(n.id, n.kind, n.label) for n in draft.circle.nodes] == [
        ("complaint", "complaint", "pijn in mijn onderrug"),
        ("fear_of_movement", "feeling", "Ik ben bang dat bewegen schade doet"),
        ("catastrophizing", "thought", "Ik denk dat het alleen maar erger wordt"),
        ("avoidance", "behaviour", "Ik doe dingen niet meer, uit angst voor de klachten"),
        ("negative_mood", "feeling", "Ik voel me vaak somber"),
        ("deconditioning", "physical", "Mijn lichaam is minder fit geworden"),
    ]
    # Each is a maintaining consequence in the template's domain, tied to its node.
    assert [(c.id, c.domain, c.maintaining, c.factor_id) for c in draft.consequences] == [
        ("fear_of_movement", "emotional", True, "fear_of_movement"),
        ("catastrophizing", "cognitive", True, "catastrophizing"),
        ("avoidance", "behavioural", True, "avoidance"),
        ("negative_mood", "emotional", True, "negative_mood"),
        ("deconditioning", "physical", True, "deconditioning"),
    ]
    assert all(n.consequence_id == n.factor_id for n in draft.circle.nodes[1:])
    # Edges: first the complaint's typical edges (content order) whose target is in the
    # draft, then each node's template edges; over_activity, symptom_focus, stigma,
    # helplessness and poor_sleep are absent, so no edge touches them.
    assert [(e.source, e.target, e.label) for e in draft.circle.edges] == [
        ("complaint", "catastrophizing", "leidt tot"),
        ("complaint", "fear_of_movement", "leidt tot"),
        ("complaint", "negative_mood", "leidt tot"),
        ("fear_of_movement", "avoidance", "leidt tot"),
        ("catastrophizing", "fear_of_movement", "leidt tot"),
        ("avoidance", "deconditioning", "leidt tot"),
        ("negative_mood", "avoidance", "leidt tot"),
        ("deconditioning", "complaint", "maakt erger"),
    ]
    # The fear-avoidance circle, reached three ways from the pain.
    assert vicious_circles(draft.circle) == (
        ("complaint", "catastrophizing", "fear_of_movement", "avoidance", "deconditioning"),
        ("complaint", "fear_of_movement", "avoidance", "deconditioning"),
        ("complaint", "negative_mood", "avoidance", "deconditioning"),
    )
    # Only catastrophizing -> fear of movement has a primary source (bmc-msd-2012).
    verified = FORMULATION_CONTENT.edge_provenance("catastrophizing", "fear_of_movement")
    assert verified.sources == ("bmc-msd-2012",) and not verified.unverified
    assert FORMULATION_CONTENT.edge_provenance("avoidance", "deconditioning").unverified
    # Every prefilled factor is perpetuating in the 3P view and none is repeated.
    assert [e.id for e in as_three_p(draft, profile).perpetuating] == [
        "fear_of_movement",
        "catastrophizing",
        "avoidance",
        "negative_mood",
        "deconditioning",
    ]
    check_factor_references(draft, KNOWLEDGE)


def test_english_starters_and_complaint_names_when_there_are_no_own_words() -> None:
    profile, _ = run(BACK_PAIN)
    draft = prefill_from_profile(
        profile,
        knowledge=KNOWLEDGE,
        content=FORMULATION_CONTENT,
        language="en",
        screening=SCREENING,
    )
    expected_name = SCREENING.complaint("back_neck_pain").patient_name.get("en")
    assert draft.complaints[0].text == expected_name
    assert draft.circle.node("fear_of_movement").label == "I am afraid that moving will do harm"


def test_nothing_elevated_gives_only_the_complaint() -> None:
    profile, _ = run(Patient(scores={"phq9": 2, "gad7": 1}))
    draft = prefill_from_profile(profile, knowledge=KNOWLEDGE, content=FORMULATION_CONTENT)
    # No words and no complaints in the intake: the neutral placeholder.
    assert [(n.id, n.label) for n in draft.circle.nodes] == [("complaint", "mijn klachten")]
    assert draft.consequences == () and draft.circle.edges == ()
    assert vicious_circles(draft.circle) == ()


def test_unknown_factor_ids_are_reported() -> None:
    profile = profile_with_words(BACK_PAIN, "pijn")
    draft = prefill_from_profile(profile, knowledge=KNOWLEDGE, content=FORMULATION_CONTENT)
    broken = replace(
        draft,
        consequences=(
            replace(draft.consequences[0], factor_id="telepathy"),
            *draft.consequences[1:],
        ),
    )
    assert [(p.code, p.path) for p in factor_reference_problems(broken, KNOWLEDGE)] == [
        ("unknown_factor", "consequences[0].factor_id")
    ]
    with pytest.raises(FormulationError) as caught:
        check_factor_references(broken, KNOWLEDGE)
    assert caught.value.code == "unknown_factor"
