"""Which factors the clinician judges: those with a ``clinician_judgement`` measure in
the bundled knowledge base (``src/maatwerk/content/knowledge/factors.json``)."""

from __future__ import annotations

from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.screening.judgement import judgeable_factor_ids, judgement_measure

KNOWLEDGE = bundled_knowledge()


def test_every_factor_with_a_judgement_measure_is_judgeable_in_file_order() -> None:
    # factors.json: negative_mood is measured by PHQ-9 and GAD-7 only; every other
    # factor has a clinician_judgement measure (some next to a questionnaire scale).
    assert judgeable_factor_ids(KNOWLEDGE) == (
        "fear_of_movement",
        "catastrophizing",
        "helplessness",
        "avoidance",
        "over_activity",
        "symptom_focus",
        "poor_sleep",
        "deconditioning",
        "stigma",
        "social_support",
        "acceptance",
        "perceived_benefits",
        "self_efficacy",
    )


def test_the_judgement_measure_carries_the_guidance() -> None:
    measure = judgement_measure(KNOWLEDGE.factor("fear_of_movement"))
    assert measure is not None and measure.kind == "clinician_judgement"
    assert measure.guidance is not None
    assert judgement_measure(KNOWLEDGE.factor("negative_mood")) is None
