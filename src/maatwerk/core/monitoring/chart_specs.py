"""Feedback charts as Vega-Lite specifications: one pure function per chart.

The same specification is drawn in the page (vega and vega-lite in the browser) and in
a PDF (rendered to SVG on the server), so patient and clinician read one picture. Each
function takes plain values and texts that are already in the reader's language, and
returns a JSON-able dict; nothing here decides a clinical value:

* :func:`rom_course_spec` - a questionnaire score over time with the reliable-change band
  around the first score (:func:`change_rule_band`: under the same change rule as the
  patient's verdict, :mod:`maatwerk.core.analysis.change`; :func:`reliable_change_band`
  from an SD and reliability);
* :func:`ema_line_spec` - one daily-life question's mean answer per day (a day without
  an answer breaks the line);
* :func:`pairing_spec` - two daily means of the same day against each other (pain
  against activity);
* :func:`before_after_spec` - mood at the question before and the question after a
  period the patient was active (:func:`mood_around_activity` finds those moments).

The patient's own notes ("what happened here?") are marks on the day they are about,
with their text in the tooltip; the page lists the same notes below the chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import TypeAlias

from maatwerk.core.analysis.change import ChangeRule, threshold_points
from maatwerk.core.analysis.reliable_change import minimal_reliable_difference
from maatwerk.core.instruments.numbers import display_number
from maatwerk.core.monitoring.chart import DayValue

Json: TypeAlias = "str | int | float | bool | list[Json] | dict[str, Json] | None"
Spec: TypeAlias = "dict[str, Json]"

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
WIDTH = 320  # the phone's width; the page widens it to its container
HEIGHT = 180
LINE = "#0b5c6b"
BAND = "#d6ebe6"
NOTE = "#8a4b00"
MUTED = "#4a4a4a"


@dataclass(frozen=True, slots=True)
class ChartNote:
    """A note on one day of a chart."""

    day: date
    text: str


@dataclass(frozen=True, slots=True)
class ScorePoint:
    day: date
    score: float


@dataclass(frozen=True, slots=True)
class ReliableChangeBand:
    """Scores inside ``lower``..``upper`` differ from the first score by no more than
    measurement error (Jacobson & Truax); outside it the change is reliable."""

    baseline: float
    lower: float
    upper: float
    points: float


@dataclass(frozen=True, slots=True)
class Scale:
    minimum: float
    maximum: float
    # Whole numbers only (a sum score, a slider's steps): its axis shows whole numbers.
    # False for a scale that is really continuous (a mean score, a utility).
    whole: bool = False


@dataclass(frozen=True, slots=True)
class Texts:
    """What the chart says, in the reader's language."""

    title: str
    x_title: str
    y_title: str
    note_label: str = ""
    band_label: str = ""


@dataclass(frozen=True, slots=True)
class DayPair:
    day: date
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class MoodMoment:
    """Mood at one question (``before``) and the next question of the same day
    (``after``), at which the patient said they had been active since."""

    day: date
    before: float
    after: float
    activity: float


@dataclass(frozen=True, slots=True)
class TimedAnswers:
    at: datetime
    day: date
    values: Mapping[str, float]


def reliable_change_band(
    *, baseline: float, sd: float, reliability: float, scale: Scale
) -> ReliableChangeBand:
    """The band of no reliable change around the first score, kept inside the scale."""
    points = minimal_reliable_difference(sd=sd, reliability=reliability).points
    return _band(baseline, points, scale)


def change_rule_band(*, baseline: float, rule: ChangeRule, scale: Scale) -> ReliableChangeBand:
    """The band of no reliable change under the rule the patient's change is judged by
    (its norm, or a fixed threshold), so the chart and the verdict never disagree."""
    return _band(baseline, threshold_points(rule), scale)


def _band(baseline: float, points: float, scale: Scale) -> ReliableChangeBand:
    return ReliableChangeBand(
        baseline=baseline,
        lower=max(scale.minimum, baseline - points),
        upper=min(scale.maximum, baseline + points),
        points=points,
    )


def _number(value: float, language: str) -> str:
    """One decimal, halves rounded up (40.25 is shown as 40,3 in Dutch)."""
    return display_number(Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP), language)


def _day_label(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def _base(texts: Texts) -> Spec:
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": texts.title,
        "width": WIDTH,
        "height": HEIGHT,
        "background": "white",
        "config": {
            "font": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
            "axis": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "labelColor": MUTED,
                "titleColor": MUTED,
                "titleFontWeight": "normal",
            },
            "legend": {"labelFontSize": 13, "titleFontSize": 13},
            "view": {"stroke": None},
        },
    }


def _time_axis(texts: Texts, first: date, last: date) -> dict[str, Json]:
    return {
        "field": "day",
        "type": "temporal",
        "title": texts.x_title,
        "scale": {
            "type": "utc",
            "domain": [first.isoformat(), last.isoformat()],
            "padding": 12,
        },
        "axis": {"format": "%-d-%-m", "tickCount": 5, "grid": False, "labelOverlap": True},
    }


def _axis(scale: Scale) -> dict[str, Json]:
    """Five ticks; on a scale of whole numbers only whole-number ticks, written without
    decimals (never "2.5" on a 0-10 slider or "12.0" on a sum score)."""
    if scale.whole:
        return {"tickCount": 5, "tickMinStep": 1, "format": "d"}
    return {"tickCount": 5}


def _value_axis(texts: Texts, scale: Scale, field: str = "value") -> dict[str, Json]:
    return {
        "field": field,
        "type": "quantitative",
        "title": texts.y_title,
        "scale": {"domain": [scale.minimum, scale.maximum], "nice": False},
        "axis": _axis(scale),
    }


def _note_layers(
    notes: Sequence[ChartNote], texts: Texts, first: date, last: date, scale: Scale
) -> list[Json]:
    """A dashed rule and a marker at the top on each day with a note."""
    shown = [note for note in notes if first <= note.day <= last]
    if not shown:
        return []
    values: list[Json] = [
        {
            "day": note.day.isoformat(),
            "top": scale.maximum,
            "date": _day_label(note.day),
            "note": note.text,
        }
        for note in shown
    ]
    x = _time_axis(texts, first, last)
    tooltip: list[Json] = [
        {"field": "date", "title": texts.x_title},
        {"field": "note", "title": texts.note_label},
    ]
    return [
        {
            "data": {"values": values},
            "mark": {"type": "rule", "color": NOTE, "strokeDash": [4, 3], "strokeWidth": 1.5},
            "encoding": {"x": x, "tooltip": tooltip},
        },
        {
            "data": {"values": values},
            "mark": {
                "type": "point",
                "shape": "triangle-down",
                "filled": True,
                "size": 140,
                "color": NOTE,
            },
            "encoding": {
                "x": x,
                "y": {"field": "top", "type": "quantitative", "axis": _axis(scale)},
                "tooltip": tooltip,
            },
        },
    ]


def rom_course_spec(
    points: Sequence[ScorePoint],
    *,
    scale: Scale,
    band: ReliableChangeBand | None,
    notes: Sequence[ChartNote],
    texts: Texts,
    language: str,
) -> Spec:
    """A score over time; the shaded band is "no reliable change since the first time"
    (left out when the scale has no reliable-change figures)."""
    ordered = sorted(points, key=lambda p: p.day)
    if not ordered:
        raise ValueError("a course needs at least one score")
    first, last = ordered[0].day, ordered[-1].day
    if last == first:
        first, last = first - timedelta(days=7), last + timedelta(days=7)
    x = _time_axis(texts, first, last)
    y = _value_axis(texts, scale)
    values: list[Json] = [
        {
            "day": p.day.isoformat(),
            "value": p.score,
            "date": _day_label(p.day),
            "score": _number(p.score, language),
        }
        for p in ordered
    ]
    tooltip: list[Json] = [
        {"field": "date", "title": texts.x_title},
        {"field": "score", "title": texts.y_title},
    ]
    layers: list[Json] = []
    if band is not None:
        layers.append(
            {
                "data": {
                    "values": [
                        {
                            "lower": band.lower,
                            "upper": band.upper,
                            "label": texts.band_label,
                        }
                    ]
                },
                "mark": {"type": "rect", "color": BAND},
                "encoding": {
                    "y": {"field": "lower", "type": "quantitative", "axis": _axis(scale)},
                    "y2": {"field": "upper"},
                    "tooltip": {"field": "label", "title": texts.band_label},
                },
            }
        )
    layers.append(
        {
            "data": {"values": values},
            "mark": {"type": "line", "color": LINE, "strokeWidth": 3},
            "encoding": {"x": x, "y": y},
        }
    )
    layers.append(
        {
            "data": {"values": values},
            "mark": {"type": "point", "filled": True, "size": 80, "color": LINE},
            "encoding": {"x": x, "y": y, "tooltip": tooltip},
        }
    )
    layers.extend(_note_layers(notes, texts, first, last, scale))
    return {**_base(texts), "layer": layers}


def ema_line_spec(
    days: Sequence[DayValue],
    *,
    first_day: date,
    last_day: date,
    scale: Scale,
    notes: Sequence[ChartNote],
    texts: Texts,
    language: str,
) -> Spec:
    """The mean answer per day from ``first_day`` to ``last_day``; every day without an
    answer is a gap in the line (a null value), never drawn as if measured."""
    by_day = {d.day: d for d in days}
    values: list[Json] = []
    for offset in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=offset)
        found = by_day.get(day)
        values.append(
            {
                "day": day.isoformat(),
                "value": None if found is None else round(found.mean, 2),
                "date": _day_label(day),
                "mean": "" if found is None else _number(found.mean, language),
                "answers": 0 if found is None else found.answers,
            }
        )
    x = _time_axis(texts, first_day, last_day)
    y = _value_axis(texts, scale)
    tooltip: list[Json] = [
        {"field": "date", "title": texts.x_title},
        {"field": "mean", "title": texts.y_title},
    ]
    layers: list[Json] = [
        {
            "data": {"values": values},
            "mark": {"type": "line", "color": LINE, "strokeWidth": 3},
            "encoding": {"x": x, "y": y},
        },
        {
            "data": {"values": values},
            "transform": [{"filter": "isValid(datum.value)"}],
            "mark": {"type": "point", "filled": True, "size": 60, "color": LINE},
            "encoding": {"x": x, "y": y, "tooltip": tooltip},
        },
    ]
    layers.extend(_note_layers(notes, texts, first_day, last_day, scale))
    return {**_base(texts), "layer": layers}


def daily_pairs(xs: Sequence[DayValue], ys: Sequence[DayValue]) -> tuple[DayPair, ...]:
    """The days on which both questions were answered, with each day's two means."""
    by_day = {d.day: d.mean for d in ys}
    return tuple(
        DayPair(day=d.day, x=d.mean, y=by_day[d.day])
        for d in sorted(xs, key=lambda d: d.day)
        if d.day in by_day
    )


def pairing_spec(
    pairs: Sequence[DayPair],
    *,
    x_scale: Scale,
    y_scale: Scale,
    texts: Texts,
    language: str,
) -> Spec:
    """One dot per day: the day's mean of one question (x) against another (y)."""
    values: list[Json] = [
        {
            "x": p.x,
            "y": p.y,
            "date": _day_label(p.day),
            "x_shown": _number(p.x, language),
            "y_shown": _number(p.y, language),
        }
        for p in pairs
    ]
    return {
        **_base(texts),
        "data": {"values": values},
        "mark": {"type": "point", "filled": True, "size": 90, "color": LINE, "opacity": 0.8},
        "encoding": {
            "x": {
                "field": "x",
                "type": "quantitative",
                "title": texts.x_title,
                "scale": {"domain": [x_scale.minimum, x_scale.maximum], "nice": False},
                "axis": _axis(x_scale),
            },
            "y": {
                "field": "y",
                "type": "quantitative",
                "title": texts.y_title,
                "scale": {"domain": [y_scale.minimum, y_scale.maximum], "nice": False},
                "axis": _axis(y_scale),
            },
            "tooltip": [
                {"field": "date", "title": texts.note_label or texts.title},
                {"field": "x_shown", "title": texts.x_title},
                {"field": "y_shown", "title": texts.y_title},
            ],
        },
    }


def mood_around_activity(
    answers: Sequence[TimedAnswers], *, mood: str, activity: str, active_from: float
) -> tuple[MoodMoment, ...]:
    """Consecutive answered questions of one day where the later one says the patient
    was active since the earlier one (``activity`` at least ``active_from``), with the
    mood at both. ``active_from`` is a display choice of the caller (for example the
    upper half of the activity scale), not a clinical threshold."""
    ordered = sorted(answers, key=lambda a: a.at)
    moments: list[MoodMoment] = []
    for earlier, later in pairwise(ordered):
        if earlier.day != later.day:
            continue
        before = earlier.values.get(mood)
        after = later.values.get(mood)
        active = later.values.get(activity)
        if before is None or after is None or active is None or active < active_from:
            continue
        moments.append(MoodMoment(day=later.day, before=before, after=after, activity=active))
    return tuple(moments)


def before_after_spec(
    moments: Sequence[MoodMoment],
    *,
    scale: Scale,
    before_label: str,
    after_label: str,
    texts: Texts,
    language: str,
) -> Spec:
    """Each moment as a short line from the mood before (left) to after (right)."""
    values: list[Json] = []
    for index, moment in enumerate(moments):
        for when, value in ((before_label, moment.before), (after_label, moment.after)):
            values.append(
                {
                    "moment": index,
                    "when": when,
                    "value": value,
                    "date": _day_label(moment.day),
                    "shown": _number(value, language),
                }
            )
    x: dict[str, Json] = {
        "field": "when",
        "type": "nominal",
        "title": texts.x_title,
        "sort": [before_label, after_label],
        "axis": {"labelAngle": 0},
        "scale": {"padding": 0.4},
    }
    y = _value_axis(texts, scale)
    return {
        **_base(texts),
        "data": {"values": values},
        "layer": [
            {
                "mark": {"type": "line", "color": LINE, "opacity": 0.5, "strokeWidth": 2},
                "encoding": {"x": x, "y": y, "detail": {"field": "moment", "type": "nominal"}},
            },
            {
                "mark": {"type": "point", "filled": True, "size": 70, "color": LINE},
                "encoding": {
                    "x": x,
                    "y": y,
                    "tooltip": [
                        {"field": "date", "title": texts.note_label or texts.title},
                        {"field": "shown", "title": texts.y_title},
                    ],
                },
            },
        ],
    }
