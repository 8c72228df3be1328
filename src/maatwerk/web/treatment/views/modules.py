"""The patient's modules and exercises (and the clinician's activity target and opening a
module).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.core.common.untrusted_input import whole_number
from maatwerk.core.modules.model import Exercise
from maatwerk.web.audit.audited import NON_FIELD, InputRefused
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import (
    Audience,
    open_child,
    open_own_record,
)
from maatwerk.web.screening.subgroup_flags import reads_short_texts
from maatwerk.web.treatment import forms, presenters, selectors, services
from maatwerk.web.treatment.models import (
    ExerciseHandIn,
    ExerciseResponse,
    Feedback,
    ModuleAssignment,
)
from maatwerk.web.treatment.selectors import OpenedModule
from maatwerk.web.treatment.views.common import login_url, module_card


def _open_module(
    request: ActorRequest, assignment_id: str, action: str, audience: Audience = Audience.RECORD
) -> OpenedModule:
    return open_child(
        actor=request.actor,
        model=ModuleAssignment,
        object_id=assignment_id,
        action=action,
        object_type=selectors.OBJECT_MODULE,
        audience=audience,
    )


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def my_modules(request: ActorRequest) -> HttpResponse:
    access = open_own_record(
        actor=request.actor, action="read", object_type=selectors.OBJECT_MODULE
    )
    assignments = services.modules_overview_read(actor=request.actor, access=access)
    card = services.portal_card(access)
    language = services.language()
    short = reads_short_texts(access)
    return render(
        request,
        "treatment/my_modules.html",
        {
            "cards": [
                module_card(a, services.module_of(a), language, short)
                for a in assignments
                if not a.is_waiting
            ],
            "waiting": [
                module_card(a, services.module_of(a), language, short)
                for a in assignments
                if a.is_waiting
            ],
            "unread_feedback": card.feedback,
            "unread_messages": card.messages_unread,
        },
    )


@login_required
@require_http_methods(["GET"])
def module(request: ActorRequest, module_assignment_id: str) -> HttpResponse:
    opened = _open_module(request, module_assignment_id, "read")
    responses = services.module_read(actor=request.actor, opened=opened)
    language = services.language()
    definition = services.module_of(opened.object)
    steps = [
        {
            "id": step.id,
            "title": presenters.text(step.title, language),
            "paragraphs": [presenters.text(p, language) for p in step.text],
            "homework": presenters.text(step.homework, language),
            "exercises": [
                {
                    "id": exercise.id,
                    "title": presenters.text(exercise.title, language),
                    "entries": exercise.entries,
                    "response": responses.get((exercise.id, entry)),
                    "entry": entry,
                    "new_feedback": any(
                        f.read_by_patient_at is None
                        for f in (
                            responses[(exercise.id, entry)].feedback.all()
                            if (exercise.id, entry) in responses
                            else []
                        )
                    ),
                }
                for exercise in step.exercises
                for entry in range(1, exercise.entries + 1)
            ],
        }
        for step in definition.steps
    ]
    quota = services.activity_quota(opened.object, today=timezone.localdate())
    return render(
        request,
        "treatment/module.html",
        {
            "assignment": opened.object,
            "patient": opened.access.patient,
            "name": presenters.text(definition.name, language),
            "summary": presenters.module_summary(
                definition, language, short=reads_short_texts(opened.access)
            ),
            "steps": steps,
            "is_patient": opened.by_patient,
            "quota": quota,
            "has_graded_activity": services.has_graded_activity(definition),
            "language": language,
        },
    )


class ExercisePage(TypedDict):
    """What the exercise page shows (``treatment/exercise.html``)."""

    assignment: ModuleAssignment
    module_name: str
    step_title: str
    exercise: Exercise
    entry: int
    entries: range | tuple[()]
    title: str
    instructions: str
    fields: list[presenters.FieldView | presenters.GroupView]
    pictograms: bool
    errors: Mapping[str, list[str]] | None
    general_errors: list[str]
    response: ExerciseResponse | None
    submitted: bool
    changed_after_hand_in: bool
    hand_ins: list[tuple[ExerciseHandIn, list[presenters.ReadableItem]]]
    editable: bool
    is_patient: bool
    feedback: list[Feedback]
    quota: services.QuotaToday | None
    row_placeholder: str
    readable: list[presenters.ReadableItem]


def _exercise_context(
    opened: OpenedModule,
    exercise: Exercise,
    entry: int,
    state: services.ExerciseState,
    *,
    answers: Mapping[str, object] | None = None,
    errors: Mapping[str, list[str]] | None = None,
) -> ExercisePage:
    language = services.language()
    definition = services.module_of(opened.object)
    step, _exercise = services.exercise_in(definition, exercise.id)
    response = state.response
    shown = answers if answers is not None else (response.answers if response else {})
    quota = None
    if exercise.kind == "activity_log":
        quota = services.activity_quota(opened.object, today=timezone.localdate())
    submitted = response is not None and response.status == ExerciseResponse.Status.SUBMITTED
    editable = (
        opened.by_patient
        and (response is None or response.editable_status)
        and (opened.object.is_open or opened.object.status == ModuleAssignment.Status.COMPLETED)
    )
    general = (errors or {}).get("", []) + (errors or {}).get("__all__", [])
    return {
        "assignment": opened.object,
        "module_name": presenters.text(definition.name, language),
        "step_title": presenters.text(step.title, language),
        "exercise": exercise,
        "entry": entry,
        "entries": range(1, exercise.entries + 1) if exercise.entries > 1 else (),
        "title": presenters.text(exercise.title, language),
        "instructions": presenters.text(exercise.instructions, language),
        "fields": presenters.exercise_views(exercise, shown, language=language, errors=errors),
        "pictograms": state.low_literacy,
        "errors": errors,
        "general_errors": general,
        "response": response,
        "submitted": submitted,
        "changed_after_hand_in": response is not None and response.changed_after_hand_in,
        "hand_ins": [
            (hand_in, presenters.readable_answers(exercise, hand_in.answers, language))
            for hand_in in state.hand_ins
        ],
        "editable": editable,
        "is_patient": opened.by_patient,
        "feedback": state.feedback,
        "quota": quota,
        "row_placeholder": presenters.ROW_PLACEHOLDER,
        "readable": presenters.readable_answers(exercise, shown, language),
    }


def _exercise(opened: OpenedModule, exercise_id: str, entry: int = 1) -> Exercise:
    try:
        exercise = services.exercise_in(services.module_of(opened.object), exercise_id)[1]
        services.entry_in(exercise, entry)
    except services.NotAnExercise:
        raise Http404 from None
    return exercise


@login_required
@require_http_methods(["GET"])
def exercise(request: ActorRequest, module_assignment_id: str, exercise_id: str) -> HttpResponse:
    opened = _open_module(request, module_assignment_id, "read")
    address = forms.EntryForm(request.GET)
    if not address.is_valid():
        raise Http404  # an entry the exercise does not have, as for a number too high
    entry = address.entry_number()
    definition = _exercise(opened, exercise_id, entry)
    state = services.exercise_read(
        actor=request.actor, opened=opened, exercise_id=definition.id, entry=entry
    )
    return render(
        request, "treatment/exercise.html", _exercise_context(opened, definition, entry, state)
    )


@role_required(Role.PATIENT)
@require_POST
def exercise_save(
    request: ActorRequest, module_assignment_id: str, exercise_id: str
) -> HttpResponse:
    """Autosave one field (the page's script calls this as the patient types; the entry
    of an exercise with several is in the address)."""
    form = forms.ExerciseFieldForm(request.POST, address=request.GET)
    form.is_valid()
    opened = _open_module(request, module_assignment_id, "update", Audience.PATIENT)
    entry = int(form.cleaned_data.get("entry") or 1)
    definition = _exercise(opened, exercise_id, entry)
    try:
        saved = services.exercise_field_save(
            actor=request.actor,
            opened=opened,
            exercise_id=definition.id,
            form=form,
        )
    except InputRefused as refusal:
        # The page's script shows errors of no single field under the key "".
        errors = {("" if key == NON_FIELD else key): found for key, found in refusal.errors.items()}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    return JsonResponse(
        {"saved": True, "field": saved.field_id, "version": saved.version, "stale": saved.stale}
    )


@role_required(Role.PATIENT)
@require_POST
def exercise_submit(
    request: ActorRequest, module_assignment_id: str, exercise_id: str
) -> HttpResponse:
    """Hand in (or, without JavaScript, save / add a row / remove a row; or continue
    after handing in). Every action first keeps what is in the form."""
    form = forms.ExerciseActionForm(request.POST)
    form.is_valid()
    opened = _open_module(request, module_assignment_id, "update", Audience.PATIENT)
    entry = int(form.cleaned_data.get("entry") or 1)
    definition = _exercise(opened, exercise_id, entry)
    here = reverse("treatment:exercise", args=[opened.object.public_id, definition.id])
    if entry > 1:
        here += f"?entry={entry}"
    action = str(form.cleaned_data.get("action") or "hand_in")
    if action == "reopen":
        try:
            services.exercise_reopen(
                actor=request.actor,
                form=form,
                opened=opened,
                exercise_id=definition.id,
                entry=entry,
            )
        except InputRefused as refusal:
            messages.error(request, str(refusal))
        return redirect(here)
    posted = forms.ExerciseAnswersForm(request.POST, exercise=definition).answers()
    if action.startswith(("add_row:", "remove_row:")):
        posted = _change_rows(posted, action)
    try:
        handed = services.exercise_hand_in(
            actor=request.actor,
            form=form,
            opened=opened,
            exercise_id=definition.id,
            entry=entry,
            posted=posted,
            hand_in=action == "hand_in",
            login_url=login_url(request),
        )
    except InputRefused as refusal:
        state = services.exercise_state(opened, definition.id, entry)
        context = _exercise_context(
            opened, definition, entry, state, answers=posted, errors=refusal.errors
        )
        return render(request, "treatment/exercise.html", context, status=400)
    state = services.exercise_state(opened, definition.id, entry)
    if action != "hand_in":
        context = _exercise_context(opened, definition, entry, state, answers=posted)
        return render(request, "treatment/exercise.html", context)
    if not handed.handed_in:
        context = _exercise_context(opened, definition, entry, state, errors=handed.problems)
        return render(request, "treatment/exercise.html", context, status=400)
    messages.success(
        request,
        _("Thank you. Your therapist will read it and give feedback.")
        if opened.object.guided
        else _("Thank you. Your work is saved."),
    )
    return redirect(here)


def _change_rows(answers: dict[str, object], action: str) -> dict[str, object]:
    kind, _sep, rest = action.partition(":")
    group_id, _sep, index = rest.partition(":")
    rows = answers.get(group_id)
    if not isinstance(rows, list):
        return answers
    if kind == "add_row":
        rows = [*rows, {}] if rows else [{}, {}]
    elif (position := whole_number(index)) is not None and position < len(rows):
        rows = rows[:position] + rows[position + 1 :]
    return {**answers, group_id: rows}


@role_required(Role.CLINICIAN)
@require_POST
def activity_target(request: ActorRequest, module_assignment_id: str) -> HttpResponse:
    form = forms.ActivityTargetForm(request.POST)
    form.is_valid()
    opened = _open_module(request, module_assignment_id, "update", Audience.CARE_TEAM)
    try:
        services.activity_target_set(
            actor=request.actor,
            form=form,
            opened=opened,
            minutes=int(form.cleaned_data.get("target") or 0),
        )
    except InputRefused as refusal:
        for problems in refusal.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("treatment:patient_modules", patient_id=opened.access.patient.public_id)
    messages.success(request, _("The target is saved."))
    return redirect("treatment:patient_modules", patient_id=opened.access.patient.public_id)


@role_required(Role.CLINICIAN)
@require_POST
def module_open(request: ActorRequest, module_assignment_id: str) -> HttpResponse:
    """The clinician opens a module that waits for a later round of the plan."""
    form = forms.EmptyForm(request.POST)
    form.is_valid()
    opened = _open_module(request, module_assignment_id, "update", Audience.CARE_TEAM)
    try:
        services.module_open_now(actor=request.actor, form=form, opened=opened)
    except InputRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The module is open for the patient."))
    return redirect("treatment:patient_modules", patient_id=opened.access.patient.public_id)
