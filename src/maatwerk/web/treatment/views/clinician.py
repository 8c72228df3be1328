"""The clinician's inbox, the review of a response and assigning modules."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.modules.model import Module
from maatwerk.web.audit.audited import InputRefused, Refused, attempt
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import (
    Audience,
    open_child,
    open_patient,
)
from maatwerk.web.safety.selectors import risk_banner_of
from maatwerk.web.treatment import forms, presenters, selectors, services
from maatwerk.web.treatment.models import ExerciseResponse
from maatwerk.web.treatment.selectors import OpenedResponse
from maatwerk.web.treatment.views.common import login_url, module_card


def _exercise_title(definition: Module, exercise_id: str, language: str) -> str:
    try:
        return presenters.text(definition.exercise(exercise_id).title, language)
    except KeyError:
        return exercise_id


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
    if request.method == "POST":
        form.is_valid()
        given = attempt(
            form,
            lambda: services.feedback_give(
                actor=request.actor,
                opened=opened,
                text=str(form.cleaned_data.get("text") or ""),
                login_url=login_url(request),
            ),
        )
        if not isinstance(given, Refused):
            messages.success(request, _("Your feedback has been sent to the patient."))
            return redirect("treatment:inbox")
        found = services.review_of(opened)
        status = given.status
    else:
        found = services.review_read(actor=request.actor, opened=opened)
        status = 200
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
            "errors": form.errors,
            # What was typed, as it was typed, when the feedback was refused.
            "draft": form["text"].value() or "",
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
                **module_card(assignment, definition, language),
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
