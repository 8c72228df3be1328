"""Phase comparisons (core.analysis.phases): NAP, Tau-U and piecewise regression.

Golden values and their provenance. All come from the R package scan (Wilbert, J., &
Lüke, T., "scan: Single-Case Data Analyses for Single and Multiple Baseline Designs",
version 0.67.1, GitHub jazznbass/scan commit 7e80cb9), whose reference pages print them
and whose R code was run on these inputs:

* NAP, case "Gretchen" (scan ``docs/reference/nap.html``), the example of Parker & Vannest
  (2009), Behavior Therapy 40, 357–367: NAP 93.75, p 0.01597454, d 2.239291.
* Tau-U, case "Bob": "Replicate tau-U calculation from Parker et al. (2011)" (scan
  ``docs/reference/tau_u.html``), the worked example of Parker, Vannest, Davis & Sauber
  (2011), Behavior Therapy 42, 284–299; method "parker" and the default "complete".
* Tau-U and NAP, case "Eva" of scan's data set ``Grosche2011`` (Grosche, M. (2011),
  data published with scan), ``tau_u(Grosche2011$Eva)``.
* Piecewise regression, case "Johanna" of scan's data set ``exampleAB``, ``plm()`` (OLS):
  the Huitema & McKean (2000) model; coefficients and standard errors.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from maatwerk.core.analysis.phases import (
    InvalidPhaseInput,
    Nap,
    PhaseIssue,
    PhaseRefusal,
    PiecewiseRegression,
    TauU,
    TauURowName,
    nap,
    piecewise_regression,
    pnd,
    tau_u,
)

GRETCHEN_A = [12, 14, 9, 10]
GRETCHEN_B = [10, 6, 4, 5, 3, 4]
BOB_A = [2, 3, 5, 3]
BOB_B = [4, 5, 5, 7, 6]
EVA_A = [3.39, 2.09, 1.46, 3.23, 3.06, 2.83]
EVA_B = [2.44, 1.86, 2.17, 2.59, 3.92, 4.14, 3.31, 2.69, 4.27, 4.66, 3.20, 4.98, 4.42]
JOHANNA = [54, 53, 56, 58, 52, 61, 62, 71, 66, 64, 78, 70, 74, 82, 77, 86, 68, 80, 86, 87]

R = TauURowName


def _nap(a: list[float], b: list[float], *, decreasing: bool) -> Nap:
    result = nap(a, b, decreasing=decreasing)
    assert isinstance(result, Nap)
    return result


def _tau(a: list[float], b: list[float], **kwargs: object) -> TauU:
    result = tau_u(a, b, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, TauU)
    return result


def test_nap_gretchen_parker_and_vannest_2009() -> None:
    result = _nap(GRETCHEN_A, GRETCHEN_B, decreasing=True)
    assert result.nap == pytest.approx(93.75)
    assert result.nap_rescaled == pytest.approx(87.5)
    assert (result.pairs, result.positives, result.ties) == (24, 22, 1)
    assert result.non_overlaps == pytest.approx(22.5)
    assert result.w == pytest.approx(22.5)
    assert result.p == pytest.approx(0.01597454, abs=5e-9)
    assert result.d == pytest.approx(2.239291, abs=5e-7)
    assert result.r_squared == pytest.approx(0.5562667, abs=5e-8)
    assert PhaseIssue.TIES in result.warnings


def test_pnd_gretchen_and_bob() -> None:
    # scan: pnd(Gretchen, decreasing = TRUE) = 83.33333333; pnd(bob) = 40
    assert pnd(GRETCHEN_A, GRETCHEN_B, decreasing=True) == pytest.approx(83.33333333)
    assert pnd(BOB_A, BOB_B, decreasing=False) == pytest.approx(40.0)
    assert isinstance(pnd([], [1], decreasing=False), PhaseRefusal)


def test_nap_bob_and_eva() -> None:
    bob = _nap(BOB_A, BOB_B, decreasing=False)
    assert (bob.nap, bob.nap_rescaled, bob.pairs, bob.ties) == (90.0, 80.0, 20, 2)
    assert bob.w == 2.0
    assert bob.p == pytest.approx(0.0302844301, abs=1e-10)
    assert bob.d == pytest.approx(1.914852105, abs=1e-9)
    assert bob.r_squared == pytest.approx(0.4782603196, abs=1e-10)
    eva = _nap(EVA_A, EVA_B, decreasing=False)
    assert eva.nap == pytest.approx(69.23076923)
    assert eva.w == 24.0
    assert eva.p == pytest.approx(0.1017338002, abs=1e-10)
    assert eva.d == pytest.approx(0.7466148315, abs=1e-10)
    assert eva.r_squared == pytest.approx(0.1223130697, abs=1e-10)
    assert eva.warnings == ()


# name: pairs, pos, neg, ties, S, Tau, Z, p (Parker et al. 2011 via scan, method "parker")
BOB_PARKER = {
    R.A_VS_B: (20, 17, 1, 2, 16, 0.8, 2.001738, 0.045312877),
    R.TREND_A: (6, 4, 1, 1, 3, 0.5, 1.083473, 0.278598672),
    R.TREND_B: (10, 8, 1, 1, 7, 0.7, 1.768519, 0.076974173),
    R.A_VS_B_MINUS_TREND_A: (20, 18, 5, 3, 13, 0.65, 1.533587, 0.125131322),
    R.A_VS_B_PLUS_TREND_B: (30, 25, 2, 3, 23, 0.7666667, 2.581744, 0.009830259),
    R.A_VS_B_PLUS_TREND_B_MINUS_TREND_A: (36, 26, 6, 4, 20, 0.5555556, 2.140129, 0.032344333),
}


@pytest.mark.parametrize("name", list(BOB_PARKER))
def test_tau_u_bob_reproduces_parker_2011(name: TauURowName) -> None:
    row = _tau(BOB_A, BOB_B, decreasing=False, method="parker").row(name)
    assert row is not None
    pairs, pos, neg, ties, s, tau, z, p = BOB_PARKER[name]
    assert (row.pairs, row.positives, row.negatives, row.ties, row.s) == (pairs, pos, neg, ties, s)
    assert row.tau == pytest.approx(tau, abs=5e-8)
    assert row.z == pytest.approx(z, abs=5e-7)
    assert row.p == pytest.approx(p, abs=5e-10)


def test_tau_u_bob_parker_ci_by_fisher_z() -> None:
    row = _tau(BOB_A, BOB_B, decreasing=False, method="parker").row(R.A_VS_B)
    assert row is not None
    assert (row.ci_lower, row.ci_upper) == (
        pytest.approx(0.28990298, abs=5e-9),
        pytest.approx(0.9561315, abs=5e-8),
    )


BOB_COMPLETE = {  # D and Tau of scan's default (complete, tau-b)
    R.A_VS_B: (20, 19.0, 0.8421052632),
    R.TREND_A: (6, 5.477225575, 0.5477225575),
    R.TREND_B: (10, 9.486832981, 0.7378647874),
    R.A_VS_B_MINUS_TREND_A: (26, 28.844410204, 0.4506939094),
    R.A_VS_B_PLUS_TREND_B: (30, 30.983866770, 0.7423218080),
    R.A_VS_B_PLUS_TREND_B_MINUS_TREND_A: (36, 33.941125497, 0.5892556510),
}


@pytest.mark.parametrize("name", list(BOB_COMPLETE))
def test_tau_u_bob_complete_tau_b(name: TauURowName) -> None:
    row = _tau(BOB_A, BOB_B, decreasing=False).row(name)
    assert row is not None
    pairs, d, tau = BOB_COMPLETE[name]
    assert row.pairs == pairs
    assert row.d == pytest.approx(d, abs=1e-9)
    assert row.tau == pytest.approx(tau, abs=1e-10)
    assert row.z == pytest.approx(BOB_PARKER[name][6], abs=5e-7)  # Z does not depend on D


# name: pairs, pos, neg, S, D, Tau, CI lower, CI upper, SD_S, Z, p (scan, complete/tau-b)
EVA = {
    R.A_VS_B: (78, 54, 24, 30, 78, 0.3846153846, -0.08432515971, 0.7140781591, None,
               1.315587029, 0.188312689),
    R.TREND_A: (15, 6, 9, -3, 15, -0.2, -0.87030079357, 0.7300587632, 5.32290647,
                -0.563601862, 0.573025119),
    R.TREND_B: (78, 64, 14, 50, 78, 0.6410256410, 0.13920801065, 0.8808858448, 16.3910545,
                3.050444380, 0.002285030),
    R.A_VS_B_MINUS_TREND_A: (93, 63, 30, 33, 126.1070973, 0.2616823374, -0.21849721003,
                             0.6398410463, 23.4165184, 1.409261593, 0.158757831),
    R.A_VS_B_PLUS_TREND_B: (156, 118, 38, 80, 163.3278911, 0.4898122389, 0.04579023999,
                            0.7722201062, 28.0832097, 2.848677230, 0.004390139),
    R.A_VS_B_PLUS_TREND_B_MINUS_TREND_A: (171, 127, 44, 83, 171, 0.4853801170,
                                          0.03998639809, 0.7698623498, 28.5832119,
                                          2.903802428, 0.003686607),
}  # fmt: skip


@pytest.mark.parametrize("name", list(EVA))
def test_tau_u_eva_grosche_2011(name: TauURowName) -> None:
    row = _tau(EVA_A, EVA_B, decreasing=False).row(name)
    assert row is not None
    pairs, pos, neg, s, d, tau, lower, upper, sd_s, z, p = EVA[name]
    assert (row.pairs, row.positives, row.negatives, row.s) == (pairs, pos, neg, s)
    assert row.d == pytest.approx(d, abs=5e-8)
    assert row.tau == pytest.approx(tau, abs=1e-10)
    assert row.ci_lower == pytest.approx(lower, abs=1e-10)
    assert row.ci_upper == pytest.approx(upper, abs=1e-10)
    assert row.z == pytest.approx(z, abs=1e-9)
    assert row.p == pytest.approx(p, abs=1e-9)
    if name is not R.TREND_A and sd_s is not None:
        # scan prints the no-ties SD for the trend-A row and Mann-Whitney's for A vs. B;
        # elsewhere its SD_S is the one Z is computed from, as ours always is.
        assert math.sqrt(row.var_s) == pytest.approx(sd_s, abs=5e-7)


def test_decreasing_mirrors_the_signs() -> None:
    up = _tau(BOB_A, BOB_B, decreasing=False)
    down = _tau([-v for v in BOB_A], [-v for v in BOB_B], decreasing=True)
    assert [r.s for r in up.rows] == [r.s for r in down.rows]
    assert [r.tau for r in up.rows] == [r.tau for r in down.rows]


def test_tau_u_with_one_baseline_point_has_no_trend_a_models() -> None:
    result = _tau([5], [4, 3, 2], decreasing=True)
    assert result.a_vs_b_minus_trend_a is None
    assert result.row(R.TREND_A) is None
    assert result.row(R.A_VS_B_PLUS_TREND_B) is not None
    assert PhaseIssue.SHORT_BASELINE in result.warnings


def test_empty_phase_is_refused_not_raised() -> None:
    for result in (
        nap([], [1, 2], decreasing=False),
        tau_u([1, 2], [], decreasing=False),
        piecewise_regression([], [1, 2, 3]),
    ):
        assert isinstance(result, PhaseRefusal)
        assert result.issue is PhaseIssue.EMPTY_PHASE


def test_all_values_equal_give_no_p_value_and_a_warning() -> None:
    flat = _nap([7, 7, 7], [7, 7], decreasing=True)
    assert flat.nap == 50.0 and flat.p is None
    assert PhaseIssue.ALL_VALUES_EQUAL in flat.warnings
    tau = _tau([7, 7, 7], [7, 7], decreasing=True)
    assert all(row.s == 0 and row.z is None and row.p is None for row in tau.rows)
    refused = piecewise_regression([7, 7, 7], [7, 7])
    assert isinstance(refused, PhaseRefusal) and refused.issue is PhaseIssue.ALL_VALUES_EQUAL


def test_constant_baseline_is_flagged() -> None:
    result = _nap([10, 10, 10], [8, 6, 5], decreasing=True)
    assert result.warnings == (PhaseIssue.CONSTANT_PHASE,)
    assert result.nap == 100.0


def test_invalid_numbers_raise() -> None:
    with pytest.raises(InvalidPhaseInput, match=r"baseline\[1\]"):
        nap([1, math.nan], [2], decreasing=False)
    with pytest.raises(InvalidPhaseInput):
        tau_u([1, True], [2], decreasing=False)  # type: ignore[list-item]


def _plm(a: list[float], b: list[float], **kwargs: object) -> PiecewiseRegression:
    result = piecewise_regression(a, b, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, PiecewiseRegression)
    return result


def test_piecewise_regression_johanna_huitema_mckean() -> None:
    fit = _plm(JOHANNA[:5], JOHANNA[5:])
    expected = [
        (fit.intercept, 54.4, 3.88968989767),
        (fit.baseline_slope, 0.1, 1.58795925116),
        (fit.level_change, 7.85833333333, 5.81649914694),
        (fit.slope_change, 1.525, 1.61606690673),
    ]
    for coefficient, estimate, se in expected:
        assert coefficient.estimate == pytest.approx(estimate, abs=1e-9)
        assert coefficient.se == pytest.approx(se, abs=1e-9)
    assert fit.df == 16
    # t-test p-values against scipy's Student t
    t = fit.level_change.t
    assert t is not None
    assert fit.level_change.p == pytest.approx(2 * stats.t.sf(abs(t), 16), rel=1e-10)


def test_piecewise_times_shift_and_scale() -> None:
    # Measurement weeks 3, 5, 7, ... give the same level change and half the slopes.
    weeks = [3 + 2 * i for i in range(len(JOHANNA))]
    fit = _plm(JOHANNA[:5], JOHANNA[5:], times=weeks)
    assert fit.level_change.estimate == pytest.approx(7.85833333333, abs=1e-9)
    assert fit.slope_change.estimate == pytest.approx(1.525 / 2, abs=1e-9)


def test_piecewise_refusals() -> None:
    cases = [
        (([1], [2, 3, 4, 5]), {}, PhaseIssue.TOO_FEW_POINTS),
        (([1, 2], [3, 4]), {}, PhaseIssue.TOO_FEW_POINTS),
        (([1, 2], [3, 4, 5]), {"times": [1, 2, 3]}, PhaseIssue.LENGTHS_DIFFER),
        (([1, 2], [3, 4, 5]), {"times": [1, 2, 2, 3, 4]}, PhaseIssue.TIMES_NOT_INCREASING),
    ]
    for (a, b), kwargs, issue in cases:
        result = piecewise_regression(a, b, **kwargs)  # type: ignore[arg-type]
        assert isinstance(result, PhaseRefusal) and result.issue is issue


def test_piecewise_perfect_line_warns() -> None:
    fit = _plm([1, 2, 3], [10, 12, 14])
    assert fit.level_change.estimate == pytest.approx(6.0)
    assert fit.slope_change.estimate == pytest.approx(1.0)
    assert PhaseIssue.PERFECT_FIT in fit.warnings


@given(
    st.lists(st.integers(0, 27), min_size=1, max_size=8),
    st.lists(st.integers(0, 27), min_size=1, max_size=8),
)
def test_nap_and_tau_agree_with_pair_counts(a: list[int], b: list[int]) -> None:
    result = _nap(a, b, decreasing=False)
    row = _tau(a, b, decreasing=False, method="parker").row(R.A_VS_B)
    assert row is not None
    # NAP rescaled is Tau (A vs. B) of the parker method, as Parker et al. (2011) note.
    assert result.nap_rescaled / 100 == pytest.approx(row.tau)
    assert 0.0 <= result.nap <= 100.0
    # the p-value agrees with scipy's Mann-Whitney (normal approximation, corrected)
    if result.p is not None:
        expected = stats.mannwhitneyu(a, b, alternative="less", method="asymptotic").pvalue
        assert result.p == pytest.approx(expected, rel=1e-9, abs=1e-12)
