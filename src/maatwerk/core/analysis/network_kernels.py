"""Batched numerical kernels of the graphical VAR: many small problems solved at once.

A personal network has few variables (typically 4–8) but graphicalVAR estimates it at
2,500 pairs of penalties. Solving those one by one in Python is slow (thousands of tiny
loops); here every loop runs over *coordinates* and every arithmetic step over the
whole *batch* of problems, so numpy does the work. Problems that have converged leave
the batch, so the cost follows the slowest problems only.

All functions take a leading batch axis ``G``:

* :func:`graphical_lasso` — block coordinate descent of Friedman, Hastie & Tibshirani
  (2008) on ``G`` covariance matrices, an L1 penalty on the off-diagonal entries only
  (the diagonal unpenalized), solved tightly;
* :func:`temporal_lasso` — the coordinate descent for the regression coefficients given
  the precision matrix of Rothman, Levina & Zhu (2010, Algorithm 2), with the stopping
  rule of the R package graphicalVAR (Epskamp et al. 2018);
* :func:`constrained_precision` — the maximum-likelihood precision matrix with a given
  pattern of zeros (Dempster's covariance selection), by Newton's method;
* :func:`fit_alternating` — Rothman et al.'s alternating algorithm for the pair
  (coefficients, precision), as graphicalVAR runs it.

Size: one batched graphical-VAR estimator; its kernels share the batch layout and helpers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

GLASSO_TOLERANCE: Final = 1e-10
"""Largest change of any covariance entry in a sweep at which the graphical lasso stops.

graphicalVAR's own glasso (R package glasso) stops at a loose relative tolerance (10⁻⁴).
Here the problem is solved tightly: the exact solution is what that loose one
approximates, and a loosely solved precision step can gain or lose zeros (whole EBIC
parameters) along the penalty path."""
GLASSO_MAX_SWEEPS: Final = 10_000
LASSO_TOLERANCE: Final = 1e-14
KKT_SLACK: Final = 1e-12
"""Relative rounding allowance when checking that a zero coefficient is optimal."""
LASSO_SWEEPS_PER_TRY: Final = 3
LASSO_MAX_TRIES: Final = 3_000
CONVERGENCE: Final = 1e-4
"""graphicalVAR's ``convergence``: relative change of the coefficients that stops a loop."""
MAX_INNER: Final = 100
"""graphicalVAR's ``maxit.in``."""
MAX_OUTER: Final = 100
"""graphicalVAR's ``maxit.out``."""
NEWTON_TOLERANCE: Final = 1e-11
NEWTON_MAX_STEPS: Final = 100
NEWTON_DECREMENT: Final = 1e-14
NEWTON_SLACK: Final = 1e-9


def _soft(value: Array, threshold: Array) -> Array:
    """sign(z)·max(|z| − t, 0), written as z − clip(z, −t, t) (exact zeros, fewer steps)."""
    result: Array = value - np.clip(value, -threshold, threshold)
    return result


def _lasso_cd(gram: Array, target: Array, penalty: Array, start: Array) -> Array:
    """Minimize ½ b'·gram·b − target'·b + penalty·‖b‖₁ for a batch, by coordinate descent.

    ``gram`` (G, m, m) positive definite, ``target`` (G, m), ``penalty`` (G,). Problems
    whose warm start already has the right signs are solved exactly in one linear solve
    (:func:`_lasso_on_support`); only the others run coordinate descent.
    """
    coefficients, solved = _lasso_on_support(gram, target, penalty, start)
    pending = np.flatnonzero(~solved)
    current = start.copy()
    # A few sweeps usually find the right signs; the exact solve then finishes the job,
    # instead of many more sweeps converging linearly. Problems whose descent has
    # converged by itself are accepted as they are.
    for _ in range(LASSO_MAX_TRIES):
        if pending.size == 0:
            break
        descended, converged = _lasso_descent(
            gram[pending], target[pending], penalty[pending], current[pending]
        )
        current[pending] = descended
        exact, ok = _lasso_on_support(gram[pending], target[pending], penalty[pending], descended)
        coefficients[pending[ok]] = exact[ok]
        finished = converged & ~ok
        coefficients[pending[finished]] = descended[finished]
        pending = pending[~(ok | converged)]
    coefficients[pending] = current[pending]
    return coefficients


def _lasso_on_support(
    gram: Array, target: Array, penalty: Array, start: Array
) -> tuple[Array, BoolArray]:
    """The lasso solution if its signs equal those of ``start``, and whether they do.

    With the signs σ known the optimality conditions are linear on the support A:
    gram_AA·b_A = target_A − λσ_A; the result is optimal when the signs hold on A and
    |target_k − gram_k·b| ≤ λ off A (Karush–Kuhn–Tucker).
    """
    sign = np.sign(start)
    support = sign != 0
    both = support[:, :, None] & support[:, None, :]
    system = np.where(both, gram, np.eye(gram.shape[1]))
    right = np.where(support, target - penalty[:, None] * sign, 0.0)
    solution, solvable = _solve_each(system, right)
    solution = np.where(support, solution, 0.0)
    gradient = target - np.einsum("gkl,gl->gk", gram, solution)
    limit = penalty[:, None] * (1 + KKT_SLACK) + KKT_SLACK
    signs_hold = np.where(support, np.sign(solution) == sign, np.abs(gradient) <= limit)
    return solution, signs_hold.all(axis=1) & solvable


def _inverse_each(matrices: Array, identity: Array) -> Array:
    """Batched inverse; a singular matrix gives NaN instead of stopping all."""
    inverse, solvable = _solve_each(matrices, identity)
    inverse[~solvable] = np.nan
    return inverse


def _solve_each(system: Array, right: Array) -> tuple[Array, BoolArray]:
    """Batched solve; a singular system gives zeros and False instead of stopping all."""
    vector = right.ndim == 2
    rhs = right[:, :, None] if vector else right
    try:
        solved: Array = np.asarray(np.linalg.solve(system, rhs), dtype=np.float64)
        return (solved[:, :, 0] if vector else solved), np.ones(system.shape[0], dtype=bool)
    except np.linalg.LinAlgError:
        solution: Array = np.zeros(right.shape, dtype=np.float64)
        solvable = np.ones(system.shape[0], dtype=bool)
        for g in range(system.shape[0]):
            try:
                solution[g] = np.linalg.solve(system[g], right[g])
            except np.linalg.LinAlgError:
                solvable[g] = False
        return solution, solvable


def _lasso_descent(
    gram: Array, target: Array, penalty: Array, start: Array
) -> tuple[Array, BoolArray]:
    """Up to LASSO_SWEEPS_PER_TRY sweeps of coordinate descent; (coefficients, converged)."""
    coefficients = start.copy()
    converged = np.zeros(gram.shape[0], dtype=bool)
    size = gram.shape[1]
    diagonal = np.diagonal(gram, axis1=1, axis2=2)
    fitted = np.einsum("gkl,gl->gk", gram, coefficients)
    active = np.arange(gram.shape[0])
    for _ in range(LASSO_SWEEPS_PER_TRY):
        g = gram[active]
        b = coefficients[active]
        fit = fitted[active]
        t = target[active]
        d = diagonal[active]
        lam = penalty[active]
        change = np.zeros(len(active))
        for k in range(size):
            old = b[:, k].copy()
            partial = t[:, k] - fit[:, k] + d[:, k] * old
            new = _soft(partial, lam) / d[:, k]
            delta = new - old
            b[:, k] = new
            fit += delta[:, None] * g[:, :, k]
            np.maximum(change, np.abs(delta), out=change)
        coefficients[active] = b
        fitted[active] = fit
        done = change <= LASSO_TOLERANCE
        converged[active[done]] = True
        active = active[~done]
        if active.size == 0:
            break
    return coefficients, converged


@dataclass(frozen=True, slots=True)
class GlassoSolution:
    """Precision ``precision``, covariance ``covariance`` and column regressions ``columns``."""

    precision: Array
    covariance: Array
    columns: Array
    """(G, p, p−1): the lasso coefficients of each column, kept for warm starts."""


def graphical_lasso(
    covariance: Array,
    penalty: Array,
    warm: GlassoSolution | None = None,
) -> GlassoSolution:
    """Graphical lasso with an off-diagonal L1 penalty (Friedman, Hastie & Tibshirani 2008).

    Minimizes −log det Θ + tr(SΘ) + ρ Σ_{i≠j} |Θ_ij| for each of the G problems
    (``covariance`` (G, p, p), ``penalty`` (G,)). With the diagonal unpenalized the
    estimated covariance keeps S's diagonal. ``warm`` restarts from an earlier solution
    (any positive definite covariance with the same diagonal is a valid start); the
    problem is convex, so the solution does not depend on the start.
    """
    batch, p, _ = covariance.shape
    if warm is None:
        current = covariance.copy()
        columns = np.zeros((batch, p, p - 1))
    else:
        current = warm.covariance.copy()
        columns = warm.columns.copy()
        index = np.arange(p)
        current[:, index, index] = covariance[:, index, index]
    others = [np.delete(np.arange(p), j) for j in range(p)]
    active = np.arange(batch)
    for _ in range(GLASSO_MAX_SWEEPS):
        w = current[active]
        s = covariance[active]
        c = columns[active]
        rho = penalty[active]
        change = np.zeros(len(active))
        for j in range(p):
            o = others[j]
            w11 = w[:, o][:, :, o]
            b = _lasso_cd(w11, s[:, o, j], rho, c[:, j])
            w12 = np.einsum("gkl,gl->gk", w11, b)
            np.maximum(change, np.abs(w12 - w[:, o, j]).max(axis=1), out=change)
            w[:, o, j] = w12
            w[:, j, o] = w12
            c[:, j] = b
        current[active] = w
        columns[active] = c
        active = active[change > GLASSO_TOLERANCE]
        if active.size == 0:
            break
    precision = np.zeros_like(current)
    for j in range(p):
        o = others[j]
        b = columns[:, j]
        w12 = current[:, o, j]
        theta22 = 1.0 / (current[:, j, j] - np.einsum("gk,gk->g", w12, b))
        precision[:, j, j] = theta22
        precision[:, o, j] = -b * theta22[:, None]
    # The column-wise precision is symmetric up to rounding; keep the upper triangle as
    # graphicalVAR does (Matrix::forceSymmetric).
    upper = np.triu(precision)
    precision = upper + np.transpose(np.triu(precision, 1), (0, 2, 1))
    return GlassoSolution(precision=precision, covariance=current, columns=columns)


def residual_covariance(beta: Array, xx: Array, xy: Array, yy: Array, n: int | Array) -> Array:
    """(Y − Xβ)'(Y − Xβ)/n from the Gram matrices, β (G, q, p) with rows = predictors."""
    cross = np.einsum("gqp,gqr->gpr", xy, beta)
    fitted = np.einsum("gqp,gqs,gsr->gpr", beta, xx, beta)
    residual: Array = (yy - cross - np.transpose(cross, (0, 2, 1)) + fitted) / np.reshape(
        n, (-1, 1, 1)
    )
    return residual


def temporal_lasso(
    beta: Array,
    precision: Array,
    xx: Array,
    xy: Array,
    penalty_matrix: Array,
    n: Array,
    threshold: Array,
    max_sweeps: int = MAX_INNER,
) -> Array:
    """graphicalVAR's ``Beta_C``: cyclic coordinate descent for β given the precision κ.

    Sweeps over rows r (predictors), then columns c (outcomes):
    ``z = β_rc + (H_rc − u_rc)/(S_rr κ_cc)``, ``β_rc = soft(z, n λ_rc/(S_rr κ_cc))`` with
    ``S = X'X``, ``H = X'Yκ``, ``u = Sβκ``; a problem stops after the sweep whose total
    absolute change is at most its ``threshold`` (10⁻⁴ times the L1 norm of the ridge
    solution in graphicalVAR), or after 100 sweeps. ``beta`` (G, q, p) is the start.
    """
    q, p = beta.shape[1:]
    # Batch-last copies: every coordinate update then works on contiguous vectors.
    h = np.ascontiguousarray(np.einsum("gqp,gpr->qrg", xy, precision))
    # u = Sβκ is read one entry at a time; keeping V = βκ makes each update O(p) and each
    # read O(q) instead of refreshing all of u after every coordinate.
    v = np.ascontiguousarray(np.einsum("gsp,gpr->rsg", beta, precision))  # V transposed
    scale = np.einsum(
        "gq,gp->qpg",
        np.diagonal(xx, axis1=1, axis2=2),
        np.diagonal(precision, axis1=1, axis2=2),
    )
    step = np.ascontiguousarray(h / scale)
    inverse = np.ascontiguousarray(1.0 / scale)
    cutoff = np.ascontiguousarray(
        np.transpose(n[:, None, None] * penalty_matrix, (1, 2, 0)) / scale
    )
    negative_cutoff = -cutoff
    gram = np.ascontiguousarray(np.transpose(xx, (1, 2, 0)))
    kappa_t = np.ascontiguousarray(np.transpose(precision, (1, 2, 0)))
    result = np.transpose(beta, (1, 2, 0)).copy(order="C")
    active = np.arange(beta.shape[0])
    everything = True
    for _ in range(max_sweeps):
        if everything:
            b, vv, st, inv, cut, low, s, kappa = (
                result,
                v,
                step,
                inverse,
                cutoff,
                negative_cutoff,
                gram,
                kappa_t,
            )
        else:
            b, vv, st, inv, cut, low, s, kappa = (
                result[..., active],
                v[..., active],
                step[..., active],
                inverse[..., active],
                cutoff[..., active],
                negative_cutoff[..., active],
                gram[..., active],
                kappa_t[..., active],
            )
        size = len(active)
        change = np.zeros(size)
        u, z, clipped, delta = (np.empty(size) for _ in range(4))
        spread = np.empty((p, size))
        # In-place ufuncs: no temporary arrays in the innermost loop.
        for r in range(q):
            s_r = s[r]
            b_r = b[r]
            v_r = vv[:, r]
            for c in range(p):
                np.einsum("jg,jg->g", s_r, vv[c], out=u)
                np.multiply(u, inv[r, c], out=u)
                np.subtract(st[r, c], u, out=z)
                z += b_r[c]
                np.maximum(z, low[r, c], out=clipped)
                np.minimum(clipped, cut[r, c], out=clipped)
                z -= clipped  # soft threshold: z − clip(z, −t, t)
                np.subtract(z, b_r[c], out=delta)
                b_r[c] = z
                np.multiply(kappa[c], delta, out=spread)
                v_r += spread
                np.abs(delta, out=delta)
                change += delta
        if not everything:
            result[..., active] = b
            v[..., active] = vv
        keep = change > threshold[active]
        if keep.all():
            continue
        active = active[keep]
        everything = False
        if active.size == 0:
            break
    final: Array = np.ascontiguousarray(np.transpose(result, (2, 0, 1)))
    return final


@dataclass(frozen=True, slots=True)
class AlternatingFit:
    """β (G, q, p; rows = predictors incl. intercept), κ (G, p, p) and convergence flags."""

    beta: Array
    kappa: Array
    converged: BoolArray


def ridge_norm(xx: Array, xy: Array, penalty: Array) -> Array:
    """Σ|β_ridge| with β_ridge = (X'X + λI)⁻¹X'Y, graphicalVAR's scale for convergence."""
    q = xx.shape[1]
    ridge = np.linalg.solve(xx + penalty[:, None, None] * np.eye(q), xy)
    norm: Array = np.abs(ridge).sum(axis=(1, 2))
    return norm


def fit_alternating(
    xx: Array,
    xy: Array,
    yy: Array,
    n: Array,
    lambda_beta: Array,
    lambda_kappa: Array,
) -> AlternatingFit:
    """Rothman, Levina & Zhu (2010) Algorithm 2 as graphicalVAR's ``Rothmana`` runs it.

    Starting from β = 0, repeat: κ = graphical lasso of the residual covariance (penalty
    λ_κ off the diagonal); β = :func:`temporal_lasso` from the current β; stop when the
    total absolute change of β is below 10⁻⁴ × Σ|β_ridge| or after 101 rounds. The
    intercept row (row 0) is not penalized. Gram matrices are (G, ·, ·) or broadcastable.
    """
    batch = lambda_beta.shape[0]
    q, p = xy.shape[-2:]
    shared = xx.ndim == 2 and xy.ndim == 2 and yy.ndim == 2
    xx = np.broadcast_to(xx, (batch, q, q))
    xy = np.broadcast_to(xy, (batch, q, p))
    yy = np.broadcast_to(yy, (batch, p, p))
    n = np.broadcast_to(n, (batch,)).astype(np.float64)
    penalty_matrix = np.broadcast_to(lambda_beta[:, None, None], (batch, q, p)).copy()
    penalty_matrix[:, 0, :] = 0.0
    threshold = CONVERGENCE * ridge_norm(xx, xy, lambda_beta)
    beta = np.zeros((batch, q, p))
    kappa = np.zeros((batch, p, p))
    converged = np.zeros(batch, dtype=bool)
    warm: GlassoSolution | None = None
    active = np.arange(batch)
    for round_number in range(1, MAX_OUTER + 2):
        b_old = beta[active]
        sigma = residual_covariance(b_old, xx[active], xy[active], yy[active], n[active])
        if round_number == 1 and shared:
            # β = 0 everywhere: the first κ depends on λ_κ alone, so solve each value once.
            values, which = np.unique(lambda_kappa, return_inverse=True)
            first = graphical_lasso(sigma[: len(values)], values)
            solution = GlassoSolution(
                precision=first.precision[which],
                covariance=first.covariance[which],
                columns=first.columns[which],
            )
        else:
            solution = graphical_lasso(sigma, lambda_kappa[active], warm)
        b_new = temporal_lasso(
            b_old,
            solution.precision,
            xx[active],
            xy[active],
            penalty_matrix[active],
            n[active],
            threshold[active],
        )
        beta[active] = b_new
        kappa[active] = solution.precision
        change = np.abs(b_new - b_old).sum(axis=(1, 2))
        done = change < threshold[active]
        converged[active[done]] = True
        if round_number > MAX_OUTER:
            break
        keep = ~done
        active = active[keep]
        if active.size == 0:
            break
        warm = GlassoSolution(
            precision=solution.precision[keep],
            covariance=solution.covariance[keep],
            columns=solution.columns[keep],
        )
    return AlternatingFit(beta=beta, kappa=kappa, converged=converged)


def _log_det(matrices: Array) -> tuple[Array, BoolArray]:
    sign, value = np.linalg.slogdet(matrices)
    return value, sign > 0


def constrained_precision(covariance: Array, free: BoolArray, start: Array | None = None) -> Array:
    """Maximum-likelihood precision K with K_ij = 0 wherever ``free`` is False (i ≠ j).

    Maximizes log det K − tr(KS) for each of the G problems by Newton's method on the
    free entries (the diagonal is always free), with a backtracking line search that
    keeps K positive definite. This is Dempster's (1972) covariance selection, the refit
    graphicalVAR uses for its (unpenalized) EBIC. ``start`` (positive definite, with the
    same zero pattern) speeds it up; by default the start is diag(1/S_ii).
    """
    p = covariance.shape[1]
    rows, cols = np.triu_indices(p)
    weight = np.where(rows == cols, 0.5, 1.0)
    entry_free = free[:, rows, cols] | (rows == cols)[None, :]
    index = np.arange(p)
    if start is None:
        precision = np.zeros_like(covariance)
        precision[:, index, index] = 1.0 / np.diagonal(covariance, axis1=1, axis2=2)
    else:
        precision = np.where(free | np.eye(p, dtype=bool), start, 0.0)
    eye = np.eye(len(rows))
    pair_weight = 2.0 * np.outer(weight, weight)
    # Closed forms: no zeros (K = S⁻¹) and no free off-diagonal entry (K = diag(1/S_ii)).
    off_free = entry_free[:, rows != cols]
    dense = off_free.all(axis=1)
    empty = ~off_free.any(axis=1)
    if dense.any():
        identity = np.broadcast_to(np.eye(p), (int(dense.sum()), p, p))
        precision[dense] = _inverse_each(covariance[dense], identity)
    if empty.any():
        diagonal = np.diagonal(covariance[empty], axis1=1, axis2=2)
        precision[empty] = np.eye(p) / diagonal[:, :, None]
    active = np.flatnonzero(~(dense | empty))
    for _ in range(NEWTON_MAX_STEPS):
        if active.size == 0:
            break
        k = precision[active]
        s = covariance[active]
        w = np.linalg.inv(k)
        gradient = 2.0 * weight * (s - w)[:, rows, cols]
        mask = entry_free[active]
        gradient = np.where(mask, gradient, 0.0)
        finished = np.abs(gradient).max(axis=1) < NEWTON_TOLERANCE
        keep = ~finished
        active, k, s, w, gradient, mask = (
            active[keep],
            k[keep],
            s[keep],
            w[keep],
            gradient[keep],
            mask[keep],
        )
        if active.size == 0:
            break
        # H_mn = 2 c_m c_n (W_{b a'} W_{a b'} + W_{b b'} W_{a a'}) for m = (a, b), n = (a', b').
        by_row = w[:, rows, :]
        by_col = w[:, cols, :]
        hessian = pair_weight * (
            by_col[:, :, rows] * by_row[:, :, cols] + by_col[:, :, cols] * by_row[:, :, rows]
        )
        both = mask[:, :, None] & mask[:, None, :]
        hessian = np.where(both, hessian, eye)
        step_params, solvable = _solve_each(hessian, gradient)
        if not solvable.all():
            # A singular problem has no maximum-likelihood refit: NaN, so EBIC = ∞.
            precision[active[~solvable]] = np.nan
            active, k, s, step_params = (
                active[solvable],
                k[solvable],
                s[solvable],
                step_params[solvable],
            )
            gradient = gradient[solvable]
            if active.size == 0:
                break
        step = np.zeros_like(k)
        step[:, rows, cols] = step_params * weight * 2.0
        step = 0.5 * (step + np.transpose(step, (0, 2, 1)))
        decrement = np.einsum("gm,gm->g", gradient, step_params)
        # Within rounding of the optimum a full Newton step is taken without a test.
        objective = _objective(k, s) + NEWTON_SLACK * (decrement < NEWTON_DECREMENT)
        size = np.ones(len(active))
        trial = k - step
        bad = ~(_objective(trial, s) <= objective - 0.25 * decrement)
        for _ in range(60):
            if not bad.any():
                break
            size[bad] *= 0.5
            trial[bad] = k[bad] - size[bad, None, None] * step[bad]
            value = _objective(trial[bad], s[bad])
            bad[bad] = ~(value <= objective[bad] - 0.25 * size[bad] * decrement[bad])
        precision[active] = trial
    return precision


def _objective(precision: Array, covariance: Array) -> Array:
    """−log det K + tr(KS), infinite where K is not positive definite."""
    value, positive = _log_det(precision)
    trace = np.einsum("gij,gji->g", precision, covariance)
    result: Array = np.where(positive, -value + trace, np.inf)
    return result
