"""The geometry of a feedback chart: one daily-life item's mean answer per day as a line
over the days (drawn as inline SVG by the web layer; plain numbers here).

:func:`daily_means` averages a day's answers; :func:`line_chart` places each day with an
answer on a fixed-size canvas (x: the day's position in the period, y: the value on the
item's own scale, higher is up). Days without an answer break the line, so a gap is
never drawn as if the value had been measured.
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


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    day: date
    mean: float


@dataclass(frozen=True, slots=True)
class LineChart:
    width: int
    height: int
    left: int  # the plot area starts here (room for the scale's numbers)
    top: int
    bottom: int  # the plot area ends here (room for the day labels below)
    right: int
    segments: tuple[tuple[Point, ...], ...]  # consecutive days with an answer

    @property
    def points(self) -> tuple[Point, ...]:
        return tuple(point for segment in self.segments for point in segment)


def line_chart(
    values: Iterable[DayValue],
    *,
    first_day: date,
    days: int,
    minimum: int,
    maximum: int,
    width: int = 320,
    height: int = 140,
) -> LineChart:
    """Place the days' means on a ``width`` x ``height`` canvas for ``days`` days from
    ``first_day``; values outside the period are left out."""
    if days < 1 or maximum <= minimum:
        raise ValueError("a chart needs at least one day and a scale with two ends")
    left, right, top, bottom = 36, width - 12, 12, height - 28
    step = (right - left) / max(days - 1, 1)
    segments: list[tuple[Point, ...]] = []
    current: list[Point] = []
    previous: int | None = None
    for value in sorted(values, key=lambda v: v.day):
        index = (value.day - first_day).days
        if not 0 <= index < days:
            continue
        clamped = min(max(value.mean, minimum), maximum)
        y = bottom - (clamped - minimum) / (maximum - minimum) * (bottom - top)
        point = Point(
            x=round(left + index * step, 1), y=round(y, 1), day=value.day, mean=value.mean
        )
        if previous is not None and index != previous + 1 and current:
            segments.append(tuple(current))
            current = []
        current.append(point)
        previous = index
    if current:
        segments.append(tuple(current))
    return LineChart(
        width=width,
        height=height,
        left=left,
        top=top,
        bottom=bottom,
        right=right,
        segments=tuple(segments),
    )
