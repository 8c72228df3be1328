"""The plan: thin views over selectors and services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.core.instruments.personalized import GAS_MAX_GOALS
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE
from maatwerk.web.patients.selectors import (
    PatientAccess,
    PatientNotAccessible,
    patient_access,
    patient_open,
)
from maatwerk.web.personalized.services import GoalInput
from maatwerk.web.planning import presenters, services
from maatwerk.web.planning.selectors import OBJECT_PLAN

LEVEL_KEYS = ("-2", "-1", "1", "2")


def _language() -> services.Language:
    return "en" if get_language() == "en" else "nl"


def _access(request: ActorRequest, patient_id: str, action: str) -> PatientAccess:
    try:
        return patient_access(
            actor=request.actor, patient_id=patient_id, action=action, object_type=OBJECT_PLAN
        )
    except PatientNotAccessible:
        raise Http404 from None


def _open(request: ActorRequest, patient_id: str, detail: str) -> PatientAccess:
    try:
        return patient_open(
            actor=request.actor, patient_id=patient_id, object_type=OBJECT_PLAN, detail=detail
        )
    except PatientNotAccessible:
        raise Http404 from None


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _page(
    request: ActorRequest,
    access: PatientAccess,
    *,
    errors: dict[str, list[str]] | None = None,
    form: str = "",
    posted: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = presenters.plan_page(access, _language(), posted=posted, errors=errors)
    target = f"{(posted or {}).get('action', '')}-{(posted or {}).get('module', '')}"
    context.update(
        {"errors": errors or {}, "form": form, "error_target": target if form == "decide" else ""}
    )
    return render(request, "planning/plan.html", context, status=status)


# ------------------------------------------------------------------ the clinician's page


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def plan(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's plan: recommendation, decisions, goals, parts, duration."""
    access = _open(request, patient_id, "plan")
    return _page(request, access)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def prepare(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "update")
    post = request.POST
    excluded_ids = [m[:80] for m in post.getlist("exclude")]
    prefs = services.PreferencesInput(
        modality=post.get("modality", "no_preference")[:30],
        excluded={m: post.get(f"exclude-{m}-words", "")[:1000] for m in excluded_ids},
        max_at_once=post.get("max_at_once", "")[:10],
        flags=[flag[:80] for flag in post.getlist("flag")],
    )
    try:
        services.plan_prepare(actor=request.actor, access=access, prefs=prefs)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        posted = {
            "modality": prefs.modality,
            "excluded": dict(prefs.excluded),
            "max_at_once": prefs.max_at_once,
            "flags": list(prefs.flags),
        }
        return _page(
            request, access, errors=_errors(error), form="prepare", posted=posted, status=400
        )
    messages.success(request, _("The recommendation is ready. Check it and decide."))
    return redirect("planning:plan", patient_id=access.patient.public_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def decide(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "update")
    module_id = request.POST.get("module", "")[:80]
    action = request.POST.get("action", "")[:10]
    reason = request.POST.get("reason", "")[:4000]
    try:
        services.plan_decide(
            actor=request.actor, access=access, module_id=module_id, action=action, reason=reason
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        posted = {"module": module_id, "action": action, "reason": reason}
        return _page(
            request, access, errors=_errors(error), form="decide", posted=posted, status=400
        )
    messages.success(request, _("Your decision is saved."))
    return redirect("planning:plan", patient_id=access.patient.public_id)


def _posted_goals(post: Any) -> list[GoalInput]:
    return [
        GoalInput(
            name=post.get(f"goal-{n}-name", "")[:1000],
            weight=post.get(f"goal-{n}-weight", "")[:20],
            expected_outcome=post.get(f"goal-{n}-expected", "")[:2000],
            levels={key: post.get(f"goal-{n}-level{key}", "")[:2000] for key in LEVEL_KEYS},
            baseline=post.get(f"goal-{n}-baseline", "-1")[:5],
        )
        for n in range(GAS_MAX_GOALS)
    ]


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def goals(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "update")
    entered = _posted_goals(request.POST)
    try:
        services.plan_goals_set(actor=request.actor, access=access, goals=entered)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _page(
            request,
            access,
            errors=_errors(error),
            form="goals",
            posted={"goals": entered},
            status=400,
        )
    messages.success(request, _("The goals are saved."))
    return redirect("planning:plan", patient_id=access.patient.public_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def activate(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "update")
    try:
        services.plan_activate(actor=request.actor, access=access)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _page(request, access, errors=_errors(error), form="activate", status=400)
    messages.success(request, _("The plan is active. The patient can start the modules."))
    return redirect("planning:plan", patient_id=access.patient.public_id)


def _change(
    request: ActorRequest,
    patient_id: str,
    run: Any,
    *,
    form: str,
    posted: dict[str, Any],
    done: str,
) -> HttpResponse:
    """Run one service on the plan; a refusal shows the page with the errors."""
    access = _access(request, patient_id, "update")
    try:
        run(access)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        return _page(request, access, errors=_errors(error), form=form, posted=posted, status=400)
    messages.success(request, done)
    return redirect("planning:plan", patient_id=access.patient.public_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def revise(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Start a revision of the active plan (after an evaluation, stagnation, new wishes)."""
    reason = request.POST.get("revision_reason", "")[:4000]
    return _change(
        request,
        patient_id,
        lambda access: services.plan_revise(actor=request.actor, access=access, reason=reason),
        form="revise",
        posted={"revision_reason": reason},
        done=_("The revision is ready. The active plan stays active until you activate it."),
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def discard_revision(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Throw away the revision in preparation; the active plan stays as it is."""
    reason = request.POST.get("discard_reason", "")[:4000]
    return _change(
        request,
        patient_id,
        lambda access: services.plan_discard_revision(
            actor=request.actor, access=access, reason=reason
        ),
        form="discard",
        posted={"discard_reason": reason},
        done=_("The revision is discarded. The active plan stays as it was."),
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def step_up(request: ActorRequest, patient_id: str) -> HttpResponse:
    to_level = request.POST.get("to_level", "")[:60]
    reason = request.POST.get("step_reason", "")[:4000]
    return _change(
        request,
        patient_id,
        lambda access: services.plan_step_up(
            actor=request.actor, access=access, to_level=to_level, reason=reason
        ),
        form="step_up",
        posted={"to_level": to_level, "step_reason": reason},
        done=_("The level of care is stepped up."),
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def complete(request: ActorRequest, patient_id: str) -> HttpResponse:
    """End of treatment: complete the active plan with a note."""
    note = request.POST.get("end_note", "")[:4000]
    return _change(
        request,
        patient_id,
        lambda access: services.plan_complete(actor=request.actor, access=access, note=note),
        form="complete",
        posted={"end_note": note},
        done=_("The plan is completed."),
    )


# ------------------------------------------------------------------ exports


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def fhir(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The plan as a FHIR Bundle (CarePlan + Goal), validated before it is served."""
    access = _access(request, patient_id, "export")
    try:
        body = services.plan_export_fhir(actor=request.actor, access=access, language=_language())
    except (PermissionDenied, ValidationError):
        raise Http404 from None
    response = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="careplan.json"'
    return response


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def pdf(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _access(request, patient_id, "print")
    context = presenters.plan_page(access, _language())
    context["generated_at"] = timezone.now()
    try:
        body = services.plan_export_pdf(actor=request.actor, access=access, context=context)
    except (PermissionDenied, ValidationError):
        raise Http404 from None
    response = HttpResponse(body, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="plan.pdf"'
    return response


# ------------------------------------------------------------------ the patient's page


@login_required
@require_http_methods(["GET"])
def mine(request: ActorRequest, patient_id: str) -> HttpResponse:
    """ "My plan": what the patient will work on, their goals, who helps, how long."""
    access = _open(request, patient_id, "my plan")
    context = presenters.patient_plan(access, _language())
    return render(request, "planning/mine.html", context)
