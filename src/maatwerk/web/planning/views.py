"""The plan: thin views. Each binds its form, opens the patient's record through the
opener, calls one service and renders; a refusal shows the page again with the errors
on their fields (status 400)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, Refused, attempt
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.common.pdf import PDF_CONTENT_TYPE
from maatwerk.web.patients.opening import Audience, PatientAccess, open_patient
from maatwerk.web.personalized.forms import GoalsForm
from maatwerk.web.planning import forms, presenters, services
from maatwerk.web.planning.selectors import OBJECT_PLAN


def _language() -> services.Language:
    return "en" if get_language() == "en" else "nl"


def _open(
    request: ActorRequest, patient_id: str, action: str, audience: Audience = Audience.CARE_TEAM
) -> PatientAccess:
    return open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action=action,
        audience=audience,
        object_type=OBJECT_PLAN,
    )


def _page(
    request: ActorRequest,
    access: PatientAccess,
    *,
    refusal: Refused,
    form: str,
    typed: Mapping[str, str] | None = None,
    preferences: forms.PostedPreferences | None = None,
    goals: GoalsForm | None = None,
) -> HttpResponse:
    """The plan page again with the refusal's errors (status 400) and what was typed.
    Drawing the page reads no more than the data already opened; it is not a second
    audited read."""
    errors = refusal.errors
    typed = typed or {}
    context = presenters.plan_page(
        access, _language(), typed=typed, preferences=preferences, goals=goals, errors=errors
    )
    target = f"{typed.get('action', '')}-{typed.get('module', '')}"
    context.update(
        {"errors": errors, "form": form, "error_target": target if form == "decide" else ""}
    )
    return render(request, "planning/plan.html", context, status=refusal.status)


def _done(request: ActorRequest, access: PatientAccess, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("planning:plan", patient_id=access.patient.public_id)


# ------------------------------------------------------------------ the clinician's page


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def plan(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's plan: recommendation, decisions, goals, parts, duration."""
    access = _open(request, patient_id, "read")
    context = services.plan_read(actor=request.actor, access=access, language=_language())
    return render(request, "planning/plan.html", context)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def prepare(request: ActorRequest, patient_id: str) -> HttpResponse:
    form = forms.PrepareForm(request.POST)
    access = _open(request, patient_id, "update")
    done = attempt(
        form, lambda: services.plan_prepare(actor=request.actor, access=access, form=form)
    )
    if isinstance(done, Refused):
        return _page(request, access, refusal=done, form="prepare", preferences=form.posted())
    return _done(request, access, _("The recommendation is ready. Check it and decide."))


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def decide(request: ActorRequest, patient_id: str) -> HttpResponse:
    form = forms.DecideForm(request.POST)
    access = _open(request, patient_id, "update")
    done = attempt(
        form, lambda: services.plan_decide(actor=request.actor, access=access, form=form)
    )
    if isinstance(done, Refused):
        return _page(request, access, refusal=done, form="decide", typed=form.posted())
    return _done(request, access, _("Your decision is saved."))


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def goals(request: ActorRequest, patient_id: str) -> HttpResponse:
    form = GoalsForm(request.POST)
    access = _open(request, patient_id, "update")
    done = attempt(
        form, lambda: services.plan_goals_set(actor=request.actor, access=access, form=form)
    )
    if isinstance(done, Refused):
        return _page(request, access, refusal=done, form="goals", goals=form)
    return _done(request, access, _("The goals are saved."))


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def activate(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _open(request, patient_id, "update")
    try:
        services.plan_activate(actor=request.actor, access=access)
    except InputRefused as refusal:
        return _page(request, access, refusal=Refused(refusal.errors), form="activate")
    return _done(request, access, _("The plan is active. The patient can start the modules."))


def _change(
    request: ActorRequest,
    patient_id: str,
    form: forms.RevisionForm | forms.DiscardForm | forms.StepUpForm | forms.CompleteForm,
    run: Callable[..., object],
    *,
    name: str,
    done: str,
) -> HttpResponse:
    """Run one service on the plan with its form; a refusal shows the page with the
    errors."""
    access = _open(request, patient_id, "update")
    outcome = attempt(form, lambda: run(actor=request.actor, access=access, form=form))
    if isinstance(outcome, Refused):
        return _page(request, access, refusal=outcome, form=name, typed=forms.typed_back(form))
    return _done(request, access, done)


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def revise(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Start a revision of the active plan (after an evaluation, stagnation, new wishes)."""
    return _change(
        request,
        patient_id,
        forms.RevisionForm(request.POST),
        services.plan_revise,
        name="revise",
        done=_("The revision is ready. The active plan stays active until you activate it."),
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def discard_revision(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Throw away the revision in preparation; the active plan stays as it is."""
    return _change(
        request,
        patient_id,
        forms.DiscardForm(request.POST),
        services.plan_discard_revision,
        name="discard",
        done=_("The revision is discarded. The active plan stays as it was."),
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def step_up(request: ActorRequest, patient_id: str) -> HttpResponse:
    return _change(
        request,
        patient_id,
        forms.StepUpForm(request.POST),
        services.plan_step_up,
        name="step_up",
        done=_("The level of care is stepped up."),
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def complete(request: ActorRequest, patient_id: str) -> HttpResponse:
    """End of treatment: complete the active plan with a note."""
    return _change(
        request,
        patient_id,
        forms.CompleteForm(request.POST),
        services.plan_complete,
        name="complete",
        done=_("The plan is completed."),
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["POST"])
def regiebehandelaar(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Choose the regiebehandelaar (GGZ levels of care only; never automatic)."""
    form = forms.RegiebehandelaarForm(request.POST)
    access = _open(request, patient_id, "update")
    done = attempt(
        form,
        lambda: services.plan_regiebehandelaar_set(actor=request.actor, access=access, form=form),
    )
    if isinstance(done, Refused):
        typed = forms.typed_back(form)
        return _page(request, access, refusal=done, form="regiebehandelaar", typed=typed)
    return _done(request, access, _("The regiebehandelaar is saved."))


# ------------------------------------------------------------------ exports


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def fhir(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The plan as a FHIR Bundle (CarePlan + Goal), validated before it is served."""
    access = _open(request, patient_id, "export")
    try:
        body = services.plan_export_fhir(actor=request.actor, access=access, language=_language())
    except InputRefused:
        raise Http404 from None
    response = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="careplan.json"'
    return response


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def pdf(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = _open(request, patient_id, "print")
    try:
        body = services.plan_export_pdf(actor=request.actor, access=access, language=_language())
    except InputRefused:
        raise Http404 from None
    response = HttpResponse(body, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="plan.pdf"'
    return response


# ------------------------------------------------------------------ the patient's page


@login_required
@require_http_methods(["GET"])
def mine(request: ActorRequest, patient_id: str) -> HttpResponse:
    """ "My plan": what the patient will work on, their goals, who helps, how long."""
    access = _open(request, patient_id, "read", Audience.RECORD)
    context = services.my_plan_read(actor=request.actor, access=access, language=_language())
    return render(request, "planning/mine.html", context)
