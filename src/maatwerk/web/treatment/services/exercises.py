"""Reading, saving, handing in and reopening exercises; checking the answers is the
core's (``maatwerk.core.modules.answers``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.modules.answers import AnswerProblem, check_exercise_answers
from maatwerk.core.modules.model import Exercise, Module, Step
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.prepared import PreparedQuery
from maatwerk.web.patients.opening import NotForThisRole
from maatwerk.web.screening.subgroup_flags import reads_short_texts
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import (
    ExerciseHandIn,
    ExerciseResponse,
    Feedback,
    ModuleAssignment,
)
from maatwerk.web.treatment.notifications import Kind, notify_care_team
from maatwerk.web.treatment.selectors import OpenedModule
from maatwerk.web.treatment.services._common import check_input, language, module_of
from maatwerk.web.treatment.services.assignments import module_complete_if_done

if TYPE_CHECKING:
    from maatwerk.web.treatment.forms import ExerciseFieldForm


class NotAnExercise(LookupError):
    """The exercise (or entry) is not part of the module: the page does not exist."""


def _require_patient(opened: OpenedModule) -> None:
    if not opened.by_patient:
        raise NotForThisRole("patient only")


def entry_in(exercise: Exercise, entry: int) -> int:
    """The entry number, checked against how many the exercise asks for."""
    if not 1 <= entry <= exercise.entries:
        raise NotAnExercise(f"{exercise.id}#{entry}")
    return entry


@dataclass(frozen=True)
class ExerciseState:
    """One entry of an exercise as its page shows it: the response so far (if any),
    its handed-in versions (latest first) and the feedback on it."""

    response: ExerciseResponse | None
    hand_ins: list[ExerciseHandIn]
    feedback: list[Feedback]
    # Low literacy noted at the screening: pictograms on our own answer scales.
    low_literacy: bool = False


def exercise_state(opened: OpenedModule, exercise_id: str, entry: int) -> ExerciseState:
    """What the page shows; for drawing the page again after a save or a refusal (the
    save or the refusal is the request's audit event)."""
    response = selectors.response_of(opened.object, exercise_id, entry)
    low_literacy = reads_short_texts(opened.access)
    if response is None:
        return ExerciseState(response=None, hand_ins=[], feedback=[], low_literacy=low_literacy)
    return ExerciseState(
        response=response,
        hand_ins=selectors.hand_ins_of(response),
        feedback=selectors.feedback_of(response),
        low_literacy=low_literacy,
    )


def exercise_read(
    *, actor: Actor, opened: OpenedModule, exercise_id: str, entry: int = 1
) -> ExerciseState:
    """Open one entry of an exercise with the answers saved so far. When the patient
    opens it, the therapist's feedback shown there is marked as read."""
    assignment = opened.object
    _step, exercise = exercise_in(module_of(assignment), exercise_id)
    entry = entry_in(exercise, entry)
    response = selectors.response_of(assignment, exercise.id, entry)
    with audited(
        actor=actor,
        action="read",
        subject=opened.access.subject(
            selectors.OBJECT_RESPONSE,
            str(response.public_id) if response is not None else str(assignment.public_id),
        ),
        emergency=opened.emergency,
    ) as note:
        marked = 0
        if response is not None and opened.by_patient:
            marked = Feedback.objects.filter(
                response=response, read_by_patient_at__isnull=True
            ).update(read_by_patient_at=timezone.now())
        note.detail = f"{assignment.module_id}/{exercise.id}#{entry}" + (
            f"; {marked} feedback read" if marked else ""
        )
        return exercise_state(opened, exercise.id, entry)


def exercise_in(module: Module, exercise_id: str) -> tuple[Step, Exercise]:
    for step in module.steps:
        for exercise in step.exercises:
            if exercise.id == exercise_id:
                return step, exercise
    raise NotAnExercise(exercise_id)


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


# Every autosave runs both locking reads; compiled once per process.
_LOCKED_RESPONSE = PreparedQuery(
    lambda assignment_id, exercise_id, entry: (
        ExerciseResponse.objects.select_for_update()
        .filter(assignment_id=assignment_id, exercise_id=exercise_id, entry=entry)
        .order_by("pk")[:1]
    ),
    {
        "assignment_id": (ExerciseResponse, "assignment"),
        "exercise_id": (ExerciseResponse, "exercise_id"),
        "entry": (ExerciseResponse, "entry"),
    },
)
_LOCKED_STATUS: PreparedQuery[Any] = PreparedQuery(
    lambda pk: (
        ModuleAssignment.objects.select_for_update()
        .filter(pk=pk)
        .values_list("status", flat=True)
        .order_by("pk")[:1]
    ),
    {"pk": (ModuleAssignment, "pk")},
)


def _response_for(
    assignment: ModuleAssignment, step: Step, exercise: Exercise, entry: int, *, lock: bool
) -> ExerciseResponse:
    if lock:
        # Most saves find the response there already: one locking read, not a read, a
        # get_or_create and the locking read again.
        found = _LOCKED_RESPONSE.first(
            assignment_id=assignment.pk, exercise_id=exercise.id, entry=entry
        )
        if found is not None:
            return found
    response, _created = ExerciseResponse.objects.get_or_create(
        assignment=assignment,
        exercise_id=exercise.id,
        entry=entry,
        defaults={"step_id": step.id},
    )
    if lock:
        response = ExerciseResponse.objects.select_for_update().get(pk=response.pk)
    return response


def _ensure_editable(response: ExerciseResponse) -> None:
    if not response.editable_status:
        raise InputRefused(
            _("You handed in this exercise. Choose “Change or add more” to continue with it.")
        )


def _ensure_assignment_editable(assignment: ModuleAssignment) -> None:
    """Refuse changes to the exercises of a stopped module (or of one that waits for its
    round). The status is read again under a row lock, so a plan revision stopping the
    module at the same moment wins over a save that was already on its way."""
    status = _LOCKED_STATUS.first(pk=assignment.pk)
    if status == ModuleAssignment.Status.STOPPED:
        raise InputRefused(
            _(
                "This module was stopped when your treatment plan changed. You can "
                "still read your answers, but you cannot change them any more."
            )
        )
    if status == ModuleAssignment.Status.WAITING:
        raise InputRefused(
            _("This module opens when you have finished the modules you are working on now.")
        )


def _mark_started(assignment: ModuleAssignment) -> None:
    if assignment.status == ModuleAssignment.Status.OPEN:
        assignment.status = ModuleAssignment.Status.IN_PROGRESS
        assignment.save(update_fields=["status"])


def exercise_field_save(
    *, actor: Actor, opened: OpenedModule, exercise_id: str, form: ExerciseFieldForm
) -> SavedField:
    """Autosave one field as the patient types (a repeating group is saved whole, all its
    rows), from the bound ``form``: the field, its value, the entry and ``stamp``, the
    time on the patient's device when the value was given; a save older than the one
    already stored for the field is ignored, so a late retry never replaces newer text.
    A malformed value is refused with a message for its input; an incomplete one is fine
    (required fields count only at hand-in)."""
    assignment = opened.object
    step, exercise = exercise_in(module_of(assignment), exercise_id)
    with audited(
        actor=actor,
        action="update",
        subject=opened.access.subject(selectors.OBJECT_RESPONSE),
        emergency=opened.emergency,
        detail=f"{assignment.module_id}/{exercise.id}",
    ) as note:
        data = valid_form(form)
        entry = entry_in(exercise, _whole(data.get("entry")) or 1)
        field_id = str(data["field"])
        value = data.get("value")
        client_stamp = _whole(data.get("stamp"))
        note.detail = f"{assignment.module_id}/{exercise.id}#{entry}/{field_id}"
        _require_patient(opened)
        if field_id not in {field.id for field in exercise.form}:
            raise InputRefused({"field": [_("This field is not part of the exercise.")]})
        problems = [
            p
            for p in check_exercise_answers(exercise, {field_id: value}, final=False)
            if p.field == field_id
        ]
        if problems:
            raise InputRefused(problems_by_path(problems))
        _ensure_assignment_editable(assignment)
        response = _response_for(assignment, step, exercise, entry, lock=True)
        note.about(object_ref=str(response.public_id))
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
                status__in=(ExerciseResponse.Status.DRAFT, ExerciseResponse.Status.CHANGED),
            ).update(
                answers={**response.answers, field_id: value},
                field_stamps=stamps,
                version=response.version + 1,
                updated_at=timezone.now(),
                updated_by=actor.user,
            )
            if written:
                break
            response.refresh_from_db()
        _mark_started(assignment)
    # The version this save wrote (no need to read the row again).
    return SavedField(field_id=field_id, version=response.version + 1, stale=False)


def _whole(value: object) -> int | None:
    """A whole number the form cleaned (or None when it was left out)."""
    return value if isinstance(value, int) else None


@dataclass(frozen=True)
class HandIn:
    response: ExerciseResponse
    problems: dict[str, list[str]]  # empty when handed in

    @property
    def handed_in(self) -> bool:
        return not self.problems


def exercise_hand_in(
    *,
    form: forms.Form | None = None,
    actor: Actor,
    opened: OpenedModule,
    exercise_id: str,
    posted: Mapping[str, object] | None = None,
    hand_in: bool = True,
    login_url: str | None = None,
    entry: int = 1,
) -> HandIn:
    """Hand in one entry of an exercise: the answers in the submitted form (if any) are
    saved first, then everything saved is checked completely. When something is
    missing, the answers stay saved as a draft and every problem is returned for its
    input. Handing in keeps a copy of the answers as handed in (a new version each time).

    Malformed posted answers are refused (``InputRefused``) and nothing is written (the
    page shows them again as typed). Homework of a guided module handed in is announced
    to the treating clinicians by e-mail (``login_url``: the link in it). When every
    entry of the module is handed in, the module is completed and the next round of the
    plan may open."""
    assignment = opened.object
    step, exercise = exercise_in(module_of(assignment), exercise_id)
    entry = entry_in(exercise, entry)
    with audited(
        actor=actor,
        action="update",
        subject=opened.access.subject(selectors.OBJECT_RESPONSE),
        emergency=opened.emergency,
    ) as note:
        check_input(form)
        _require_patient(opened)
        _ensure_assignment_editable(assignment)
        response = _response_for(assignment, step, exercise, entry, lock=True)
        note.about(object_ref=str(response.public_id))
        _ensure_editable(response)
        answers = dict(response.answers)
        if posted is not None:
            answers.update(posted)
        draft_problems = check_exercise_answers(exercise, answers, final=False)
        if draft_problems:
            raise InputRefused(problems_by_path(draft_problems))
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
        handed = hand_in and not final_problems
        if handed:
            response.status = ExerciseResponse.Status.SUBMITTED
            response.submitted_at = now
        response.save()
        number = 0
        if handed:
            number = response.hand_ins.count() + 1
            ExerciseHandIn.objects.create(
                response=response, number=number, answers=answers, handed_in_at=now
            )
        _mark_started(assignment)
        completed = handed and module_complete_if_done(opened)
        note.detail = f"{assignment.module_id}/{exercise.id}#{entry}: " + (
            "draft saved"
            if not hand_in
            else f"handed in (version {number})" + ("; module completed" if completed else "")
            if handed
            else f"{len(final_problems)} problems"
        )
        if handed and assignment.guided:
            notify_care_team(assignment.patient, Kind.HOMEWORK, login_url=login_url)
    return HandIn(response=response, problems=problems_by_path(final_problems))


def exercise_field_save_all(
    *,
    actor: Actor,
    opened: OpenedModule,
    exercise_id: str,
    answers: Mapping[str, object],
    entry: int = 1,
) -> HandIn:
    """Save the whole form as a draft (the no-JavaScript path: add or remove a row)."""
    return exercise_hand_in(
        actor=actor,
        opened=opened,
        exercise_id=exercise_id,
        posted=answers,
        hand_in=False,
        entry=entry,
    )


def exercise_reopen(
    *,
    form: forms.Form | None = None,
    actor: Actor,
    opened: OpenedModule,
    exercise_id: str,
    entry: int = 1,
) -> ExerciseResponse:
    """The patient continues with handed-in work ("Change or add more"; a log goes on
    for weeks). The handed-in version stays as it was, for the therapist to read; the
    response is marked as changed after handing in, and handing it in again makes a
    new version."""
    _step, exercise = exercise_in(module_of(opened.object), exercise_id)
    entry = entry_in(exercise, entry)
    with audited(
        actor=actor,
        action="update",
        subject=opened.access.subject(selectors.OBJECT_RESPONSE),
        emergency=opened.emergency,
        detail=f"{opened.object.module_id}/{exercise.id}#{entry}: changing after hand-in",
    ) as note:
        check_input(form)
        _require_patient(opened)
        _ensure_assignment_editable(opened.object)
        response = (
            ExerciseResponse.objects.select_for_update()
            .filter(assignment=opened.object, exercise_id=exercise.id, entry=entry)
            .first()
        )
        if response is None or response.status != ExerciseResponse.Status.SUBMITTED:
            raise InputRefused(_("This exercise has not been handed in."))
        note.about(object_ref=str(response.public_id))
        response.status = ExerciseResponse.Status.CHANGED
        response.version += 1
        response.updated_at = timezone.now()
        response.save(update_fields=["status", "version", "updated_at"])
    return response
