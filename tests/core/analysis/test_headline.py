"""A reassuring verdict never stands alone next to an open safety signal."""

from __future__ import annotations

import pytest

from maatwerk.core.analysis.headline import (
    Headline,
    is_reassuring,
    lead_with_safety,
    outcome_headline,
)
from maatwerk.core.analysis.reliable_change import (
    ClinicalSignificanceCategory,
    ReliableChangeCategory,
)

REASSURING = (
    ClinicalSignificanceCategory.RECOVERED,
    ClinicalSignificanceCategory.IMPROVED,
    ReliableChangeCategory.RELIABLE_IMPROVEMENT,
)
NOT_REASSURING = (
    ClinicalSignificanceCategory.UNCHANGED,
    ClinicalSignificanceCategory.DETERIORATED,
    ReliableChangeCategory.NO_RELIABLE_CHANGE,
    ReliableChangeCategory.RELIABLE_DETERIORATION,
    None,
)


@pytest.mark.parametrize("verdict", REASSURING)
def test_a_reassuring_verdict_names_an_open_signal(verdict: str) -> None:
    assert is_reassuring(verdict)
    assert outcome_headline(verdict, open_safety_signals=1) is Headline.WITH_OPEN_SIGNAL
    assert outcome_headline(verdict, open_safety_signals=3) is Headline.WITH_OPEN_SIGNAL
    assert outcome_headline(verdict, open_safety_signals=0) is Headline.AS_JUDGED


@pytest.mark.parametrize("verdict", NOT_REASSURING)
def test_other_verdicts_are_shown_as_judged(verdict: str | None) -> None:
    assert not is_reassuring(verdict)
    assert outcome_headline(verdict, open_safety_signals=2) is Headline.AS_JUDGED


def test_the_page_leads_with_safety_only_when_a_signal_is_open() -> None:
    assert lead_with_safety(1)
    assert not lead_with_safety(0)
    with pytest.raises(ValueError, match="negative"):
        lead_with_safety(-1)
