"""Reading treatment data, always through the patient access rule (or, for a partner or
parent, through their own active, consented access)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from maatwerk.core.access import Role
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import Patient
from maatwerk.web.patients.opening import Opened, PatientAccess
from maatwerk.web.patients.selectors import patients_in_care_of
from maatwerk.web.treatment.models import (
    ExerciseHandIn,
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


OpenedModule = Opened[ModuleAssignment]
"""A module assignment opened through its patient's access (``open_child``)."""
OpenedResponse = Opened[ExerciseResponse]
"""An exercise response opened through its patient's access (``open_child``)."""

OPEN_STATUSES = (ModuleAssignment.Status.OPEN, ModuleAssignment.Status.IN_PROGRESS)
NOT_ENDED_STATUSES = (*OPEN_STATUSES, ModuleAssignment.Status.WAITING)


def assignments_for(access: PatientAccess) -> QuerySet[ModuleAssignment]:
    """The patient's modules with their responses fetched along, so a page listing
    each module's exercises costs the same number of queries for one module or many."""
    return (
        ModuleAssignment.objects.filter(patient=access.patient)
        .order_by("assigned_at", "pk")
        .prefetch_related("responses")
    )


def open_assignment_of(access: PatientAccess, module_id: str) -> ModuleAssignment | None:
    """The patient's assignment of this module that has not ended (open, in progress or
    waiting for its round)."""
    return (
        ModuleAssignment.objects.filter(
            patient=access.patient, module_id=module_id, status__in=NOT_ENDED_STATUSES
        )
        .order_by("pk")
        .first()
    )


def responses_of(assignment: ModuleAssignment) -> dict[tuple[str, int], ExerciseResponse]:
    """The responses of a module by (exercise, entry), with their feedback."""
    return {
        (response.exercise_id, response.entry): response
        for response in assignment.responses.prefetch_related("feedback__author")
    }


def response_of(
    assignment: ModuleAssignment, exercise_id: str, entry: int
) -> ExerciseResponse | None:
    return assignment.responses.filter(exercise_id=exercise_id, entry=entry).first()


def hand_ins_of(response: ExerciseResponse) -> list[ExerciseHandIn]:
    """Every handed-in version, the latest first."""
    return list(response.hand_ins.order_by("-number"))


def feedback_of(response: ExerciseResponse) -> list[Feedback]:
    return list(response.feedback.select_related("author", "hand_in"))


def thread_for(access: PatientAccess) -> QuerySet[Message]:
    return Message.objects.filter(patient=access.patient).select_related("author")


# ------------------------------------------------------------------ the clinician's inbox


def homework_waiting_for(actor: Actor) -> QuerySet[ExerciseResponse]:
    """Handed-in homework of the clinician's own patients with no feedback since it was
    (last) handed in. Homework the patient is changing again after handing it in stays
    here (marked as changed): the handed-in version still waits for feedback."""
    if not actor.has_role(Role.CLINICIAN):
        return ExerciseResponse.objects.none()
    return (
        homework_waiting_among(patients_in_care_of(actor))
        .select_related("assignment__patient")
        .prefetch_related("hand_ins")
        .order_by("submitted_at", "pk")
    )


def homework_waiting_among(patients: QuerySet[Patient]) -> QuerySet[ExerciseResponse]:
    """The rows of :func:`homework_waiting_for` for these patients, without what the
    list shows along (the Inbox badge counts them)."""
    # "No feedback since it was handed in" as NOT EXISTS: no grouping per response.
    feedback_since = Feedback.objects.filter(
        response=OuterRef("pk"), created_at__gte=OuterRef("submitted_at")
    )
    return (
        ExerciseResponse.objects.filter(
            assignment__patient__in=patients,
            assignment__guided=True,
            submitted_at__isnull=False,
        )
        # A stopped module is no longer worked on: its homework waits for nobody.
        .exclude(assignment__status=ModuleAssignment.Status.STOPPED)
        .filter(~Exists(feedback_since))
    )


def unread_messages_for(actor: Actor) -> QuerySet[Message]:
    """Messages from the clinician's own patients that nobody on the team has opened."""
    if not actor.has_role(Role.CLINICIAN):
        return Message.objects.none()
    return (
        unread_messages_among(patients_in_care_of(actor))
        .select_related("patient")
        .order_by("created_at", "pk")
    )


def unread_messages_among(patients: QuerySet[Patient]) -> QuerySet[Message]:
    """Messages from these patients that nobody on the team has opened."""
    return Message.objects.filter(
        patient__in=patients, from_patient=True, read_by_team_at__isnull=True
    )


# ------------------------------------------------------------------ the patient's side


def unread_feedback_count(access: PatientAccess) -> int:
    return Feedback.objects.filter(
        response__assignment__patient=access.patient, read_by_patient_at__isnull=True
    ).count()


def unread_team_messages_count(access: PatientAccess) -> int:
    return Message.objects.filter(
        patient=access.patient, from_patient=False, read_by_patient_at__isnull=True
    ).count()


def open_module_count(access: PatientAccess) -> int:
    """Modules the patient works on now (not those waiting for a later round)."""
    return ModuleAssignment.objects.filter(patient=access.patient, status__in=OPEN_STATUSES).count()


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


def modules_shared_with(relative: RelativeAccess) -> QuerySet[ModuleAssignment]:
    """The modules whose information texts a partner or parent reads: those the patient
    works on or finished (not those waiting for a later round, nor stopped ones)."""
    return ModuleAssignment.objects.filter(
        patient=relative.patient,
        status__in=(*OPEN_STATUSES, ModuleAssignment.Status.COMPLETED),
    ).order_by("assigned_at", "pk")
