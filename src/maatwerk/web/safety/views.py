"""Screens of the safety workflow: the team's open signals, one signal (evidence,
history, pick up, follow-up, close), raising a signal by hand, and the patient's
"I need help now"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients import selectors as patient_selectors
from maatwerk.web.patients.selectors import PatientNotAccessible
from maatwerk.web.safety import presenters, selectors, services
from maatwerk.web.safety.forms import FollowUpForm, RaiseForm


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def team(request: ActorRequest) -> HttpResponse:
    signals = services.team_signals_read(actor=request.actor)
    backups = selectors.team_backups_of(request.actor)
    return render(request, "safety/team.html", {"signals": signals, "backups": backups})


def _open(request: ActorRequest, alert_id: str, action: str) -> selectors.SignalAccess:
    try:
        return selectors.signal_access(actor=request.actor, alert_id=alert_id, action=action)
    except PatientNotAccessible:
        raise Http404 from None


def _render_signal(
    request: ActorRequest,
    opened: selectors.SignalAccess,
    form: FollowUpForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    alert = opened.alert
    follow_up = getattr(alert, "follow_up", None) if hasattr(alert, "follow_up") else None
    if form is None:
        form = FollowUpForm(
            initial=presenters.follow_up_initial(follow_up, request.actor),
        )
    return render(
        request,
        "safety/signal.html",
        {
            "alert": alert,
            "patient": alert.patient,
            "access": opened.access,
            "view": presenters.signal_view(alert),
            "events": list(alert.events.select_related("by")),
            "follow_up": presenters.follow_up_view(follow_up) if follow_up else None,
            "form": form,
        },
        status=status,
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def signal(request: ActorRequest, alert_id: str) -> HttpResponse:
    opened = _open(request, alert_id, "read")
    services.signal_read(actor=request.actor, opened=opened)
    return _render_signal(request, opened)


@role_required(Role.CLINICIAN)
@require_POST
def pick_up(request: ActorRequest, alert_id: str) -> HttpResponse:
    opened = _open(request, alert_id, "update")
    try:
        services.signal_pick_up(actor=request.actor, access=opened.access, alert=opened.alert)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You have picked up this signal. It will not escalate."))
    return redirect("safety:signal", alert_id=alert_id)


@role_required(Role.CLINICIAN)
@require_POST
def follow_up(request: ActorRequest, alert_id: str) -> HttpResponse:
    opened = _open(request, alert_id, "update")
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        services.follow_up_unreadable(actor=request.actor, opened=opened)
        return _render_signal(request, opened, form, status=400)
    close = bool(form.cleaned_data.get("close"))
    try:
        services.follow_up_record(
            actor=request.actor,
            access=opened.access,
            alert=opened.alert,
            record=form.record(),
            close=close,
        )
    except services.FollowUpRefused as refused:
        form.add_problems(refused.problems)
        return _render_signal(request, opened, form, status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("safety:signal", alert_id=alert_id)
    messages.success(
        request,
        _("The follow-up is recorded and the signal is closed.")
        if close
        else _("The follow-up is recorded."),
    )
    return redirect("safety:signal", alert_id=alert_id)


@role_required(Role.CLINICIAN)
@require_POST
def close(request: ActorRequest, alert_id: str) -> HttpResponse:
    opened = _open(request, alert_id, "update")
    try:
        services.signal_close(actor=request.actor, access=opened.access, alert=opened.alert)
    except services.FollowUpRefused as refused:
        messages.error(
            request,
            _("The signal cannot be closed yet: record a complete follow-up first."),
        )
        return _render_signal(request, opened, _refused_form(refused), status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The signal is closed."))
    return redirect("safety:signal", alert_id=alert_id)


def _refused_form(refused: services.FollowUpRefused) -> FollowUpForm:
    """An empty bound form carrying the closing rule's problems, one per field."""
    form = FollowUpForm({})
    form.is_valid()
    form.add_problems(refused.problems)
    return form


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def raise_signal(request: ActorRequest, patient_id: str) -> HttpResponse:
    action = "create" if request.method == "POST" else "read"
    try:
        access = patient_selectors.patient_access(
            actor=request.actor, patient_id=patient_id, action=action, object_type="safety_alert"
        )
    except PatientNotAccessible:
        raise Http404 from None
    if request.method == "POST":
        form = RaiseForm(request.POST)
        if form.is_valid():
            try:
                alert = services.signal_raise(
                    actor=request.actor,
                    access=access,
                    raised_from=form.cleaned_data["raised_from"],
                    quote=form.cleaned_data["quote"],
                    source_ref=form.cleaned_data["source_ref"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                messages.success(request, _("The safety signal is raised."))
                return redirect("safety:signal", alert_id=alert.public_id)
        services.raise_refused(actor=request.actor, access=access)
        return render(
            request,
            "safety/raise.html",
            {"form": form, "patient": access.patient},
            status=400,
        )
    services.raise_form_read(actor=request.actor, access=access)
    form = RaiseForm(
        initial={
            "raised_from": request.GET.get("from", "dossier"),
            "quote": request.GET.get("quote", "")[:4000],
            "source_ref": request.GET.get("ref", "")[:64],
        }
    )
    return render(request, "safety/raise.html", {"form": form, "patient": access.patient})


@role_required(Role.PATIENT)
@require_http_methods(["GET", "POST"])
def help_now(request: ActorRequest) -> HttpResponse:
    """Where to get help right now, and a button that tells the care team."""
    actor = request.actor
    if actor.patient is None:  # role_required(PATIENT) guarantees a patient record
        raise Http404
    patient_id = str(actor.patient.public_id)
    if request.method == "POST":
        access = patient_selectors.patient_access(
            actor=actor, patient_id=patient_id, action="create", object_type="safety_alert"
        )
        services.help_request(
            actor=actor, patient=access.patient, words=request.POST.get("words", "")
        )
        return redirect("safety:help_now")
    access = patient_selectors.patient_open(
        actor=actor, patient_id=patient_id, object_type="safety_alert"
    )
    signal = selectors.latest_open_help_signal(access.patient)
    return render(
        request,
        "safety/help_now.html",
        {
            "signal": signal,
            "deadline": presenters.patient_deadline(signal),
            "gp_number": access.patient.gp_number,
        },
    )
