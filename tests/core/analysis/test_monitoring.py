"""Which scales still signal a reliable deterioration (the monitoring flag)."""

from __future__ import annotations

from maatwerk.core.analysis.monitoring import still_deteriorated

WORSE, SAME, BETTER = "reliable_deterioration", "no_reliable_change", "reliable_improvement"


def test_only_the_latest_result_of_each_scale_counts() -> None:
    results = [
        (("phq9", "total"), ""),  # baseline: no change yet
        (("gad7", "total"), ""),
        (("phq9", "total"), WORSE),
        (("gad7", "total"), WORSE),
        (("phq9", "total"), SAME),  # recovered since: no longer a signal
        (("phq15", "total"), ""),
        (("phq15", "total"), WORSE),
    ]
    assert still_deteriorated(results) == [("gad7", "total"), ("phq15", "total")]


def test_an_improvement_or_no_reference_is_no_signal() -> None:
    assert still_deteriorated([("a", ""), ("a", BETTER), ("b", ""), ("b", "")]) == []
    assert still_deteriorated([]) == []
