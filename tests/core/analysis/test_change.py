"""Change per patient (core.analysis.change): a scale's trajectory against its intake.

Provenance of the numbers:

* NHS Talking Therapies (IAPT) rules: reliable improvement is a PHQ-9 drop of 6 or more
  (GAD-7: 4 or more), caseness PHQ-9 > 9 (GAD-7 > 7), recovery is leaving caseness
  (Gyani, Shafran, Layard & Clark 2013, Behav Res Ther 51:597-606, as stated in the trial
  registration NCT05134103). The cases below are hand calculations with those rules.
* Jacobson & Truax (1991), J Consult Clin Psychol 59:12-19, with the PHQ-9 clinical SD
  6.1 (Kroenke, Spitzer & Williams 2001) and alpha 0.89: the minimal reliable
  difference is 1.96 x 6.1 x sqrt(2) x sqrt(0.11) = 5.61 points.
"""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from maatwerk.core.analysis import change
from maatwerk.core.analysis.change import (
    ChangeMethod,
    FixedThresholdRule,
    JacobsonTruaxRule,
    Measurement,
    fixed_threshold_change,
    fixed_threshold_rule,
    jacobson_truax_rule,
    judge,
    measurements_from_dates,
    split_at,
    trajectory,
)
from maatwerk.core.analysis.content import bundled_monitoring
from maatwerk.core.analysis.reliable_change import (
    ClinicalSignificanceCategory as Outcome,
)
from maatwerk.core.analysis.reliable_change import (
    InvalidChangeInput,
    ReliableChangeCategory,
    ScoreDirection,
    reliable_change_index,
)
from maatwerk.core.instruments.reference import NormSelection
from maatwerk.core.instruments.registry import get_instrument

RC = ReliableChangeCategory


def _iapt(code: str) -> FixedThresholdRule:
    rule = bundled_monitoring().fixed_change_rule(code, "total")
    assert rule is not None
    return fixed_threshold_rule(rule, get_instrument(code).scale("total"))


def test_iapt_rules_come_from_content_with_their_sources() -> None:
    phq9, gad7 = _iapt("phq9"), _iapt("gad7")
    assert (phq9.points, phq9.caseness_operator, phq9.caseness_value) == (6.0, ">", 9.0)
    assert (gad7.points, gad7.caseness_operator, gad7.caseness_value) == (4.0, ">", 7.0)
    assert phq9.unverified
    content = bundled_monitoring().fixed_change_rule("phq9", "total")
    assert content is not None and "gyani-2013" in content.sources


def test_phq9_trajectory_under_the_iapt_rule() -> None:
    # 18 -> 15 (3 down: not reliable) -> 12 (6 down: reliable, still a case: improved)
    # -> 8 (10 down, 8 is not > 9: recovered) -> 25 (7 up: reliable deterioration)
    points = [Measurement(0, 18), Measurement(2, 15), Measurement(4, 12), Measurement(8, 8)]
    result = trajectory([*points, Measurement(12, 25)], _iapt("phq9"))
    assert result.method is ChangeMethod.FIXED_THRESHOLD
    assert result.threshold_points == 6.0
    judged = [(p.change, p.reliable_change, p.outcome) for p in result.points]
    assert judged == [
        (None, None, None),
        (-3, RC.NO_RELIABLE_CHANGE, Outcome.UNCHANGED),
        (-6, RC.RELIABLE_IMPROVEMENT, Outcome.IMPROVED),
        (-10, RC.RELIABLE_IMPROVEMENT, Outcome.RECOVERED),
        (7, RC.RELIABLE_DETERIORATION, Outcome.DETERIORATED),
    ]
    assert result.latest.week == 12


def test_gad7_edges_of_the_iapt_rule() -> None:
    rule = _iapt("gad7")
    assert fixed_threshold_change(11, 7, rule) == (RC.RELIABLE_IMPROVEMENT, Outcome.RECOVERED)
    assert fixed_threshold_change(11, 8, rule) == (RC.NO_RELIABLE_CHANGE, Outcome.UNCHANGED)
    # starting below caseness: a reliable drop is "improved", never "recovered"
    assert fixed_threshold_change(7, 2, rule) == (RC.RELIABLE_IMPROVEMENT, Outcome.IMPROVED)


def test_a_one_sided_fixed_rule_never_calls_a_rise_reliable() -> None:
    rule = FixedThresholdRule(
        points=4, symmetric=False, direction=ScoreDirection.HIGHER_IS_WORSE,
        unverified=True,
    )  # fmt: skip
    assert fixed_threshold_change(5, 15, rule) == (RC.NO_RELIABLE_CHANGE, None)


def test_higher_is_better_fixed_rule() -> None:
    rule = FixedThresholdRule(
        points=10, symmetric=True, direction=ScoreDirection.HIGHER_IS_BETTER,
        unverified=True, caseness_operator="<", caseness_value=50,
    )  # fmt: skip
    assert fixed_threshold_change(40, 55, rule) == (RC.RELIABLE_IMPROVEMENT, Outcome.RECOVERED)
    assert fixed_threshold_change(60, 50, rule) == (
        RC.RELIABLE_DETERIORATION,
        Outcome.DETERIORATED,
    )


def test_phq9_jacobson_truax_for_an_unknown_sex_names_its_norms() -> None:
    rule = jacobson_truax_rule(get_instrument("phq9").scale("total"), sex="unknown")
    assert isinstance(rule, JacobsonTruaxRule)
    assert rule.norm is not None and rule.norm.selection is NormSelection.FOR_EVERYONE
    assert rule.functional is not None and rule.functional.mean == 2.7  # stricter cut-off
    result = trajectory([Measurement(0, 20), Measurement(3, 15), Measurement(6, 14)], rule)
    assert result.threshold_points == pytest.approx(5.61, abs=0.005)
    assert [p.reliable_change for p in result.points[1:]] == [
        RC.NO_RELIABLE_CHANGE,  # 5 points
        RC.RELIABLE_IMPROVEMENT,  # 6 points
    ]
    assert result.points[2].outcome is Outcome.IMPROVED  # 14 is above c (7.95)
    assert result.norm is not None and "Kroenke et al. (2001)" in result.norm.population
    assert result.unverified


def test_jacobson_truax_trajectory_agrees_with_the_rci() -> None:
    rule = jacobson_truax_rule(get_instrument("gad7").scale("total"), sex="female")
    assert rule is not None and rule.clinical is None  # GAD-7: no clinical norm
    values = [15, 13, 11, 16, 19]
    result = trajectory([Measurement(week, v) for week, v in enumerate(values)], rule)
    for point in result.points[1:]:
        expected = reliable_change_index(
            pre=15, post=point.value, sd=3.5, reliability=0.89, direction="higher_is_worse"
        ).category
        assert point.reliable_change is expected and point.outcome is None


def test_judging_one_pair_agrees_with_the_trajectory_and_names_its_cutoff() -> None:
    """A results row judges one pair; it must say what the trajectory says, with the
    threshold the chart's band is drawn with and the rule's cut-off (c = 7.95 here; the
    IAPT caseness value 9)."""
    rule = jacobson_truax_rule(get_instrument("phq9").scale("total"), sex="unknown")
    assert rule is not None
    path = trajectory([Measurement(0, 20), Measurement(1, 14)], rule)
    found = judge(20, 14, rule)
    assert (found.category, found.outcome) == (path.latest.reliable_change, path.latest.outcome)
    assert found.threshold_points == path.threshold_points
    assert found.cutoff == pytest.approx(7.95, abs=0.005)
    iapt = judge(16, 11, _iapt("phq9"))
    assert (iapt.category, iapt.outcome, iapt.threshold_points, iapt.cutoff) == (
        RC.NO_RELIABLE_CHANGE,
        Outcome.UNCHANGED,
        6.0,
        9.0,
    )
    gad7 = jacobson_truax_rule(get_instrument("gad7").scale("total"), sex="female")
    assert gad7 is not None and judge(15, 10, gad7).cutoff is None  # no clinical norm


def test_trajectory_needs_an_intake_and_increasing_weeks() -> None:
    rule = _iapt("phq9")
    with pytest.raises(InvalidChangeInput, match="intake"):
        trajectory([], rule)
    with pytest.raises(InvalidChangeInput, match="increase"):
        trajectory([Measurement(0, 10), Measurement(0, 12)], rule)
    only_intake = trajectory([Measurement(0, 10)], rule)
    assert only_intake.latest.change is None


def test_dated_scores_become_weeks_since_intake_and_split_at_a_start() -> None:
    scores = [
        (date(2026, 3, 2), 12.0),
        (date(2026, 2, 2), 20.0),
        (date(2026, 2, 16), 18.0),
        (date(2026, 2, 16), 17.0),  # the same day: the one given last counts
    ]
    measurements = measurements_from_dates(scores)
    assert measurements == (Measurement(0, 20), Measurement(2, 17), Measurement(4, 12))
    assert measurements_from_dates([]) == ()
    assert split_at(measurements, 2) == ((20.0,), (17.0, 12.0))


def test_docstring_examples() -> None:
    result = doctest.testmod(change)
    assert result.attempted > 0 and result.failed == 0
