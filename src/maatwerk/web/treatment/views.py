"""Treatment in the portal and the clinic: each view binds its form, opens the patient's
object with the opener, calls one service and renders.

Size: a view per URL of the treatment app (modules and exercises, messages, the
clinician's inbox and review, partners and parents), sharing the app's view helpers;
splitting it per sub-domain is the next step.
"""

from __future__ import annotations

from typing import Any

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
from maatwerk.core.modules.model import Exercise, Module
from maatwerk.web.audit.audited import NON_FIELD, InputRefused, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import (
    Audience,
    PatientAccess,
    open_child,
    open_own_record,
    open_patient,
)
from maatwerk.web.safety.selectors import risk_banner_of
from maatwerk.web.screening.subgroup_flags import reads_short_texts
from maatwerk.web.treatment import forms, presenters, selectors, services
from maatwerk.web.treatment.models import ExerciseResponse, ModuleAssignment, RelativeAccess
from maatwerk.web.treatment.opening import open_shared
from maatwerk.web.treatment.selectors import OpenedModule, OpenedResponse


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


def _module_card(
    assignment: ModuleAssignment, module: Module, language: str, short: bool = False
) -> dict[str, Any]:
    return {
        "assignment": assignment,
        "name": presenters.text(module.name, language),
        "summary": presenters.module_summary(module, language, short=short),
    }


def _entry(value: object) -> int:
    number = whole_number(str(value or "1"))
    return number if number is not None else 0


# ------------------------------------------------------------------ the patient's modules


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
                _module_card(a, services.module_of(a), language, short)
                for a in assignments
                if not a.is_waiting
            ],
            "waiting": [
                _module_card(a, services.module_of(a), language, short)
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


def _exercise_context(
    opened: OpenedModule,
    exercise: Exercise,
    entry: int,
    state: services.ExerciseState,
    *,
    answers: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
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


def _exercise_title(definition: Module, exercise_id: str, language: str) -> str:
    try:
        return presenters.text(definition.exercise(exercise_id).title, language)
    except KeyError:
        return exercise_id


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
    entry = _entry(request.GET.get("entry"))
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
    posted = request.POST.copy()
    posted.setdefault("entry", request.GET.get("entry", ""))
    form = forms.ExerciseFieldForm(posted)
    form.is_valid()
    opened = _open_module(request, module_assignment_id, "update", Audience.PATIENT)
    entry = int(form.cleaned_data.get("entry") or 1)
    definition = _exercise(opened, exercise_id, entry)
    try:
        saved = services.exercise_field_save(
            actor=request.actor,
            form=form,
            opened=opened,
            exercise_id=definition.id,
            entry=entry,
            field_id=str(form.cleaned_data.get("field", "")),
            value=form.cleaned_data.get("value"),
            client_stamp=form.cleaned_data.get("stamp"),
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
    posted = presenters.answers_from_post(definition, request.POST)
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
            login_url=_login_url(request),
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


def _change_rows(answers: dict[str, Any], action: str) -> dict[str, Any]:
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


# ------------------------------------------------------------------ messages


def _login_url(request: ActorRequest) -> str:
    """The link in a "something waits for you" e-mail."""
    return request.build_absolute_uri(reverse("account_login"))


def _thread_page(
    request: ActorRequest, access: PatientAccess, template: str, post_url: str
) -> HttpResponse:
    form = forms.MessageForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            services.message_send(
                actor=request.actor,
                form=form,
                access=access,
                text=str(form.cleaned_data.get("text", "")),
                login_url=_login_url(request),
            )
        except InputRefused as refusal:
            show_refusal(form, refusal)
            status = 400
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(post_url)
    thread = (
        list(selectors.thread_for(access))
        if status == 400
        else services.thread_read(actor=request.actor, access=access)
    )
    return render(
        request,
        template,
        {
            "patient": access.patient,
            "thread": thread,
            "errors": form.errors if status == 400 else {},
            "draft": form.data.get("text", "")[: services.MESSAGE_MAX_LENGTH + 100]
            if status == 400
            else "",
            "post_url": post_url,
            "is_patient": access.by_patient,
            "max_length": services.MESSAGE_MAX_LENGTH,
        },
        status=status,
    )


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def my_messages(request: ActorRequest) -> HttpResponse:
    access = open_own_record(
        actor=request.actor,
        action="create" if request.method == "POST" else "read",
        object_type=selectors.OBJECT_MESSAGES,
    )
    return _thread_page(request, access, "treatment/messages.html", reverse("treatment:messages"))


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_messages(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="create" if request.method == "POST" else "read",
        audience=Audience.CARE_TEAM,
        object_type=selectors.OBJECT_MESSAGES,
    )
    return _thread_page(
        request,
        access,
        "treatment/messages.html",
        reverse("treatment:patient_messages", args=[access.patient.public_id]),
    )


# ------------------------------------------------------------------ the clinician


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def inbox(request: ActorRequest) -> HttpResponse:
    found = services.inbox_read(actor=request.actor)
    language = services.language()
    homework = []
    for response in found.homework:
        definition = services.module_of(response.assignment)
        handed = max(response.hand_ins.all(), key=lambda h: h.number, default=None)
        homework.append(
            {
                "response": response,
                "module": presenters.text(definition.name, language),
                "exercise": _exercise_title(definition, response.exercise_id, language),
                "text": presenters.answers_text(
                    handed.answers if handed is not None else response.answers
                ),
                "changed_after_hand_in": response.changed_after_hand_in,
                "version": handed.number if handed is not None else 1,
            }
        )
    return render(
        request, "treatment/inbox.html", {"homework": homework, "messages_waiting": found.messages}
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def review(request: ActorRequest, response_id: str) -> HttpResponse:
    opened: OpenedResponse = open_child(
        actor=request.actor,
        model=ExerciseResponse,
        object_id=response_id,
        action="create" if request.method == "POST" else "read",
        object_type=selectors.OBJECT_RESPONSE,
        audience=Audience.CARE_TEAM,
        patient_path="assignment__patient",
        related=("assignment",),
    )
    form = forms.FeedbackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            services.feedback_give(
                actor=request.actor,
                form=form,
                opened=opened,
                text=str(form.cleaned_data.get("text", "")),
                login_url=_login_url(request),
            )
        except InputRefused as refusal:
            show_refusal(form, refusal)
            status = 400
        else:
            messages.success(request, _("Your feedback has been sent to the patient."))
            return redirect("treatment:inbox")
        found = services.review_of(opened)
    else:
        found = services.review_read(actor=request.actor, opened=opened)
    response = opened.object
    language = services.language()
    definition = services.module_of(response.assignment)
    try:
        exercise_definition = definition.exercise(response.exercise_id)
    except KeyError:
        raise Http404 from None
    latest = found.hand_ins[0] if found.hand_ins else None
    return render(
        request,
        "treatment/review.html",
        {
            "response": response,
            "patient": opened.access.patient,
            "risk": risk_banner_of(opened.access.patient),
            "module_name": presenters.text(definition.name, language),
            "title": presenters.text(exercise_definition.title, language),
            "entries": exercise_definition.entries,
            "is_g_schema": exercise_definition.kind == "g_schema",
            # What was handed in (latest version first); the answers as they are now
            # when the patient changed them after handing in.
            "readable": presenters.readable_answers(
                exercise_definition,
                latest.answers if latest is not None else response.answers,
                language,
            ),
            "latest": latest,
            "earlier": [
                (
                    hand_in,
                    presenters.readable_answers(exercise_definition, hand_in.answers, language),
                )
                for hand_in in found.hand_ins[1:]
            ],
            "changed_after_hand_in": found.changed_after_hand_in,
            "current": presenters.readable_answers(exercise_definition, response.answers, language)
            if found.changed_after_hand_in
            else None,
            "feedback": found.feedback,
            "errors": form.errors if status == 400 else {},
            "draft": form.data.get("text", "")[: services.FEEDBACK_MAX_LENGTH + 100]
            if status == 400
            else "",
            "may_give_feedback": latest is not None,
            "max_length": services.FEEDBACK_MAX_LENGTH,
        },
        status=status,
    )


def _module_choices(language: str) -> list[tuple[str, str]]:
    return [(m.id, presenters.text(m.name, language)) for m in services.catalogue().modules]


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_modules(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's modules on the clinician's side, and assigning more by hand."""
    language = services.language()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        form = forms.AssignModulesForm(request.POST, module_choices=_module_choices(language))
        form.is_valid()
        access = open_patient(
            actor=request.actor,
            patient_id=patient_id,
            action="create",
            audience=Audience.CARE_TEAM,
            object_type=selectors.OBJECT_MODULE,
        )
        try:
            services.modules_assign(
                actor=request.actor,
                form=form,
                access=access,
                module_ids=list(form.cleaned_data.get("modules") or []),
            )
        except InputRefused as refusal:
            errors = refusal.errors
        else:
            messages.success(request, _("The modules are assigned."))
            return redirect("treatment:patient_modules", patient_id=access.patient.public_id)
        assignments = list(selectors.assignments_for(access))
    else:
        access = open_patient(
            actor=request.actor,
            patient_id=patient_id,
            action="read",
            audience=Audience.CARE_TEAM,
            object_type=selectors.OBJECT_MODULE,
        )
        assignments = services.modules_overview_read(actor=request.actor, access=access)
    today = timezone.localdate()
    rows = []
    for assignment in assignments:
        definition = services.module_of(assignment)
        rows.append(
            {
                **_module_card(assignment, definition, language),
                "responses": [
                    (response, _exercise_title(definition, response.exercise_id, language))
                    for response in assignment.responses.all()
                ],
                "graded_activity": services.has_graded_activity(definition),
                "quota": services.activity_quota(assignment, today=today),
            }
        )
    not_ended = {a.module_id for a in assignments if a.is_open or a.is_waiting}
    return render(
        request,
        "treatment/patient_modules.html",
        {
            "patient": access.patient,
            "rows": rows,
            "catalogue": [
                {
                    "id": m.id,
                    "name": presenters.text(m.name, language),
                    "guided": m.guidance == "guided",
                    "assigned": m.id in not_ended,
                }
                for m in services.catalogue().modules
            ],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# ------------------------------------------------------------------ partners and parents


@login_required
@require_http_methods(["GET", "POST"])
def relatives(request: ActorRequest, patient_id: str) -> HttpResponse:
    if not (request.actor.has_role(Role.PATIENT) or request.actor.has_role(Role.CLINICIAN)):
        raise Http404
    invited = None
    form = forms.RelativeInviteForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        access = open_patient(
            actor=request.actor,
            patient_id=patient_id,
            action="create",
            object_type=selectors.OBJECT_RELATIVE,
        )
        try:
            invited = services.relative_invite(
                actor=request.actor,
                form=form,
                access=access,
                email=str(form.cleaned_data.get("email", "")),
                full_name=str(form.cleaned_data.get("full_name", "")),
                relation=str(form.cleaned_data.get("relation", "")),
                consent=bool(form.cleaned_data.get("consent")),
                link_base=request.build_absolute_uri("/").rstrip("/"),
            )
        except InputRefused as refusal:
            show_refusal(form, refusal)
            status = 400
        found = list(selectors.relatives_of(access))
    else:
        access = open_patient(
            actor=request.actor,
            patient_id=patient_id,
            action="read",
            object_type=selectors.OBJECT_RELATIVE,
        )
        found = services.relatives_read(actor=request.actor, access=access)
    return render(
        request,
        "treatment/relatives.html",
        {
            "patient": access.patient,
            "relatives": found,
            "is_patient": access.by_patient,
            "errors": form.errors if status == 400 else {},
            "form": {
                "email": form.data.get("email", "")[:254] if status == 400 else "",
                "full_name": form.data.get("full_name", "")[:200] if status == 400 else "",
                "relation": form.data.get("relation", "") if status == 400 else "",
                "consent": form.data.get("consent") == "yes" if status == 400 else False,
            },
            "relations": RelativeAccess.Relation.choices,
            "invited": invited,
        },
        status=status,
    )


@login_required
@require_POST
def relative_revoke(request: ActorRequest, relative_id: str) -> HttpResponse:
    if not (request.actor.has_role(Role.PATIENT) or request.actor.has_role(Role.CLINICIAN)):
        raise Http404
    form = forms.EmptyForm(request.POST)
    form.is_valid()
    opened = open_child(
        actor=request.actor,
        model=RelativeAccess,
        object_id=relative_id,
        action="update",
        object_type=selectors.OBJECT_RELATIVE,
    )
    try:
        services.relative_revoke(actor=request.actor, form=form, opened=opened)
    except InputRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Access has been ended."))
    return redirect("treatment:relatives", patient_id=opened.access.patient.public_id)


@require_http_methods(["GET", "POST"])
def relative_accept(request: ActorRequest, token: str) -> HttpResponse:
    """The invited partner or parent accepts with the link from their e-mail. Without an
    account they choose a password and the account is made now; with one they log in
    first."""
    try:
        invitation = services.pending_invitation(token[:100])
    except services.InvitationNotValid:
        return render(request, "treatment/relative_accept.html", {"invalid": True}, status=404)
    signed_in = request.actor.user is not None
    needs_login = not signed_in and services.account_exists_for(invitation)
    form = forms.AcceptInvitationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and not needs_login:
        form.is_valid()
        try:
            services.relative_accept(
                actor=request.actor,
                form=form,
                token=token[:100],
                password1=str(form.cleaned_data.get("password1", "")),
                password2=str(form.cleaned_data.get("password2", "")),
            )
        except InputRefused as refusal:
            show_refusal(form, refusal)
            status = 400
        except services.InvitationNotValid:
            return render(request, "treatment/relative_accept.html", {"invalid": True}, status=404)
        else:
            if signed_in:
                messages.success(request, _("You can now read along."))
                return redirect("treatment:shared")
            messages.success(
                request, _("Your account is ready. Log in with your e-mail address and password.")
            )
            return redirect("account_login")
    return render(
        request,
        "treatment/relative_accept.html",
        {
            "invalid": False,
            "first_name": invitation.patient.full_name.split(" ")[0],
            "email": invitation.invited_email,
            "signed_in": signed_in,
            "needs_login": needs_login,
            "login_url": reverse("account_login") + "?next=" + request.path,
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def shared(request: ActorRequest) -> HttpResponse:
    """For a partner or parent: whose care they may read along with."""
    accesses = list(selectors.shared_with(request.actor))
    if len(accesses) == 1:
        return redirect("treatment:shared_detail", relative_id=accesses[0].public_id)
    return render(request, "treatment/shared.html", {"accesses": accesses})


@login_required
@require_http_methods(["GET"])
def shared_detail(request: ActorRequest, relative_id: str) -> HttpResponse:
    relative = open_shared(actor=request.actor, relative_id=relative_id)
    view = services.shared_read(actor=request.actor, relative=relative, today=timezone.localdate())
    language = services.language()
    modules = [
        {
            "name": presenters.text(definition.name, language),
            "summary": presenters.text(definition.summary, language),
            "steps": [
                {
                    "title": presenters.text(step.title, language),
                    "paragraphs": [presenters.text(p, language) for p in step.text],
                }
                for step in definition.steps
            ],
        }
        for _assignment, definition in view.modules
    ]
    return render(
        request,
        "treatment/shared_detail.html",
        {
            "relative": relative,
            "first_name": relative.patient.full_name.split(" ")[0],
            "modules": modules,
            "plan_summary": view.plan_summary,
            "may_be_minor": view.may_be_minor,
            "parent_view": view.parent_view,
        },
    )
