"""Not-on-track signals (core.analysis.not_on_track).

A synthetic organization history (fixed seed) of PHQ-9-like episodes, measured at weeks
0, 1, 2, 3, 4, 6, 8, 10 and 12, with three planted kinds of patient:

* typical responders (80 %): a log-shaped improvement, as the expected-recovery curves of
  Finch, Lambert & Schaalje (2001) assume;
* late responders (15 %): little change until week 4, then a rapid improvement, the
  trajectory that a judgement at session 3 misses (PMC6428692, 4,394 IAPT patients);
* slow responders (5 %): no improvement at all.

Slow responders must be flagged with the documented rule, late responders must not be
flagged at the third measurement, and the clinician rule never flags on one measurement.
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.core.analysis.change import FixedThresholdRule, Measurement
from maatwerk.core.analysis.content import ExpectedCurveSettings, bundled_monitoring
from maatwerk.core.analysis.not_on_track import (
    ClinicianRule,
    Episode,
    ExpectedRecoveryModel,
    HistoryProblem,
    InsufficientHistory,
    SignalRule,
    SignalStatus,
    clinician_signal,
    curve_signal,
    fit_expected_recovery,
    not_on_track_signal,
)
from maatwerk.core.analysis.reliable_change import InvalidChangeInput, ScoreDirection

WEEKS = (0, 1, 2, 3, 4, 6, 8, 10, 12)
WORSE = ScoreDirection.HIGHER_IS_WORSE
MONITORING = bundled_monitoring()
RULE = ClinicianRule.from_content(MONITORING.clinician_rule)
OPTIONS = MONITORING.escalation_options
IAPT_PHQ9 = FixedThresholdRule(
    points=6, symmetric=True, direction=WORSE, unverified=True,
    caseness_operator=">", caseness_value=9,
)  # fmt: skip


def _episode(kind: str, rng: np.random.Generator) -> Episode:
    intake = float(rng.integers(12, 25))
    gain = float(np.clip(rng.normal(0.6, 0.1), 0.3, 0.9))
    values = []
    for week in WEEKS:
        if kind == "typical":
            mean = intake * (1 - gain * math.log(week + 1) / math.log(13))
        elif kind == "late":
            mean = intake * (1 - 0.02 * min(week, 4) - gain * max(0, week - 4) / 8)
        else:  # slow
            mean = intake + 0.1 * week
        noise = 0.0 if week == 0 else rng.normal(0, 1.5)
        values.append(float(np.clip(round(mean + noise), 0, 27)))
    return Episode(tuple(Measurement(w, v) for w, v in zip(WEEKS, values, strict=True)))


@cache
def _history() -> tuple[dict[str, list[Episode]], ExpectedRecoveryModel]:
    rng = np.random.default_rng(20011231)
    kinds = ["typical"] * 240 + ["late"] * 45 + ["slow"] * 15
    episodes: dict[str, list[Episode]] = {"typical": [], "late": [], "slow": []}
    for kind in kinds:
        episodes[kind].append(_episode(kind, rng))
    everyone = [e for group in episodes.values() for e in group]
    model = fit_expected_recovery(everyone, settings=MONITORING.expected_curves, direction=WORSE)
    assert isinstance(model, ExpectedRecoveryModel)
    return episodes, model


def _curve(measurements: tuple[Measurement, ...], flags: tuple[str, ...] = ()) -> SignalStatus:
    _, model = _history()
    return curve_signal(measurements, model, rule=RULE, options=OPTIONS, flags=flags).status


def test_the_fitted_curves_recover_the_typical_course() -> None:
    _, model = _history()
    assert model.converged and model.episodes == 300
    # A typical patient with intake 18 is expected near 18 x (1 - 0.6) = 7 at week 12;
    # the mix with late and slow responders lifts the expected course slightly.
    band = model.band(18, 12)
    assert 6.0 < band.expected < 10.5
    assert band.limit > band.expected
    # a higher intake has a higher expected score at every week
    assert model.band(24, 4).expected > model.band(14, 4).expected


def test_planted_slow_responders_are_flagged() -> None:
    episodes, _ = _history()
    flagged = [_curve(e.measurements) is SignalStatus.NOT_ON_TRACK for e in episodes["slow"]]
    assert all(flagged)


def test_new_slow_responders_outside_the_history_are_flagged_too() -> None:
    rng = np.random.default_rng(7)
    for _ in range(10):
        assert _curve(_episode("slow", rng).measurements) is SignalStatus.NOT_ON_TRACK


def test_late_responders_are_not_flagged_at_the_third_measurement() -> None:
    episodes, model = _history()
    for episode in episodes["late"]:
        third = episode.measurements[:3]
        assert _curve(third) is SignalStatus.TOO_EARLY
        assert _curve(episode.measurements) is SignalStatus.ON_TRACK
    # The guard matters: at week 2 some late responders already lie beyond the band.
    beyond = [
        e.measurements[2].value > model.band(e.measurements[0].value, 2).limit
        for e in episodes["late"]
    ]
    assert any(beyond)


def test_typical_responders_are_rarely_flagged() -> None:
    episodes, _ = _history()
    flagged = sum(_curve(e.measurements) is SignalStatus.NOT_ON_TRACK for e in episodes["typical"])
    assert flagged / len(episodes["typical"]) < 0.05


def test_a_signal_names_its_evidence_and_rule() -> None:
    episodes, _ = _history()
    _, model = _history()
    slow = episodes["slow"][0].measurements
    signal = curve_signal(slow, model, rule=RULE, options=OPTIONS)
    assert signal.rule is SignalRule.EXPECTED_CURVE
    assert len(signal.evidence) == RULE.consecutive
    for evidence in signal.evidence:
        assert evidence.expected is not None and evidence.limit is not None
        assert evidence.score > evidence.limit and evidence.counts_against
    assert signal.unverified  # the band width is a choice, not a source


def test_too_little_history_falls_back_to_the_clinician_rule() -> None:
    episodes, _ = _history()
    few = episodes["typical"][:99]
    result = fit_expected_recovery(few, settings=MONITORING.expected_curves, direction=WORSE)
    assert result == InsufficientHistory(usable_episodes=99, required_episodes=100)
    short = [Episode(e.measurements[:2]) for e in episodes["typical"]]
    result = fit_expected_recovery(short, settings=MONITORING.expected_curves, direction=WORSE)
    assert isinstance(result, InsufficientHistory) and result.usable_episodes == 0


def test_minimum_history_is_a_setting() -> None:
    episodes, _ = _history()
    smaller = ExpectedCurveSettings(
        minimum_episodes=50,
        minimum_measurements_per_episode=3,
        coverage=Decimal("0.9"),
        unverified=True,
        note="test",
    )
    model = fit_expected_recovery(episodes["typical"][:60], settings=smaller, direction=WORSE)
    assert isinstance(model, ExpectedRecoveryModel) and model.episodes == 60


# --------------------------------------------------------------------------- clinician rule


def _series(*values: float) -> tuple[Measurement, ...]:
    return tuple(Measurement(week, value) for week, value in enumerate(values))


def test_clinician_rule_flags_stagnation_and_offers_the_options() -> None:
    signal = clinician_signal(_series(18, 17, 16, 17, 16), IAPT_PHQ9, rule=RULE, options=OPTIONS)
    assert signal.status is SignalStatus.NOT_ON_TRACK
    assert signal.rule is SignalRule.CLINICIAN_DEFINED and signal.unverified
    assert [e.score for e in signal.evidence] == [17, 16]
    ids = [option.id for option in signal.options]
    assert ids == ["step_up", "switch_act", "switch_l_mbt", "involve_system"]
    with_trauma = clinician_signal(
        _series(18, 17, 16, 17, 16),
        IAPT_PHQ9,
        rule=RULE,
        options=OPTIONS,
        flags=("trauma_maintains",),
    )
    assert "add_emdr" in [option.id for option in with_trauma.options]


def test_a_patient_who_starts_below_caseness_is_not_judged() -> None:
    """GAD-7 6 at the start with the IAPT caseness cut-off (> 7): no reliable drop of 4 is
    likely from there, so three unchanged scores are not a stagnation (seen in the demo:
    "not on track" with escalation options for a score below the clinical range)."""
    iapt_gad7 = FixedThresholdRule(
        points=4, symmetric=True, direction=WORSE, unverified=True,
        caseness_operator=">", caseness_value=7,
    )  # fmt: skip
    history = InsufficientHistory(usable_episodes=0, required_episodes=100)
    mild = not_on_track_signal(
        _series(6, 6, 7, 6, 6), history, iapt_gad7, rule=RULE, options=OPTIONS, caseness=iapt_gad7
    )
    assert mild.status is SignalStatus.NOT_A_CASE and not mild.flagged
    assert mild.options == () and mild.evidence == ()
    # At the cut-off itself (7 is not > 7) still not a case; one point above it is judged.
    at_cut_off = not_on_track_signal(
        _series(7, 7, 7, 7, 7), history, iapt_gad7, rule=RULE, options=OPTIONS, caseness=iapt_gad7
    )
    assert at_cut_off.status is SignalStatus.NOT_A_CASE
    case = not_on_track_signal(
        _series(8, 8, 8, 8, 8), history, iapt_gad7, rule=RULE, options=OPTIONS, caseness=iapt_gad7
    )
    assert case.status is SignalStatus.NOT_ON_TRACK and case.options
    # Without a caseness cut-off the rule judges as before.
    unguarded = not_on_track_signal(
        _series(6, 6, 7, 6, 6), history, iapt_gad7, rule=RULE, options=OPTIONS
    )
    assert unguarded.status is SignalStatus.NOT_ON_TRACK


def test_clinician_rule_on_track_has_no_options() -> None:
    signal = clinician_signal(_series(18, 15, 11, 10), IAPT_PHQ9, rule=RULE, options=OPTIONS)
    assert signal.status is SignalStatus.ON_TRACK and signal.options == ()


def test_clinician_rule_never_flags_on_one_measurement() -> None:
    # only the latest follow-up lacks reliable improvement: not flagged
    relapse = clinician_signal(_series(18, 11, 10, 9, 16), IAPT_PHQ9, rule=RULE, options=OPTIONS)
    assert relapse.status is SignalStatus.ON_TRACK
    # intake and one follow-up, even a much worse one: too early
    single = clinician_signal(_series(10, 27), IAPT_PHQ9, rule=RULE, options=OPTIONS)
    assert single.status is SignalStatus.TOO_EARLY
    with pytest.raises(InvalidChangeInput, match="at least 2"):
        ClinicianRule(consecutive=1, earliest_measurement=4)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 27), min_size=1, max_size=10),
    st.integers(2, 4),
    st.integers(0, 3),
)
def test_a_clinician_flag_always_rests_on_several_measurements(
    values: list[int], consecutive: int, extra: int
) -> None:
    rule = ClinicianRule(consecutive=consecutive, earliest_measurement=consecutive + 1 + extra)
    signal = clinician_signal(_series(*values), IAPT_PHQ9, rule=rule, options=OPTIONS)
    if signal.flagged:
        assert len(values) >= rule.earliest_measurement
        assert len(signal.evidence) == consecutive >= 2
        assert all(values[0] - e.score < 6 for e in signal.evidence)


def test_signals_need_an_intake_at_week_zero() -> None:
    with pytest.raises(InvalidChangeInput, match="intake"):
        clinician_signal(
            (Measurement(1, 10), Measurement(2, 10)), IAPT_PHQ9, rule=RULE, options=OPTIONS
        )


def test_a_history_the_model_cannot_fit_is_reported_not_raised() -> None:
    flat = [Episode(tuple(Measurement(w, 10.0) for w in (0, 1, 2, 3))) for _ in range(120)]
    result = fit_expected_recovery(flat, settings=MONITORING.expected_curves, direction=WORSE)
    assert isinstance(result, InsufficientHistory)
    assert result.problem is HistoryProblem.NOT_ESTIMABLE and result.usable_episodes == 120


def test_weeks_beyond_the_history_are_marked_as_extrapolated() -> None:
    _, model = _history()
    assert model.max_week == 12
    late = (*_series(18, 17, 16, 17), Measurement(20, 16), Measurement(30, 16))
    signal = curve_signal(late, model, rule=RULE, options=OPTIONS)
    assert [e.extrapolated for e in signal.evidence] == [True, True]
    with pytest.raises(InvalidChangeInput, match="increase"):
        curve_signal((*_series(18, 17), Measurement(1, 16)), model, rule=RULE, options=OPTIONS)


def test_the_curves_are_used_once_there_is_history_else_the_clinician_rule() -> None:
    _, model = _history()
    stagnant = _series(18, 17, 16, 17, 16)
    without = not_on_track_signal(
        stagnant, InsufficientHistory(12, 100), IAPT_PHQ9, rule=RULE, options=OPTIONS
    )
    assert without.rule is SignalRule.CLINICIAN_DEFINED and without.flagged
    with_curves = not_on_track_signal(stagnant, model, IAPT_PHQ9, rule=RULE, options=OPTIONS)
    assert with_curves.rule is SignalRule.EXPECTED_CURVE and with_curves.flagged
