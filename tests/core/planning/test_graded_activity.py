"""Graded activity: baseline -> quotas, and what happens after a bad and a good day.

Time-contingent, not pain-contingent (nhg-m102-henw): the quotas follow the
calendar. The numbers used here (start at 80 % of the baseline mean, +5 minutes every 7
days) are the rules file's editorial defaults, marked unverified; the tests check the
arithmetic and the principle, not the clinical value of the numbers.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.core.planning.errors import BaselineError, GradedActivityError, TooFewBaselineDays
from maatwerk.core.planning.graded_activity import (
    ActivityLogEntry,
    GradedActivityParameters,
    baseline_summary,
    default_parameters,
    evaluate_day,
    next_quota,
    quota_schedule,
    starting_quota,
    weeks_to_target,
)

RULES = bundled_planning_rules()
MONDAY = date(2026, 11, 2)
START = date(2026, 11, 9)  # the Monday after the baseline week

# A baseline week of walking, as logged: 20, 35, 10, 30, 25, 40, 15 minutes.
BASELINE_MINUTES = (20, 35, 10, 30, 25, 40, 15)
BASELINE = tuple(
    ActivityLogEntry(MONDAY + timedelta(days=i), minutes, pain=5)
    for i, minutes in enumerate(BASELINE_MINUTES)
)


def params(**changes: object) -> GradedActivityParameters:
    base = default_parameters(RULES.graded_activity, target_minutes=40)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_defaults_are_unverified_and_as_in_the_rules_file() -> None:
    defaults = RULES.graded_activity
    assert defaults.unverified and defaults.note
    assert set(defaults.sources) == {"nhg-m102-henw", "torenbeek-2006"}
    p = params()
    assert p.unverified
    assert (p.start_rule, p.start_fraction, p.increment_minutes, p.step_days) == (
        "fraction_of_mean",
        Decimal("0.8"),
        5,
        7,
    )
    assert p.min_baseline_days == 5


def test_baseline_summary_worked_out_by_hand() -> None:
    # sum 175 / 7 days = mean 25; range 10..40. Deviations -5, 10, -15, 5, 0, 15, -10;
    # squares sum to 700; sample variance 700 / 6 = 116.67; SD = 10.80; CV = 10.80/25 = 0.43.
    summary = baseline_summary(BASELINE, min_days=5)
    assert summary.days == 7
    assert (summary.first_day, summary.last_day) == (MONDAY, MONDAY + timedelta(days=6))
    assert summary.mean == Decimal("25.00")
    assert (summary.minimum, summary.maximum) == (10, 40)
    assert summary.standard_deviation == Decimal("10.80")
    assert summary.coefficient_of_variation == Decimal("0.43")


def test_baseline_refuses_too_few_days() -> None:
    with pytest.raises(TooFewBaselineDays, match=r"4 logged day.* at least 5"):
        baseline_summary(BASELINE[:4], min_days=5)


def test_baseline_refuses_a_day_logged_twice_and_bad_entries() -> None:
    with pytest.raises(BaselineError, match="logged twice"):
        baseline_summary((*BASELINE, BASELINE[0]), min_days=5)
    with pytest.raises(GradedActivityError, match="negative"):
        ActivityLogEntry(MONDAY, -5)
    with pytest.raises(GradedActivityError, match="pain"):
        ActivityLogEntry(MONDAY, 10, pain=11)


def test_quotas_worked_out_by_hand() -> None:
    # Start: floor(25 x 0.8) = 20 minutes. +5 minutes every 7 days, capped at the
    # target of 40: weeks 1-5 are 20, 25, 30, 35, 40 and week 6 stays at 40.
    summary = baseline_summary(BASELINE, min_days=5)
    schedule = quota_schedule(summary, params(), START, weeks=6)
    assert len(schedule) == 42
    assert schedule[0].day == START and schedule[-1].day == START + timedelta(days=41)
    per_week = [schedule[7 * week].minutes for week in range(6)]
    assert per_week == [20, 25, 30, 35, 40, 40]
    # inside a week the quota is the same every day
    assert {q.minutes for q in schedule[7:14]} == {25}
    assert [q.step for q in schedule[::7]] == [0, 1, 2, 3, 4, 5]


def test_weeks_to_target() -> None:
    # From 20 to 40 by 5: 4 steps of 7 days, the target is first planned on day 29,
    # which is in week 5 (as in the schedule above).
    assert weeks_to_target(20, params()) == 5
    assert weeks_to_target(40, params()) == 1


def test_start_as_baseline_mean_minus_margin() -> None:
    # 25 - 3 = 22 minutes; with +5 every 3 days: 22, 22, 22, 27, 27, 27, 32.
    summary = baseline_summary(BASELINE, min_days=5)
    p = params(start_rule="mean_minus_margin", start_margin_minutes=3, step_days=3)
    assert starting_quota(summary, p) == 22
    assert [q.minutes for q in quota_schedule(summary, p, START, weeks=1)] == [
        22, 22, 22, 27, 27, 27, 32
    ]  # fmt: skip


def test_clinician_start_wins_and_a_start_of_zero_is_refused() -> None:
    summary = baseline_summary(BASELINE, min_days=5)
    assert starting_quota(summary, params(start_minutes=12)) == 12
    idle = baseline_summary(
        tuple(ActivityLogEntry(MONDAY + timedelta(days=i), 0) for i in range(5)), min_days=5
    )
    with pytest.raises(GradedActivityError, match="set a starting quota"):
        starting_quota(idle, params())
    with pytest.raises(GradedActivityError, match="increment"):
        params(increment_minutes=0)


def _schedule() -> tuple:  # type: ignore[type-arg]
    return quota_schedule(baseline_summary(BASELINE, min_days=5), params(), START, weeks=6)


def test_a_bad_day_does_not_lower_tomorrows_quota() -> None:
    # Day 7 (Sunday of week 1, quota 20): pain 9/10, walked only 5 minutes. Tomorrow is
    # the first day of week 2, whose planned quota is 25: it stays 25 (not lowered, not
    # held at 20) — time-contingent.
    schedule = _schedule()
    bad_day = ActivityLogEntry(START + timedelta(days=6), 5, pain=9)
    evaluation = evaluate_day(schedule, bad_day)
    assert evaluation.outcome == "under"
    assert evaluation.quota == 20
    assert evaluation.next_quota == schedule[7]
    assert evaluation.next_quota is not None and evaluation.next_quota.minutes == 25
    assert "25 minuten" in evaluation.message["nl"]
    assert "niet omlaag" in evaluation.message["nl"]


def test_a_good_day_does_not_earn_a_bigger_step() -> None:
    # Day 3 of week 1 (quota 20): a good day, walked 60 minutes. Tomorrow stays 20; the
    # message tells the patient to stop when the time is up.
    schedule = _schedule()
    good_day = ActivityLogEntry(START + timedelta(days=2), 60, pain=1)
    evaluation = evaluate_day(schedule, good_day)
    assert evaluation.outcome == "over"
    assert evaluation.next_quota == schedule[3]
    assert evaluation.next_quota is not None and evaluation.next_quota.minutes == 20
    assert "stop" in evaluation.message["nl"]
    assert "20 minutes" in evaluation.message["en"]


def test_as_planned_within_tolerance_and_days_outside_the_schedule() -> None:
    schedule = _schedule()
    day = ActivityLogEntry(START, 22)
    assert evaluate_day(schedule, day).outcome == "over"
    assert evaluate_day(schedule, day, tolerance_minutes=2).outcome == "as_planned"
    with pytest.raises(GradedActivityError, match="not a day of this schedule"):
        evaluate_day(schedule, ActivityLogEntry(START - timedelta(days=1), 20))
    last = evaluate_day(schedule, ActivityLogEntry(schedule[-1].day, 40))
    assert last.next_quota is None
    assert "40" in last.message["en"]


@given(
    minutes=st.lists(st.integers(0, 600), min_size=5, max_size=14),
    increment=st.integers(1, 30),
    step_days=st.integers(1, 14),
    target=st.integers(1, 600),
    weeks=st.integers(1, 12),
)
def test_schedule_is_monotonic_non_decreasing_and_capped(
    minutes: list[int], increment: int, step_days: int, target: int, weeks: int
) -> None:
    log = tuple(ActivityLogEntry(MONDAY + timedelta(days=i), m) for i, m in enumerate(minutes))
    summary = baseline_summary(log, min_days=5)
    p = params(increment_minutes=increment, step_days=step_days, target_minutes=target)
    if summary.mean * Decimal("0.8") < 1:  # nothing done at baseline: start refused
        with pytest.raises(GradedActivityError):
            quota_schedule(summary, p, START, weeks)
        return
    schedule = quota_schedule(summary, p, START, weeks)
    values = [q.minutes for q in schedule]
    assert values == sorted(values)
    assert max(values) <= target
    rises = [b.minutes - a.minutes for a, b in itertools.pairwise(schedule)]
    assert all(0 <= rise <= increment for rise in rises)  # small steps only


@given(
    pains=st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=7, max_size=7),
    done=st.lists(st.integers(0, 300), min_size=7, max_size=7),
    other_pains=st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=7, max_size=7),
)
def test_pain_ratings_never_change_the_schedule(
    pains: list[int | None], done: list[int], other_pains: list[int | None]
) -> None:
    # The same baseline minutes with any pain ratings give the same schedule, and every
    # evaluated day's next quota is the planned one whatever was done or felt.
    log_a = tuple(
        ActivityLogEntry(MONDAY + timedelta(days=i), m, pain=p)
        for i, (m, p) in enumerate(zip(BASELINE_MINUTES, pains, strict=True))
    )
    log_b = tuple(
        ActivityLogEntry(MONDAY + timedelta(days=i), m, pain=p)
        for i, (m, p) in enumerate(zip(BASELINE_MINUTES, other_pains, strict=True))
    )
    schedule_a = quota_schedule(baseline_summary(log_a, min_days=5), params(), START, 2)
    schedule_b = quota_schedule(baseline_summary(log_b, min_days=5), params(), START, 2)
    assert schedule_a == schedule_b
    for offset, (minutes, pain) in enumerate(zip(done, pains, strict=True)):
        day = START + timedelta(days=offset)
        evaluation = evaluate_day(schedule_a, ActivityLogEntry(day, minutes, pain=pain))
        assert evaluation.next_quota == next_quota(schedule_a, day)
        assert evaluation.next_quota == schedule_a[offset + 1]
