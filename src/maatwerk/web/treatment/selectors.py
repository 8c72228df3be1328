"""Reading treatment data, always through the patient access rule (or, for a partner or
parent, through their own active, consented access)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Max, Q, QuerySet

from maatwerk.core.access import Role
from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import (
    PatientAccess,
    PatientNotAccessible,
    is_uuid,
    patient_access,
    patients_in_care_of,
)
from maatwerk.web.treatment.models import (
    ExerciseResponse,
    Feedback,
    Message,
    ModuleAssignment,
    RelativeAccess,
)

OBJECT_MODULE = "treatment_module"
OBJECT_RESPONSE = "exercise_response"
OBJECT_FEEDBACK = "homework_feedback"
OBJECT_MESSAGES = "messages"
OBJECT_INBOX = "treatment_inbox"
OBJECT_RELATIVE = "relative_access"
OBJECT_SHARED = "relative_view"


@dataclass(frozen=True)
class ModuleAccess:
    assignment: ModuleAssignment
    access: PatientAccess


@dataclass(frozen=True)
class ResponseAccess:
    response: ExerciseResponse
    access: PatientAccess


def module_access(*, actor: Actor, assignment_id: str, action: str) -> ModuleAccess:
    """The assignment, if ``actor`` may open its patient's record (the caller audits the
    success). Refusals are audited and raise PatientNotAccessible."""
    assignment = (
        ModuleAssignment.objects.select_related("patient__organization")
        .filter(public_id=assignment_id)
        .first()
        if is_uuid(assignment_id)
        else None
    )
    patient_id = str(assignment.patient.public_id) if assignment is not None else assignment_id
    access = patient_access(
        actor=actor, patient_id=patient_id, action=action, object_type=OBJECT_MODULE
    )
    if assignment is None:  # pragma: no cover - patient_access already refused
        raise PatientNotAccessible(assignment_id)
    return ModuleAccess(assignment=assignment, access=access)


def response_access(*, actor: Actor, response_id: str, action: str) -> ResponseAccess:
    response = (
        ExerciseResponse.objects.select_related("assignment__patient__organization")
        .filter(public_id=response_id)
        .first()
        if is_uuid(response_id)
        else None
    )
    patient_id = str(response.assignment.patient.public_id) if response is not None else response_id
    access = patient_access(
        actor=actor, patient_id=patient_id, action=action, object_type=OBJECT_RESPONSE
    )
    if response is None:  # pragma: no cover - patient_access already refused
        raise PatientNotAccessible(response_id)
    return ResponseAccess(response=response, access=access)


def assignments_for(access: PatientAccess) -> QuerySet[ModuleAssignment]:
    """The patient's modules with their responses fetched along, so a page listing
    each module's exercises costs the same number of queries for one module or many."""
    return (
        ModuleAssignment.objects.filter(patient=access.patient)
        .order_by("assigned_at", "pk")
        .prefetch_related("responses")
    )


def open_assignment_of(patient_pk: int, module_id: str) -> ModuleAssignment | None:
    return (
        ModuleAssignment.objects.filter(
            patient_id=patient_pk,
            module_id=module_id,
            status__in=[ModuleAssignment.Status.OPEN, ModuleAssignment.Status.IN_PROGRESS],
        )
        .order_by("pk")
        .first()
    )


def responses_of(assignment: ModuleAssignment) -> dict[str, ExerciseResponse]:
    return {
        response.exercise_id: response
        for response in assignment.responses.prefetch_related("feedback__author")
    }


def response_of_kind(assignment: ModuleAssignment, exercise_id: str) -> ExerciseResponse | None:
    return assignment.responses.filter(exercise_id=exercise_id).first()


def thread_for(access: PatientAccess) -> QuerySet[Message]:
    return Message.objects.filter(patient=access.patient).select_related("author")


# ------------------------------------------------------------------ the clinician's inbox


def homework_waiting_for(actor: Actor) -> QuerySet[ExerciseResponse]:
    """Handed-in homework of the clinician's own patients with no feedback since it was
    (last) handed in."""
    if not actor.has_role(Role.CLINICIAN):
        return ExerciseResponse.objects.none()
    return (
        ExerciseResponse.objects.filter(
            assignment__patient__in=patients_in_care_of(actor),
            assignment__guided=True,
            status=ExerciseResponse.Status.SUBMITTED,
        )
        # A stopped module is no longer worked on: its homework waits for nobody.
        .exclude(assignment__status=ModuleAssignment.Status.STOPPED)
        .annotate(last_feedback_at=Max("feedback__created_at"))
        .filter(Q(last_feedback_at__isnull=True) | Q(last_feedback_at__lt=F("submitted_at")))
        .select_related("assignment__patient")
        .order_by("submitted_at", "pk")
    )


def unread_messages_for(actor: Actor) -> QuerySet[Message]:
    """Messages from the clinician's own patients that nobody on the team has opened."""
    if not actor.has_role(Role.CLINICIAN):
        return Message.objects.none()
    return (
        Message.objects.filter(
            patient__in=patients_in_care_of(actor),
            from_patient=True,
            read_by_team_at__isnull=True,
        )
        .select_related("patient")
        .order_by("created_at", "pk")
    )


def inbox_count(actor: Actor) -> int:
    """The number on the Inbox badge: homework waiting plus unread messages."""
    if not actor.has_role(Role.CLINICIAN):
        return 0
    return homework_waiting_for(actor).count() + unread_messages_for(actor).count()


# ------------------------------------------------------------------ the patient's side


def unread_feedback_count(patient_pk: int) -> int:
    return Feedback.objects.filter(
        response__assignment__patient_id=patient_pk, read_by_patient_at__isnull=True
    ).count()


def unread_team_messages_count(patient_pk: int) -> int:
    return Message.objects.filter(
        patient_id=patient_pk, from_patient=False, read_by_patient_at__isnull=True
    ).count()


# ------------------------------------------------------------------ partners and parents


def relatives_of(access: PatientAccess) -> QuerySet[RelativeAccess]:
    return RelativeAccess.objects.filter(patient=access.patient).select_related(
        "user", "consent_given_by", "revoked_by"
    )


def shared_with(actor: Actor) -> QuerySet[RelativeAccess]:
    """The active accesses this user holds as a partner or parent."""
    if actor.user is None:
        return RelativeAccess.objects.none()
    return RelativeAccess.objects.filter(user=actor.user, revoked_at__isnull=True).select_related(
        "patient__organization"
    )


def relative_open(*, actor: Actor, relative_id: str) -> RelativeAccess:
    """The partner's or parent's own active access (the caller audits the read). Anything
    else — another person's access, a revoked one, an unknown id — is audited as denied
    and raises PatientNotAccessible."""
    found = (
        shared_with(actor).filter(public_id=relative_id).first() if is_uuid(relative_id) else None
    )
    if found is None:
        audit_record(
            actor=actor,
            action="read",
            outcome="denied",
            subject=AuditSubject(object_type=OBJECT_SHARED, object_ref=str(relative_id)[:64]),
        )
        raise PatientNotAccessible(relative_id)
    return found


def relative_for_change(*, actor: Actor, relative_id: str) -> tuple[RelativeAccess, PatientAccess]:
    """An access record the actor may revoke: the patient's own, or one of a patient in
    the clinician's care."""
    found = (
        RelativeAccess.objects.select_related("patient").filter(public_id=relative_id).first()
        if is_uuid(relative_id)
        else None
    )
    patient_id = str(found.patient.public_id) if found is not None else relative_id
    access = patient_access(
        actor=actor, patient_id=patient_id, action="update", object_type=OBJECT_RELATIVE
    )
    if found is None:  # pragma: no cover - patient_access already refused
        raise PatientNotAccessible(relative_id)
    return found, access
