"""View helpers shared by the screening views: language, names, opening."""

from __future__ import annotations

from django.utils.translation import get_language

from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients.opening import (
    Audience,
    PatientAccess,
    open_child,
    open_patient,
)
from maatwerk.web.screening import selectors, services
from maatwerk.web.screening.models import Screening
from maatwerk.web.screening.presenters import Namer
from maatwerk.web.screening.selectors import ScreeningAccess
from maatwerk.web.screening.sources import content_of, knowledge_of


def _language() -> str:
    return "en" if get_language() == "en" else "nl"


def _namer(patient_organization_id: int) -> Namer:
    return Namer(
        knowledge=knowledge_of(patient_organization_id),
        content=content_of(patient_organization_id),
        language=_language(),
        organization_id=patient_organization_id,
    )


def _screening(
    request: ActorRequest,
    screening_id: str,
    action: str,
    object_type: str,
    audience: Audience = Audience.CARE_TEAM,
) -> ScreeningAccess:
    """Open a screening through its patient's access (404 out of scope, 403 wrong role)."""
    return open_child(
        actor=request.actor,
        model=Screening,
        object_id=screening_id,
        action=action,
        object_type=object_type,
        audience=audience,
    )


def _read(
    request: ActorRequest,
    screening_id: str,
    object_type: str,
    detail: str = "",
    audience: Audience = Audience.CARE_TEAM,
) -> ScreeningAccess:
    """Open a screening for reading; the read is one audit event."""
    opened = _screening(request, screening_id, "read", object_type, audience)
    services.screening_read(
        actor=request.actor, opened=opened, object_type=object_type, detail=detail
    )
    return opened


def _open_patient(request: ActorRequest, patient_id: str, detail: str) -> PatientAccess:
    """Open the patient's record to read their screenings; the read is one audit event."""
    access = open_patient(
        actor=request.actor,
        patient_id=patient_id,
        action="read",
        audience=Audience.CARE_TEAM,
        object_type=selectors.OBJECT_SCREENING,
    )
    services.screenings_read(actor=request.actor, access=access, detail=detail)
    return access
