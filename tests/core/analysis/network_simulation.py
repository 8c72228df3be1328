"""Simulated patients with a known lag-1 VAR structure (fixed seeds)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from maatwerk.core.analysis.network import LaggedSeries, lagged_series

Array = NDArray[np.float64]

VARIABLES = ("down", "worry", "tired", "pain", "active", "cheerful")

TEMPORAL = np.array(
    # rows = outcome at t, columns = predictor at t − 1
    [
        [0.40, 0.00, 0.00, 0.00, 0.00, 0.00],
        [0.30, 0.35, 0.00, 0.00, 0.00, 0.00],
        [0.00, 0.00, 0.40, 0.00, 0.00, 0.00],
        [0.00, 0.00, 0.30, 0.30, 0.00, 0.00],
        [0.00, 0.00, 0.00, 0.00, 0.40, 0.00],
        [0.00, 0.00, 0.00, 0.00, -0.30, 0.30],
    ]
)
"""Six autoregressions and three cross-lagged edges; the other 27 coefficients are zero."""

PRECISION = np.array(
    [
        [1.0, -0.4, 0.0, 0.0, 0.0, 0.0],
        [-0.4, 1.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 1.0, -0.4, 0.0, 0.0],
        [0.0, 0.0, -0.4, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 1.0, 0.4],
        [0.0, 0.0, 0.0, 0.0, 0.4, 1.0],
    ]
)
"""Three contemporaneous edges (partial correlations 0.4, 0.4, −0.4); 12 zero pairs."""


def simulate_values(
    n: int, seed: int, temporal: Array = TEMPORAL, precision: Array = PRECISION
) -> Array:
    rng = np.random.default_rng(seed)
    p = temporal.shape[0]
    noise = rng.multivariate_normal(np.zeros(p), np.linalg.inv(precision), size=n + 100)
    values = np.zeros((n + 100, p))
    for t in range(1, n + 100):
        values[t] = temporal @ values[t - 1] + noise[t]
    return values[100:]


def simulate_var(n: int, seed: int) -> LaggedSeries:
    return lagged_series(simulate_values(n, seed), VARIABLES)
