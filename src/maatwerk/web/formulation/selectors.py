"""Reading formulations, always through the patient access rule."""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.core.access import AccessBasis
from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.formulation import formulation_from_json
from maatwerk.web.common.actor import Actor
from maatwerk.web.formulation.models import Formulation, FormulationVersion, PatientResponse
from maatwerk.web.patients.selectors import (
    PatientAccess,
    PatientNotAccessible,
    is_uuid,
    patient_access,
)

OBJECT_FORMULATION = "formulation"
OBJECT_RESPONSE = "formulation_response"


@dataclass(frozen=True)
class FormulationAccess:
    formulation: Formulation
    access: PatientAccess

    @property
    def by_patient(self) -> bool:
        """The patient acts on their own record (not a clinician)."""
        return self.access.basis is AccessBasis.OWN_RECORD


def formulation_access(
    *, actor: Actor, formulation_id: str, action: str, object_type: str = OBJECT_FORMULATION
) -> FormulationAccess:
    """The formulation, if ``actor`` may open its patient's record; the calling service or
    view writes the audit event. Refusals are audited and raise PatientNotAccessible."""
    formulation = (
        Formulation.objects.select_related("patient__organization")
        .filter(public_id=formulation_id)
        .first()
        if is_uuid(formulation_id)
        else None
    )
    patient_id = str(formulation.patient.public_id) if formulation is not None else formulation_id
    access = patient_access(
        actor=actor, patient_id=patient_id, action=action, object_type=object_type
    )
    if formulation is None:  # pragma: no cover - patient_access already refused
        raise PatientNotAccessible(formulation_id)
    return FormulationAccess(formulation=formulation, access=access)


def formulation_of_patient(access: PatientAccess) -> Formulation | None:
    return Formulation.objects.filter(patient=access.patient).first()


def formulation_for_patient_pk(patient_pk: int) -> Formulation | None:
    """For the portal card (the portal page is already audited as a read of the file)."""
    return Formulation.objects.filter(patient_id=patient_pk).first()


def current_version(formulation: Formulation) -> FormulationVersion:
    version = formulation.versions.order_by("-number").first()
    if version is None:  # pragma: no cover - a formulation is created with version 1
        raise FormulationVersion.DoesNotExist(str(formulation.public_id))
    return version


def versions_of(formulation: Formulation) -> list[FormulationVersion]:
    return list(formulation.versions.select_related("saved_by", "shared_by").order_by("-number"))


def latest_shared_version(formulation: Formulation) -> FormulationVersion | None:
    """What the patient sees: always the newest version the clinician shared."""
    return (
        formulation.versions.filter(shared_at__isnull=False)
        .select_related("shared_by")
        .order_by("-number")
        .first()
    )


def responses_of(formulation: Formulation) -> list[PatientResponse]:
    return list(
        PatientResponse.objects.filter(version__formulation=formulation)
        .select_related("version", "answered_by")
        .order_by("-answered_at", "-pk")
    )


def responses_to(version: FormulationVersion) -> list[PatientResponse]:
    return list(version.responses.order_by("-answered_at", "-pk"))


def document_of(version: FormulationVersion) -> CoreFormulation:
    """The core value stored in a version (every stored document was written by the core,
    so reading it back cannot fail unless the row was changed behind the app's back)."""
    return formulation_from_json(version.document)
