"""Which edges of a personal network are described to the patient, and how strongly.

The patient reads a link in words ("… sometimes come together", "… often come
together"); those words must not claim more than the estimate can bear. An edge is
described only when it is both

* **strong enough**: its absolute partial (directed) correlation is at least
  :data:`DESCRIBED_FROM`; and
* **stable**: it reappears in at least :data:`~maatwerk.core.analysis.network.UNSTABLE_BELOW`
  of the bootstrap resamples (:func:`~maatwerk.core.analysis.network.bootstrap_edge_stability`).
  Without a stability measure nothing is described.

Stronger stable edges (from :data:`OFTEN_FROM`) read "often", the others "sometimes".
No source gives thresholds for describing single-patient network edges in words; the
limits borrow Cohen's (1988) benchmarks for a small (0.1) and medium (0.3) correlation
and are Maatwerk's choice (see docs/analysis/network.md, "In words for the patient").
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from maatwerk.core.analysis.network import UNSTABLE_BELOW

DESCRIBED_FROM: Final = 0.10
"""Smallest absolute PDC/PCC described to the patient (Cohen's "small" correlation)."""
OFTEN_FROM: Final = 0.30
"""Smallest absolute PDC/PCC described as "often" (Cohen's "medium" correlation)."""


class LinkWording(StrEnum):
    SOMETIMES = "sometimes"
    OFTEN = "often"


def patient_wording(weight: float, stability: float | None) -> LinkWording | None:
    """How an edge of ``weight`` present in a share ``stability`` of the resamples is
    described to the patient; ``None`` for an edge that is not described at all."""
    if stability is None or stability < UNSTABLE_BELOW:
        return None
    strength = abs(weight)
    if strength < DESCRIBED_FROM:
        return None
    return LinkWording.OFTEN if strength >= OFTEN_FROM else LinkWording.SOMETIMES
