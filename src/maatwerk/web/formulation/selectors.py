"""Reading formulations: every function takes what the opener returned."""

from __future__ import annotations

from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.formulation import formulation_from_json, with_current_words
from maatwerk.web.formulation.models import Formulation, FormulationVersion, PatientResponse
from maatwerk.web.patients.opening import Opened, PatientAccess

OBJECT_FORMULATION = "formulation"
OBJECT_RESPONSE = "formulation_response"

# What a view opens with ``open_child(model=Formulation, ...)``.
FormulationAccess = Opened[Formulation]


def formulation_of_patient(access: PatientAccess) -> Formulation | None:
    return Formulation.objects.filter(patient=access.patient).first()


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
    """The core value stored in a version, read with its current words: every box of the
    circle that stands for a complaint or consequence says what steps 1 and 2 say, so no
    derived view can show an old or starter text (issue 12). Every stored document was
    written by the core, so reading it back cannot fail unless the row was changed behind
    the app's back."""
    return with_current_words(formulation_from_json(version.document))


def last_agreed_version(formulation: Formulation) -> FormulationVersion | None:
    """The version the patient last said "this fits me" to."""
    response = (
        PatientResponse.objects.filter(version__formulation=formulation, agreed=True)
        .select_related("version")
        .order_by("-answered_at", "-pk")
        .first()
    )
    return response.version if response is not None else None
