"""Reading patient records: the caseload, the dossier, the emergency search
("noodknop"), the access log and the portal's home. Each read is one audited call."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.web.audit.audited import audited, valid_form
from maatwerk.web.audit.models import AuditEvent
from maatwerk.web.audit.selectors import audit_events_for_patient
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.models import (
    CareEpisode,
    Patient,
)
from maatwerk.web.patients.opening import PatientAccess, patient_subject
from maatwerk.web.patients.selectors import caseload_of, emergency_candidates, episodes_for
from maatwerk.web.questionnaires.models import Assignment
from maatwerk.web.questionnaires.selectors import assignments_for
from maatwerk.web.safety.presenters import RiskBanner
from maatwerk.web.safety.selectors import patients_with_risk, risk_banner_of

# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Caseload:
    patients: list[Patient]
    risks: dict[int, str]  # patient pk -> "open" or "recent" (risk banners)


def caseload_search(*, actor: Actor, query: str = "", limit: int = 50) -> Caseload:
    """The clinician's caseload (or the patient's own record), filtered by name.

    Audited as one search event that records how many patients were shown."""
    with audited(
        actor=actor, action="search", subject=AuditSubject(object_type="caseload")
    ) as note:
        patients = caseload_of(actor, query=query, limit=limit)
        note.detail = f"{len(patients)} shown" + (" (filtered)" if query.strip() else "")
        return Caseload(
            patients=patients, risks=patients_with_risk([patient.pk for patient in patients])
        )


@dataclass(frozen=True)
class PatientPage:
    access: PatientAccess
    episodes: list[CareEpisode]
    has_password: bool
    risk: RiskBanner
    assignments: list[Assignment]


def patient_page_read(*, actor: Actor, access: PatientAccess, detail: str = "") -> PatientPage:
    """One read of the patient's dossier (or of a form showing the record)."""
    with audited(
        actor=actor,
        action="read",
        subject=access.subject(),
        emergency=access.emergency,
        detail=detail,
    ):
        patient = access.patient
        return PatientPage(
            access=access,
            episodes=list(episodes_for(access)),
            has_password=patient.user is not None and patient.user.has_usable_password(),
            risk=risk_banner_of(patient),
            assignments=list(assignments_for(access)[:20]),
        )


class SearchesThrottled(PermissionDenied):
    """Too many emergency searches in the window: a 429 for the clinician."""


def emergency_search(*, actor: Actor, form: forms.Form) -> list[Patient]:
    """Find a patient outside one's caseload for the "noodknop": exact name and year only.

    Throttled per clinician (the shared security-state store, as login throttling), so
    the search cannot be used to list the organization's patients. Every search is audited;
    a patient found is named on the event (one event per patient found), so the patient
    sees in "who opened my file" that someone looked them up."""
    if not form.is_bound:
        return []
    if not form.is_valid():
        with audited(
            actor=actor, action="search", subject=AuditSubject(object_type="patient_identity")
        ):
            valid_form(form)
    data = form.cleaned_data
    if not emergency_search_allowed(actor):
        with audited(
            actor=actor,
            action="search",
            subject=AuditSubject(object_type="patient_identity"),
            detail="emergency search throttled",
        ):
            raise SearchesThrottled(_("Too many emergency searches. Try again later."))
    found = emergency_candidates(
        actor, full_name=str(data["full_name"]), birth_year=int(str(data["birth_year"]))
    )
    detail = f"emergency search, {len(found)} found"
    if not found:
        with audited(
            actor=actor,
            action="search",
            subject=AuditSubject(object_type="patient_identity"),
            detail=detail,
        ):
            return []
    with transaction.atomic():
        for patient in found:
            with audited(
                actor=actor,
                action="search",
                subject=patient_subject(patient, object_type="patient_identity"),
                detail=detail,
            ):
                pass
    return found


def emergency_search_allowed(actor: Actor) -> bool:
    """Count one emergency search of ``actor`` in the shared cache; False past the limit
    (``MAATWERK_EMERGENCY_SEARCH_LIMIT`` searches per ``..._WINDOW`` seconds)."""
    limit = settings.MAATWERK_EMERGENCY_SEARCH_LIMIT
    window = settings.MAATWERK_EMERGENCY_SEARCH_WINDOW
    who = str(actor.user.public_id) if actor.user is not None else "anonymous"
    key = f"maatwerk:emergency-search:{who}:{int(timezone.now().timestamp()) // window}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit


def emergency_form_read(*, actor: Actor, patient: Patient) -> None:
    """The "noodknop" form: the patient's name and year of birth, before any access."""
    with audited(
        actor=actor,
        action="read",
        subject=patient_subject(patient, object_type="patient_identity"),
    ):
        return


def details_initial(patient: Patient) -> dict[str, object]:
    """The details form filled with what is on record (phone numbers as written)."""
    return {
        "full_name": patient.full_name,
        "birth_year": patient.birth_year,
        "birth_date": patient.birth_date,
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


def access_log_read(
    *, actor: Actor, access: PatientAccess, limit: int | None = None
) -> list[AuditEvent] | QuerySet[AuditEvent]:
    """Who opened my file and when (Wabvpz art. 15e; NEN 7513 ch. 9): one read event."""
    with audited(actor=actor, action="read", subject=access.subject("access_log")):
        events = audit_events_for_patient(patient_ref=str(access.patient.public_id))
        return list(events[:limit]) if limit is not None else events
