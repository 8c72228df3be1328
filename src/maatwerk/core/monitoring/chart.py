"""The daily values of a feedback chart: one daily-life item's mean answer per day.

:func:`daily_means` averages a day's answers; days without an answer are left out, so
the chart (:mod:`maatwerk.core.monitoring.chart_specs`) breaks its line there and a gap
is never drawn as if the value had been measured.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class DayValue:
    day: date
    mean: float
    answers: int


def daily_means(values: Iterable[tuple[date, float]]) -> tuple[DayValue, ...]:
    """The mean of each day's values, by day (days without values are left out)."""
    by_day: dict[date, list[float]] = {}
    for day, value in values:
        by_day.setdefault(day, []).append(value)
    return tuple(
        DayValue(day=day, mean=sum(found) / len(found), answers=len(found))
        for day, found in sorted(by_day.items())
    )
