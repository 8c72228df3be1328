"""Phase comparisons for one patient: baseline (A) against treatment (B).

Single-case (AB) statistics for a scale measured before and after an intervention starts:

* :func:`nap` — Non-overlap of All Pairs (Parker & Vannest 2009);
* :func:`pnd` — Percentage of Non-overlapping Data (Scruggs, Mastropieri & Casto 1987);
* :func:`tau_u` — Tau-U with baseline-trend control (Parker, Vannest, Davis & Sauber 2011);
* :func:`piecewise_regression` — level and slope change with standard errors (Huitema &
  McKean 2000).

The definitions follow the R package *scan* (Wilbert & Lüke, "scan: Single-Case Data
Analyses for Single and Multiple Baseline Designs", version 0.67), so that its printed
examples serve as golden values.

Where a patient's data make a statistic impossible or fragile (an empty phase, too few
points, a constant phase, ties) the functions return a :class:`PhaseRefusal` or attach
:class:`PhaseWarning` codes instead of raising: a clinician can hit these cases with real
data. Only arguments that no caller should pass (NaN, a non-number) raise
:class:`InvalidPhaseInput`.

Size: one method family (AB phase statistics) sharing input checks and refusals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from numbers import Real
from statistics import NormalDist
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from maatwerk.core.common.errors import MaatwerkError

_NORMAL: Final = NormalDist()
_CI_LEVEL: Final = 0.95
_COHEN_D_FACTOR: Final = 3.464
"""NAP to Cohen's d as scan's ``nap()`` converts it (``3.464 * (1 - sqrt((1 - NAP)/0.5)))``)."""

MIN_POINTS_FOR_PIECEWISE: Final = 2
"""Points per phase for a piecewise regression: a slope needs two points in each phase."""


class InvalidPhaseInput(MaatwerkError, ValueError):
    """A value passed to a phase comparison is not a finite real number."""


class PhaseIssue(StrEnum):
    """Why a statistic cannot be computed, or why it should be read with care."""

    EMPTY_PHASE = "empty_phase"
    """Phase A or phase B has no measurement."""
    TOO_FEW_POINTS = "too_few_points"
    """Too few points for this statistic (see its documentation)."""
    LENGTHS_DIFFER = "lengths_differ"
    """Measurement times and values do not have the same length."""
    TIMES_NOT_INCREASING = "times_not_increasing"
    """Measurement times must increase strictly."""
    ALL_VALUES_EQUAL = "all_values_equal"
    """Every value is the same: no p-value, no slope, no spread."""
    CONSTANT_PHASE = "constant_phase"
    """One phase has the same value throughout (a floor or ceiling?)."""
    TIES = "ties"
    """Some values are equal; ties count half (NAP) or are left out (Tau-U S)."""
    SHORT_BASELINE = "short_baseline"
    """Fewer than 3 baseline points: the baseline trend is barely estimable."""
    PERFECT_FIT = "perfect_fit"
    """The regression fits without residual error: standard errors are zero."""


@dataclass(frozen=True, slots=True)
class PhaseRefusal:
    """A statistic that cannot be computed from these data, and why."""

    issue: PhaseIssue
    detail: str


@dataclass(frozen=True, slots=True)
class Nap:
    """Non-overlap of All Pairs.

    Attributes
    ----------
    nap : float
        Percentage of (A, B) pairs in which B improves on A, ties counted half (0–100).
    nap_rescaled : float
        ``2 * nap - 100``: 0 is chance, 100 complete non-overlap.
    pairs, positives, ties : int
        Number of pairs, of improving pairs and of tied pairs.
    non_overlaps : float
        ``positives + ties / 2``.
    w : float
        Mann–Whitney W of A against B (as R's ``wilcox.test(A, B)`` reports it).
    p : float or None
        One-sided p-value of the Mann–Whitney test (normal approximation with tie and
        continuity correction); ``None`` when every value is equal.
    d, r_squared : float
        The effect size conversions scan reports.
    decreasing : bool
        True when lower values are the improvement (symptom scales).
    warnings : tuple of PhaseIssue
    """

    nap: float
    nap_rescaled: float
    pairs: int
    positives: int
    ties: int
    non_overlaps: float
    w: float
    p: float | None
    d: float
    r_squared: float
    decreasing: bool
    warnings: tuple[PhaseIssue, ...]


class TauURowName(StrEnum):
    A_VS_B = "a_vs_b"
    TREND_A = "trend_a"
    TREND_B = "trend_b"
    A_VS_B_MINUS_TREND_A = "a_vs_b_minus_trend_a"
    A_VS_B_PLUS_TREND_B = "a_vs_b_plus_trend_b"
    A_VS_B_PLUS_TREND_B_MINUS_TREND_A = "a_vs_b_plus_trend_b_minus_trend_a"


TauMethod = Literal["complete", "parker"]


@dataclass(frozen=True, slots=True)
class TauURow:
    """One Tau-U model.

    Attributes
    ----------
    name : TauURowName
    pairs : int
        Pairs counted in the denominator of the *parker* method, or all compared pairs
        for *complete*.
    positives, negatives, ties : int
        Pairs that improve, worsen, or are equal (in time order or from A to B).
    s : int
        Kendall's S: ``positives - negatives``.
    d : float
        The denominator of ``tau``.
    tau : float
        ``s / d``.
    var_s : float
        Variance of S under no association, with the tie correction of Kendall's tau-b.
    z, p : float or None
        ``s / sqrt(var_s)`` and its two-sided normal p-value; ``None`` when ``var_s`` is 0.
    ci_lower, ci_upper : float or None
        95 % confidence interval of ``tau`` by Fisher's z (standard error
        ``1 / sqrt(n - 3)``, n the points in the model); ``None`` for n ≤ 3 or |tau| ≥ 1.
    """

    name: TauURowName
    pairs: int
    positives: int
    negatives: int
    ties: int
    s: int
    d: float
    tau: float
    var_s: float
    z: float | None
    p: float | None
    ci_lower: float | None
    ci_upper: float | None


@dataclass(frozen=True, slots=True)
class TauU:
    """All Tau-U models of one AB comparison.

    ``a_vs_b_minus_trend_a`` is the model to report: the phase difference corrected for a
    baseline trend (Parker et al. 2011). It is ``None`` with fewer than two baseline points.
    """

    method: TauMethod
    decreasing: bool
    rows: tuple[TauURow, ...]
    warnings: tuple[PhaseIssue, ...]

    def row(self, name: TauURowName) -> TauURow | None:
        return next((row for row in self.rows if row.name is name), None)

    @property
    def a_vs_b_minus_trend_a(self) -> TauURow | None:
        return self.row(TauURowName.A_VS_B_MINUS_TREND_A)


@dataclass(frozen=True, slots=True)
class Coefficient:
    """One regression coefficient with its standard error, t and two-sided p."""

    estimate: float
    se: float
    t: float | None
    p: float | None


@dataclass(frozen=True, slots=True)
class PiecewiseRegression:
    """``value ~ 1 + time + phase_b + time_since_b`` by ordinary least squares.

    Attributes
    ----------
    intercept : Coefficient
        Expected value at the first measurement time.
    baseline_slope : Coefficient
        Change per time unit in phase A.
    level_change : Coefficient
        Jump at the first B measurement relative to the extended baseline line.
    slope_change : Coefficient
        Slope in B minus slope in A.
    residual_sd : float
        ``sqrt(RSS / (n - 4))``.
    df : int
        Residual degrees of freedom.
    warnings : tuple of PhaseIssue
    """

    intercept: Coefficient
    baseline_slope: Coefficient
    level_change: Coefficient
    slope_change: Coefficient
    residual_sd: float
    df: int
    warnings: tuple[PhaseIssue, ...]


# --------------------------------------------------------------------------- NAP


def nap(
    baseline: Sequence[float], treatment: Sequence[float], *, decreasing: bool
) -> Nap | PhaseRefusal:
    """Non-overlap of All Pairs of an AB comparison.

    Parameters
    ----------
    baseline, treatment : sequence of float
        The values of phase A and phase B, in time order.
    decreasing : bool
        True when a *lower* value is the improvement (symptom scales, e.g. PHQ-9).

    Returns
    -------
    Nap or PhaseRefusal
        A refusal when a phase is empty.

    Notes
    -----
    Over all :math:`n_A n_B` pairs, NAP is the share of pairs in which the B value
    improves on the A value, a tie counting half (Parker & Vannest 2009). The p-value is
    the one-sided Mann–Whitney test with normal approximation, tie correction and
    continuity correction (R ``wilcox.test(exact = FALSE)``), as scan reports it.

    References
    ----------
    .. [1] Parker, R. I., & Vannest, K. (2009). An improved effect size for single-case
       research: Nonoverlap of All Pairs. *Behavior Therapy*, 40(4), 357–367.
    """
    a = _values("baseline", baseline)
    b = _values("treatment", treatment)
    if not a or not b:
        return _empty_phase()
    sign = -1.0 if decreasing else 1.0
    positives = sum(1 for x in a for y in b if sign * (y - x) > 0)
    ties = sum(1 for x in a for y in b if y == x)
    pairs = len(a) * len(b)
    non_overlaps = positives + 0.5 * ties
    share = non_overlaps / pairs
    w = sum(1 for x in a for y in b if x > y) + 0.5 * ties
    d = _COHEN_D_FACTOR * (1.0 - math.sqrt((1.0 - share) / 0.5))
    warnings = _overlap_warnings(a, b, ties)
    return Nap(
        nap=100.0 * share,
        nap_rescaled=200.0 * share - 100.0,
        pairs=pairs,
        positives=positives,
        ties=ties,
        non_overlaps=non_overlaps,
        w=w,
        p=_mann_whitney_p(a, b, w, b_greater=not decreasing),
        d=d,
        r_squared=(d / math.sqrt(d * d + 4.0)) ** 2,
        decreasing=decreasing,
        warnings=warnings,
    )


def _mann_whitney_p(a: list[float], b: list[float], w: float, *, b_greater: bool) -> float | None:
    """One-sided p of ``wilcox.test(a, b)``: alternative "less" when B should be greater."""
    n_a, n_b = len(a), len(b)
    n = n_a + n_b
    tie_term = sum(t**3 - t for t in _tie_counts(a + b)) / (n * (n - 1)) if n > 1 else 0.0
    sigma = math.sqrt(n_a * n_b / 12.0 * ((n + 1) - tie_term))
    if sigma == 0.0:
        return None
    centred = w - n_a * n_b / 2.0
    if b_greater:  # alternative "less": a tends to be smaller than b
        return _NORMAL.cdf((centred + 0.5) / sigma)
    return 1.0 - _NORMAL.cdf((centred - 0.5) / sigma)


def pnd(
    baseline: Sequence[float], treatment: Sequence[float], *, decreasing: bool
) -> float | PhaseRefusal:
    """Percentage of Non-overlapping Data: the share of B points beyond the most extreme
    A point in the improving direction (above the maximum of A, or below its minimum
    when ``decreasing``). Sensitive to one outlying baseline point; NAP is preferred.

    References
    ----------
    .. [1] Scruggs, T. E., Mastropieri, M. A., & Casto, G. (1987). The quantitative
       synthesis of single-subject research: methodology and validation. *Remedial and
       Special Education*, 8(2), 24–33.
    """
    a = _values("baseline", baseline)
    b = _values("treatment", treatment)
    if not a or not b:
        return _empty_phase()
    beyond = [y < min(a) for y in b] if decreasing else [y > max(a) for y in b]
    return 100.0 * sum(beyond) / len(b)


# --------------------------------------------------------------------------- Tau-U


def tau_u(
    baseline: Sequence[float],
    treatment: Sequence[float],
    *,
    decreasing: bool,
    method: TauMethod = "complete",
) -> TauU | PhaseRefusal:
    """Tau-U of an AB comparison, with and without control of the baseline trend.

    Parameters
    ----------
    baseline, treatment : sequence of float
        The values of phase A and phase B, in time order (equally spaced is assumed).
    decreasing : bool
        True when a lower value is the improvement; the signs of S are then reversed so
        that a positive Tau always means improvement.
    method : {"complete", "parker"}, default "complete"
        ``"parker"``: Tau = S / pairs with the pair counts of Parker et al. (2011), so |Tau|
        can exceed 1 for the combined models. ``"complete"``: Kendall's tau-b denominators
        (the default of scan), bounded by 1.

    Returns
    -------
    TauU or PhaseRefusal
        A refusal when a phase is empty. The trend-A models are absent with one baseline
        point, the trend-B models with one treatment point.

    Notes
    -----
    Every model is Kendall's S between the values and a recoded time vector: the phase
    (A vs. B), time within A or B (trends), and for "A vs. B − Trend A" the vector
    :math:`(n_A, …, 1, n_A + 1, …, n_A + 1)`, whose S equals
    :math:`S_{AvB} - S_{A}`. Z and p use the variance of S with the tie correction of
    Kendall's tau-b (Kendall 1970), as scan does.

    References
    ----------
    .. [1] Parker, R. I., Vannest, K. J., Davis, J. L., & Sauber, S. B. (2011). Combining
       nonoverlap and trend for single-case research: Tau-U. *Behavior Therapy*, 42(2),
       284–299.
    .. [2] Kendall, M. G. (1970). *Rank correlation methods* (4th ed.). Griffin.
    """
    a = _values("baseline", baseline)
    b = _values("treatment", treatment)
    if not a or not b:
        return _empty_phase()
    values = [-v for v in a + b] if decreasing else a + b
    n_a, n_b = len(a), len(b)
    n = n_a + n_b
    phase = [0] * n_a + [1] * n_b
    rows = [
        _tau_row(TauURowName.A_VS_B, values, phase, method, parker_pairs=n_a * n_b),
    ]
    if n_a >= 2:
        rows.append(_trend_row(TauURowName.TREND_A, values[:n_a], method))
    if n_b >= 2:
        rows.append(_trend_row(TauURowName.TREND_B, values[n_a:], method))
    if n_a >= 2:
        minus_a = list(range(n_a, 0, -1)) + [n_a + 1] * n_b
        rows.append(
            _tau_row(
                TauURowName.A_VS_B_MINUS_TREND_A, values, minus_a, method, parker_pairs=n_a * n_b
            )
        )
    if n_b >= 2:
        plus_b = [1] * n_a + list(range(n_a + 1, n + 1))
        rows.append(
            _tau_row(
                TauURowName.A_VS_B_PLUS_TREND_B,
                values,
                plus_b,
                method,
                parker_pairs=n_a * n_b + n_b * (n_b - 1) // 2,
            )
        )
    if n_a >= 2 and n_b >= 2:
        both = list(range(n_a, 0, -1)) + list(range(n_a + 1, n + 1))
        rows.append(
            _tau_row(
                TauURowName.A_VS_B_PLUS_TREND_B_MINUS_TREND_A,
                values,
                both,
                method,
                parker_pairs=n * (n - 1) // 2,
            )
        )
    warnings = _overlap_warnings(a, b, _ties_between(a, b))
    if n_a < 3:
        warnings += (PhaseIssue.SHORT_BASELINE,)
    return TauU(method=method, decreasing=decreasing, rows=tuple(rows), warnings=warnings)


@dataclass(frozen=True, slots=True)
class _Kendall:
    positives: int
    negatives: int
    ties: int
    compared: int
    tied_x: int
    tied_y: int
    var_s: float


def _kendall(y: list[float], x: Sequence[int]) -> _Kendall:
    """Pair counts of y against x over pairs not tied in x, and the tie-corrected var(S)."""
    positives = negatives = ties = 0
    n = len(y)
    for i in range(n):
        for j in range(i + 1, n):
            dx = x[j] - x[i]
            if dx == 0:
                continue
            dy = (y[j] - y[i]) * (1 if dx > 0 else -1)
            if dy > 0:
                positives += 1
            elif dy < 0:
                negatives += 1
            else:
                ties += 1
    x_ties = _tie_counts([float(v) for v in x])
    y_ties = _tie_counts(y)
    return _Kendall(
        positives=positives,
        negatives=negatives,
        ties=ties,
        compared=positives + negatives + ties,
        tied_x=sum(t * (t - 1) // 2 for t in x_ties),
        tied_y=sum(t * (t - 1) // 2 for t in y_ties),
        var_s=_kendall_variance(n, x_ties, y_ties),
    )


def _kendall_variance(n: int, x_ties: list[int], y_ties: list[int]) -> float:
    """Variance of Kendall's S with ties in both rankings (Kendall 1970, eq. 4.3)."""
    if n < 3:
        return 0.0

    def v(counts: list[int]) -> int:
        return sum(t * (t - 1) * (2 * t + 5) for t in counts)

    def pairs(counts: list[int]) -> int:
        return sum(t * (t - 1) for t in counts)

    def triples(counts: list[int]) -> int:
        return sum(t * (t - 1) * (t - 2) for t in counts)

    return (
        (n * (n - 1) * (2 * n + 5) - v(x_ties) - v(y_ties)) / 18.0
        + triples(x_ties) * triples(y_ties) / (9.0 * n * (n - 1) * (n - 2))
        + pairs(x_ties) * pairs(y_ties) / (2.0 * n * (n - 1))
    )


def _tau_row(
    name: TauURowName,
    values: list[float],
    time: Sequence[int],
    method: TauMethod,
    *,
    parker_pairs: int,
) -> TauURow:
    k = _kendall(values, time)
    s = k.positives - k.negatives
    n = len(values)
    if method == "parker":
        pairs, d = parker_pairs, float(parker_pairs)
    elif name is TauURowName.A_VS_B:
        pairs, d = k.compared, k.compared - k.ties / 2.0
    else:
        all_pairs = n * (n - 1) // 2
        pairs = k.compared
        d = math.sqrt((all_pairs - k.tied_x) * (all_pairs - k.tied_y))
    return _row(name, k, s, pairs, d, n)


def _trend_row(name: TauURowName, values: list[float], method: TauMethod) -> TauURow:
    n = len(values)
    k = _kendall(values, list(range(1, n + 1)))
    s = k.positives - k.negatives
    all_pairs = n * (n - 1) // 2
    d = float(all_pairs) if method == "parker" else math.sqrt(all_pairs * (all_pairs - k.tied_y))
    return _row(name, k, s, all_pairs, d, n)


def _row(name: TauURowName, k: _Kendall, s: int, pairs: int, d: float, n: int) -> TauURow:
    tau = s / d if d > 0 else 0.0
    z = s / math.sqrt(k.var_s) if k.var_s > 0 else None
    p = None if z is None else 2.0 * (1.0 - _NORMAL.cdf(abs(z)))
    lower, upper = _fisher_ci(tau, n)
    return TauURow(
        name=name,
        pairs=pairs,
        positives=k.positives,
        negatives=k.negatives,
        ties=k.ties,
        s=s,
        d=d,
        tau=tau,
        var_s=k.var_s,
        z=z,
        p=p,
        ci_lower=lower,
        ci_upper=upper,
    )


def _fisher_ci(tau: float, n: int) -> tuple[float | None, float | None]:
    if n <= 3 or abs(tau) >= 1.0:
        return None, None
    half = _NORMAL.inv_cdf(0.5 + _CI_LEVEL / 2.0) / math.sqrt(n - 3)
    centre = math.atanh(tau)
    return math.tanh(centre - half), math.tanh(centre + half)


# --------------------------------------------------------------------------- piecewise


def piecewise_regression(
    baseline: Sequence[float],
    treatment: Sequence[float],
    *,
    times: Sequence[float] | None = None,
) -> PiecewiseRegression | PhaseRefusal:
    """Level and slope change at the start of treatment (interrupted time series).

    Parameters
    ----------
    baseline, treatment : sequence of float
        The values of phase A and phase B, in time order.
    times : sequence of float, optional
        Measurement times of all A then B values (e.g. weeks), strictly increasing;
        default 1, 2, …, n.

    Returns
    -------
    PiecewiseRegression or PhaseRefusal
        A refusal with fewer than two points in a phase, fewer than five in total, times
        that do not match or do not increase, or all values equal.

    Notes
    -----
    Model (scan ``plm()``, model "W", ``AR = 0``), with :math:`t` shifted so that the first
    measurement is at 0 and :math:`t_B` the time of the first B measurement:

    .. math::

        y = \\beta_0 + \\beta_1 t + \\beta_2 D + \\beta_3 D (t - t_B) + \\varepsilon,
        \\qquad D = 1 \\text{ in phase B}

    :math:`\\beta_2` is the level change and :math:`\\beta_3` the slope change (Huitema &
    McKean 2000). Ordinary least squares; standard errors from
    :math:`\\hat\\sigma^2 (X'X)^{-1}` with :math:`\\hat\\sigma^2 = RSS/(n - 4)`; t-tests with
    :math:`n - 4` degrees of freedom. Autocorrelated errors are not modelled: with serial
    dependence the standard errors are too small, so read p-values as descriptive.

    References
    ----------
    .. [1] Huitema, B. E., & McKean, J. W. (2000). Design specification issues in
       time-series intervention models. *Educational and Psychological Measurement*,
       60(1), 38–58.
    """
    a = _values("baseline", baseline)
    b = _values("treatment", treatment)
    n = len(a) + len(b)
    if not a or not b:
        return _empty_phase()
    if len(a) < MIN_POINTS_FOR_PIECEWISE or len(b) < MIN_POINTS_FOR_PIECEWISE or n < 5:
        return PhaseRefusal(
            PhaseIssue.TOO_FEW_POINTS,
            "a piecewise regression needs at least 2 points per phase and 5 in total",
        )
    time = list(range(1, n + 1)) if times is None else _values("times", times)
    if len(time) != n:
        return PhaseRefusal(PhaseIssue.LENGTHS_DIFFER, "give one time per value")
    if any(later <= earlier for earlier, later in pairwise(time)):
        return PhaseRefusal(PhaseIssue.TIMES_NOT_INCREASING, "times must increase strictly")
    y = np.asarray(a + b, dtype=np.float64)
    if float(np.ptp(y)) == 0.0:
        return PhaseRefusal(PhaseIssue.ALL_VALUES_EQUAL, "every value is the same")
    return _fit_piecewise(y, np.asarray(time, dtype=np.float64), len(a), _constant_warnings(a, b))


def _fit_piecewise(
    y: npt.NDArray[np.float64],
    time: npt.NDArray[np.float64],
    n_a: int,
    warnings: tuple[PhaseIssue, ...],
) -> PiecewiseRegression:
    t = time - time[0]
    in_b = np.arange(len(y)) >= n_a
    design = np.column_stack(
        [np.ones(len(y)), t, in_b.astype(np.float64), np.where(in_b, t - t[n_a], 0.0)]
    )
    gram_inverse = np.linalg.inv(design.T @ design)
    beta = gram_inverse @ design.T @ y
    residuals = y - design @ beta
    df = len(y) - design.shape[1]
    rss = float(residuals @ residuals)
    sigma2 = rss / df
    if rss <= 1e-24 * max(1.0, float(y @ y)):
        warnings += (PhaseIssue.PERFECT_FIT,)
    se = np.sqrt(np.diag(gram_inverse) * sigma2)
    coefficients = [
        _coefficient(float(estimate), float(error), df)
        for estimate, error in zip(beta, se, strict=True)
    ]
    return PiecewiseRegression(
        intercept=coefficients[0],
        baseline_slope=coefficients[1],
        level_change=coefficients[2],
        slope_change=coefficients[3],
        residual_sd=math.sqrt(sigma2),
        df=df,
        warnings=warnings,
    )


def _coefficient(estimate: float, se: float, df: int) -> Coefficient:
    if se <= 0.0:
        return Coefficient(estimate=estimate, se=se, t=None, p=None)
    t = estimate / se
    return Coefficient(estimate=estimate, se=se, t=t, p=2.0 * _student_t_sf(abs(t), df))


def _student_t_sf(t: float, df: int) -> float:
    """Upper tail of Student's t: ``I_x(df/2, 1/2) / 2`` with ``x = df / (df + t²)``."""
    return 0.5 * _regularized_beta(df / (df + t * t), df / 2.0, 0.5)


def _regularized_beta(x: float, a: float, b: float) -> float:
    """Regularized incomplete beta function by Lentz's continued fraction."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x > (a + 1.0) / (a + b + 2.0):
        return 1.0 - _regularized_beta(1.0 - x, b, a)
    return math.exp(log_front) * _beta_fraction(x, a, b) / a


def _beta_fraction(x: float, a: float, b: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return result


# --------------------------------------------------------------------------- helpers


def _values(parameter: str, values: Sequence[float]) -> list[float]:
    checked: list[float] = []
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, Real):
            raise InvalidPhaseInput(f"{parameter}[{index}]={value!r}: must be a real number")
        number = float(value)
        if not math.isfinite(number):
            raise InvalidPhaseInput(f"{parameter}[{index}]={value!r}: must be finite")
        checked.append(number)
    return checked


def _empty_phase() -> PhaseRefusal:
    return PhaseRefusal(PhaseIssue.EMPTY_PHASE, "phase A and phase B each need a measurement")


def _tie_counts(values: list[float]) -> list[int]:
    counts: dict[float, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return [count for count in counts.values() if count > 1]


def _ties_between(a: list[float], b: list[float]) -> int:
    return sum(1 for x in a for y in b if x == y)


def _constant_warnings(a: list[float], b: list[float]) -> tuple[PhaseIssue, ...]:
    if len(set(a + b)) == 1:
        return (PhaseIssue.ALL_VALUES_EQUAL,)
    if (len(a) > 1 and len(set(a)) == 1) or (len(b) > 1 and len(set(b)) == 1):
        return (PhaseIssue.CONSTANT_PHASE,)
    return ()


def _overlap_warnings(a: list[float], b: list[float], ties: int) -> tuple[PhaseIssue, ...]:
    warnings = _constant_warnings(a, b)
    if ties:
        warnings += (PhaseIssue.TIES,)
    return warnings
