from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from maatwerk.core.access import Role
from maatwerk.web.audit.selectors import audit_events_for_patient
from maatwerk.web.common.decorators import role_required
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients import selectors
from maatwerk.web.questionnaires import selectors as questionnaire_selectors
from maatwerk.web.treatment.services import overview as treatment_overview


def _own_record(request: ActorRequest, object_type: str) -> selectors.PatientAccess:
    actor = request.actor
    if actor.patient is None:  # role_required(PATIENT) guarantees a patient record
        raise Http404
    return selectors.patient_open(
        actor=actor, patient_id=str(actor.patient.public_id), object_type=object_type
    )


@role_required(Role.PATIENT)
def home(request: ActorRequest) -> HttpResponse:
    access = _own_record(request, "patient")
    return render(
        request,
        "portal/home.html",
        {
            "patient": access.patient,
            "episodes": selectors.episodes_for(access),
            "open_questionnaires": questionnaire_selectors.open_assignments_for(access),
            "treatment_card": treatment_overview.portal_card(access),
        },
    )


@role_required(Role.PATIENT)
def access_log(request: ActorRequest) -> HttpResponse:
    """Who opened my file and when (Wabvpz art. 15e; NEN 7513 ch. 9)."""
    access = _own_record(request, "access_log")
    events = audit_events_for_patient(patient_ref=str(access.patient.public_id))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "portal/access_log.html", {"page": page, "patient": access.patient})
