"""Reading, saving, handing in and reopening exercises; checking the answers is the
core's (``maatwerk.core.modules.answers``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.access import AccessBasis
from maatwerk.core.modules.answers import AnswerProblem, check_exercise_answers
from maatwerk.core.modules.model import Exercise, Module, Step
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ExerciseResponse, Feedback, ModuleAssignment
from maatwerk.web.treatment.notifications import Kind, notify_care_team
from maatwerk.web.treatment.selectors import ModuleAccess
from maatwerk.web.treatment.services._common import _require_patient, _subject, language, module_of


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
