"""What an outcome headline may say while a safety signal is open.

A reassuring verdict ("recovered", "improved", "reliable improvement") never stands
alone next to an open safety signal (for example PHQ-9 item 9, thoughts of death or
self-harm): a score that crossed a cut-off says nothing about that risk. When a signal
is open the page leads with it, and a reassuring verdict is shown only together with
a mention of the open signal. Pure functions over plain values; the web layer counts
the patient's open signals and words the result.
"""

from __future__ import annotations

from enum import StrEnum

from maatwerk.core.analysis.reliable_change import (
    ClinicalSignificanceCategory,
    ReliableChangeCategory,
)

REASSURING: frozenset[str] = frozenset(
    {
        ClinicalSignificanceCategory.RECOVERED.value,
        ClinicalSignificanceCategory.IMPROVED.value,
        ReliableChangeCategory.RELIABLE_IMPROVEMENT.value,
    }
)


class Headline(StrEnum):
    """How a verdict may be shown."""

    AS_JUDGED = "as_judged"  # show the verdict as it is
    WITH_OPEN_SIGNAL = "with_open_signal"  # reassuring: only with the open signal named


def is_reassuring(verdict: str | None) -> bool:
    """A verdict that reads as "it goes better" (a category's value, or None)."""
    return verdict is not None and str(verdict) in REASSURING


def lead_with_safety(open_safety_signals: int) -> bool:
    """Whether the page must open with the patient's open safety signals."""
    if open_safety_signals < 0:
        raise ValueError("a number of open safety signals cannot be negative")
    return open_safety_signals > 0


def outcome_headline(verdict: str | None, *, open_safety_signals: int) -> Headline:
    """How ``verdict`` may be shown given the patient's open safety signals.

    >>> outcome_headline("recovered", open_safety_signals=0).value
    'as_judged'
    >>> outcome_headline("recovered", open_safety_signals=1).value
    'with_open_signal'
    >>> outcome_headline("deteriorated", open_safety_signals=1).value
    'as_judged'
    """
    if lead_with_safety(open_safety_signals) and is_reassuring(verdict):
        return Headline.WITH_OPEN_SIGNAL
    return Headline.AS_JUDGED
