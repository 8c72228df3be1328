"""Where a patient's EMA series comes from: the one interface the network reads.

:func:`ema_series_of` returns the patient's EMA (diary) data as a core
:class:`~maatwerk.core.analysis.ema.EmaSeries`, or ``None`` without data. Today the only
source is the newest CSV file a clinician imported (:func:`imported_series`).

**Where the monitoring app plugs in.** The monitoring app (``web/monitoring``: prompts and
answers) adds one function ``monitoring_series(patient_id: int) -> EmaSeries | None`` that
turns the patient's answered prompts into a series (one row per prompt moment, the day
as ``day`` and the prompt's number within the day as ``beep``; a missed prompt is simply
absent, so no lag crosses it) and puts it first in :data:`SOURCES`. Nothing else changes:
the estimate is keyed by the series' hash, so new answers give a new network and
unchanged data reuse the stored one.
"""

from __future__ import annotations

from collections.abc import Callable

from maatwerk.core.analysis.ema import EmaSeries
from maatwerk.web.analysis.models import EmaImport

EmaSource = Callable[[int], EmaSeries | None]


def imported_series(patient_id: int) -> EmaSeries | None:
    """The series of the newest imported CSV file of this patient."""
    latest = EmaImport.objects.filter(patient_id=patient_id).order_by("-uploaded_at", "-pk").first()
    return None if latest is None else EmaSeries.from_dict(latest.series)


SOURCES: tuple[EmaSource, ...] = (imported_series,)
"""Tried in order; the first that has data for the patient wins."""


def ema_series_of(patient_id: int) -> EmaSeries | None:
    """The patient's EMA series (by the patient's database id), from the first source
    that has one."""
    for source in SOURCES:
        series = source(patient_id)
        if series is not None:
            return series
    return None
