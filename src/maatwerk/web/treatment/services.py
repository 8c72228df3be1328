"""Assigning modules, saving and handing in exercises, feedback, messages and the
partner/parent view. Each service is one transaction with exactly one audit event;
checking answers and computing quotas is the core's (``maatwerk.core.modules``,
``maatwerk.core.planning.graded_activity``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from maatwerk.core.access import AccessBasis, Role
from maatwerk.core.age import may_be_minor
from maatwerk.core.modules.activity_log import minutes_per_day, schedule_weeks
from maatwerk.core.modules.answers import AnswerProblem, as_number, check_exercise_answers
from maatwerk.core.modules.model import Exercise, Module, ModuleCatalogue, Step
from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.core.planning.errors import GradedActivityError
from maatwerk.core.planning.graded_activity import (
    ActivityLogEntry,
    DayEvaluation,
    baseline_summary,
    default_parameters,
    evaluate_day,
    quota_schedule,
)
from maatwerk.web.accounts.models import User
from maatwerk.web.accounts.services import IssuedInvitation, invitation_issue
from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.organizations.models import Membership
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import (
    ExerciseResponse,
    Feedback,
    Message,
    ModuleAssignment,
    RelativeAccess,
)
from maatwerk.web.treatment.notifications import Kind, notify_care_team, notify_patient
from maatwerk.web.treatment.selectors import ModuleAccess, ResponseAccess

MESSAGE_MAX_LENGTH = 5000
FEEDBACK_MAX_LENGTH = 5000
# A day has 1440 minutes: without a target set by the clinician the quotas are capped
# there, which is a bound of the calendar, not a clinical value.
MINUTES_IN_A_DAY = 1440


def catalogue() -> ModuleCatalogue:
    return bundled_catalogue()


def module_of(assignment: ModuleAssignment) -> Module:
    """The module as in the catalogue. The assignment keeps the version it was given
    with; the catalogue holds one version of each module."""
    return catalogue().module(assignment.module_id)


def language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _subject(access: PatientAccess, object_type: str, object_ref: str = "") -> AuditSubject:
    return patient_subject(access.patient, object_type=object_type, object_ref=object_ref)


def _clinician_membership(actor: Actor, access: PatientAccess) -> Membership:
    """The actor's clinician membership in the patient's organization; a patient (or
    anyone else) is refused."""
    if access.basis is AccessBasis.OWN_RECORD:
        raise PermissionDenied(_("Only a clinician can do this."))
    memberships = [
        m
        for m in actor.memberships_with(Role.CLINICIAN)
        if m.organization_id == access.patient.organization_id
    ]
    if not memberships:
        raise PermissionDenied(_("Only a clinician can do this."))
    return memberships[0]


def _require_patient(access: PatientAccess) -> None:
    if access.basis is not AccessBasis.OWN_RECORD:
        raise PermissionDenied(_("Only the patient can fill in their own exercises."))


# ------------------------------------------------------------------ assigning modules


def modules_assign(
    *,
    actor: Actor,
    access: PatientAccess,
    module_ids: Sequence[str],
    plan_ref: str | None = None,
) -> list[ModuleAssignment]:
    """Give the patient these modules (a clinician in care). A module that is already
    assigned and not completed is kept as it is, so calling this twice changes nothing.
    Returns the assignments in the order of ``module_ids``; writes one audit event."""
    membership = _clinician_membership(actor, access)
    wanted = list(dict.fromkeys(str(module_id).strip() for module_id in module_ids))
    if not wanted or wanted == [""]:
        raise ValidationError({"modules": [_("Choose at least one module.")]})
    known = catalogue()
    unknown = [module_id for module_id in wanted if module_id not in known.ids]
    if unknown:
        raise ValidationError(
            {
                "modules": [
                    _("This module does not exist: %(module)s.") % {"module": module_id}
                    for module_id in unknown
                ]
            }
        )
    result: list[ModuleAssignment] = []
    created: list[str] = []
    with transaction.atomic():
        for module_id in wanted:
            existing = selectors.open_assignment_of(access.patient.pk, module_id)
            if existing is not None:
                result.append(existing)
                continue
            module = known.module(module_id)
            result.append(
                ModuleAssignment.objects.create(
                    patient=access.patient,
                    module_id=module.id,
                    module_version=module.version,
                    assigned_by=membership,
                    plan_ref=(plan_ref or "")[:64],
                    guided=module.guidance == "guided",
                )
            )
            created.append(module_id)
        kept = [module_id for module_id in wanted if module_id not in created]
        audit_record(
            actor=actor,
            action="create" if created else "read",
            subject=_subject(access, selectors.OBJECT_MODULE),
            emergency=access.emergency,
            detail=(
                f"assigned: {', '.join(created) or '-'}; already open: {', '.join(kept) or '-'}"
                + (f"; plan {plan_ref}" if plan_ref else "")
            ),
        )
    return result


def modules_revise(
    *,
    actor: Actor,
    access: PatientAccess,
    give_ids: Sequence[str],
    close_ids: Sequence[str],
    plan_ref: str,
) -> tuple[list[ModuleAssignment], list[ModuleAssignment]]:
    """A revised plan: give the patient the modules new in the plan and stop the open
    assignments of the modules the plan no longer holds. A stopped assignment keeps its
    answers and feedback (readable as before) but takes no more changes; it is not
    marked completed, because the patient did not finish it. Returns (given, stopped);
    one audit event.

    Call it inside the caller's transaction so the plan and the modules change together.
    """
    membership = _clinician_membership(actor, access)
    known = catalogue()
    give = list(dict.fromkeys(m for m in give_ids if m))
    close = [m for m in dict.fromkeys(close_ids) if m and m not in give]
    unknown = [module_id for module_id in give if module_id not in known.ids]
    if unknown:
        raise ValidationError(
            {
                "modules": [
                    _("This module does not exist: %(module)s.") % {"module": module_id}
                    for module_id in unknown
                ]
            }
        )
    given: list[ModuleAssignment] = []
    stopped: list[ModuleAssignment] = []
    now = timezone.now()
    with transaction.atomic():
        for module_id in close:
            assignment = selectors.open_assignment_of(access.patient.pk, module_id)
            if assignment is None:
                continue
            assignment.status = ModuleAssignment.Status.STOPPED
            assignment.stopped_at = now
            assignment.stopped_by = membership
            assignment.save(update_fields=["status", "stopped_at", "stopped_by"])
            stopped.append(assignment)
        for module_id in give:
            if selectors.open_assignment_of(access.patient.pk, module_id) is not None:
                continue
            module = known.module(module_id)
            given.append(
                ModuleAssignment.objects.create(
                    patient=access.patient,
                    module_id=module.id,
                    module_version=module.version,
                    assigned_by=membership,
                    plan_ref=plan_ref[:64],
                    guided=module.guidance == "guided",
                )
            )
        audit_record(
            actor=actor,
            action="update",
            subject=_subject(access, selectors.OBJECT_MODULE),
            emergency=access.emergency,
            detail=(
                f"assigned: {', '.join(a.module_id for a in given) or '-'}; "
                f"stopped: {', '.join(a.module_id for a in stopped) or '-'}; plan {plan_ref}"
            ),
        )
    return given, stopped


def modules_overview_read(*, actor: Actor, access: PatientAccess) -> list[ModuleAssignment]:
    """The patient's modules (clinician's list on the patient page, or the patient's
    own "My modules"), read with one audit event."""
    assignments = list(selectors.assignments_for(access))
    audit_record(
        actor=actor,
        action="read",
        subject=_subject(access, selectors.OBJECT_MODULE),
        emergency=access.emergency,
        detail=f"{len(assignments)} modules",
    )
    return assignments


def module_read(*, actor: Actor, opened: ModuleAccess) -> dict[str, ExerciseResponse]:
    """Open a module: its steps, with the state of each exercise."""
    assignment = opened.assignment
    audit_record(
        actor=actor,
        action="read",
        subject=_subject(opened.access, selectors.OBJECT_MODULE, str(assignment.public_id)),
        emergency=opened.access.emergency,
        detail=assignment.module_id,
    )
    return selectors.responses_of(assignment)


def exercise_read(
    *, actor: Actor, opened: ModuleAccess, exercise_id: str
) -> ExerciseResponse | None:
    """Open one exercise with the answers saved so far. When the patient opens it, the
    therapist's feedback shown there is marked as read."""
    assignment = opened.assignment
    _step, exercise = exercise_in(module_of(assignment), exercise_id)
    response = assignment.responses.filter(exercise_id=exercise.id).first()
    with transaction.atomic():
        marked = 0
        if response is not None and opened.access.basis is AccessBasis.OWN_RECORD:
            marked = Feedback.objects.filter(
                response=response, read_by_patient_at__isnull=True
            ).update(read_by_patient_at=timezone.now())
        audit_record(
            actor=actor,
            action="read",
            subject=_subject(
                opened.access,
                selectors.OBJECT_RESPONSE,
                str(response.public_id) if response is not None else str(assignment.public_id),
            ),
            emergency=opened.access.emergency,
            detail=f"{assignment.module_id}/{exercise.id}"
            + (f"; {marked} feedback read" if marked else ""),
        )
    return response


def activity_target_set(*, actor: Actor, opened: ModuleAccess, minutes: str) -> None:
    """The clinician records the patient's own graded-activity target (minutes a day)."""
    _clinician_membership(actor, opened.access)
    number = as_number(minutes)
    if number is None or number != number.to_integral_value():
        raise ValidationError({"target": [_("Enter a whole number of minutes.")]})
    if not 1 <= number <= MINUTES_IN_A_DAY:
        raise ValidationError({"target": [_("Enter a number of minutes from 1 to 1440.")]})
    with transaction.atomic():
        opened.assignment.activity_target_minutes = int(number)
        opened.assignment.save(update_fields=["activity_target_minutes"])
        audit_record(
            actor=actor,
            action="update",
            subject=_subject(
                opened.access, selectors.OBJECT_MODULE, str(opened.assignment.public_id)
            ),
            emergency=opened.access.emergency,
            detail=f"graded activity target {int(number)} minutes",
        )


# ------------------------------------------------------------------ exercises


def exercise_in(module: Module, exercise_id: str) -> tuple[Step, Exercise]:
    for step in module.steps:
        for exercise in step.exercises:
            if exercise.id == exercise_id:
                return step, exercise
    raise ValidationError({"": [_("This exercise is not part of the module.")]})


def problem_text(problem: AnswerProblem) -> str:
    return problem.message.get(language(), fallback=True) or str(problem)


def problems_by_path(problems: Sequence[AnswerProblem]) -> dict[str, list[str]]:
    """Messages keyed by the path of the input they belong to (``field`` or
    ``field[row].subfield``), for tying each message to its input."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.path, []).append(problem_text(problem))
    return found


@dataclass(frozen=True)
class SavedField:
    field_id: str
    version: int
    stale: bool  # an older save than the one already stored: nothing was changed


def _response_for(
    assignment: ModuleAssignment, step: Step, exercise: Exercise, *, lock: bool
) -> ExerciseResponse:
    response, _created = ExerciseResponse.objects.get_or_create(
        assignment=assignment,
        exercise_id=exercise.id,
        defaults={"step_id": step.id},
    )
    if lock:
        response = ExerciseResponse.objects.select_for_update().get(pk=response.pk)
    return response


def _ensure_editable(response: ExerciseResponse) -> None:
    if response.status == ExerciseResponse.Status.SUBMITTED:
        raise ValidationError(
            {
                "": [
                    _(
                        "You handed in this exercise. Choose “Change or add more” to "
                        "continue with it."
                    )
                ]
            }
        )


def _ensure_assignment_editable(assignment: ModuleAssignment) -> None:
    """Refuse changes to the exercises of a stopped module. The status is read again
    under a row lock, so a plan revision stopping the module at the same moment wins
    over a save that was already on its way."""
    status = (
        ModuleAssignment.objects.select_for_update()
        .filter(pk=assignment.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status == ModuleAssignment.Status.STOPPED:
        raise ValidationError(
            {
                "": [
                    _(
                        "This module was stopped when your treatment plan changed. You can "
                        "still read your answers, but you cannot change them any more."
                    )
                ]
            }
        )


def _mark_started(assignment: ModuleAssignment) -> None:
    if assignment.status == ModuleAssignment.Status.OPEN:
        assignment.status = ModuleAssignment.Status.IN_PROGRESS
        assignment.save(update_fields=["status"])


def exercise_field_save(
    *,
    actor: Actor,
    opened: ModuleAccess,
    exercise_id: str,
    field_id: str,
    value: object,
    client_stamp: int | None,
) -> SavedField:
    """Autosave one field as the patient types (a repeating group is saved whole, all its
    rows). ``client_stamp`` is the time on the patient's device when the value was
    given; a save older than the one already stored for the field is ignored, so a late
    retry never replaces newer text. A malformed value is refused with a message for
    its input; an incomplete one is fine (required fields count only at hand-in)."""
    _require_patient(opened.access)
    assignment = opened.assignment
    step, exercise = exercise_in(module_of(assignment), exercise_id)
    if field_id not in {field.id for field in exercise.form}:
        raise ValidationError({"": [_("This field is not part of the exercise.")]})
    problems = [
        p
        for p in check_exercise_answers(exercise, {field_id: value}, final=False)
        if p.field == field_id
    ]
    if problems:
        raise ValidationError(problems_by_path(problems))
    with transaction.atomic():
        _ensure_assignment_editable(assignment)
        response = _response_for(assignment, step, exercise, lock=True)
        while True:
            _ensure_editable(response)
            stored_stamp = response.field_stamps.get(field_id)
            if (
                client_stamp is not None
                and stored_stamp is not None
                and client_stamp <= stored_stamp
            ):
                # Equal: the same save sent twice. Smaller: an older value arriving late.
                return SavedField(field_id=field_id, version=response.version, stale=True)
            stamps = response.field_stamps
            if client_stamp is not None:
                stamps = {**stamps, field_id: client_stamp}
            # Written only if nobody changed the response since it was read: SQLite has
            # no row locks, and a hand-in committed meanwhile must not be turned back
            # into a draft by this save (nor a newer save be overwritten). Otherwise
            # read it again and decide again.
            written = ExerciseResponse.objects.filter(
                pk=response.pk,
                version=response.version,
                status=ExerciseResponse.Status.DRAFT,
            ).update(
                answers={**response.answers, field_id: value},
                field_stamps=stamps,
                version=response.version + 1,
                updated_at=timezone.now(),
                updated_by=actor.user,
            )
            if written:
                response.refresh_from_db()
                break
            response.refresh_from_db()
        _mark_started(assignment)
        audit_record(
            actor=actor,
            action="update",
            subject=_subject(opened.access, selectors.OBJECT_RESPONSE, str(response.public_id)),
            detail=f"{assignment.module_id}/{exercise.id}/{field_id}",
        )
    return SavedField(field_id=field_id, version=response.version, stale=False)


@dataclass(frozen=True)
class HandIn:
    response: ExerciseResponse
    problems: dict[str, list[str]]  # empty when handed in

    @property
    def handed_in(self) -> bool:
        return not self.problems


def exercise_hand_in(
    *,
    actor: Actor,
    opened: ModuleAccess,
    exercise_id: str,
    posted: Mapping[str, object] | None = None,
    hand_in: bool = True,
    login_url: str | None = None,
) -> HandIn:
    """Hand in an exercise: the answers in the submitted form (if any) are saved first,
    then everything saved is checked completely. When something is missing, the
    answers stay saved as a draft and every problem is returned for its input.

    Malformed posted answers raise ValidationError and nothing is written (the page
    shows them again as typed). Homework of a guided module handed in is announced to
    the treating clinicians by e-mail (``login_url``: the link in it)."""
    _require_patient(opened.access)
    assignment = opened.assignment
    step, exercise = exercise_in(module_of(assignment), exercise_id)
    with transaction.atomic():
        _ensure_assignment_editable(assignment)
        response = _response_for(assignment, step, exercise, lock=True)
        _ensure_editable(response)
        answers = dict(response.answers)
        if posted is not None:
            answers.update(posted)
        draft_problems = check_exercise_answers(exercise, answers, final=False)
        if draft_problems:
            raise ValidationError(problems_by_path(draft_problems))
        final_problems = check_exercise_answers(exercise, answers, final=True) if hand_in else []
        now = timezone.now()
        if posted is not None:
            # A form post holds every field: it is newer than any autosave before it.
            stamp = int(now.timestamp() * 1000)
            response.field_stamps = {**response.field_stamps, **dict.fromkeys(posted, stamp)}
        response.answers = answers
        response.version += 1
        response.updated_at = now
        response.updated_by = actor.user
        if hand_in and not final_problems:
            response.status = ExerciseResponse.Status.SUBMITTED
            response.submitted_at = now
        response.save()
        _mark_started(assignment)
        audit_record(
            actor=actor,
            action="update",
            subject=_subject(opened.access, selectors.OBJECT_RESPONSE, str(response.public_id)),
            detail=f"{assignment.module_id}/{exercise.id}: "
            + (
                "draft saved"
                if not hand_in
                else "handed in"
                if not final_problems
                else f"{len(final_problems)} problems"
            ),
        )
        if response.status == ExerciseResponse.Status.SUBMITTED and hand_in and assignment.guided:
            notify_care_team(assignment.patient, Kind.HOMEWORK, login_url=login_url)
    return HandIn(response=response, problems=problems_by_path(final_problems))


def exercise_field_save_all(
    *, actor: Actor, opened: ModuleAccess, exercise_id: str, answers: Mapping[str, object]
) -> HandIn:
    """Save the whole form as a draft (the no-JavaScript path: add or remove a row)."""
    return exercise_hand_in(
        actor=actor, opened=opened, exercise_id=exercise_id, posted=answers, hand_in=False
    )


def exercise_reopen(*, actor: Actor, opened: ModuleAccess, exercise_id: str) -> ExerciseResponse:
    """The patient continues with handed-in work (a log goes on for weeks); handing it
    in again puts it back in the therapist's inbox."""
    _require_patient(opened.access)
    _step, exercise = exercise_in(module_of(opened.assignment), exercise_id)
    with transaction.atomic():
        _ensure_assignment_editable(opened.assignment)
        response = (
            ExerciseResponse.objects.select_for_update()
            .filter(assignment=opened.assignment, exercise_id=exercise.id)
            .first()
        )
        if response is None or response.status != ExerciseResponse.Status.SUBMITTED:
            raise ValidationError({"": [_("This exercise has not been handed in.")]})
        response.status = ExerciseResponse.Status.DRAFT
        response.version += 1
        response.updated_at = timezone.now()
        response.save(update_fields=["status", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            subject=_subject(opened.access, selectors.OBJECT_RESPONSE, str(response.public_id)),
            detail=f"{opened.assignment.module_id}/{exercise.id}: reopened",
        )
    return response


# ------------------------------------------------------------------ feedback


def review_read(*, actor: Actor, opened: ResponseAccess) -> None:
    _clinician_membership(actor, opened.access)
    audit_record(
        actor=actor,
        action="read",
        subject=_subject(opened.access, selectors.OBJECT_RESPONSE, str(opened.response.public_id)),
        emergency=opened.access.emergency,
        detail=f"{opened.response.assignment.module_id}/{opened.response.exercise_id}",
    )


def feedback_give(
    *, actor: Actor, opened: ResponseAccess, text: str, login_url: str | None = None
) -> Feedback:
    """Written feedback on handed-in homework (guided online CBT); the patient is told
    by e-mail that something waits (``login_url``: the link in it)."""
    _clinician_membership(actor, opened.access)
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write your feedback before sending it.")]})
    if len(text) > FEEDBACK_MAX_LENGTH:
        raise ValidationError(
            {
                "text": [
                    _("Use at most %(max)s characters (now %(count)s).")
                    % {"max": FEEDBACK_MAX_LENGTH, "count": len(text)}
                ]
            }
        )
    if opened.response.status != ExerciseResponse.Status.SUBMITTED:
        raise ValidationError({"text": [_("This homework has not been handed in yet.")]})
    if actor.user is None:
        raise PermissionDenied(_("Log in first."))
    with transaction.atomic():
        feedback = Feedback.objects.create(response=opened.response, author=actor.user, text=text)
        audit_record(
            actor=actor,
            action="create",
            subject=_subject(opened.access, selectors.OBJECT_FEEDBACK, str(feedback.public_id)),
            emergency=opened.access.emergency,
        )
        notify_patient(opened.access.patient, Kind.FEEDBACK, login_url=login_url)
    return feedback


# ------------------------------------------------------------------ messages


def thread_read(*, actor: Actor, access: PatientAccess) -> list[Message]:
    """The thread, read with one audit event; the other side's messages are marked read.
    A clinician reading on emergency access marks nothing, so the team still sees them."""
    now = timezone.now()
    with transaction.atomic():
        if access.basis is AccessBasis.OWN_RECORD:
            Message.objects.filter(
                patient=access.patient, from_patient=False, read_by_patient_at__isnull=True
            ).update(read_by_patient_at=now)
        elif access.basis is AccessBasis.CARE_RELATIONSHIP:
            Message.objects.filter(
                patient=access.patient, from_patient=True, read_by_team_at__isnull=True
            ).update(read_by_team_at=now)
        audit_record(
            actor=actor,
            action="read",
            subject=_subject(access, selectors.OBJECT_MESSAGES),
            emergency=access.emergency,
        )
    return list(selectors.thread_for(access))


def message_send(
    *, actor: Actor, access: PatientAccess, text: str, login_url: str | None = None
) -> Message:
    """A message from the patient to their care team, or from a clinician in care; the
    other side is told by e-mail that something waits (``login_url``: the link in it)."""
    from_patient = access.basis is AccessBasis.OWN_RECORD
    if not from_patient:
        _clinician_membership(actor, access)
    text = text.strip()
    if not text:
        raise ValidationError({"text": [_("Write a message before sending it.")]})
    if len(text) > MESSAGE_MAX_LENGTH:
        raise ValidationError(
            {
                "text": [
                    _("Use at most %(max)s characters (now %(count)s).")
                    % {"max": MESSAGE_MAX_LENGTH, "count": len(text)}
                ]
            }
        )
    if actor.user is None:
        raise PermissionDenied(_("Log in first."))
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.create(
            patient=access.patient,
            author=actor.user,
            from_patient=from_patient,
            text=text,
            created_at=now,
            # Your own message counts as read on your side.
            read_by_patient_at=now if from_patient else None,
            read_by_team_at=None if from_patient else now,
        )
        audit_record(
            actor=actor,
            action="create",
            subject=_subject(access, selectors.OBJECT_MESSAGES, str(message.public_id)),
            emergency=access.emergency,
        )
        if from_patient:
            notify_care_team(access.patient, Kind.MESSAGE, login_url=login_url)
        else:
            notify_patient(access.patient, Kind.MESSAGE, login_url=login_url)
    return message


# ------------------------------------------------------------------ the inbox


@dataclass(frozen=True)
class Inbox:
    homework: list[ExerciseResponse]
    messages: list[Message]

    @property
    def count(self) -> int:
        return len(self.homework) + len(self.messages)


def inbox_read(*, actor: Actor) -> Inbox:
    """New homework and unread messages of the clinician's own patients; the list shows
    patient names, so it is audited like a caseload search."""
    inbox = Inbox(
        homework=list(selectors.homework_waiting_for(actor)),
        messages=list(selectors.unread_messages_for(actor)),
    )
    audit_record(
        actor=actor,
        action="search",
        subject=AuditSubject(object_type=selectors.OBJECT_INBOX),
        detail=f"{len(inbox.homework)} homework, {len(inbox.messages)} messages shown",
    )
    return inbox


# ------------------------------------------------------------------ graded activity


@dataclass(frozen=True)
class QuotaToday:
    today: date
    minutes: int | None  # None: the schedule has not started yet (or has ended)
    starts_on: date
    target_minutes: int | None
    last_day: DayEvaluation | None  # the latest logged day, with its time-contingent message
    unverified: bool

    @property
    def last_day_is_recent(self) -> bool:
        """Its message speaks of "tomorrow": only shown for yesterday or today."""
        return self.last_day is not None and self.last_day.day >= self.today - timedelta(days=1)


def has_graded_activity(module: Module) -> bool:
    """Graded activity runs on a baseline week: modules with one show a daily quota."""
    return any(exercise.kind == "graded_activity_baseline" for exercise in module.exercises)


def activity_quota(assignment: ModuleAssignment, *, today: date) -> QuotaToday | None:
    """Today's quota from a handed-in baseline week, or None when there is no usable
    baseline yet (or the module has no graded activity). The schedule starts the day
    after the last baseline day; the latest logged day of the activity log is compared
    with its quota (time-contingent).

    Reads ``assignment.responses.all()``, so responses fetched along with a list of
    assignments cost no query per assignment."""
    module = module_of(assignment)
    if not has_graded_activity(module):
        return None
    baseline_ids = _exercise_ids_of_kind(module, "graded_activity_baseline")
    log_ids = _exercise_ids_of_kind(module, "activity_log")
    responses = sorted(assignment.responses.all(), key=lambda response: response.pk)
    baseline = next(
        (
            response
            for response in responses
            if response.exercise_id in baseline_ids
            and response.status == ExerciseResponse.Status.SUBMITTED
        ),
        None,
    )
    if baseline is None:
        return None
    days = minutes_per_day(baseline.answers.get("days"), today=today)
    defaults = bundled_planning_rules().graded_activity
    target = assignment.activity_target_minutes
    params = default_parameters(defaults, target_minutes=target or MINUTES_IN_A_DAY)
    try:
        summary = baseline_summary(
            [ActivityLogEntry(day=d, minutes=m) for d, m in sorted(days.items())],
            min_days=params.min_baseline_days,
        )
        start = summary.last_day + timedelta(days=1)
        schedule = quota_schedule(summary, params, start, schedule_weeks(start, today))
    except GradedActivityError:
        return None
    by_day = {quota.day: quota for quota in schedule}
    last_day = None
    log = next((response for response in responses if response.exercise_id in log_ids), None)
    if log is not None:
        logged = {
            d: m
            for d, m in minutes_per_day(log.answers.get("days"), today=today).items()
            if d in by_day
        }
        if logged:
            latest = max(logged)
            last_day = evaluate_day(
                schedule,
                ActivityLogEntry(day=latest, minutes=logged[latest]),
                tolerance_minutes=params.tolerance_minutes,
                messages=defaults.messages,
            )
    return QuotaToday(
        today=today,
        minutes=by_day[today].minutes if today in by_day else None,
        starts_on=start,
        target_minutes=target,
        last_day=last_day,
        unverified=params.unverified,
    )


def _exercise_ids_of_kind(module: Module, kind: str) -> list[str]:
    return [exercise.id for exercise in module.exercises if exercise.kind == kind]


# ------------------------------------------------------------------ partners and parents


def relatives_read(*, actor: Actor, access: PatientAccess) -> list[RelativeAccess]:
    relatives = list(selectors.relatives_of(access))
    audit_record(
        actor=actor,
        action="read",
        subject=_subject(access, selectors.OBJECT_RELATIVE),
        emergency=access.emergency,
        detail=f"{len(relatives)} shown",
    )
    return relatives


@dataclass(frozen=True)
class RelativeInvited:
    relative: RelativeAccess
    invitation: IssuedInvitation | None  # None: the person already had an account


def relative_invite(
    *,
    actor: Actor,
    access: PatientAccess,
    email: str,
    full_name: str,
    relation: str,
    consent: bool,
) -> RelativeInvited:
    """Invite a partner or parent for the limited view, with the patient's consent: the
    patient gives it themselves, or the clinician records that the patient gave it."""
    by_clinician = access.basis is not AccessBasis.OWN_RECORD
    if by_clinician:
        _clinician_membership(actor, access)
    errors: dict[str, list[str]] = {}
    email = email.strip().lower()
    full_name = full_name.strip()
    if not consent:
        errors["consent"] = [
            _("Tick the box to confirm that the patient agrees.")
            if by_clinician
            else _("Tick the box to confirm that you agree.")
        ]
    if "@" not in email or len(email) > 254 or email.startswith("@") or email.endswith("@"):
        errors["email"] = [_("Enter a valid e-mail address.")]
    if not full_name or len(full_name) > 200:
        errors["full_name"] = [_("Enter the name of the person you invite.")]
    if relation not in RelativeAccess.Relation.values:
        errors["relation"] = [_("Choose partner or parent.")]
    if errors:
        raise ValidationError(errors)
    if actor.user is None:
        raise PermissionDenied(_("Log in first."))
    with transaction.atomic():
        user = User.objects.filter(email=email).first()
        if user is not None and (
            user.pk == (access.patient.user_id or 0)
            or Membership.objects.filter(user=user).exists()
        ):
            raise ValidationError(
                {"email": [_("This e-mail address cannot be used for a partner or parent.")]}
            )
        if (
            user is not None
            and RelativeAccess.objects.filter(
                patient=access.patient, user=user, revoked_at__isnull=True
            ).exists()
        ):
            raise ValidationError({"email": [_("This person already has access.")]})
        invitation = None
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=full_name)
            invitation = invitation_issue(user=user, created_by=actor.user)
        relative = RelativeAccess.objects.create(
            patient=access.patient,
            user=user,
            relation=relation,
            consent_given_by=actor.user,
            consent_recorded_by_clinician=by_clinician,
        )
        audit_record(
            actor=actor,
            action="create",
            subject=_subject(access, selectors.OBJECT_RELATIVE, str(relative.public_id)),
            emergency=access.emergency,
            detail=f"{relation} invited; consent "
            + ("recorded by clinician" if by_clinician else "given by patient"),
        )
    if invitation is not None:
        send_mail(
            _("You are invited to Maatwerk"),
            _(
                "%(patient)s invited you to read along with part of their care in Maatwerk. "
                "Set your password with this link: %(path)s"
            )
            % {"patient": access.patient.full_name.split(" ")[0], "path": invitation.path},
            None,
            [email],
            fail_silently=True,
        )
    return RelativeInvited(relative=relative, invitation=invitation)


def relative_revoke(*, actor: Actor, relative: RelativeAccess, access: PatientAccess) -> None:
    if access.basis is not AccessBasis.OWN_RECORD:
        _clinician_membership(actor, access)
    if relative.revoked_at is not None:
        raise ValidationError({"": [_("This access was already ended.")]})
    with transaction.atomic():
        relative.revoked_at = timezone.now()
        relative.revoked_by = actor.user
        relative.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            actor=actor,
            action="update",
            subject=_subject(access, selectors.OBJECT_RELATIVE, str(relative.public_id)),
            emergency=access.emergency,
            detail="access ended",
        )


@dataclass(frozen=True)
class SharedView:
    relative: RelativeAccess
    modules: list[tuple[ModuleAssignment, Module]]
    plan_summary: Any  # from the planning app when it offers one, else None
    # Under 18 or, in the year they turn 18, possibly so: only the year of birth is
    # stored (``maatwerk.core.age``).
    may_be_minor: bool


def shared_read(*, actor: Actor, relative: RelativeAccess, today: date) -> SharedView:
    """What a partner or parent may see: the psycho-education of the assigned modules,
    the agreed plan summary (if the planning app offers one) and, for a patient who may
    be a minor, the parent-report questionnaires. One audit event names the patient."""
    patient = relative.patient
    modules = [
        (assignment, module_of(assignment))
        for assignment in ModuleAssignment.objects.filter(patient=patient).order_by("assigned_at")
    ]
    audit_record(
        actor=actor,
        action="read",
        subject=patient_subject(
            patient, object_type=selectors.OBJECT_SHARED, object_ref=str(relative.public_id)
        ),
        detail=f"{relative.relation} view",
    )
    return SharedView(
        relative=relative,
        modules=modules,
        plan_summary=_plan_summary(patient),
        may_be_minor=may_be_minor(patient.birth_year, today),
    )


def _plan_summary(patient: Any) -> Any:
    """The agreed plan as the planning app summarizes it; absent until that app offers
    ``plan_summary_for``."""
    import importlib

    try:
        planning = importlib.import_module("maatwerk.web.planning.selectors")
    except ImportError:
        return None
    summary_for = getattr(planning, "plan_summary_for", None)
    if summary_for is None:
        return None
    try:
        return summary_for(patient)
    except TypeError:
        return summary_for(patient=patient)
