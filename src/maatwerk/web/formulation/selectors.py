"""Reading formulations: every function takes what the opener returned."""

from __future__ import annotations

from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.formulation import (
    formulation_from_json,
    personal_explanation,
    with_current_words,
)
from maatwerk.core.instruments.base import Language
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


def last_agreement(formulation: Formulation) -> PatientResponse | None:
    """The patient's last "this fits me" (with its version)."""
    return (
        PatientResponse.objects.filter(version__formulation=formulation, agreed=True)
        .select_related("version")
        .order_by("-answered_at", "-pk")
        .first()
    )


def last_agreed_version(formulation: Formulation) -> FormulationVersion | None:
    """The version the patient last said "this fits me" to."""
    response = last_agreement(formulation)
    return response.version if response is not None else None


def explanation_changed(
    earlier: FormulationVersion | None, now: FormulationVersion, language: Language
) -> bool:
    """Whether what the patient reads differs between two versions (then an earlier
    "this fits me" no longer answers the current text)."""
    if earlier is None or earlier.pk == now.pk:
        return False
    before = personal_explanation(document_of(earlier), language=language).as_text()
    return before != personal_explanation(document_of(now), language=language).as_text()


def agreement_holds(
    formulation: Formulation, version: FormulationVersion, language: Language
) -> bool:
    """Whether the patient's last word is "this fits me" and ``version`` reads the same
    as the text they said it to: then sharing ``version`` asks nothing new."""
    if formulation.status != Formulation.Status.AGREED:
        return False
    agreed = last_agreed_version(formulation)
    return agreed is not None and not explanation_changed(agreed, version, language)
