"""Starting, saving, sharing and answering a formulation.

Every save stores a new version (never an overwrite) and writes one audit event, in one
transaction. The core validates the whole formulation first: when it refuses, nothing
is written and the ``FormulationError`` goes back to the view, which shows each problem
next to its field (the refusal is audited with outcome ``error``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from maatwerk.core.formulation import (
    DiagramRenderError,
    FormulationError,
    bundled_formulation_content,
    check_factor_references,
    diagram_titles,
    formulation_to_json,
    prefill_from_profile,
    render_svg,
    to_dot,
)
from maatwerk.core.formulation import Formulation as CoreFormulation
from maatwerk.core.formulation.model import CircleGraph
from maatwerk.core.instruments.base import Language
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.formulation.models import Formulation, FormulationVersion, PatientResponse
from maatwerk.web.formulation.selectors import (
    OBJECT_FORMULATION,
    OBJECT_RESPONSE,
    FormulationAccess,
    current_version,
    latest_shared_version,
)
from maatwerk.web.knowledge.selectors import knowledge_for, screening_content_for
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.screening.selectors import latest_profile_of_patient

COMMENT_MAX_LENGTH = 4000
NOTE_MAX_LENGTH = 200


def patient_language(access: PatientAccess) -> Language:
    """The language the patient reads: the explanation and diagram are written in it."""
    return "en" if access.patient.language == "en" else "nl"


def _user(actor: Actor) -> Any:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


def _audit(
    *,
    actor: Actor,
    access: PatientAccess,
    action: str,
    object_type: str,
    object_ref: str,
    detail: str,
    outcome: str = "success",
) -> None:
    audit_record(
        actor=actor,
        action=action,
        outcome=outcome,
        subject=patient_subject(access.patient, object_type=object_type, object_ref=object_ref),
        emergency=access.emergency,
        detail=detail,
    )


# ------------------------------------------------------------------ diagram


def diagram_svg(graph: CircleGraph, *, language: Language) -> str:
    """The circle as inline SVG; raises ``DiagramRenderError`` when Graphviz is missing or
    fails (the caller shows the text alternative instead)."""
    if not graph.nodes:
        raise DiagramRenderError("the circle has no nodes yet")
    return render_svg(
        to_dot(graph, language=language),
        dot_binary=settings.MAATWERK_GRAPHVIZ_DOT,
        titles=diagram_titles(graph),
    )


# ------------------------------------------------------------------ start


def formulation_start(*, actor: Actor, access: PatientAccess, from_screening: bool) -> Formulation:
    """Create the patient's formulation with version 1: a draft from the latest screening
    profile (``prefill_from_profile``), or empty."""
    user = _user(actor)
    if Formulation.objects.filter(patient=access.patient).exists():
        raise ValidationError({"__all__": [_("This patient already has a formulation.")]})
    document = CoreFormulation()
    note = _("Started empty")
    if from_screening:
        stored = latest_profile_of_patient(access)
        if stored is None:
            _audit(
                actor=actor,
                access=access,
                action="create",
                object_type=OBJECT_FORMULATION,
                object_ref=str(access.patient.public_id),
                detail="start from the screening: no profile",
                outcome="error",
            )
            raise ValidationError(
                {"__all__": [_("This patient has no screening profile yet. Start empty.")]}
            )
        organization_id = access.patient.organization_id
        document = prefill_from_profile(
            stored.profile,
            knowledge=knowledge_for(organization_id),
            content=bundled_formulation_content(),
            language=patient_language(access),
            screening=screening_content_for(organization_id),
        )
        # Stored untranslated; the history shows it in the reader's language.
        note = gettext_noop("Started from the screening")
    with transaction.atomic():
        formulation = Formulation.objects.create(patient=access.patient, created_by=user)
        FormulationVersion.objects.create(
            formulation=formulation,
            number=1,
            document=formulation_to_json(document),
            saved_by=user,
            note=note,
        )
        _audit(
            actor=actor,
            access=access,
            action="create",
            object_type=OBJECT_FORMULATION,
            object_ref=str(formulation.public_id),
            detail="started from the screening" if from_screening else "started empty",
        )
    return formulation


# ------------------------------------------------------------------ save


def formulation_save(
    *, actor: Actor, opened: FormulationAccess, document: CoreFormulation, note: str
) -> FormulationVersion:
    """Store ``document`` as the formulation's next version. Factor ids must be known to
    the organization's knowledge base (``FormulationError`` otherwise, nothing saved)."""
    if opened.by_patient:
        raise PermissionDenied
    user = _user(actor)
    access = opened.access
    try:
        check_factor_references(document, knowledge_for(access.patient.organization_id))
    except FormulationError:
        _audit(
            actor=actor,
            access=access,
            action="update",
            object_type=OBJECT_FORMULATION,
            object_ref=str(opened.formulation.public_id),
            detail=f"refused: {note}",
            outcome="error",
        )
        raise
    with transaction.atomic():
        formulation = Formulation.objects.select_for_update().get(pk=opened.formulation.pk)
        number = (formulation.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = FormulationVersion.objects.create(
            formulation=formulation,
            number=number,
            document=formulation_to_json(document),
            saved_by=user,
            note=note[:NOTE_MAX_LENGTH],
        )
        _audit(
            actor=actor,
            access=access,
            action="update",
            object_type=OBJECT_FORMULATION,
            object_ref=str(formulation.public_id),
            detail=f"version {number}: {note}"[:200],
        )
    return version


def audit_refused_save(*, actor: Actor, opened: FormulationAccess, note: str) -> None:
    """A save the core refused (the view could not even build the formulation)."""
    _audit(
        actor=actor,
        access=opened.access,
        action="update",
        object_type=OBJECT_FORMULATION,
        object_ref=str(opened.formulation.public_id),
        detail=f"refused: {note}"[:200],
        outcome="error",
    )


# ------------------------------------------------------------------ share and respond


def formulation_share(*, actor: Actor, opened: FormulationAccess) -> FormulationVersion:
    """Share the current version with the patient (the patient always sees the newest
    shared version)."""
    if opened.by_patient:
        raise PermissionDenied
    user = _user(actor)
    with transaction.atomic():
        formulation = Formulation.objects.select_for_update().get(pk=opened.formulation.pk)
        version = current_version(formulation)
        if version.shared_at is None:
            version.shared_at = timezone.now()
            version.shared_by = user
            version.save(update_fields=["shared_at", "shared_by"])
        formulation.status = Formulation.Status.SHARED
        formulation.save(update_fields=["status"])
        _audit(
            actor=actor,
            access=opened.access,
            action="update",
            object_type=OBJECT_FORMULATION,
            object_ref=str(formulation.public_id),
            detail=f"shared version {version.number} with the patient",
        )
    return version


def response_record(
    *, actor: Actor, opened: FormulationAccess, agreed: bool, comment: str
) -> PatientResponse:
    """The patient's answer to the newest shared version: agrees, or comments."""
    if not opened.by_patient:
        raise PermissionDenied
    user = _user(actor)
    comment = comment.strip()
    errors: dict[str, list[str]] = {}
    if not agreed and not comment:
        errors["comment"] = [_("Write what is not right or what is missing.")]
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = [
            _("Please keep it shorter: at most %(count)d characters.")
            % {"count": COMMENT_MAX_LENGTH}
        ]
    version = latest_shared_version(opened.formulation)
    if version is None:  # pragma: no cover - the view shows the form only for a shared one
        raise PermissionDenied
    if errors:
        _audit(
            actor=actor,
            access=opened.access,
            action="create",
            object_type=OBJECT_RESPONSE,
            object_ref=str(version.public_id),
            detail="refused: no comment",
            outcome="error",
        )
        raise ValidationError(errors)
    with transaction.atomic():
        response = PatientResponse.objects.create(
            version=version, agreed=agreed, comment=comment, answered_by=user
        )
        Formulation.objects.filter(pk=opened.formulation.pk).update(
            status=Formulation.Status.AGREED if agreed else Formulation.Status.SHARED
        )
        _audit(
            actor=actor,
            access=opened.access,
            action="create",
            object_type=OBJECT_RESPONSE,
            object_ref=str(response.public_id),
            detail=f"version {version.number}: {'agrees' if agreed else 'comments'}",
        )
    return response
