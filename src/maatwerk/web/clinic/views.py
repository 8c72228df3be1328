from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maatwerk.core.access import Role
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
from maatwerk.web.patients import selectors, services
from maatwerk.web.questionnaires import selectors as questionnaire_selectors
from maatwerk.web.safety import selectors as safety_selectors


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@role_required(Role.CLINICIAN)
def caseload(request: ActorRequest) -> HttpResponse:
    form = CaseloadSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    patients = list(selectors.caseload_search(actor=request.actor, query=query))
    risks = safety_selectors.patients_with_risk([patient.pk for patient in patients])
    template = "clinic/_caseload_rows.html" if request.htmx else "clinic/caseload.html"
    return render(
        request,
        template,
        {"form": form, "patients": patients, "query": query, "risks": risks},
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_register(request: ActorRequest) -> HttpResponse:
    form = PatientRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registered = services.patient_register(
                actor=request.actor,
                data=services.PatientRegistration(**form.cleaned_data),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return render(
                request,
                "clinic/invitation_issued.html",
                {
                    "patient": registered.patient,
                    "invitation_url": request.build_absolute_uri(registered.invitation.path),
                    "expires_at": registered.invitation.invitation.expires_at,
                },
            )
    return render(request, "clinic/patient_register.html", {"form": form})


@role_required(Role.CLINICIAN)
def patient_detail(request: ActorRequest, patient_id: str) -> HttpResponse:
    try:
        access = selectors.patient_open(actor=request.actor, patient_id=patient_id)
    except selectors.PatientNotAccessible:
        raise Http404 from None
    return render(
        request,
        "clinic/patient_detail.html",
        {
            "access": access,
            "patient": access.patient,
            "episodes": selectors.episodes_for(access),
            "has_password": access.patient.user is not None
            and access.patient.user.has_usable_password(),
            "assignments": questionnaire_selectors.assignments_for(access)[:20],
            "assign_form": AssignForm(organization_id=access.patient.organization_id),
        },
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def patient_edit(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Correct a patient's details. Opening the form is a read of the record; saving is
    audited by the service as one change (or one refusal)."""
    try:
        if request.method == "POST":
            access = selectors.patient_access(
                actor=request.actor, patient_id=patient_id, action="update"
            )
        else:
            access = selectors.patient_open(
                actor=request.actor, patient_id=patient_id, detail="details form"
            )
    except selectors.PatientNotAccessible:
        raise Http404 from None
    patient = access.patient
    if access.emergency:
        if request.method == "POST":
            services.audit_refused(
                actor=request.actor,
                access=access,
                action="update",
                object_type="patient",
                detail="details refused: emergency access",
            )
        messages.error(
            request,
            _("Only the patient's care team can change these details, not emergency access."),
        )
        return redirect("clinic:patient_detail", patient_id=patient_id)
    initial = {
        "full_name": patient.full_name,
        "birth_year": patient.birth_year,
        "sex": patient.sex,
        "language": patient.language,
        "presenting_complaint": patient.presenting_complaint,
        "postcode": patient.postcode_written,
        "phone_mobile": patient.mobile_number.written if patient.mobile_number else "",
        "phone_landline": patient.landline_number.written if patient.landline_number else "",
        "gp_name": patient.gp_name,
        "gp_practice": patient.gp_practice,
        "gp_phone": patient.gp_number.written if patient.gp_number else "",
        "interpreter_language": patient.interpreter_language,
    }
    form = PatientDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.patient_details_update(
                    actor=request.actor,
                    access=access,
                    data=services.PatientDetails(**form.cleaned_data),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The details are saved."))
                return redirect("clinic:patient_detail", patient_id=patient_id)
        else:
            services.audit_refused(
                actor=request.actor,
                access=access,
                action="update",
                object_type="patient",
                detail="details refused: " + ", ".join(sorted(form.errors)),
            )
    return render(request, "clinic/patient_edit.html", {"form": form, "patient": patient})


@role_required(Role.CLINICIAN)
@require_POST
def patient_invitation(request: ActorRequest, patient_id: str) -> HttpResponse:
    try:
        access = selectors.patient_access(
            actor=request.actor,
            patient_id=patient_id,
            action="create",
            object_type="invitation",
        )
        invitation = services.patient_invitation_reissue(actor=request.actor, access=access)
    except selectors.PatientNotAccessible:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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
    results = None
    if form.is_valid():
        results = selectors.emergency_search(
            actor=request.actor,
            full_name=form.cleaned_data["full_name"],
            birth_year=form.cleaned_data["birth_year"],
        )
    return render(request, "clinic/emergency_search.html", {"form": form, "results": results})


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def emergency_access(request: ActorRequest, patient_id: str) -> HttpResponse:
    actor = request.actor
    form = EmergencyAccessForm(request.POST or None)
    try:
        if request.method == "POST" and form.is_valid():
            try:
                services.emergency_access_grant(
                    actor=actor, patient_id=patient_id, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.warning(
                    request,
                    _("Emergency access granted. Your access is logged and will be reviewed."),
                )
                return redirect("clinic:patient_detail", patient_id=patient_id)
        patient = selectors.patient_for_emergency_access(actor=actor, patient_id=patient_id)
    except selectors.PatientNotAccessible:
        raise Http404 from None
    return render(request, "clinic/emergency_access.html", {"form": form, "patient": patient})
