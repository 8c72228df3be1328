"""The personal symptom network of one patient: a graphical VAR model of EMA data.

Which of *this* patient's complaints, thoughts and behaviours follow each other in time,
and which go together at the same moment? The method is the graphical vector
autoregression of Epskamp, Waldorp, Mõttus & Borsboom (2018, "The Gaussian graphical
model in cross-sectional and time-series data", Multivariate Behavioral Research
53(4):453–480), with the conventions of their R package graphicalVAR (version 0.4):

* each variable is standardized over all input rows (mean, SD with n − 1);
* a lag-1 VAR within the day: the first beep of a day, and a beep after a missed beep,
  have no lagged value and are not used, so no lag crosses a night;
* the temporal coefficients β (with an unpenalized intercept) get an L1 penalty λ_β
  (autoregressions included) and the contemporaneous precision matrix κ a graphical
  lasso penalty λ_κ off the diagonal, estimated jointly by the alternating algorithm
  of Rothman, Levina & Zhu (2010, J Comput Graph Stat 19(4):947–962);
* the pair (λ_β, λ_κ) is chosen from 50 × 50 log-spaced values by the extended BIC of
  Chen & Chen (2008) as used for graphical models by Foygel & Drton (2010), γ = 0.5,
  with the likelihood of the unpenalized refit under κ's zero pattern;
* the temporal network is the partial directed correlation (PDC), the contemporaneous
  network the partial correlation (PCC).

:func:`estimate_network` gives an immutable :class:`NetworkResult`;
:func:`bootstrap_edge_stability` says how often each edge appears when the transitions
are resampled. The numerical work is in :mod:`maatwerk.core.analysis.network_kernels`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from maatwerk.core.analysis.network_kernels import (
    constrained_precision,
    fit_alternating,
    graphical_lasso,
)
from maatwerk.core.analysis.network_notes import NetworkNote, NoteKind, english_sentence
from maatwerk.core.analysis.network_problems import NetworkDataError
from maatwerk.core.analysis.network_problems import NetworkProblemKind as Problem

Array = NDArray[np.float64]

LAMBDA_COUNT: Final = 50
"""graphicalVAR's ``nLambda``: values per penalty, so 2,500 pairs."""
LAMBDA_MIN_RATIO: Final = 0.05
"""graphicalVAR's ``lambda_min_kappa`` (= ``lambda_min_beta``)."""
DEFAULT_GAMMA: Final = 0.5
"""graphicalVAR's EBIC hyperparameter γ (Foygel & Drton 2010 recommend 0.5)."""
EBIC_TIE: Final = 1e-4
"""graphicalVAR's ``ebic_tol``: EBIC values this close count as equal; among them the
lowest λ_κ, then the lowest λ_β is chosen."""
SINGULAR_EIGENVALUE: Final = math.sqrt(np.finfo(np.float64).eps)
"""graphicalVAR inverts Y'Y only when every eigenvalue exceeds √ε."""
SINGULAR_FALLBACK_PENALTY: Final = 0.05
"""…and otherwise uses the graphical lasso of Y'Y at this penalty."""
FEW_OBSERVATIONS_FACTOR: Final = 1
"""A warning when fewer transitions are used than the unpenalized model has parameters
(p² temporal + p intercepts + p(p + 1)/2 contemporaneous) times this factor. This is a
floor, not a sufficiency rule: no sourced minimum exists for one patient."""
DEPENDENT_EIGENVALUE: Final = 1e-10
"""Smallest eigenvalue of the correlation matrix below which variables count as dependent."""
CONSTANT_SD: Final = 1e-12
"""A standardized variable with a smaller SD among the used rows counts as constant."""
UNSTABLE_BELOW: Final = 0.5
"""In the bootstrap, an edge of the estimate that appears in fewer than this share of
the resamples is reported as unstable (a convention, see docs/analysis/network.md)."""


@dataclass(frozen=True, slots=True)
class LaggedSeries:
    """The regression data: ``current`` (n × p) and ``lagged`` (n × (p + 1), intercept first)."""

    variables: tuple[str, ...]
    current: Array
    lagged: Array
    rows: tuple[int, ...]
    """0-based input row of each used observation (the 'current' beep)."""

    @property
    def n(self) -> int:
        return int(self.current.shape[0])


@dataclass(frozen=True, slots=True)
class NetworkResult:
    """The selected graphical VAR model and its standardized networks.

    ``beta`` has one row per outcome (at t) and the columns intercept, then the lagged
    variables (at t − 1). ``pdc`` has one row per predictor (t − 1) and one column per
    outcome (t). ``pcc`` and ``kappa`` are symmetric.
    """

    variables: tuple[str, ...]
    lambda_beta: float
    lambda_kappa: float
    ebic: float
    n_used: int
    beta: Array
    kappa: Array
    pcc: Array
    pdc: Array
    gamma: float
    lambda_beta_grid: Array
    lambda_kappa_grid: Array
    ebic_grid: Array
    """EBIC of every grid pair, shape (λ_β index, λ_κ index)."""
    notes: tuple[NetworkNote, ...]
    """What to read with care (``network_notes``); ``warnings`` says them in English."""

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(english_sentence(note) for note in self.notes)

    def as_dict(self) -> dict[str, object]:
        """The fields of the CLI contract, JSON-ready."""
        return {
            "vars": list(self.variables),
            "lambda_beta": self.lambda_beta,
            "lambda_kappa": self.lambda_kappa,
            "ebic": self.ebic,
            "n_used": self.n_used,
            "gamma": self.gamma,
            "beta": self.beta.tolist(),
            "kappa": self.kappa.tolist(),
            "pcc": self.pcc.tolist(),
            "pdc": self.pdc.tolist(),
            "warnings": list(self.warnings),
        }


def _check_values(values: Array, variables: Sequence[str], allow_missing: bool) -> None:
    if values.ndim != 2 or values.shape[1] != len(variables):
        raise NetworkDataError(
            Problem.WRONG_SHAPE, variables=len(variables), shape=str(values.shape)
        )
    if len(set(variables)) != len(variables):
        raise NetworkDataError(Problem.DUPLICATE_VARIABLE)
    if len(variables) < 2:
        raise NetworkDataError(Problem.TOO_FEW_VARIABLES)
    missing = np.isnan(values)
    if missing.any() and not allow_missing:
        columns = [i for i in range(len(variables)) if missing[:, i].any()]
        raise NetworkDataError(
            Problem.MISSING_VALUES,
            names=tuple(variables[i] for i in columns),
            counts=tuple(int(missing[:, i].sum()) for i in columns),
        )
    if np.isinf(values).any():
        raise NetworkDataError(Problem.NOT_FINITE)


def lagged_series(
    values: Array,
    variables: Sequence[str],
    day: Sequence[object] | None = None,
    beep: Sequence[int] | None = None,
    allow_missing: bool = False,
) -> LaggedSeries:
    """graphicalVAR's ``tsData``: standardize, then pair every beep with the one before.

    ``values`` is (rows × variables) in time order. Without ``day`` all rows are one day;
    without ``beep`` beeps are numbered 1, 2, … within each day in row order. A beep is
    used when the same day has the beep numbered one lower (graphicalVAR inserts empty
    rows for missed beeps, whose lags are then missing).

    Missing values (NaN) are refused unless ``allow_missing``; then, as graphicalVAR does,
    each variable is standardized over its observed values and a beep is used only when
    it and the beep before it are complete.
    """
    values = np.asarray(values, dtype=np.float64)
    variables = tuple(variables)
    _check_values(values, variables, allow_missing)
    rows = values.shape[0]
    if rows < 3:
        raise NetworkDataError(Problem.TOO_FEW_ROWS, rows=rows)
    observed = ~np.isnan(values)
    counts = observed.sum(axis=0)
    mean = np.nansum(values, axis=0) / np.maximum(counts, 1)
    centred = values - mean
    deviation = np.sqrt(np.nansum(centred**2, axis=0) / np.maximum(counts - 1, 1))
    constant = [name for name, sd in zip(variables, deviation, strict=True) if not sd > 0]
    if constant:
        raise NetworkDataError(Problem.CONSTANT_COLUMNS, names=tuple(constant))
    standardized = centred / deviation
    complete: list[bool] = [bool(row.all()) for row in observed]

    days: list[object] = list(day) if day is not None else [1] * rows
    if len(days) != rows:
        raise NetworkDataError(Problem.DAY_PER_ROW)
    if beep is None:
        counters: dict[object, int] = {}
        beeps: list[int] = []
        for d in days:
            counters[d] = counters.get(d, 0) + 1
            beeps.append(counters[d])
    else:
        beeps = [int(b) for b in beep]
        if len(beeps) != rows:
            raise NetworkDataError(Problem.BEEP_PER_ROW)
    position: dict[tuple[object, int], int] = {}
    for index, key in enumerate(zip(days, beeps, strict=True)):
        if key in position:
            raise NetworkDataError(
                Problem.DUPLICATE_BEEP, first=position[key] + 1, second=index + 1
            )
        position[key] = index
    used: list[int] = []
    previous: list[int] = []
    for index, (d, b) in enumerate(zip(days, beeps, strict=True)):
        before = position.get((d, b - 1))
        if before is not None and complete[index] and complete[before]:
            used.append(index)
            previous.append(before)
    n = len(used)
    current = standardized[used]
    lagged = np.column_stack([np.ones(n), standardized[previous]])
    return LaggedSeries(variables=variables, current=current, lagged=lagged, rows=tuple(used))


def _log_spaced(high: float, count: int) -> Array:
    """R's ``exp(seq(log(high), log(0.05 * high), length = count))``."""
    grid: Array = np.exp(np.linspace(math.log(high), math.log(LAMBDA_MIN_RATIO * high), count))
    return grid


def lambda_grids(series: LaggedSeries, count: int = LAMBDA_COUNT) -> tuple[Array, Array]:
    """graphicalVAR's ``generate_lambdas``: (λ_β values, λ_κ values), each decreasing."""
    y = series.current
    x = series.lagged
    n = series.n
    yy = y.T @ y
    correlation = (yy / n) / np.sqrt(np.outer(np.diag(yy / n), np.diag(yy / n)))
    kappa_max = float(np.abs(correlation[np.triu_indices_from(correlation, 1)]).max())
    if np.linalg.eigvalsh(yy).min() > SINGULAR_EIGENVALUE:
        y_inverse = np.linalg.inv(yy)
    else:
        y_inverse = graphical_lasso(yy[None], np.array([SINGULAR_FALLBACK_PENALTY])).precision[0]
    beta_max = float(np.abs(x.T @ y @ y_inverse).max())
    return _log_spaced(beta_max, count), _log_spaced(kappa_max, count)


def _ebic(
    beta: Array,
    kappa: Array,
    xx: Array,
    xy: Array,
    yy: Array,
    n: int,
    gamma: float,
) -> Array:
    """graphicalVAR's EBIC: −2 LL + (log n + 4γ log 2p) × (edges of κ + non-zero β)."""
    p = yy.shape[-1]
    finite = np.asarray(np.isfinite(beta).all(axis=(1, 2)) & np.isfinite(kappa).all(axis=(1, 2)))
    beta = np.where(finite[:, None, None], beta, 0.0)
    kappa = np.where(finite[:, None, None], kappa, np.eye(p))
    cross = np.einsum("qp,gqr->gpr", xy, beta)
    residual = (
        yy - cross - np.transpose(cross, (0, 2, 1)) + np.einsum("gqp,qs,gsr->gpr", beta, xx, beta)
    ) / n
    valid = np.linalg.eigvalsh(residual).min(axis=1) >= -SINGULAR_EIGENVALUE
    refit = constrained_precision(residual, kappa != 0, start=kappa)
    sign, log_det = np.linalg.slogdet(refit)
    trace = np.einsum("gij,gji->g", refit, residual)
    log_likelihood = (n / 2) * (log_det - trace)
    upper = np.triu_indices(p, 1)
    edges = (kappa[:, upper[0], upper[1]] != 0).sum(axis=1)
    coefficients = (beta[:, 1:, :] != 0).sum(axis=(1, 2))
    count = edges + coefficients
    ebic = -2 * log_likelihood + math.log(n) * count + count * 4 * gamma * math.log(2 * p)
    result: Array = np.where(finite & valid & (sign > 0) & np.isfinite(ebic), ebic, np.inf)
    return result


def partial_correlations(kappa: Array) -> Array:
    """PCC = −cov2cor(κ) with a zero diagonal."""
    scale = np.sqrt(np.diag(kappa))
    pcc: Array = -kappa / np.outer(scale, scale)
    np.fill_diagonal(pcc, 0.0)
    return pcc


def partial_directed_correlations(beta: Array, kappa: Array) -> Array:
    """PDC[j, i] = β_ij / √(Σ_ii κ_jj + β_ij²), rows = predictor (t − 1), columns = outcome.

    ``beta`` is outcome × (intercept, lagged variables); Σ = κ⁻¹.
    """
    temporal = beta[:, 1:]
    sigma = np.linalg.inv(kappa)
    denominator = np.sqrt(np.outer(np.diag(sigma), np.diag(kappa)) + temporal**2)
    pdc: Array = (temporal / denominator).T
    return pdc


def _notes(series: LaggedSeries, converged: bool) -> tuple[NetworkNote, ...]:
    p = len(series.variables)
    parameters = p * p + p + p * (p + 1) // 2
    notes: list[NetworkNote] = []
    if series.n < FEW_OBSERVATIONS_FACTOR * parameters:
        notes.append(
            NetworkNote(
                NoteKind.FEW_OBSERVATIONS, pairs=series.n, variables=p, parameters=parameters
            )
        )
    # The outcomes were checked for variation; a lagged value can still be constant (e.g.
    # an item that only varies at the first beep of the day, which is never a predictor).
    constant = [
        name
        for name, sd in zip(series.variables, series.lagged[:, 1:].std(axis=0), strict=True)
        if sd < CONSTANT_SD
    ]
    if constant:
        notes.append(NetworkNote(NoteKind.NO_VARIATION, names=tuple(constant)))
    if not converged:
        notes.append(NetworkNote(NoteKind.NOT_CONVERGED))
    return tuple(notes)


def _check_dependence(series: LaggedSeries) -> None:
    """Refuse variables that are exact linear combinations of others among the used beeps.

    Their contemporaneous precision does not exist (the covariance is singular), so no
    penalty can give a meaningful network; one of them has to go.
    """
    correlation: Array = np.atleast_2d(np.corrcoef(series.current, rowvar=False))
    if np.linalg.eigvalsh(correlation).min() > DEPENDENT_EIGENVALUE:
        return
    names = series.variables
    pairs = [
        (names[i], names[j])
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if abs(correlation[i, j]) > 1 - DEPENDENT_EIGENVALUE
    ]
    raise NetworkDataError(
        Problem.DEPENDENT_VARIABLES,
        names=tuple(a for a, _b in pairs),
        others=tuple(b for _a, b in pairs),
    )


def minimum_pairs(variables: int) -> int:
    """Fewest beep pairs accepted: two per coefficient of one equation (intercept + p lags).

    Below this the unpenalized regressions are (nearly) singular; it is a numerical floor,
    far below what a trustworthy network needs (see the few-observations warning).
    """
    return 2 * (variables + 1)


def estimate_network(
    series: LaggedSeries,
    gamma: float = DEFAULT_GAMMA,
    lambda_count: int = LAMBDA_COUNT,
) -> NetworkResult:
    """Fit the graphical VAR over the λ grid and return the EBIC-selected model."""
    p = len(series.variables)
    if series.n < minimum_pairs(p):
        raise NetworkDataError(
            Problem.TOO_FEW_PAIRS, pairs=series.n, variables=p, needed=minimum_pairs(p)
        )
    if not gamma >= 0:
        raise NetworkDataError(Problem.BAD_GAMMA)
    deviation = series.current.std(axis=0)
    if (deviation < CONSTANT_SD).any():
        names = [v for v, sd in zip(series.variables, deviation, strict=True) if sd < CONSTANT_SD]
        raise NetworkDataError(Problem.NO_VARIATION_USED, names=tuple(names))
    _check_dependence(series)
    lambda_beta, lambda_kappa = lambda_grids(series, lambda_count)
    # graphicalVAR's grid: expand.grid(kappa, beta), λ_κ varying fastest.
    grid_beta = np.repeat(lambda_beta, lambda_count)
    grid_kappa = np.tile(lambda_kappa, lambda_count)
    x = series.lagged
    y = series.current
    xx, xy, yy = x.T @ x, x.T @ y, y.T @ y
    with np.errstate(all="ignore"):  # a degenerate grid point gets EBIC = ∞, as in R
        fit = fit_alternating(xx, xy, yy, np.array(series.n), grid_beta, grid_kappa)
        ebic = _ebic(fit.beta, fit.kappa, xx, xy, yy, series.n, gamma)
    chosen = _select(ebic, grid_kappa, grid_beta)
    beta = fit.beta[chosen].T.copy()
    kappa = fit.kappa[chosen].copy()
    return NetworkResult(
        variables=series.variables,
        lambda_beta=float(grid_beta[chosen]),
        lambda_kappa=float(grid_kappa[chosen]),
        ebic=float(ebic[chosen]),
        n_used=series.n,
        beta=beta,
        kappa=kappa,
        pcc=partial_correlations(kappa),
        pdc=partial_directed_correlations(beta, kappa),
        gamma=gamma,
        lambda_beta_grid=lambda_beta,
        lambda_kappa_grid=lambda_kappa,
        ebic_grid=ebic.reshape(lambda_count, lambda_count),
        notes=_notes(series, bool(fit.converged[chosen])),
    )


def _select(ebic: Array, grid_kappa: Array, grid_beta: Array) -> int:
    """graphicalVAR ≥ 0.3.2: among EBICs within 10⁻⁴ of the minimum, lowest λ_κ then λ_β."""
    finite = np.isfinite(ebic)
    if not finite.any():
        raise NetworkDataError(Problem.NO_VALID_MODEL)
    best = float(ebic[finite].min())
    candidates = np.flatnonzero(np.abs(ebic - best) < EBIC_TIE)
    order = np.lexsort((grid_beta[candidates], grid_kappa[candidates]))
    return int(candidates[order[0]])


@dataclass(frozen=True, slots=True)
class EdgeStability:
    """Share of bootstrap resamples in which each edge is non-zero, and the warnings."""

    resamples: int
    seed: int
    temporal: Array
    """(predictor, outcome) like ``pdc``."""
    contemporaneous: Array
    notes: tuple[NetworkNote, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(english_sentence(note) for note in self.notes)


def bootstrap_edge_stability(
    series: LaggedSeries,
    result: NetworkResult,
    resamples: int = 200,
    seed: int = 0,
) -> EdgeStability:
    """How often each edge of ``result`` reappears when the beep pairs are resampled.

    The beep pairs (a beep and its lagged predecessor) are drawn with replacement and the
    model is refitted at the selected penalty pair (the penalties are not reselected, so
    this measures the stability of the edges, not of the model choice). Edges of the
    estimate that appear in fewer than half of the resamples are reported as unstable.
    """
    if resamples < 1:
        raise NetworkDataError(Problem.NO_RESAMPLES)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, series.n, size=(resamples, series.n))
    x = series.lagged[draws]
    y = series.current[draws]
    xx = np.einsum("gnq,gnr->gqr", x, x)
    xy = np.einsum("gnq,gnp->gqp", x, y)
    yy = np.einsum("gnp,gnr->gpr", y, y)
    fit = fit_alternating(
        xx,
        xy,
        yy,
        np.array(series.n),
        np.full(resamples, result.lambda_beta),
        np.full(resamples, result.lambda_kappa),
    )
    temporal = (fit.beta[:, 1:, :] != 0).mean(axis=0)
    contemporaneous = (fit.kappa != 0).mean(axis=0)
    np.fill_diagonal(contemporaneous, 0.0)
    notes: list[NetworkNote] = []
    names = result.variables
    for j, i in zip(*np.nonzero(result.pdc), strict=True):
        if temporal[j, i] < UNSTABLE_BELOW:
            notes.append(
                NetworkNote(
                    NoteKind.UNSTABLE_TEMPORAL_EDGE,
                    names=(names[j], names[i]),
                    share=float(temporal[j, i]),
                    resamples=resamples,
                )
            )
    for j, i in zip(*np.nonzero(np.triu(result.pcc, 1)), strict=True):
        if contemporaneous[j, i] < UNSTABLE_BELOW:
            notes.append(
                NetworkNote(
                    NoteKind.UNSTABLE_CONTEMPORANEOUS_EDGE,
                    names=(names[j], names[i]),
                    share=float(contemporaneous[j, i]),
                    resamples=resamples,
                )
            )
    return EdgeStability(
        resamples=resamples,
        seed=seed,
        temporal=temporal,
        contemporaneous=contemporaneous,
        notes=tuple(notes),
    )
