"""Building synthetic screenings for the tests from small, readable records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.screening.content import bundled_screening_content
from maatwerk.core.screening.model import (
    EarlierTreatment,
    FunctionalLimitation,
    HelpWanted,
    Modality,
    PatientPriorities,
    ScaleObservation,
    ScegsAssessment,
    ScreeningInput,
    ScreeningProfile,
    SteppedCareAdvice,
    SubgroupFacts,
)
from maatwerk.core.screening.profile import build_profile
from maatwerk.core.screening.stepped_care import advise

KNOWLEDGE = bundled_knowledge()
CONTENT = bundled_screening_content()


def observations(scores: Mapping[str, int | str]) -> tuple[ScaleObservation, ...]:
    """``{"phq9": 12, "rand36.pain": "45"}`` -> observations (scale ``total`` by default)."""
    found = []
    for key, value in scores.items():
        code, _, scale = key.partition(".")
        version = get_instrument(code).version
        found.append(ScaleObservation(code, version, scale or "total", Decimal(value)))
    return tuple(found)


@dataclass(frozen=True)
class Patient:
    scores: Mapping[str, int | str] = field(default_factory=dict)
    complaints: tuple[str, ...] = ()
    clusters: tuple[str, ...] = ()
    duration_weeks: int | None = None
    limitation: FunctionalLimitation | None = None
    earlier_treatment: EarlierTreatment | None = None
    conditions: tuple[str, ...] = ()
    comorbidity: tuple[str, ...] = ()
    medication: tuple[str, ...] = ()
    judged: Mapping[str, bool] = field(default_factory=dict)
    wants_help_now: HelpWanted = "yes"
    modality: Modality = "no_preference"
    first_problem: str = ""
    age: int | None = 40
    low_literacy: bool = False
    migration_background: bool = False
    parent_involved: bool = False

    def screening(self) -> ScreeningInput:
        return ScreeningInput(
            observations=observations(self.scores),
            priorities=PatientPriorities(
                complaints=self.complaints,
                first_problem=self.first_problem,
                wants_help_now=self.wants_help_now,
                modality=self.modality,
            ),
            scegs=ScegsAssessment(
                conditions=self.conditions,
                symptom_clusters=self.clusters,
                duration_weeks=self.duration_weeks,
                functional_limitation=self.limitation,
                earlier_treatment=self.earlier_treatment,
                comorbidity=self.comorbidity,
                medication=self.medication,
                judged_factors=dict(self.judged),
            ),
            subgroups=SubgroupFacts(
                age_years=self.age,
                low_literacy=self.low_literacy,
                migration_background=self.migration_background,
                parent_involved=self.parent_involved,
            ),
        )


def run(patient: Patient | ScreeningInput) -> tuple[ScreeningProfile, SteppedCareAdvice]:
    screening = patient.screening() if isinstance(patient, Patient) else patient
    profile = build_profile(
        screening, knowledge=KNOWLEDGE, content=CONTENT, instruments=get_instrument
    )
    return profile, advise(screening, profile, knowledge=KNOWLEDGE, content=CONTENT)
