"""The Vega-Lite specifications of the feedback charts: their structure and their data."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from maatwerk.core.analysis.change import (
    Measurement,
    change_rule,
    fixed_threshold_rule,
    trajectory,
)
from maatwerk.core.analysis.content import bundled_monitoring
from maatwerk.core.analysis.reliable_change import (
    ReliableChangeCategory,
    minimal_reliable_difference,
)
from maatwerk.core.instruments.reference import UnknownSexNorm
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.monitoring.chart import DayValue
from maatwerk.core.monitoring.chart_specs import (
    VEGA_LITE_SCHEMA,
    ChartNote,
    DayPair,
    Json,
    MoodMoment,
    Scale,
    ScorePoint,
    Spec,
    Texts,
    TimedAnswers,
    before_after_spec,
    change_rule_band,
    daily_pairs,
    ema_line_spec,
    mood_around_activity,
    pairing_spec,
    reliable_change_band,
    rom_course_spec,
)

TEXTS = Texts(
    title="Somberheid",
    x_title="Datum",
    y_title="Score",
    note_label="Jouw notitie",
    band_label="Geen echte verandering",
)


def _layers(spec: Spec) -> list[dict[str, Json]]:
    layers = spec["layer"]
    assert isinstance(layers, list)
    found = [layer for layer in layers if isinstance(layer, dict)]
    assert len(found) == len(layers)
    return found


def _mark(layer: dict[str, Json]) -> str:
    mark = layer["mark"]
    assert isinstance(mark, dict)
    return str(mark["type"])


def _values(layer: dict[str, Json]) -> list[Json]:
    data = layer["data"]
    assert isinstance(data, dict)
    values = data["values"]
    assert isinstance(values, list)
    return values


def test_band_is_the_minimal_reliable_difference_around_the_first_score() -> None:
    band = reliable_change_band(baseline=18, sd=5.7, reliability=0.86, scale=Scale(0, 27))
    points = minimal_reliable_difference(sd=5.7, reliability=0.86).points
    assert band.points == points
    assert band.lower == pytest.approx(18 - points)
    assert band.upper == pytest.approx(18 + points)


def test_band_stays_inside_the_scale() -> None:
    band = reliable_change_band(baseline=25, sd=5.7, reliability=0.86, scale=Scale(0, 27))
    assert band.upper == 27
    low = reliable_change_band(baseline=1, sd=5.7, reliability=0.86, scale=Scale(0, 27))
    assert low.lower == 0


def test_without_a_sex_the_band_follows_the_norm_chosen_for_the_patient() -> None:
    """GAD-7 1.0 has only norms per sex (Löwe 2008): women SD 3.5, men SD 3.2, alpha 0.89.

    By hand, MRD = 1.96 x SD x sqrt(2) x sqrt(1 - 0.89) = 1.96 x SD x sqrt(0.22)
    = SD x 1.96 x 0.469042 = SD x 0.919321: men (chosen) 3.2 x 0.919321 = 2.941829;
    women (the conservative larger SD) 3.5 x 0.919321 = 3.217625. Around a first score
    of 7 the chosen band runs from 4.058171 to 9.941829, so a later 4 (3 points lower)
    lies outside it, and the verdict with the same norm is a reliable improvement; with
    the women's norm a 3-point change is not reliable.
    """
    scale = next(s for s in get_instrument("gad7", "1.0").scales if s.id == "total")
    chosen = change_rule(scale, sex=None, unknown_sex=UnknownSexNorm.MALE)
    assert chosen is not None
    band = change_rule_band(baseline=7, rule=chosen, scale=Scale(0, 21))
    assert band.points == pytest.approx(2.941829, abs=1e-5)
    assert (band.lower, band.upper) == (pytest.approx(4.058171), pytest.approx(9.941829))
    verdict = trajectory([Measurement(0, 7), Measurement(4, 4)], chosen)
    assert band.points == verdict.threshold_points
    assert verdict.latest.reliable_change is ReliableChangeCategory.RELIABLE_IMPROVEMENT
    assert not band.lower <= 4 <= band.upper
    conservative = change_rule(scale, sex=None)
    assert conservative is not None
    wide = change_rule_band(baseline=7, rule=conservative, scale=Scale(0, 21))
    assert wide.points == pytest.approx(3.217625, abs=1e-5)
    judged = trajectory([Measurement(0, 7), Measurement(4, 4)], conservative)
    assert judged.latest.reliable_change is ReliableChangeCategory.NO_RELIABLE_CHANGE
    assert wide.lower <= 4 <= wide.upper


def test_without_norms_the_band_is_the_fixed_threshold_the_change_rules_use() -> None:
    """PHQ-9 1.0 has a reliability but no norm SD: change is judged by the IAPT fixed
    threshold of 6 points (monitoring content), so around 16 the band is 10..22."""
    scale = next(s for s in get_instrument("phq9", "1.0").scales if s.id == "total")
    fixed = bundled_monitoring().fixed_change_rule("phq9", "total")
    assert fixed is not None
    rule = change_rule(scale, sex="female", fixed=fixed)
    assert rule == fixed_threshold_rule(fixed, scale)
    band = change_rule_band(baseline=16, rule=rule, scale=Scale(0, 27))
    assert (band.lower, band.upper, band.points) == (10, 22, 6)
    assert change_rule(scale, sex="female") is None


def test_rom_course_has_band_line_points_and_note_marks() -> None:
    band = reliable_change_band(baseline=18, sd=5.7, reliability=0.86, scale=Scale(0, 27))
    spec = rom_course_spec(
        [ScorePoint(date(2026, 2, 2), 14.5), ScorePoint(date(2026, 1, 5), 18)],
        scale=Scale(0, 27),
        band=band,
        notes=[ChartNote(date(2026, 1, 20), "Ruzie gehad"), ChartNote(date(2025, 1, 1), "oud")],
        texts=TEXTS,
        language="nl",
    )
    assert spec["$schema"] == VEGA_LITE_SCHEMA
    assert spec["description"] == "Somberheid"
    layers = _layers(spec)
    assert [_mark(layer) for layer in layers] == ["rect", "line", "point", "rule", "point"]
    assert _values(layers[0]) == [
        {"lower": band.lower, "upper": band.upper, "label": "Geen echte verandering"}
    ]
    # Scores in date order, with the Dutch decimal comma in the tooltip text.
    assert _values(layers[1]) == [
        {"day": "2026-01-05", "value": 18, "date": "5-1-2026", "score": "18"},
        {"day": "2026-02-02", "value": 14.5, "date": "2-2-2026", "score": "14,5"},
    ]
    # Only the note inside the period is marked, with its own words.
    assert _values(layers[3]) == [
        {"day": "2026-01-20", "top": 27, "date": "20-1-2026", "note": "Ruzie gehad"}
    ]
    json.dumps(spec)  # JSON as it is: the page and the PDF read the same text


def test_rom_course_without_reliable_change_figures_has_no_band() -> None:
    spec = rom_course_spec(
        [ScorePoint(date(2026, 1, 5), 10)],
        scale=Scale(0, 27),
        band=None,
        notes=[],
        texts=TEXTS,
        language="en",
    )
    assert [_mark(layer) for layer in _layers(spec)] == ["line", "point"]
    with pytest.raises(ValueError, match="at least one score"):
        rom_course_spec([], scale=Scale(0, 27), band=None, notes=[], texts=TEXTS, language="en")


def test_ema_line_breaks_on_days_without_answers() -> None:
    days = [DayValue(date(2026, 3, 1), 40.25, 3), DayValue(date(2026, 3, 3), 60, 1)]
    spec = ema_line_spec(
        days,
        first_day=date(2026, 3, 1),
        last_day=date(2026, 3, 4),
        scale=Scale(0, 100),
        notes=[ChartNote(date(2026, 3, 2), "Slecht geslapen")],
        texts=TEXTS,
        language="nl",
    )
    layers = _layers(spec)
    assert [_mark(layer) for layer in layers] == ["line", "point", "rule", "point"]
    values = _values(layers[0])
    assert [v["value"] for v in values if isinstance(v, dict)] == [40.25, None, 60, None]
    assert [v["mean"] for v in values if isinstance(v, dict)] == ["40,3", "", "60", ""]
    assert layers[1]["transform"] == [{"filter": "isValid(datum.value)"}]
    encoding = layers[0]["encoding"]
    assert isinstance(encoding, dict)
    assert encoding["y"] == {
        "field": "value",
        "type": "quantitative",
        "title": "Score",
        "scale": {"domain": [0, 100], "nice": False},
        "axis": {"tickCount": 5},
    }


def test_daily_pairs_keep_only_days_with_both_answers() -> None:
    activity = [DayValue(date(2026, 3, 2), 6, 2), DayValue(date(2026, 3, 1), 2, 1)]
    pain = [DayValue(date(2026, 3, 1), 70, 3), DayValue(date(2026, 3, 3), 20, 1)]
    assert daily_pairs(activity, pain) == (DayPair(date(2026, 3, 1), 2, 70),)


def test_pairing_spec_is_one_dot_per_day() -> None:
    spec = pairing_spec(
        [DayPair(date(2026, 3, 1), 2, 70), DayPair(date(2026, 3, 2), 7.5, 30)],
        x_scale=Scale(0, 10),
        y_scale=Scale(0, 100),
        texts=TEXTS,
        language="nl",
    )
    assert isinstance(spec["mark"], dict) and spec["mark"]["type"] == "point"
    data = spec["data"]
    assert isinstance(data, dict)
    assert data["values"] == [
        {"x": 2, "y": 70, "date": "1-3-2026", "x_shown": "2", "y_shown": "70"},
        {"x": 7.5, "y": 30, "date": "2-3-2026", "x_shown": "7,5", "y_shown": "30"},
    ]


def _answers(hour: int, day: int, **values: float) -> TimedAnswers:
    return TimedAnswers(
        at=datetime(2026, 3, day, hour, tzinfo=UTC), day=date(2026, 3, day), values=values
    )


def test_mood_around_activity_pairs_consecutive_answers_of_one_day() -> None:
    answers = [
        _answers(9, 1, mood=40, activity=1),
        _answers(13, 1, mood=55, activity=7),  # active since 9:00: a moment
        _answers(18, 1, mood=50, activity=2),  # not active enough
        _answers(9, 2, mood=30, activity=9),  # the first of a new day: nothing before it
        _answers(13, 2, activity=8),  # no mood answer
        _answers(18, 2, mood=35, activity=5),  # the one before has no mood
    ]
    moments = mood_around_activity(answers, mood="mood", activity="activity", active_from=5)
    assert moments == (MoodMoment(day=date(2026, 3, 1), before=40, after=55, activity=7),)


def test_before_after_spec_draws_each_moment_as_a_line() -> None:
    spec = before_after_spec(
        [MoodMoment(date(2026, 3, 1), 40, 55, 7)],
        scale=Scale(0, 100),
        before_label="Ervoor",
        after_label="Erna",
        texts=TEXTS,
        language="nl",
    )
    layers = _layers(spec)
    assert [_mark(layer) for layer in layers] == ["line", "point"]
    data = spec["data"]
    assert isinstance(data, dict)
    assert data["values"] == [
        {"moment": 0, "when": "Ervoor", "value": 40, "date": "1-3-2026", "shown": "40"},
        {"moment": 0, "when": "Erna", "value": 55, "date": "1-3-2026", "shown": "55"},
    ]
    encoding = layers[0]["encoding"]
    assert isinstance(encoding, dict)
    x = encoding["x"]
    assert isinstance(x, dict) and x["sort"] == ["Ervoor", "Erna"]


def _y_axes(spec: Spec) -> list[Json]:
    """The y axis settings of the spec and of every layer that draws on the y scale."""
    parts = [spec, *(_layers(spec) if "layer" in spec else [])]
    axes = []
    for part in parts:
        encoding = part.get("encoding")
        if isinstance(encoding, dict) and isinstance(encoding.get("y"), dict):
            axes.append(encoding["y"].get("axis"))  # type: ignore[union-attr]
    return axes


def test_a_scale_of_whole_numbers_has_whole_number_ticks_on_every_chart() -> None:
    """Found walking the demo: "2.5" and "12.0" on the axis of a 0-10 slider and a sum
    score. Whole-number scales tick in whole numbers; a continuous scale keeps decimals."""
    whole, continuous = Scale(0, 10, whole=True), Scale(-0.5, 1)
    integer_axis = {"tickCount": 5, "tickMinStep": 1, "format": "d"}
    band = reliable_change_band(baseline=6, sd=2, reliability=0.8, scale=whole)
    course = rom_course_spec(
        [ScorePoint(date(2026, 1, 5), 6), ScorePoint(date(2026, 2, 2), 3)],
        scale=whole,
        band=band,
        notes=[ChartNote(date(2026, 1, 20), "x")],
        texts=TEXTS,
        language="nl",
    )
    line = ema_line_spec(
        [DayValue(date(2026, 3, 1), 4.5, 2)],
        first_day=date(2026, 3, 1),
        last_day=date(2026, 3, 2),
        scale=whole,
        notes=[],
        texts=TEXTS,
        language="nl",
    )
    moments = before_after_spec(
        [MoodMoment(date(2026, 3, 1), 4, 6, 7)],
        scale=whole,
        before_label="Ervoor",
        after_label="Erna",
        texts=TEXTS,
        language="nl",
    )
    for spec in (course, line, moments):
        axes = _y_axes(spec)
        assert axes and all(axis == integer_axis for axis in axes), axes
    pairs = pairing_spec(
        [DayPair(date(2026, 3, 1), 2, 7)],
        x_scale=whole,
        y_scale=continuous,
        texts=TEXTS,
        language="nl",
    )
    encoding = pairs["encoding"]
    assert isinstance(encoding, dict)
    assert encoding["x"]["axis"] == integer_axis  # type: ignore[index]
    assert encoding["y"]["axis"] == {"tickCount": 5}  # type: ignore[index]
