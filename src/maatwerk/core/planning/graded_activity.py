"""Graded activity: a baseline week, then time-contingent quotas that rise in small steps.

The principle is sourced: a **time-contingent** increase of load and activity
(nhg-m102-henw), graded activity in CFS rehabilitation (torenbeek-2006). The
numbers are not: where the quota starts, how much it rises, how often, and how many
baseline days are needed come from ``content/planning/rules.json`` (all marked
unverified) or from the clinician.

Time-contingent means the schedule is fixed in advance by the calendar. What the patient
did or felt on a day never changes it: after a bad day the quota does not drop, after a
good day it does not jump. That is why no function that computes a quota takes a pain
rating or the minutes done — :func:`next_quota` reads the schedule only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Literal

from maatwerk.core.planning.content import bundled_planning_rules
from maatwerk.core.planning.definitions import GradedActivityDefaults, GradedActivityMessages
from maatwerk.core.planning.errors import BaselineError, GradedActivityError, TooFewBaselineDays

__all__ = [
    "ActivityLogEntry",
    "BaselineSummary",
    "DailyQuota",
    "DayEvaluation",
    "GradedActivityParameters",
    "baseline_summary",
    "default_parameters",
    "evaluate_day",
    "next_quota",
    "quota_schedule",
    "starting_quota",
    "weeks_to_target",
]

DayOutcome = Literal["as_planned", "over", "under"]
StartRule = Literal["fraction_of_mean", "mean_minus_margin"]
_HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class ActivityLogEntry:
    """One logged day of one activity. ``pain`` (0-10) is kept for the diary and the
    conversation; it never changes a quota."""

    day: date
    minutes: int
    pain: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.minutes, bool) or not isinstance(self.minutes, int):
            raise GradedActivityError(f"{self.day}: minutes must be a whole number")
        if self.minutes < 0:
            raise GradedActivityError(f"{self.day}: minutes cannot be negative")
        if self.pain is not None and (
            isinstance(self.pain, bool)
            or not isinstance(self.pain, int)
            or not 0 <= self.pain <= 10
        ):
            raise GradedActivityError(f"{self.day}: pain must be a whole number from 0 to 10")


@dataclass(frozen=True, slots=True)
class BaselineSummary:
    """The baseline as logged: mean, range and variability (sample SD, n − 1)."""

    days: int
    first_day: date
    last_day: date
    mean: Decimal  # exact, rounded half up to 0.01 minute
    minimum: int
    maximum: int
    standard_deviation: Decimal  # rounded half up to 0.01 minute
    coefficient_of_variation: Decimal | None  # SD / mean, None when the mean is 0


@dataclass(frozen=True, slots=True)
class GradedActivityParameters:
    """How the quotas start and rise. Defaults come from the rules file and are
    unverified; the clinician changes any of them per patient (``dataclasses.replace``)
    and ``unverified`` then says whether anything still rests on a default."""

    target_minutes: int
    start_rule: StartRule
    start_fraction: Decimal
    start_margin_minutes: int
    increment_minutes: int
    step_days: int
    tolerance_minutes: int
    min_baseline_days: int
    start_minutes: int | None = None  # the clinician's own starting quota, if set
    unverified: bool = True

    def __post_init__(self) -> None:
        problems = []
        if self.target_minutes < 1:
            problems.append("the target must be at least 1 minute")
        if not Decimal(0) < self.start_fraction <= Decimal(1):
            problems.append("the start fraction must be greater than 0 and at most 1")
        if self.start_margin_minutes < 0:
            problems.append("the start margin cannot be negative")
        if self.increment_minutes < 1:
            problems.append("the increment must be at least 1 minute")
        if self.step_days < 1:
            problems.append("a step must last at least 1 day")
        if self.tolerance_minutes < 0:
            problems.append("the tolerance cannot be negative")
        if self.min_baseline_days < 1:
            problems.append("the baseline needs at least 1 day")
        if self.start_minutes is not None and self.start_minutes < 1:
            problems.append("a starting quota must be at least 1 minute")
        if problems:
            raise GradedActivityError("; ".join(problems))


@dataclass(frozen=True, slots=True)
class DailyQuota:
    day: date
    minutes: int
    step: int  # 0 = the starting quota, 1 = after the first increase, ...


@dataclass(frozen=True, slots=True)
class DayEvaluation:
    day: date
    quota: int
    done: int
    outcome: DayOutcome
    next_quota: DailyQuota | None  # None: the schedule ends on this day
    message: Mapping[str, str]  # language -> B1 message for the patient


def default_parameters(
    defaults: GradedActivityDefaults, *, target_minutes: int
) -> GradedActivityParameters:
    """Parameters from the rules file; the target is always the patient's own."""
    return GradedActivityParameters(
        target_minutes=target_minutes,
        start_rule=defaults.start_rule,
        start_fraction=defaults.start_fraction,
        start_margin_minutes=defaults.start_margin_minutes,
        increment_minutes=defaults.increment_minutes,
        step_days=defaults.step_days,
        tolerance_minutes=defaults.tolerance_minutes,
        min_baseline_days=defaults.min_baseline_days,
        unverified=defaults.unverified,
    )


def baseline_summary(days: Sequence[ActivityLogEntry], *, min_days: int) -> BaselineSummary:
    """Summarize the baseline log; refuses fewer than ``min_days`` logged days and a day
    logged twice (``TooFewBaselineDays``, ``BaselineError``)."""
    entries = tuple(days)
    if len(entries) < min_days:
        raise TooFewBaselineDays(len(entries), min_days)
    seen: set[date] = set()
    for entry in entries:
        if entry.day in seen:
            raise BaselineError(f"{entry.day} is logged twice in the baseline")
        seen.add(entry.day)
    minutes = [Decimal(entry.minutes) for entry in entries]
    count = len(minutes)
    mean = sum(minutes, Decimal(0)) / count
    variance = (
        sum(((m - mean) ** 2 for m in minutes), Decimal(0)) / (count - 1)
        if count > 1
        else Decimal(0)
    )
    sd = variance.sqrt()
    return BaselineSummary(
        days=count,
        first_day=min(seen),
        last_day=max(seen),
        mean=mean.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP),
        minimum=min(entry.minutes for entry in entries),
        maximum=max(entry.minutes for entry in entries),
        standard_deviation=sd.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP),
        coefficient_of_variation=(
            (sd / mean).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP) if mean else None
        ),
    )


def starting_quota(baseline: BaselineSummary, params: GradedActivityParameters) -> int:
    """The first quota in whole minutes, rounded down (start below what the patient
    manages), never above the target. A clinician's ``start_minutes`` wins."""
    if params.start_minutes is not None:
        return min(params.start_minutes, params.target_minutes)
    if params.start_rule == "fraction_of_mean":
        raw = baseline.mean * params.start_fraction
    else:
        raw = baseline.mean - params.start_margin_minutes
    start = int(raw.to_integral_value(rounding=ROUND_FLOOR))
    if start < 1:
        raise GradedActivityError(
            f"the starting quota would be {start} minutes (baseline mean {baseline.mean}); "
            "set a starting quota for this patient"
        )
    return min(start, params.target_minutes)


def quota_schedule(
    baseline: BaselineSummary, params: GradedActivityParameters, start: date, weeks: int
) -> tuple[DailyQuota, ...]:
    """One quota per day for ``weeks`` weeks from ``start``: the starting quota, raised
    by ``increment_minutes`` every ``step_days`` days, capped at the target."""
    if weeks < 1:
        raise GradedActivityError("the schedule needs at least 1 week")
    first = starting_quota(baseline, params)
    quotas = []
    for offset in range(weeks * 7):
        step = offset // params.step_days
        minutes = min(first + step * params.increment_minutes, params.target_minutes)
        quotas.append(DailyQuota(start + timedelta(days=offset), minutes, step))
    return tuple(quotas)


def next_quota(schedule: Sequence[DailyQuota], day: date) -> DailyQuota | None:
    """Tomorrow's quota: read from the schedule, never from what happened today."""
    tomorrow = day + timedelta(days=1)
    for quota in schedule:
        if quota.day == tomorrow:
            return quota
    return None


def evaluate_day(
    schedule: Sequence[DailyQuota],
    log_entry: ActivityLogEntry,
    *,
    tolerance_minutes: int = 0,
    messages: GradedActivityMessages | None = None,
) -> DayEvaluation:
    """Compare a logged day with its quota: as planned, over or under (within
    ``tolerance_minutes``), with tomorrow's (unchanged) quota and a B1 message."""
    today = next((q for q in schedule if q.day == log_entry.day), None)
    if today is None:
        raise GradedActivityError(f"{log_entry.day} is not a day of this schedule")
    if log_entry.minutes > today.minutes + tolerance_minutes:
        outcome: DayOutcome = "over"
    elif log_entry.minutes < today.minutes - tolerance_minutes:
        outcome = "under"
    else:
        outcome = "as_planned"
    following = next_quota(schedule, log_entry.day)
    if messages is None:
        messages = bundled_planning_rules().graded_activity.messages
    template = getattr(messages, outcome)
    quota = following.minutes if following is not None else today.minutes
    text = {
        language: found.replace("{quota}", str(quota))
        for language in ("nl", "en")
        if (found := template.get(language))
    }
    return DayEvaluation(
        day=log_entry.day,
        quota=today.minutes,
        done=log_entry.minutes,
        outcome=outcome,
        next_quota=following,
        message=MappingProxyType(text),
    )


def weeks_to_target(first: int, params: GradedActivityParameters) -> int:
    """How many whole weeks the schedule needs to reach the target from ``first``."""
    steps = max(0, math.ceil((params.target_minutes - first) / params.increment_minutes))
    return math.ceil((steps * params.step_days + 1) / 7)
