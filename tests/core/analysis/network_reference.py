"""A straightforward graphical VAR with scikit-learn: the independent check and the baseline.

Each grid point is fitted on its own, from scratch, by alternating two textbook solvers
until the pair stops changing:

* β given κ: with κ = LL' the objective (1/2n)·tr((Y − XB)κ(Y − XB)') + λ_β‖B‖₁ is an
  ordinary lasso of vec(YL) on the design L' ⊗ X (Rothman, Levina & Zhu 2010, eq. 2.3);
  the intercepts are unpenalized, so X and Y are centred first. scikit-learn's ``Lasso``
  averages over its n·p rows, hence ``alpha = λ_β / p``.
* κ given β: ``sklearn.covariance.graphical_lasso`` of the residual covariance, which
  penalizes only the off-diagonal entries, as graphicalVAR does.

It solves every subproblem to a tight tolerance instead of copying graphicalVAR's loop,
so agreement with :mod:`maatwerk.core.analysis.network` tests the fitted model, not the
code path. It is slow by design (that is the baseline of the benchmark).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.covariance import graphical_lasso
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Lasso

Array = NDArray[np.float64]


@dataclass(frozen=True)
class ReferenceFit:
    beta: Array
    """(p + 1) × p, rows = predictors (intercept first)."""
    kappa: Array


def reference_fit(
    x: Array, y: Array, lambda_beta: float, lambda_kappa: float, rounds: int = 200
) -> ReferenceFit:
    n, p = y.shape
    lagged = x[:, 1:]
    x_mean = lagged.mean(axis=0)
    y_mean = y.mean(axis=0)
    xc = lagged - x_mean
    yc = y - y_mean
    slopes = np.zeros((p, p))
    kappa = np.eye(p)
    lasso = Lasso(
        alpha=lambda_beta / p, fit_intercept=False, tol=1e-12, max_iter=100_000, warm_start=True
    )
    for _ in range(rounds):
        residual = yc - xc @ slopes
        covariance = residual.T @ residual / n
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            _, new_kappa = graphical_lasso(
                covariance, alpha=lambda_kappa, tol=1e-12, enet_tol=1e-12, max_iter=10_000
            )
        new_kappa = np.triu(new_kappa) + np.triu(new_kappa, 1).T
        factor = np.linalg.cholesky(new_kappa)
        design = np.kron(factor.T, xc)
        target = (yc @ factor).reshape(-1, order="F")
        lasso.fit(design, target)
        new_slopes = lasso.coef_.reshape(p, p, order="F")
        change = np.abs(new_slopes - slopes).max() + np.abs(new_kappa - kappa).max()
        slopes, kappa = new_slopes, new_kappa
        if change < 1e-10:
            break
    intercept = y_mean - x_mean @ slopes
    return ReferenceFit(beta=np.vstack([intercept, slopes]), kappa=kappa)
