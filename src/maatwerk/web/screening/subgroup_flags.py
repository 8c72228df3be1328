"""The subgroup flags of a patient's newest SCEGS assessment, for the apps that adapt
what a patient (or their parent) sees: low literacy gives shorter texts and pictograms,
a parent who is involved gets the parent view of the plan and homework.

Read by services inside their own audited call; this module never decides access.
"""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.screening.models import ScegsAssessment


@dataclass(frozen=True, slots=True)
class SubgroupFlags:
    low_literacy: bool = False
    migration_background: bool = False
    parent_involved: bool = False


NO_FLAGS = SubgroupFlags()


def subgroup_flags_of(patient: Patient) -> SubgroupFlags:
    """The flags of the newest assessment of any of the patient's screenings; none set
    when the patient was never assessed."""
    assessment = (
        ScegsAssessment.objects.filter(screening__patient=patient)
        .order_by("-assessed_at", "-pk")
        .only("low_literacy", "migration_background", "parent_involved")
        .first()
    )
    if assessment is None:
        return NO_FLAGS
    return SubgroupFlags(
        low_literacy=assessment.low_literacy,
        migration_background=assessment.migration_background,
        parent_involved=assessment.parent_involved,
    )


def reads_short_texts(access: PatientAccess) -> bool:
    """Whether the patient's texts are shown in their shorter version, with pictograms on
    our own answer scales: when the care team noted low (health) literacy."""
    return subgroup_flags_of(access.patient).low_literacy
