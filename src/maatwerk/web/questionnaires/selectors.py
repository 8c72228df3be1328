"""Reading questionnaires, always through the patient access rule."""

from __future__ import annotations

from django.db.models import QuerySet

from maatwerk.core.access import Role
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened, PatientAccess
from maatwerk.web.patients.selectors import patients_in_care_of
from maatwerk.web.questionnaires.models import Answer, Assignment, SafetyAlert, ScaleResult

OpenedAssignment = Opened[Assignment]
"""A questionnaire assignment opened through its patient's access (``open_child``)."""

OBJECT_QUESTIONNAIRE = "questionnaire"


def assignments_for(access: PatientAccess) -> QuerySet[Assignment]:
    return Assignment.objects.filter(patient=access.patient).order_by("-assigned_at")


def open_assignments_for(access: PatientAccess) -> QuerySet[Assignment]:
    return assignments_for(access).filter(
        status__in=[Assignment.Status.OPEN, Assignment.Status.IN_PROGRESS]
    )


def has_alerts(assignment: Assignment) -> bool:
    return assignment.alerts.exists()


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
        open_alerts_among(patients_in_care_of(actor))
        .select_related("patient", "assignment")
        .order_by("-raised_at")
    )


def open_alerts_among(patients: QuerySet[Patient]) -> QuerySet[SafetyAlert]:
    """Signals not yet closed of these patients."""
    return SafetyAlert.objects.filter(patient__in=patients).exclude(
        status=SafetyAlert.Status.CLOSED
    )
