"""Reading EMA imports, networks, norm choices and the organization's history, always for
a patient the caller already opened (a ``PatientAccess``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from maatwerk.core.analysis.change import measurements_from_dates
from maatwerk.core.analysis.not_on_track import Episode
from maatwerk.core.instruments.reference import UnknownSexNorm
from maatwerk.web.analysis.models import ChangeNormChoice, EmaImport, NetworkEstimate
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.planning.models import Plan
from maatwerk.web.questionnaires.models import ScaleResult

OBJECT_NETWORK = "personal_network"
OBJECT_EMA = "ema_import"
OBJECT_NORM = "change_norm_choice"


def latest_import(access: PatientAccess) -> EmaImport | None:
    return (
        EmaImport.objects.filter(patient=access.patient)
        .select_related("uploaded_by")
        .order_by("-uploaded_at", "-pk")
        .first()
    )


def network_shared_with(access: PatientAccess) -> bool:
    """Has the clinician shared the network of the patient's newest diary data?"""
    imported = latest_import(access)
    return imported is not None and imported.shared_at is not None


def estimate_of(access: PatientAccess, input_hash: str) -> NetworkEstimate | None:
    return NetworkEstimate.objects.filter(patient=access.patient, input_hash=input_hash).first()


def norm_choice_of(access: PatientAccess) -> UnknownSexNorm | None:
    """The norm the clinician chose for a patient without a norm for their sex; ``None``
    when nobody chose (then the conservative rule applies)."""
    row = ChangeNormChoice.objects.filter(patient=access.patient).first()
    return None if row is None else UnknownSexNorm(row.choice)


def clinician_flags_of(access: PatientAccess) -> tuple[str, ...]:
    """The clinician flags of the patient's newest plan (e.g. trauma maintains the
    complaints), which unlock escalation options such as EMDR."""
    plan = (
        Plan.objects.filter(patient=access.patient)
        .exclude(status=Plan.Status.DISCARDED)
        .order_by("-created_at", "-pk")
        .first()
    )
    return () if plan is None else tuple(str(flag) for flag in plan.clinician_flags)


def organization_episodes(
    access: PatientAccess, instrument_code: str, scale_id: str
) -> list[Episode]:
    """Every other patient of the organization with scores on this scale, as one episode
    each (first score = intake): the history the expected-recovery curves are fitted on.
    Only numbers leave this function; no other patient is shown."""
    rows = (
        ScaleResult.objects.filter(
            assignment__patient__organization_id=access.patient.organization_id,
            assignment__instrument_code=instrument_code,
            assignment__completed_at__isnull=False,
            scale_id=scale_id,
            value__isnull=False,
        )
        .exclude(assignment__patient=access.patient)
        .values_list("assignment__patient_id", "assignment__completed_at", "value")
        .order_by("assignment__patient_id", "assignment__completed_at")
    )
    scores: dict[int, list[tuple[date, float]]] = defaultdict(list)
    for patient_id, completed_at, value in rows:
        if completed_at is not None and value is not None:  # filtered above
            scores[patient_id].append((completed_at.date(), float(value)))
    return [Episode(measurements_from_dates(dated)) for dated in scores.values()]
