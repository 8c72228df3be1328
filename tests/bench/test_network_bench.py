"""Benchmark: a personal network (graphical VAR) per patient, against a plain scikit-learn fit.

Run with ``make bench`` (``pytest tests/bench --benchmark-enable -q -s``). Two simulated
patients with 6 items, like real EMA series: ~100 beeps (3 weeks of 5 beeps a day) and
~1,400 beeps (140 days of 10). Each estimation covers the full 50 × 50 penalty grid with
EBIC selection, as R graphicalVAR does (R graphicalVAR 0.4 on these two inputs, median of
3 runs on 2026-12-06 on the shared development machine: 7.6 s CPU / 15.3 s wall for 100
beeps, 10.8 s CPU / 17.0 s wall for 1,400 beeps; see docs/performance.md).

The baseline is the straightforward version (:mod:`tests.core.analysis.network_reference`:
scikit-learn ``Lasso`` and ``graphical_lasso``, alternating, one grid point at a time,
no warm starts). It is slow, so by default it fits every 10th penalty of each grid
(25 of the 2,500 points) and its time is scaled to the full grid;
``MAATWERK_BENCH_FULL=1`` fits all 2,500. Both are measured in the same run, so the ratio
does not depend on the machine. Times are wall-clock medians; on a shared machine the
CPU time (printed too) is the steadier figure.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np
import pytest

from maatwerk.core.analysis.network import (
    LaggedSeries,
    NetworkResult,
    estimate_network,
    lagged_series,
)
from tests.core.analysis.network_reference import reference_fit
from tests.core.analysis.network_simulation import VARIABLES, simulate_values

FULL = os.environ.get("MAATWERK_BENCH_FULL") == "1"
ROUNDS = 3
BASELINE_STEP = 1 if FULL else 10
R_SECONDS = {"100 beeps": (7.56, 15.31), "1,400 beeps": (10.80, 17.03)}
"""R graphicalVAR 0.4 on the same inputs (CPU, wall), measured as docs/performance.md says."""
PATIENTS = {"100 beeps": (100, 5), "1,400 beeps": (1_400, 10)}
RESULTS: dict[str, dict[str, float]] = {}


def patient(beeps: int, per_day: int) -> LaggedSeries:
    values = simulate_values(beeps, seed=beeps)
    return lagged_series(
        values,
        VARIABLES,
        day=[i // per_day for i in range(beeps)],
        beep=[i % per_day + 1 for i in range(beeps)],
    )


def _summary(name: str) -> None:
    result = RESULTS.get(name, {})
    if not {"ours", "baseline"} <= result.keys():
        return
    r_cpu, r_wall = R_SECONDS[name]
    print(
        f"\nNetwork per patient, 6 items, {name} (2,500 grid points):\n"
        f"  maatwerk (batched numpy)        {result['ours']:>8.2f} s wall, "
        f"{result['ours_cpu']:.2f} s CPU\n"
        f"  baseline scikit-learn           {result['baseline']:>8.1f} s wall "
        f"({'measured' if FULL else 'scaled from 25 points'})\n"
        f"  ratio baseline/maatwerk         {result['baseline'] / result['ours']:>8.1f}x\n"
        f"  ratio R graphicalVAR/maatwerk   {r_wall / result['ours']:>8.1f}x wall, "
        f"{r_cpu / result['ours_cpu']:.1f}x CPU (R: {r_cpu} s CPU, {r_wall} s wall, "
        "measured once, see docs/performance.md)"
    )


@pytest.mark.parametrize("name", list(PATIENTS))
def test_bench_network_maatwerk(benchmark: Any, name: str) -> None:
    series = patient(*PATIENTS[name])
    cpu: list[float] = []

    def estimate() -> NetworkResult:
        start = time.process_time()
        result = estimate_network(series)
        cpu.append(time.process_time() - start)
        return result

    benchmark.group = f"network, 6 items, {name}"
    result: NetworkResult = benchmark.pedantic(estimate, rounds=ROUNDS, iterations=1)
    assert result.n_used == series.n
    if benchmark.stats is not None:
        RESULTS.setdefault(name, {})["ours"] = benchmark.stats.stats.median
        RESULTS[name]["ours_cpu"] = float(np.median(cpu))
        _summary(name)


@pytest.mark.parametrize("name", list(PATIENTS))
def test_bench_network_baseline_scikit_learn(benchmark: Any, name: str) -> None:
    series = patient(*PATIENTS[name])
    ours = estimate_network(series)
    # Under a plain test run (benchmarks disabled) 4 points suffice to check it runs.
    step = 49 if benchmark.disabled else BASELINE_STEP
    beta_values = ours.lambda_beta_grid[::step]
    kappa_values = ours.lambda_kappa_grid[::step]
    points = [(b, k) for b in beta_values for k in kappa_values]
    x, y = series.lagged, series.current

    def baseline() -> int:
        zeros = 0
        for b, k in points:
            fit = reference_fit(x, y, b, k)
            zeros += int((np.abs(fit.kappa) < 1e-10).sum())
        return zeros

    benchmark.group = f"network, 6 items, {name}"
    benchmark.extra_info["grid_points"] = len(points)
    benchmark.pedantic(baseline, rounds=1, iterations=1)
    if benchmark.stats is not None:
        scaled = benchmark.stats.stats.median * 2_500 / len(points)
        RESULTS.setdefault(name, {})["baseline"] = scaled
        _summary(name)
