"""Treatment in the portal and the clinic: thin views over selectors and services.

Size: one sub-domain: a view per URL of the treatment app, sharing the app's view helpers.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import AccessBasis, Role
from maatwerk.core.common.untrusted_input import load_json, whole_number
from maatwerk.core.modules.model import Exercise, Module
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.selectors import PatientAccess, PatientNotAccessible, patient_access
from maatwerk.web.safety.selectors import risk_banner_of
from maatwerk.web.treatment import presenters, selectors, services
from maatwerk.web.treatment.models import ExerciseResponse, ModuleAssignment, RelativeAccess


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


def _patient_access(
    request: ActorRequest, patient_id: str, action: str, object_type: str
) -> PatientAccess:
    try:
        return patient_access(
            actor=request.actor, patient_id=patient_id, action=action, object_type=object_type
        )
    except PatientNotAccessible:
        raise Http404 from None


def _own_access(request: ActorRequest, action: str, object_type: str) -> PatientAccess:
    patient = request.actor.patient
    if patient is None:
        raise Http404
    return _patient_access(request, str(patient.public_id), action, object_type)


def _module_access(
    request: ActorRequest, assignment_id: str, action: str
) -> selectors.ModuleAccess:
    try:
        return selectors.module_access(
            actor=request.actor, assignment_id=assignment_id, action=action
        )
    except PatientNotAccessible:
        raise Http404 from None


def _is_patient(access: PatientAccess) -> bool:
    return access.basis is AccessBasis.OWN_RECORD


def _module_card(assignment: ModuleAssignment, module: Module, language: str) -> dict[str, Any]:
    return {
        "assignment": assignment,
        "name": presenters.text(module.name, language),
        "summary": presenters.text(module.summary, language),
    }


# ------------------------------------------------------------------ the patient's modules


@role_required(Role.PATIENT)
@require_http_methods(["GET"])
def my_modules(request: ActorRequest) -> HttpResponse:
    access = _own_access(request, "read", selectors.OBJECT_MODULE)
    assignments = services.modules_overview_read(actor=request.actor, access=access)
    language = services.language()
    return render(
        request,
        "treatment/my_modules.html",
        {
            "cards": [_module_card(a, services.module_of(a), language) for a in assignments],
            "unread_feedback": selectors.unread_feedback_count(access.patient.pk),
            "unread_messages": selectors.unread_team_messages_count(access.patient.pk),
        },
    )


@login_required
@require_http_methods(["GET"])
def module(request: ActorRequest, module_assignment_id: str) -> HttpResponse:
    opened = _module_access(request, module_assignment_id, "read")
    responses = services.module_read(actor=request.actor, opened=opened)
    language = services.language()
    definition = services.module_of(opened.assignment)
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
                    "response": responses.get(exercise.id),
                    "new_feedback": any(
                        f.read_by_patient_at is None
                        for f in (
                            responses[exercise.id].feedback.all()
                            if exercise.id in responses
                            else []
                        )
                    ),
                }
                for exercise in step.exercises
            ],
        }
        for step in definition.steps
    ]
    quota = services.activity_quota(opened.assignment, today=timezone.localdate())
    return render(
        request,
        "treatment/module.html",
        {
            "assignment": opened.assignment,
            "patient": opened.access.patient,
            "name": presenters.text(definition.name, language),
            "summary": presenters.text(definition.summary, language),
            "steps": steps,
            "is_patient": _is_patient(opened.access),
            "quota": quota,
            "has_graded_activity": services.has_graded_activity(definition),
            "language": language,
        },
    )


def _exercise_context(
    request: ActorRequest,
    opened: selectors.ModuleAccess,
    exercise: Exercise,
    response: ExerciseResponse | None,
    *,
    answers: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    language = services.language()
    definition = services.module_of(opened.assignment)
    step, _exercise = services.exercise_in(definition, exercise.id)
    shown = answers if answers is not None else (response.answers if response else {})
    quota = None
    if exercise.kind == "activity_log":
        quota = services.activity_quota(opened.assignment, today=timezone.localdate())
    submitted = response is not None and response.status == ExerciseResponse.Status.SUBMITTED
    return {
        "assignment": opened.assignment,
        "module_name": presenters.text(definition.name, language),
        "step_title": presenters.text(step.title, language),
        "exercise": exercise,
        "title": presenters.text(exercise.title, language),
        "instructions": presenters.text(exercise.instructions, language),
        "fields": presenters.exercise_views(exercise, shown, language=language, errors=errors),
        "errors": errors,
        "general_errors": (errors or {}).get("", []),
        "response": response,
        "submitted": submitted,
        "editable": _is_patient(opened.access)
        and not submitted
        and not opened.assignment.is_stopped,
        "is_patient": _is_patient(opened.access),
        "feedback": list(response.feedback.select_related("author")) if response else [],
        "quota": quota,
        "row_placeholder": presenters.ROW_PLACEHOLDER,
        "readable": presenters.readable_answers(exercise, shown, language),
    }


def _exercise_title(definition: Module, exercise_id: str, language: str) -> str:
    try:
        return presenters.text(definition.exercise(exercise_id).title, language)
    except KeyError:
        return exercise_id


def _exercise(opened: selectors.ModuleAccess, exercise_id: str) -> Exercise:
    try:
        return services.exercise_in(services.module_of(opened.assignment), exercise_id)[1]
    except ValidationError:
        raise Http404 from None


@login_required
@require_http_methods(["GET"])
def exercise(request: ActorRequest, module_assignment_id: str, exercise_id: str) -> HttpResponse:
    opened = _module_access(request, module_assignment_id, "read")
    definition = _exercise(opened, exercise_id)
    response = services.exercise_read(actor=request.actor, opened=opened, exercise_id=definition.id)
    return render(
        request,
        "treatment/exercise.html",
        _exercise_context(request, opened, definition, response),
    )


@role_required(Role.PATIENT)
@require_POST
def exercise_save(
    request: ActorRequest, module_assignment_id: str, exercise_id: str
) -> HttpResponse:
    """Autosave one field (the page's script calls this as the patient types)."""
    opened = _module_access(request, module_assignment_id, "update")
    definition = _exercise(opened, exercise_id)
    try:
        value = load_json(request.POST.get("value", "null"))
    except json.JSONDecodeError:
        return JsonResponse(
            {"saved": False, "errors": {"": [_("This answer is invalid.")]}}, status=400
        )
    stamp_text = request.POST.get("stamp", "")
    stamp = whole_number(stamp_text)
    try:
        saved = services.exercise_field_save(
            actor=request.actor,
            opened=opened,
            exercise_id=definition.id,
            field_id=request.POST.get("field", "")[:60],
            value=value,
            client_stamp=stamp,
        )
    except (ValidationError, PermissionDenied) as error:
        errors = _errors(error) if isinstance(error, ValidationError) else {"": [str(error)]}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    return JsonResponse(
        {"saved": True, "field": saved.field_id, "version": saved.version, "stale": saved.stale}
    )


@role_required(Role.PATIENT)
@require_POST
def exercise_submit(
    request: ActorRequest, module_assignment_id: str, exercise_id: str
) -> HttpResponse:
    """Hand in (or, without JavaScript, save / add a row / remove a row). Every action
    first keeps what is in the form."""
    opened = _module_access(request, module_assignment_id, "update")
    definition = _exercise(opened, exercise_id)
    here = reverse("treatment:exercise", args=[opened.assignment.public_id, definition.id])
    action = request.POST.get("action", "hand_in")
    if action == "reopen":
        try:
            services.exercise_reopen(actor=request.actor, opened=opened, exercise_id=definition.id)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(here)
    posted = presenters.answers_from_post(definition, request.POST)
    response = opened.assignment.responses.filter(exercise_id=definition.id).first()
    if action.startswith(("add_row:", "remove_row:")):
        posted = _change_rows(definition, posted, action)
        try:
            services.exercise_field_save_all(
                actor=request.actor, opened=opened, exercise_id=definition.id, answers=posted
            )
        except ValidationError as error:
            context = _exercise_context(
                request, opened, definition, response, answers=posted, errors=_errors(error)
            )
            return render(request, "treatment/exercise.html", context, status=400)
        response = opened.assignment.responses.filter(exercise_id=definition.id).first()
        context = _exercise_context(request, opened, definition, response, answers=posted)
        return render(request, "treatment/exercise.html", context)
    try:
        handed = services.exercise_hand_in(
            actor=request.actor,
            opened=opened,
            exercise_id=definition.id,
            posted=posted,
            login_url=_login_url(request),
        )
    except ValidationError as error:
        context = _exercise_context(
            request, opened, definition, response, answers=posted, errors=_errors(error)
        )
        return render(request, "treatment/exercise.html", context, status=400)
    if not handed.handed_in:
        context = _exercise_context(
            request, opened, definition, handed.response, errors=handed.problems
        )
        return render(request, "treatment/exercise.html", context, status=400)
    messages.success(
        request,
        _("Thank you. Your therapist will read it and give feedback.")
        if opened.assignment.guided
        else _("Thank you. Your work is saved."),
    )
    return redirect(here)


def _change_rows(definition: Exercise, answers: dict[str, Any], action: str) -> dict[str, Any]:
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
    opened = _module_access(request, module_assignment_id, "update")
    try:
        services.activity_target_set(
            actor=request.actor, opened=opened, minutes=request.POST.get("target", "")
        )
    except ValidationError as error:
        for problems in _errors(error).values():
            for problem in problems:
                messages.error(request, problem)
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("The target is saved."))
    return redirect("treatment:patient_modules", patient_id=opened.access.patient.public_id)


# ------------------------------------------------------------------ messages


def _login_url(request: ActorRequest) -> str:
    """The link in a "something waits for you" e-mail."""
    return request.build_absolute_uri(reverse("account_login"))


def _thread_page(
    request: ActorRequest, access: PatientAccess, template: str, post_url: str
) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    draft = ""
    if request.method == "POST":
        draft = request.POST.get("text", "")[: services.MESSAGE_MAX_LENGTH + 100]
        try:
            services.message_send(
                actor=request.actor, access=access, text=draft, login_url=_login_url(request)
            )
        except ValidationError as error:
            errors = _errors(error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Your message has been sent."))
            return redirect(post_url)
    thread = (
        list(selectors.thread_for(access))
        if errors
        else services.thread_read(actor=request.actor, access=access)
    )
    return render(
        request,
        template,
        {
            "patient": access.patient,
            "thread": thread,
            "errors": errors,
            "draft": draft,
            "post_url": post_url,
            "is_patient": _is_patient(access),
            "max_length": services.MESSAGE_MAX_LENGTH,
        },
        status=400 if errors else 200,
    )


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def my_messages(request: ActorRequest) -> HttpResponse:
    access = _own_access(
        request, "create" if request.method == "POST" else "read", selectors.OBJECT_MESSAGES
    )
    return _thread_page(request, access, "treatment/messages.html", reverse("treatment:messages"))


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_messages(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _patient_access(
        request,
        patient_id,
        "create" if request.method == "POST" else "read",
        selectors.OBJECT_MESSAGES,
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
        homework.append(
            {
                "response": response,
                "module": presenters.text(definition.name, language),
                "exercise": _exercise_title(definition, response.exercise_id, language),
                "text": presenters.answers_text(response.answers),
            }
        )
    return render(
        request, "treatment/inbox.html", {"homework": homework, "messages_waiting": found.messages}
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def review(request: ActorRequest, response_id: str) -> HttpResponse:
    try:
        opened = selectors.response_access(
            actor=request.actor,
            response_id=response_id,
            action="create" if request.method == "POST" else "read",
        )
    except PatientNotAccessible:
        raise Http404 from None
    errors: dict[str, list[str]] = {}
    draft = ""
    if request.method == "POST":
        draft = request.POST.get("text", "")[: services.FEEDBACK_MAX_LENGTH + 100]
        try:
            services.feedback_give(
                actor=request.actor, opened=opened, text=draft, login_url=_login_url(request)
            )
        except ValidationError as error:
            errors = _errors(error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Your feedback has been sent to the patient."))
            return redirect("treatment:inbox")
    else:
        try:
            services.review_read(actor=request.actor, opened=opened)
        except PermissionDenied:
            raise Http404 from None
    response = opened.response
    language = services.language()
    definition = services.module_of(response.assignment)
    try:
        exercise_definition = definition.exercise(response.exercise_id)
    except KeyError:
        raise Http404 from None
    return render(
        request,
        "treatment/review.html",
        {
            "response": response,
            "patient": opened.access.patient,
            "risk": risk_banner_of(opened.access.patient),
            "module_name": presenters.text(definition.name, language),
            "title": presenters.text(exercise_definition.title, language),
            "is_g_schema": exercise_definition.kind == "g_schema",
            "readable": presenters.readable_answers(
                exercise_definition, response.answers, language
            ),
            "feedback": list(response.feedback.select_related("author")),
            "errors": errors,
            "draft": draft,
            "max_length": services.FEEDBACK_MAX_LENGTH,
        },
        status=400 if errors else 200,
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_modules(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's modules on the clinician's side, and assigning more by hand."""
    language = services.language()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        access = _patient_access(request, patient_id, "create", selectors.OBJECT_MODULE)
        try:
            services.modules_assign(
                actor=request.actor, access=access, module_ids=request.POST.getlist("modules")
            )
        except ValidationError as error:
            errors = _errors(error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("The modules are assigned."))
            return redirect("treatment:patient_modules", patient_id=access.patient.public_id)
        assignments = list(selectors.assignments_for(access))
    else:
        access = _patient_access(request, patient_id, "read", selectors.OBJECT_MODULE)
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
    open_ids = {a.module_id for a in assignments if a.is_open}
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
                    "assigned": m.id in open_ids,
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
    errors: dict[str, list[str]] = {}
    invited = None
    form = {"email": "", "full_name": "", "relation": "", "consent": False}
    if request.method == "POST":
        access = _patient_access(request, patient_id, "create", selectors.OBJECT_RELATIVE)
        form = {
            "email": request.POST.get("email", "")[:300],
            "full_name": request.POST.get("full_name", "")[:300],
            "relation": request.POST.get("relation", ""),
            "consent": request.POST.get("consent") == "yes",
        }
        try:
            invited = services.relative_invite(
                actor=request.actor,
                access=access,
                email=str(form["email"]),
                full_name=str(form["full_name"]),
                relation=str(form["relation"]),
                consent=bool(form["consent"]),
            )
        except ValidationError as error:
            errors = _errors(error)
        except PermissionDenied:
            raise Http404 from None
        found = list(selectors.relatives_of(access))
    else:
        access = _patient_access(request, patient_id, "read", selectors.OBJECT_RELATIVE)
        found = services.relatives_read(actor=request.actor, access=access)
    return render(
        request,
        "treatment/relatives.html",
        {
            "patient": access.patient,
            "relatives": found,
            "is_patient": _is_patient(access),
            "errors": errors,
            "form": form,
            "relations": RelativeAccess.Relation.choices,
            "invited": invited,
            "invitation_url": request.build_absolute_uri(invited.invitation.path)
            if invited is not None and invited.invitation is not None
            else "",
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def relative_revoke(request: ActorRequest, relative_id: str) -> HttpResponse:
    if not (request.actor.has_role(Role.PATIENT) or request.actor.has_role(Role.CLINICIAN)):
        raise Http404
    try:
        relative, access = selectors.relative_for_change(
            actor=request.actor, relative_id=relative_id
        )
        services.relative_revoke(actor=request.actor, relative=relative, access=access)
    except (PatientNotAccessible, PermissionDenied):
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Access has been ended."))
    return redirect("treatment:relatives", patient_id=relative.patient.public_id)


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
    try:
        relative = selectors.relative_open(actor=request.actor, relative_id=relative_id)
    except PatientNotAccessible:
        raise Http404 from None
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
        },
    )
