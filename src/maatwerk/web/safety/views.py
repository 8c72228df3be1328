"""Screens of the safety workflow: the team's open signals, one signal (evidence,
history, pick up, follow-up, close), raising a signal by hand, and the patient's
"I need help now".

Each view binds its form, opens the signal or patient with the scoped opener, calls one
service (which writes the one audit event) and renders."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, Refused, attempt, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import (
    Audience,
    Opened,
    open_child,
    open_own_record,
    open_patient,
)
from maatwerk.web.questionnaires.models import SafetyAlert
from maatwerk.web.safety import presenters, services
from maatwerk.web.safety.forms import FollowUpForm, HelpForm, RaiseForm, RaiseSuggestionForm


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def team(request: ActorRequest) -> HttpResponse:
    page = services.team_signals_read(actor=request.actor)
    return render(request, "safety/team.html", {"signals": page.signals, "backups": page.backups})


def _open(request: ActorRequest, alert_id: str, action: str) -> Opened[SafetyAlert]:
    return open_child(
        actor=request.actor,
        model=SafetyAlert,
        object_id=alert_id,
        action=action,
        object_type="safety_alert",
        audience=Audience.CARE_TEAM,
        related=("assignment",),
    )


def _render_signal(
    request: ActorRequest,
    page: services.SignalPage,
    form: FollowUpForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    alert = page.alert
    if form is None:
        form = FollowUpForm(initial=presenters.follow_up_initial(page.follow_up, request.actor))
    return render(
        request,
        "safety/signal.html",
        {
            "alert": alert,
            "patient": alert.patient,
            "access": page.access,
            "view": presenters.signal_view(alert),
            "events": page.events,
            "follow_up": presenters.follow_up_view(page.follow_up) if page.follow_up else None,
            "form": form,
        },
        status=status,
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def signal(request: ActorRequest, alert_id: str) -> HttpResponse:
    opened = _open(request, alert_id, "read")
    return _render_signal(request, services.signal_read(actor=request.actor, opened=opened))


@role_required(Role.CLINICIAN)
@require_POST
def pick_up(request: ActorRequest, alert_id: str) -> HttpResponse:
    opened = _open(request, alert_id, "update")
    try:
        services.signal_pick_up(actor=request.actor, opened=opened)
    except InputRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("You have picked up this signal. It will not escalate."))
    return redirect("safety:signal", alert_id=alert_id)


@role_required(Role.CLINICIAN)
@require_POST
def follow_up(request: ActorRequest, alert_id: str) -> HttpResponse:
    opened = _open(request, alert_id, "update")
    form = FollowUpForm(request.POST)
    done = attempt(
        form, lambda: services.follow_up_record(actor=request.actor, opened=opened, form=form)
    )
    if isinstance(done, Refused):
        return _render_signal(request, services.signal_page(opened), form, status=done.status)
    messages.success(
        request,
        _("The follow-up is recorded and the signal is closed.")
        if form.cleaned_data.get("close")
        else _("The follow-up is recorded."),
    )
    return redirect("safety:signal", alert_id=alert_id)


@role_required(Role.CLINICIAN)
@require_POST
def close(request: ActorRequest, alert_id: str) -> HttpResponse:
    opened = _open(request, alert_id, "update")
    try:
        services.signal_close(actor=request.actor, opened=opened)
    except services.FollowUpRefused as refused:
        messages.error(
            request,
            _("The signal cannot be closed yet: record a complete follow-up first."),
        )
        form = FollowUpForm({})
        form.is_valid()
        show_refusal(form, refused)
        return _render_signal(request, services.signal_page(opened), form, status=400)
    except InputRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The signal is closed."))
    return redirect("safety:signal", alert_id=alert_id)


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def raise_signal(request: ActorRequest, patient_id: str) -> HttpResponse:
    action = "create" if request.method == "POST" else "read"
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action=action,
        audience=Audience.CARE_TEAM,
        object_type="safety_alert",
    )
    if request.method == "POST":
        form = RaiseForm(request.POST)
        alert = attempt(
            form, lambda: services.signal_raise(actor=request.actor, access=access, form=form)
        )
        if isinstance(alert, Refused):
            context = {"form": form, "patient": access.patient}
            return render(request, "safety/raise.html", context, status=alert.status)
        messages.success(request, _("The safety signal is raised."))
        return redirect("safety:signal", alert_id=alert.public_id)
    services.raise_form_read(actor=request.actor, access=access)
    form = RaiseForm(initial=RaiseSuggestionForm(request.GET).suggested())
    return render(request, "safety/raise.html", {"form": form, "patient": access.patient})


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def help_now(request: ActorRequest) -> HttpResponse:
    """Where to get help right now, and a button that tells the care team."""
    actor = request.actor
    if request.method == "POST":
        access = open_own_record(actor=actor, action="create", object_type="safety_alert")
        form = HelpForm(request.POST)
        done = attempt(form, lambda: services.help_request(actor=actor, access=access, form=form))
        if isinstance(done, Refused):
            context = {"form": form, "signal": None}
            return render(request, "safety/help_now.html", context, status=done.status)
        return redirect("safety:help_now")
    access = open_own_record(actor=actor, action="read", object_type="safety_alert")
    page = services.help_page_read(actor=actor, access=access)
    return render(
        request,
        "safety/help_now.html",
        {
            "form": HelpForm(),
            "signal": page.signal,
            "deadline": presenters.patient_deadline(page.signal),
            "gp_number": page.gp_number,
        },
    )
