"""The batched solvers behind the network, each against an independent implementation.

* graphical lasso: scikit-learn's ``graphical_lasso`` penalizes only the off-diagonal
  entries, which is R glasso with a zero diagonal in ``rho`` as graphicalVAR calls it
  (scikit-learn 1.9 ``covariance/_graph_lasso.py``: ``alpha * (|P|.sum() − |diag P|.sum())``);
* the coefficient step with a diagonal precision: per outcome an ordinary lasso with an
  unpenalized intercept (scikit-learn ``Lasso``);
* the unpenalized model: the lag-1 VAR of statsmodels (OLS with a constant; its
  ``sigma_u_mle`` is the residual covariance with divisor n);
* the constrained refit: Dempster's (1972) conditions, (K⁻¹)_ij = S_ij on every free
  entry and K_ij = 0 on every fixed one.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.covariance import graphical_lasso as sklearn_graphical_lasso
from sklearn.linear_model import Lasso
from statsmodels.tsa.api import VAR

from maatwerk.core.analysis import network_kernels as kernels

from .network_simulation import simulate_var


def covariance_sample(seed: int, p: int = 6, n: int = 200) -> np.ndarray:
    rng = np.random.default_rng(seed)
    data = rng.normal(size=(n, p))
    data[:, 1] += data[:, 0]
    data[:, 3] += 0.5 * data[:, 2]
    data[:, 5] -= 0.7 * data[:, 4]
    return np.cov(data.T, bias=True)


@pytest.mark.parametrize("penalty", [0.01, 0.05, 0.1, 0.2, 0.5])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_graphical_lasso_equals_scikit_learn(penalty: float, seed: int) -> None:
    covariance = covariance_sample(seed)
    ours = kernels.graphical_lasso(covariance[None], np.array([penalty])).precision[0]
    _, theirs = sklearn_graphical_lasso(
        covariance, alpha=penalty, tol=1e-12, enet_tol=1e-12, max_iter=10_000
    )
    np.testing.assert_allclose(ours, theirs, atol=1e-9)
    assert ((ours == 0) == (np.abs(theirs) < 1e-12)).all()


def test_graphical_lasso_batch_equals_one_by_one_and_ignores_the_warm_start() -> None:
    covariances = np.stack([covariance_sample(seed) for seed in range(5)])
    penalties = np.array([0.02, 0.08, 0.15, 0.3, 0.05])
    batch = kernels.graphical_lasso(covariances, penalties)
    for g in range(5):
        single = kernels.graphical_lasso(covariances[g : g + 1], penalties[g : g + 1])
        np.testing.assert_allclose(batch.precision[g], single.precision[0], atol=1e-11)
    other = kernels.graphical_lasso(covariances[::-1].copy(), penalties)
    warm = kernels.graphical_lasso(covariances, penalties, other)
    np.testing.assert_allclose(warm.precision, batch.precision, atol=1e-10)


def test_graphical_lasso_keeps_the_diagonal_of_the_covariance() -> None:
    covariance = covariance_sample(4)
    solution = kernels.graphical_lasso(covariance[None], np.array([0.2]))
    np.testing.assert_allclose(np.diag(solution.covariance[0]), np.diag(covariance), atol=1e-14)
    np.testing.assert_allclose(
        np.linalg.inv(solution.precision[0]), solution.covariance[0], atol=1e-9
    )


@pytest.mark.parametrize("penalty", [0.01, 0.05, 0.12])
def test_coefficient_step_with_a_diagonal_precision_is_the_ordinary_lasso(
    penalty: float,
) -> None:
    series = simulate_var(n=300, seed=11)
    x, y = series.lagged, series.current
    n, p = y.shape
    kappa = np.diag(np.linspace(0.8, 1.6, p))
    penalties = np.full((p + 1, p), penalty)
    penalties[0] = 0.0
    beta = kernels.temporal_lasso(
        np.zeros((1, p + 1, p)),
        kappa[None],
        (x.T @ x)[None],
        (x.T @ y)[None],
        penalties[None],
        np.array([float(n)]),
        np.array([1e-13]),
        max_sweeps=100_000,
    )[0]
    for c in range(p):
        # graphicalVAR's threshold n·λ/(S_rr κ_cc) is the lasso (1/2n)‖y − Xb‖² + (λ/κ_cc)‖b‖₁.
        lasso = Lasso(alpha=penalty / kappa[c, c], tol=1e-14, max_iter=1_000_000)
        lasso.fit(x[:, 1:], y[:, c])
        np.testing.assert_allclose(beta[1:, c], lasso.coef_, atol=1e-9)
        np.testing.assert_allclose(beta[0, c], lasso.intercept_, atol=1e-9)


def test_unpenalized_model_is_the_statsmodels_var() -> None:
    series = simulate_var(n=400, seed=5)
    x, y = series.lagged, series.current
    n, p = y.shape
    # Without penalties the coefficient step is least squares whatever the precision, and
    # the graphical lasso inverts the residual covariance.
    beta = kernels.temporal_lasso(
        np.zeros((1, p + 1, p)),
        np.eye(p)[None],
        (x.T @ x)[None],
        (x.T @ y)[None],
        np.zeros((1, p + 1, p)),
        np.array([float(n)]),
        np.array([1e-13]),
        max_sweeps=100_000,
    )
    residual = kernels.residual_covariance(
        beta, (x.T @ x)[None], (x.T @ y)[None], (y.T @ y)[None], n
    )
    kappa = kernels.graphical_lasso(residual, np.array([0.0])).precision[0]
    # One day without gaps: the statsmodels VAR sees the same pairs (its first row only
    # serves as a lag).
    result = VAR(np.vstack([x[0, 1:], y])).fit(1, trend="c")
    np.testing.assert_allclose(beta[0][1:].T, result.coefs[0], atol=1e-10)
    np.testing.assert_allclose(beta[0][0], result.intercept, atol=1e-10)
    np.testing.assert_allclose(np.linalg.inv(kappa), np.asarray(result.sigma_u_mle), atol=1e-10)


def test_constrained_precision_meets_dempsters_conditions() -> None:
    covariance = covariance_sample(7)
    free = np.ones((6, 6), dtype=bool)
    for i, j in [(0, 2), (0, 4), (1, 5), (2, 5), (3, 4)]:
        free[i, j] = free[j, i] = False
    precision = kernels.constrained_precision(covariance[None], free[None])[0]
    implied = np.linalg.inv(precision)
    assert (precision[~free] == 0).all()
    np.testing.assert_allclose(implied[free], covariance[free], atol=1e-10)
    assert np.linalg.eigvalsh(precision).min() > 0


def test_constrained_precision_without_zeros_is_the_inverse() -> None:
    covariance = covariance_sample(8)
    free = np.ones((1, 6, 6), dtype=bool)
    precision = kernels.constrained_precision(covariance[None], free)[0]
    np.testing.assert_allclose(precision, np.linalg.inv(covariance), atol=1e-10)
