"""Estimating a patient's personal network in the background.

Estimation takes seconds (2,500 penalty pairs and a bootstrap), too long for a request.
The task receives the patient's id, reads the patient's EMA series through
:func:`~maatwerk.web.analysis.ema_source.ema_series_of` and stores the result under the
series' hash. It is idempotent: a series already estimated (or failed) is not estimated
again, so a task delivered twice, or enqueued for unchanged data, does nothing.
"""

from __future__ import annotations

import numpy as np
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from maatwerk.core.analysis.ema import EmaSeries
from maatwerk.core.analysis.network import (
    bootstrap_edge_stability,
    estimate_network,
    lagged_series,
)
from maatwerk.core.analysis.network_problems import NetworkDataError
from maatwerk.web.analysis.ema_source import ema_series_of
from maatwerk.web.analysis.models import NetworkEstimate

BOOTSTRAP_RESAMPLES = 100
"""Resamples for edge stability: enough to tell a stable edge (present in most) from an
unstable one; more only costs time (an operational choice)."""
BOOTSTRAP_SEED = 15
"""Fixed, so the same data always give the same stability shares."""


def estimate(series: EmaSeries) -> dict[str, object]:
    """The network of ``series`` as stored: the CLI contract's fields plus the share of
    bootstrap resamples each edge appears in. Raises ``NetworkDataError``."""
    values = np.array(series.values, dtype=np.float64).reshape(
        len(series.values), len(series.variables)
    )
    lagged = lagged_series(values, series.variables, day=series.day, beep=series.beep)
    result = estimate_network(lagged)
    stability = bootstrap_edge_stability(
        lagged, result, resamples=BOOTSTRAP_RESAMPLES, seed=BOOTSTRAP_SEED
    )
    stored = result.as_dict()
    stored["stability"] = {
        "resamples": stability.resamples,
        "temporal": stability.temporal.tolist(),
        "contemporaneous": stability.contemporaneous.tolist(),
        "warnings": list(stability.warnings),
    }
    # The same notes as values, for the web app to say in the reader's language.
    stored["notes"] = [note.as_dict() for note in (*result.notes, *stability.notes)]
    return stored


@task()
def network_estimate(patient_id: int) -> str:
    """Estimate the network of the patient's current EMA series once; returns the
    estimate's status ("" without data)."""
    series = ema_series_of(patient_id)
    if series is None:
        return ""
    input_hash = series.input_hash()
    with transaction.atomic():
        row, _ = NetworkEstimate.objects.select_for_update().get_or_create(
            patient_id=patient_id, input_hash=input_hash
        )
        if row.status != NetworkEstimate.Status.PENDING:
            return str(row.status)
    try:
        result = estimate(series)
    except NetworkDataError as problem:
        NetworkEstimate.objects.filter(pk=row.pk, status=NetworkEstimate.Status.PENDING).update(
            status=NetworkEstimate.Status.FAILED,
            problem=str(problem),
            problem_kind=problem.kind.value,
            problem_params=problem.params_as_json(),
            finished_at=timezone.now(),
        )
        return NetworkEstimate.Status.FAILED.value
    NetworkEstimate.objects.filter(pk=row.pk, status=NetworkEstimate.Status.PENDING).update(
        status=NetworkEstimate.Status.DONE, result=result, finished_at=timezone.now()
    )
    return NetworkEstimate.Status.DONE.value
