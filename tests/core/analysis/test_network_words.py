"""Which network edges the patient reads in words, and how strongly
(``maatwerk.core.analysis.network_words``)."""

from __future__ import annotations

import pytest

from maatwerk.core.analysis.network import UNSTABLE_BELOW
from maatwerk.core.analysis.network_words import (
    DESCRIBED_FROM,
    OFTEN_FROM,
    LinkWording,
    patient_wording,
)


def test_a_weak_link_is_not_described_even_when_stable() -> None:
    # The clinician's finding: PCC 0.04 in 75 % of resamples was shown as "often".
    assert patient_wording(0.04, 0.75) is None
    assert patient_wording(-0.04, 1.0) is None


def test_an_unstable_or_unmeasured_link_is_not_described_however_strong() -> None:
    assert patient_wording(0.5, UNSTABLE_BELOW - 0.01) is None
    assert patient_wording(0.5, None) is None


@pytest.mark.parametrize(
    ("weight", "wording"),
    [
        (DESCRIBED_FROM, LinkWording.SOMETIMES),
        (-0.23, LinkWording.SOMETIMES),
        (OFTEN_FROM, LinkWording.OFTEN),
        (-0.45, LinkWording.OFTEN),
    ],
)
def test_stable_links_are_graded_by_strength(weight: float, wording: LinkWording) -> None:
    assert patient_wording(weight, UNSTABLE_BELOW) is wording


def test_the_thresholds_are_ordered() -> None:
    assert 0 < DESCRIBED_FROM < OFTEN_FROM < 1
