"""Clinician screens for questionnaires: assign, read results, act on safety alerts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maatwerk.core.access import Role
from maatwerk.web.analysis import presenters as analysis
from maatwerk.web.audit.services import AuditSubject, audit_record
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients import selectors as patient_selectors
from maatwerk.web.patients.selectors import PatientNotAccessible
from maatwerk.web.questionnaires import selectors, services
from maatwerk.web.questionnaires.instruments import instruments_for
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.results import deteriorations, result_rows, scale_histories


def instrument_choices(organization_id: int) -> list[tuple[str, str]]:
    """The questionnaires this organization can administer (texts shipped or imported)."""
    language = "en" if get_language() == "en" else "nl"
    return [
        (instrument.code, instrument.name.get(language, fallback=True) or instrument.code)
        for instrument, usable in instruments_for(organization_id)
        if usable
    ]


class AssignForm(forms.Form):
    instrument = forms.ChoiceField(label=gettext_lazy("Questionnaire"), choices=())
    due_at = forms.DateTimeField(
        label=gettext_lazy("Fill in before (optional)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    mode = forms.ChoiceField(label=gettext_lazy("Who fills it in"), choices=Assignment.Mode.choices)

    def __init__(self, *args: Any, organization_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = instrument_choices(organization_id)  # type: ignore[attr-defined]


@role_required(Role.CLINICIAN)
@require_POST
def assignment_create(request: ActorRequest, patient_id: str) -> HttpResponse:
    try:
        access = patient_selectors.patient_access(
            actor=request.actor, patient_id=patient_id, action="create", object_type="questionnaire"
        )
    except PatientNotAccessible:
        raise Http404 from None
    form = AssignForm(request.POST, organization_id=access.patient.organization_id)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("clinic:patient_detail", patient_id=patient_id)
    try:
        assignment = services.assignment_create(
            actor=request.actor,
            access=access,
            instrument_code=form.cleaned_data["instrument"],
            due_at=form.cleaned_data["due_at"],
            mode=form.cleaned_data["mode"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("clinic:patient_detail", patient_id=patient_id)
    if assignment.mode == Assignment.Mode.TOGETHER:
        return redirect("questionnaires:fill", assignment_id=assignment.public_id)
    messages.success(request, _("The questionnaire is ready for the patient."))
    return redirect("clinic:patient_detail", patient_id=patient_id)


@role_required(Role.CLINICIAN)
def patient_results(request: ActorRequest, patient_id: str) -> HttpResponse:
    try:
        access = patient_selectors.patient_open(
            actor=request.actor, patient_id=patient_id, object_type="questionnaire_results"
        )
    except PatientNotAccessible:
        raise Http404 from None
    language = "en" if get_language() == "en" else "nl"
    rows = result_rows(
        selectors.results_for(access),
        language=language,
        unknown_sex=analysis.unknown_sex_norm(access),
    )
    histories = scale_histories(rows)
    return render(
        request,
        "clinic/patient_results.html",
        {
            "patient": access.patient,
            "access": access,
            "histories": histories,
            "deteriorations": deteriorations(rows),
            "alerts": selectors.alerts_for(access),
            "assignments": selectors.assignments_for(access),
            **analysis.results_context(access, rows, language),
        },
    )


@role_required(Role.CLINICIAN)
def alerts(request: ActorRequest) -> HttpResponse:
    open_alerts = list(selectors.open_alerts_visible_to(request.actor))
    audit_record(
        actor=request.actor,
        action="search",
        subject=AuditSubject(object_type="safety_alert"),
        detail=f"{len(open_alerts)} open alert(s) shown",
    )
    return render(request, "clinic/alerts.html", {"alerts": open_alerts})
