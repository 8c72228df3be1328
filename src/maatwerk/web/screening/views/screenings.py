"""A patient's screenings, assigning a battery, and one screening's detail page."""

from __future__ import annotations

from typing import TypedDict

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maatwerk.core.access import Role
from maatwerk.web.audit.audited import Refused, attempt
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import (
    Audience,
    PatientAccess,
    open_patient,
)
from maatwerk.web.screening import selectors, services
from maatwerk.web.screening.forms import (
    AssignForm,
)
from maatwerk.web.screening.models import Screening, ScreeningStep
from maatwerk.web.screening.presenters import Namer, localized
from maatwerk.web.screening.sources import content_of
from maatwerk.web.screening.views.common import _language, _namer, _open_patient, _read


def _battery_rows(organization_id: int) -> list[dict[str, str]]:
    content = content_of(organization_id)
    language = _language()
    settings = {
        "general_practice": _("General practice"),
        "ggz_intake": _("GGZ intake"),
        "condition": _("For a condition"),
    }
    return [
        {
            "id": battery.id,
            "name": localized(battery.name, language),
            "description": localized(battery.description, language),
            "setting": str(settings.get(battery.setting, battery.setting)),
            "instruments": ", ".join(step.instrument.upper() for step in battery.steps),
        }
        for battery in content.batteries
    ]


def _battery_name(screening: Screening, namer: Namer) -> str:
    try:
        return localized(namer.content.battery(screening.battery_id).name, namer.language)
    except (KeyError, LookupError):
        return screening.battery_id


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def patient_screenings(request: ActorRequest, patient_id: str) -> HttpResponse:
    """The patient's screenings, newest first."""
    access = _open_patient(request, patient_id, "screenings")
    namer = _namer(access.patient.organization_id)
    rows = [
        {
            "screening": screening,
            "battery": _battery_name(screening, namer),
            "status": Screening.Status(
                selectors.current_status(screening, list(screening.steps.all()))
            ).label,
        }
        for screening in selectors.screenings_for(access)
    ]
    return render(
        request, "screening/patient_screenings.html", {"patient": access.patient, "rows": rows}
    )


def _render_assign(
    request: ActorRequest,
    access: PatientAccess,
    form: AssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "screening/assign.html",
        {
            "patient": access.patient,
            "batteries": _battery_rows(access.patient.organization_id),
            "errors": form.errors if form is not None else {},
            "chosen": str(form["battery"].value() or "") if form is not None else "",
        },
        status=status,
    )


@role_required(Role.CLINICIAN)
@require_http_methods(["GET", "POST"])
def assign(request: ActorRequest, patient_id: str) -> HttpResponse:
    """Choose a screening battery (with its setting and description) and assign it."""
    if request.method == "GET":
        return _render_assign(request, _open_patient(request, patient_id, "assign a screening"))
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="create",
        audience=Audience.CARE_TEAM,
        object_type=selectors.OBJECT_SCREENING,
    )
    form = AssignForm(request.POST, organization_id=access.patient.organization_id)
    screening = attempt(
        form, lambda: services.screening_assign(actor=request.actor, access=access, form=form)
    )
    if isinstance(screening, Refused):
        return _render_assign(request, access, form, status=screening.status)
    messages.success(request, _("The screening is assigned."))
    return redirect("screening:detail", screening_id=screening.public_id)


class StepRow(TypedDict):
    """A step of the battery as the detail and intake pages list it."""

    step: ScreeningStep
    instrument: str
    reason: str
    done: bool


def _step_rows(screening: Screening, namer: Namer, *, for_patient: bool = False) -> list[StepRow]:
    return [
        {
            "step": step,
            "instrument": namer.patient_instrument(step.instrument_code)
            if for_patient
            else namer.instrument(step.instrument_code),
            "reason": localized(step.reason, namer.language),
            "done": selectors.step_done(step),
        }
        for step in selectors.steps_of(screening)
    ]


@role_required(Role.CLINICIAN)
@require_http_methods(["GET"])
def detail(request: ActorRequest, screening_id: str) -> HttpResponse:
    """The steps of the battery with their status and reasons, the intake and SCEGS."""
    opened = _read(request, screening_id, selectors.OBJECT_SCREENING)
    screening = opened.object
    namer = _namer(opened.access.patient.organization_id)
    intake = selectors.intake_of(screening)
    return render(
        request,
        "screening/detail.html",
        {
            "patient": opened.access.patient,
            "screening": screening,
            "battery": _battery_name(screening, namer),
            "status": Screening.Status(selectors.current_status(screening)).label,
            "steps": _step_rows(screening, namer),
            "intake": intake,
            "complaints": [namer.complaint(c) for c in (intake.complaints if intake else [])],
            "assessment": selectors.assessment_of(screening),
            "snapshot": selectors.latest_snapshot(screening),
        },
    )
