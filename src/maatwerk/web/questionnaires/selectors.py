"""Reading questionnaires, always through the patient access rule."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from maatwerk.core.access import Role
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import (
    PatientAccess,
    PatientNotAccessible,
    is_uuid,
    patient_access,
    patients_in_care_of,
)
from maatwerk.web.questionnaires.models import Answer, Assignment, SafetyAlert, ScaleResult


@dataclass(frozen=True)
class AssignmentAccess:
    assignment: Assignment
    access: PatientAccess


def assignment_access(*, actor: Actor, assignment_id: str, action: str) -> AssignmentAccess:
    """The assignment, if ``actor`` may open its patient's record; the calling service or
    view writes the audit event. Refusals are audited and raise PatientNotAccessible."""
    assignment = (
        Assignment.objects.select_related("patient").filter(public_id=assignment_id).first()
        if is_uuid(assignment_id)
        else None
    )
    patient_id = str(assignment.patient.public_id) if assignment is not None else assignment_id
    access = patient_access(
        actor=actor, patient_id=patient_id, action=action, object_type="questionnaire"
    )
    if assignment is None:  # pragma: no cover - patient_access already refused
        raise PatientNotAccessible(assignment_id)
    return AssignmentAccess(assignment=assignment, access=access)


def assignments_for(access: PatientAccess) -> QuerySet[Assignment]:
    return Assignment.objects.filter(patient=access.patient).order_by("-assigned_at")


def open_assignments_for(access: PatientAccess) -> QuerySet[Assignment]:
    return assignments_for(access).filter(
        status__in=[Assignment.Status.OPEN, Assignment.Status.IN_PROGRESS]
    )


def answers_of(assignment: Assignment) -> dict[str, Answer]:
    return {answer.item_id: answer for answer in assignment.answers.all()}


def results_for(access: PatientAccess) -> QuerySet[ScaleResult]:
    return (
        ScaleResult.objects.filter(assignment__patient=access.patient)
        .select_related("assignment__patient")
        .order_by("assignment__completed_at", "scale_id")
    )


def alerts_for(access: PatientAccess) -> QuerySet[SafetyAlert]:
    return SafetyAlert.objects.filter(patient=access.patient).select_related("assignment")


def open_alerts_visible_to(actor: Actor) -> QuerySet[SafetyAlert]:
    """Signals not yet closed of the clinician's own patients (for the badge and the list)."""
    if not actor.has_role(Role.CLINICIAN):
        return SafetyAlert.objects.none()
    return (
        SafetyAlert.objects.filter(patient__in=patients_in_care_of(actor))
        .exclude(status=SafetyAlert.Status.CLOSED)
        .select_related("patient", "assignment")
        .order_by("-raised_at")
    )
