"""Reading personalized measures, always through the patient access rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from maatwerk.core.access import AccessBasis
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import (
    PatientAccess,
    PatientNotAccessible,
    is_uuid,
    patient_access,
)
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


def measure_set_access(*, actor: Actor, set_id: str, action: str) -> MeasureSetAccess:
    """The measure set, if ``actor`` may open its patient's record; the calling service
    or view writes the audit event. Refusals are audited and raise PatientNotAccessible."""
    measure_set = (
        MeasureSet.objects.select_related("patient").filter(public_id=set_id).first()
        if is_uuid(set_id)
        else None
    )
    patient_id = str(measure_set.patient.public_id) if measure_set is not None else set_id
    access = patient_access(
        actor=actor, patient_id=patient_id, action=action, object_type=OBJECT_SET
    )
    if measure_set is None:  # pragma: no cover - patient_access already refused
        raise PatientNotAccessible(set_id)
    return MeasureSetAccess(measure_set=measure_set, access=access)


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
