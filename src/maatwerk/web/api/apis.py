"""JSON API (OpenAPI at /api/v1/docs). Session authentication with CSRF protection."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from maatwerk.core.access import Role
from maatwerk.web.api.schemas import (
    AccessLogEntryOut,
    CareEpisodeOut,
    ErrorOut,
    PatientOut,
    PatientSummaryOut,
)
from maatwerk.web.audit.audited import record_denial
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor, requires_second_factor
from maatwerk.web.common.http import ActorRequest
from maatwerk.web.patients import reading
from maatwerk.web.patients.opening import PatientNotAccessible, open_own_record, open_patient


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API description is for the people who build on it: signed-in staff
    (clinicians, admins, researchers, platform staff), not the anonymous internet."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        actor = getattr(request, "actor", None)
        if actor is None or not requires_second_factor(actor):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="Maatwerk API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    docs_decorator=staff_only,
)
api.add_router("/fhir", "maatwerk.web.api.fhir.router")


def _actor(request: ActorRequest) -> Actor:
    return request.actor


@api.get("/patients", response=list[PatientSummaryOut], url_name="patient_list")
def patient_list(request: ActorRequest, q: str = "") -> list[PatientSummaryOut]:
    actor = _actor(request)
    if not actor.has_role(Role.CLINICIAN):
        record_denial(actor=actor, action="search", subject=AuditSubject(object_type="caseload"))
        raise HttpError(404, "Not found")
    found = reading.caseload_search(actor=actor, query=str(q)[:100])
    return [
        PatientSummaryOut(id=p.public_id, full_name=p.full_name, birth_year=p.birth_year)
        for p in found.patients
    ]


@api.get(
    "/patients/{patient_id}",
    response={200: PatientOut, 404: ErrorOut},
    url_name="patient_detail",
)
def patient_detail(request: ActorRequest, patient_id: str) -> PatientOut | Status[ErrorOut]:
    try:
        access = open_patient(actor=_actor(request), patient_id=patient_id, action="read")
    except PatientNotAccessible:
        return Status(404, ErrorOut(detail="Not found"))
    page = reading.patient_page_read(actor=_actor(request), access=access)
    patient = access.patient
    return PatientOut(
        id=patient.public_id,
        full_name=patient.full_name,
        birth_year=patient.birth_year,
        sex=patient.sex,
        language=patient.language,
        presenting_complaint=patient.presenting_complaint,
        emergency_access=access.emergency,
        episodes=[
            CareEpisodeOut(
                id=e.public_id,
                team=e.team.name,
                condition=e.condition,
                status=e.status,
                start_date=e.start_date,
                end_date=e.end_date,
            )
            for e in page.episodes
        ],
    )


@api.get(
    "/me/access-log",
    response={200: list[AccessLogEntryOut], 404: ErrorOut},
    url_name="my_access_log",
)
def my_access_log(request: ActorRequest) -> list[AccessLogEntryOut] | Status[ErrorOut]:
    actor = _actor(request)
    if actor.patient is None:
        record_denial(actor=actor, action="read", subject=AuditSubject(object_type="access_log"))
        return Status(404, ErrorOut(detail="Not found"))
    access = open_own_record(actor=actor, action="read", object_type="access_log")
    return [
        AccessLogEntryOut(
            occurred_at=e.occurred_at,
            user=e.user_display,
            role=e.role,
            action=e.action,
            object_type=e.object_type,
            emergency=e.emergency,
        )
        for e in reading.access_log_read(actor=actor, access=access, limit=500)
    ]
