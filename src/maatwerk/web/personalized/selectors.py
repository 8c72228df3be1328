"""Reading personalized measures, always through the patient access rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from maatwerk.core.access import AccessBasis
from maatwerk.web.patients.opening import Audience, PatientAccess, is_uuid
from maatwerk.web.personalized.models import Measurement, MeasurementValue, MeasureSet

OBJECT_SET = "questionnaire"
"""Audit object type of a measure set (the existing label "questionnaire" is reused)."""
OBJECT_MEASUREMENT = "questionnaire_answer"
"""Audit object type of one measurement (a rating of every item)."""
OBJECT_RESULTS = "questionnaire_results"


@dataclass(frozen=True)
class MeasureSetAccess:
    measure_set: MeasureSet
    access: PatientAccess

    @property
    def by_patient(self) -> bool:
        """The patient acts on their own record (not a clinician)."""
        return self.access.basis is AccessBasis.OWN_RECORD


def set_audience(set_id: str) -> Audience:
    """Who may open a measure set: a GAS set only the care team (attained levels are
    scored by the clinician); a PSK or top-problems set the patient too. An unknown id
    gets the widest audience, so the opener's refusal is the same 404 as for any id."""
    kind = (
        MeasureSet.objects.filter(public_id=set_id).values_list("kind", flat=True).first()
        if is_uuid(set_id)
        else None
    )
    return Audience.CARE_TEAM if kind == MeasureSet.Kind.GAS else Audience.RECORD


def sets_for(access: PatientAccess) -> QuerySet[MeasureSet]:
    """All measure sets of the patient, active ones first, newest first."""
    return (
        MeasureSet.objects.filter(patient=access.patient)
        .prefetch_related("items")
        .order_by("-is_active", "kind", "-created_at")
    )


def active_sets_for(access: PatientAccess) -> dict[str, MeasureSet]:
    return {s.kind: s for s in sets_for(access).filter(is_active=True)}


def measurements_of(measure_set: MeasureSet) -> list[Measurement]:
    """The measurements in time order, each with its values and who entered it."""
    return list(
        measure_set.measurements.select_related("entered_by")
        .prefetch_related(
            Prefetch("values", queryset=MeasurementValue.objects.select_related("item"))
        )
        .order_by("measured_on", "entered_at")
    )
