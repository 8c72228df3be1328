"""Clinician screens for questionnaires: assign, read results, act on safety alerts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import InputRefused, show_refusal
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import Audience, open_patient
from maatwerk.web.questionnaires import services
from maatwerk.web.questionnaires.forms import AssignForm, instrument_choices
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.results import deteriorations, scale_histories

__all__ = ["AssignForm", "alerts", "assignment_create", "instrument_choices", "patient_results"]


@role_required(Role.CLINICIAN)
@require_POST
def assignment_create(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="create",
        audience=Audience.CARE_TEAM,
        object_type="questionnaire",
    )
    form = AssignForm(request.POST, organization_id=access.patient.organization_id)
    form.is_valid()
    try:
        assignment = services.assignment_create(
            actor=request.actor,
            form=form,
            access=access,
            instrument_code=str(form.cleaned_data.get("instrument", "")),
            due_at=form.cleaned_data.get("due_at"),
            mode=str(form.cleaned_data.get("mode") or Assignment.Mode.SELF),
        )
    except InputRefused as refusal:
        show_refusal(form, refusal)
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("clinic:patient_detail", patient_id=access.patient.public_id)
    if assignment.mode == Assignment.Mode.TOGETHER:
        return redirect("questionnaires:fill", assignment_id=assignment.public_id)
    messages.success(request, _("The questionnaire is ready for the patient."))
    return redirect("clinic:patient_detail", patient_id=access.patient.public_id)


@role_required(Role.CLINICIAN)
def patient_results(request: ActorRequest, patient_id: str) -> HttpResponse:
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="read",
        audience=Audience.CARE_TEAM,
        object_type="questionnaire_results",
    )
    language = "en" if get_language() == "en" else "nl"
    found = services.results_read(actor=request.actor, access=access, language=language)
    return render(
        request,
        "clinic/patient_results.html",
        {
            "patient": access.patient,
            "access": access,
            "histories": scale_histories(
                found.rows, found.courses, open_safety_signals=found.open_safety_signals
            ),
            "deteriorations": deteriorations(found.rows),
            "alerts": found.alerts,
            **found.analysis,
        },
    )


@role_required(Role.CLINICIAN)
def alerts(request: ActorRequest) -> HttpResponse:
    return render(
        request, "clinic/alerts.html", {"alerts": services.alerts_read(actor=request.actor)}
    )
