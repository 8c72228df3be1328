"""The clinician's screens for patients: caseload, dossier, registration, details, a new
invitation, and the emergency access ("noodknop").

Each view binds its form, opens the patient with the scoped opener, calls one service
(which writes the one audit event) and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, show_refusal
from maatwerk.web.clinic.forms import (
    CaseloadSearchForm,
    EmergencyAccessForm,
    EmergencySearchForm,
    PatientDetailsForm,
    PatientRegistrationForm,
)
from maatwerk.web.clinic.questionnaire_views import AssignForm
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients import reading, services
from maatwerk.web.patients.opening import Audience, open_for_emergency, open_patient


@role_required(Role.CLINICIAN)
def caseload(request: ActorRequest) -> HttpResponse:
    form = CaseloadSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = reading.caseload_search(actor=request.actor, query=query)
    template = "clinic/_caseload_rows.html" if request.htmx else "clinic/caseload.html"
    return render(
        request,
        template,
        {"form": form, "patients": found.patients, "query": query, "risks": found.risks},
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_register(request: ActorRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "clinic/patient_register.html", {"form": PatientRegistrationForm()})
    form = PatientRegistrationForm(request.POST)
    try:
        registered = services.patient_register(actor=request.actor, form=form)
    except InputRefused as refusal:
        show_refusal(form, refusal)
        return render(request, "clinic/patient_register.html", {"form": form}, status=400)
    return render(
        request,
        "clinic/invitation_issued.html",
        {
            "patient": registered.patient,
            "invitation_url": request.build_absolute_uri(registered.invitation.path),
            "expires_at": registered.invitation.invitation.expires_at,
        },
    )


@role_required(Role.CLINICIAN)
def patient_detail(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = open_patient(
        actor=request.actor, patient_id=patient_id, action="read", audience=Audience.CARE_TEAM
    )
    page = reading.patient_page_read(actor=request.actor, access=access)
    return render(
        request,
        "clinic/patient_detail.html",
        {
            "access": access,
            "patient": access.patient,
            "risk": page.risk,
            "episodes": page.episodes,
            "has_password": page.has_password,
            "assignments": page.assignments,
            "assign_form": AssignForm(organization_id=access.patient.organization_id),
        },
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_edit(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Correct a patient's details. Opening the form is a read of the record; saving is
    audited by the service as one change (or one refusal, or one denial under emergency
    access)."""
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="update" if request.method == "POST" else "read",
        audience=Audience.CARE_TEAM,
    )
    if request.method == "POST":
        form = PatientDetailsForm(request.POST)
        try:
            services.patient_details_update(actor=request.actor, access=access, form=form)
        except PermissionDenied as denied:
            messages.error(request, str(denied))
            return redirect("clinic:patient_detail", patient_id=patient_id)
        except InputRefused as refusal:
            show_refusal(form, refusal)
            return render(
                request,
                "clinic/patient_edit.html",
                {"form": form, "patient": access.patient},
                status=400,
            )
        messages.success(request, _("The details are saved."))
        return redirect("clinic:patient_detail", patient_id=patient_id)
    if access.emergency:
        reading.patient_page_read(actor=request.actor, access=access, detail="details form")
        messages.error(
            request,
            _("Only the patient's care team can change these details, not emergency access."),
        )
        return redirect("clinic:patient_detail", patient_id=patient_id)
    reading.patient_page_read(actor=request.actor, access=access, detail="details form")
    form = PatientDetailsForm(initial=reading.details_initial(access.patient))
    return render(request, "clinic/patient_edit.html", {"form": form, "patient": access.patient})


@role_required(Role.CLINICIAN)
@require_POST
def patient_invitation(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="create",
        audience=Audience.CARE_TEAM,
        object_type="invitation",
    )
    try:
        invitation = services.patient_invitation_reissue(actor=request.actor, access=access)
    except InputRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("clinic:patient_detail", patient_id=patient_id)
    return render(
        request,
        "clinic/invitation_issued.html",
        {
            "patient": access.patient,
            "invitation_url": request.build_absolute_uri(invitation.path),
            "expires_at": invitation.invitation.expires_at,
        },
    )


@role_required(Role.CLINICIAN)
def emergency_search(request: ActorRequest) -> HttpResponse:
    form = EmergencySearchForm(request.GET or None)
    try:
        results = reading.emergency_search(actor=request.actor, form=form)
    except InputRefused:
        return render(
            request, "clinic/emergency_search.html", {"form": form, "results": None}, status=400
        )
    except reading.SearchesThrottled as throttled:
        form.add_error(None, str(throttled))
        return render(
            request, "clinic/emergency_search.html", {"form": form, "results": None}, status=429
        )
    return render(
        request,
        "clinic/emergency_search.html",
        {"form": form, "results": results if form.is_bound else None},
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def emergency_access(request: ActorRequest, patient_id: str) -> HttpResponse:
    actor = request.actor
    if request.method == "POST":
        patient = open_for_emergency(actor=actor, patient_id=patient_id, action="emergency_access")
        form = EmergencyAccessForm(request.POST)
        try:
            services.emergency_access_grant(actor=actor, patient=patient, form=form)
        except InputRefused as refusal:
            show_refusal(form, refusal)
            return render(
                request,
                "clinic/emergency_access.html",
                {"form": form, "patient": patient},
                status=400,
            )
        messages.warning(
            request, _("Emergency access granted. Your access is logged and will be reviewed.")
        )
        return redirect("clinic:patient_detail", patient_id=patient_id)
    patient = open_for_emergency(actor=actor, patient_id=patient_id, action="read")
    reading.emergency_form_read(actor=actor, patient=patient)
    return render(
        request, "clinic/emergency_access.html", {"form": EmergencyAccessForm(), "patient": patient}
    )
