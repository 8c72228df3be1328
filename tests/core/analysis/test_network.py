"""The personal symptom network (graphical VAR): data preparation, grid, selection, output.

Conventions are those of graphicalVAR 0.4 (Epskamp; method in Epskamp, Waldorp, Mõttus &
Borsboom 2018, Multivariate Behavioral Research 53(4):453–480). What is checked here:

* the data preparation and the λ grids against their definitions, on hand-made inputs;
* every fitted grid point against an independent scikit-learn fit
  (:mod:`tests.core.analysis.network_reference`), and the EBIC choice with it;
* recovery of a simulated VAR(1) whose edges are known, at several lengths;
* estimation on two real single-patient ESM datasets (skipped without ``../shared``);
* properties: symmetry, ranges, invariance to row order and to the scale of the items.
"""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import numpy as np
import pytest

from maatwerk.core.analysis import network as net
from maatwerk.core.analysis.network_kernels import fit_alternating
from maatwerk.core.analysis.network_problems import NetworkProblemKind

from .network_reference import reference_fit
from .network_simulation import PRECISION, TEMPORAL, VARIABLES, simulate_values, simulate_var

ROOT = Path(__file__).resolve().parents[3]


def shared_folder() -> Path | None:
    """``../shared`` beside the project (or beside the folder of worktrees)."""
    candidates = [os.environ.get("MAATWERK_SHARED"), ROOT.parent / "shared"]
    candidates.append(ROOT.parent.parent / "shared")
    for candidate in candidates:
        if candidate and (Path(candidate) / "datasets").is_dir():
            return Path(candidate)
    return None


# --- data preparation -------------------------------------------------------------------


def test_standardizes_over_all_input_rows_before_dropping_any() -> None:
    values = np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0], [8.0, 60.0]])
    series = net.lagged_series(values, ("a", "b"))
    expected = (values - values.mean(axis=0)) / values.std(axis=0, ddof=1)
    np.testing.assert_allclose(series.current, expected[1:])
    np.testing.assert_allclose(series.lagged[:, 1:], expected[:-1])
    np.testing.assert_array_equal(series.lagged[:, 0], 1.0)
    assert series.rows == (1, 2, 3)
    assert abs(series.current.mean(axis=0)).max() > 0.1  # not re-centred on the used rows


def test_no_lag_crosses_a_night_or_a_missed_beep() -> None:
    values = np.arange(16, dtype=float).reshape(8, 2) ** 1.5
    day = [1, 1, 1, 1, 2, 2, 2, 2]
    beep = [1, 2, 4, 5, 1, 2, 3, 5]
    series = net.lagged_series(values, ("a", "b"), day=day, beep=beep)
    # Used: day 1 beeps 2 and 5 (after 1 and 4); day 2 beeps 2 and 3. Not: the first beep
    # of each day, beep 4 after the missed beep 3, beep 5 after the missed beep 4.
    assert series.rows == (1, 3, 5, 6)
    standardized = (values - values.mean(axis=0)) / values.std(axis=0, ddof=1)
    np.testing.assert_allclose(series.lagged[:, 1:], standardized[[0, 2, 4, 5]])


def test_without_beeps_the_rows_of_a_day_are_numbered_in_order() -> None:
    values = simulate_values(12, seed=3)[:, :2]
    day = ["ma", "ma", "ma", "di", "di", "wo", "wo", "wo", "wo", "do", "do", "do"]
    series = net.lagged_series(values, ("a", "b"), day=day)
    assert series.rows == (1, 2, 4, 6, 7, 8, 10, 11)


def test_rows_in_another_order_give_the_same_pairs() -> None:
    values = simulate_values(60, seed=4)
    day = [i // 10 for i in range(60)]
    beep = [i % 10 + 1 for i in range(60)]
    order = np.random.default_rng(9).permutation(60)
    ordered = net.lagged_series(values, VARIABLES, day=day, beep=beep)
    shuffled = net.lagged_series(
        values[order], VARIABLES, day=[day[i] for i in order], beep=[beep[i] for i in order]
    )
    key = np.lexsort(ordered.current.T)
    key_shuffled = np.lexsort(shuffled.current.T)
    np.testing.assert_allclose(ordered.current[key], shuffled.current[key_shuffled])
    np.testing.assert_allclose(ordered.lagged[key], shuffled.lagged[key_shuffled])


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (np.array([[1.0, 2.0], [np.nan, 3.0], [2.0, np.nan], [3.0, 1.0]]), "missing values"),
        (
            np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 4.0], [1.0, 1.0]]),
            r"constant columns \(no variation\): a",
        ),
        (np.array([[1.0, 2.0], [3.0, np.inf], [2.0, 4.0], [3.0, 1.0]]), "finite"),
        (np.array([[1.0, 2.0], [2.0, 3.0]]), "only 2 rows"),
    ],
)
def test_unusable_data_is_refused_with_the_reason(values: np.ndarray, message: str) -> None:
    with pytest.raises(net.NetworkDataError, match=message):
        net.lagged_series(values, ("a", "b"))


def test_a_refusal_carries_its_kind_and_numbers_for_the_reader_to_translate() -> None:
    values = np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 4.0], [1.0, 1.0]])
    with pytest.raises(net.NetworkDataError) as constant:
        net.lagged_series(values, ("a", "b"))
    assert constant.value.kind is NetworkProblemKind.CONSTANT_COLUMNS
    assert constant.value.params_as_json() == {"names": ["a"]}
    series = net.lagged_series(simulate_values(14, seed=2), VARIABLES)
    with pytest.raises(net.NetworkDataError) as few:
        net.estimate_network(series)
    assert few.value.kind is NetworkProblemKind.TOO_FEW_PAIRS
    assert few.value.params == {"pairs": 13, "variables": 6, "needed": net.minimum_pairs(6)}


def test_duplicate_beeps_are_refused() -> None:
    values = simulate_values(4, seed=1)[:, :2]
    with pytest.raises(net.NetworkDataError, match="rows 2 and 3 have the same day and beep"):
        net.lagged_series(values, ("a", "b"), day=[1, 1, 1, 1], beep=[1, 2, 2, 3])


def test_too_few_pairs_for_the_variables_are_refused() -> None:
    series = net.lagged_series(simulate_values(14, seed=2), VARIABLES)
    with pytest.raises(net.NetworkDataError, match="only 13 usable beep pairs"):
        net.estimate_network(series)


# --- grid ------------------------------------------------------------------------------


def test_lambda_grids_follow_their_definitions() -> None:
    series = simulate_var(n=150, seed=21)
    beta_grid, kappa_grid = net.lambda_grids(series)
    y, x = series.current, series.lagged
    n = series.n
    covariance = y.T @ y / n
    correlation = covariance / np.sqrt(np.outer(np.diag(covariance), np.diag(covariance)))
    kappa_max = max(abs(correlation[i, j]) for i in range(6) for j in range(i + 1, 6))
    beta_max = np.abs(x.T @ y @ np.linalg.inv(y.T @ y)).max()
    assert len(beta_grid) == len(kappa_grid) == 50
    assert kappa_grid[0] == pytest.approx(kappa_max, rel=1e-14)
    assert kappa_grid[-1] == pytest.approx(0.05 * kappa_max, rel=1e-14)
    assert beta_grid[0] == pytest.approx(beta_max, rel=1e-14)
    ratios = np.diff(np.log(beta_grid))
    np.testing.assert_allclose(ratios, math.log(0.05) / 49, rtol=1e-10)


# --- against the independent reference ---------------------------------------------------


def test_every_grid_point_and_the_choice_agree_with_a_scikit_learn_fit() -> None:
    """A 4 × 4 grid over the same range; the reference solves each point to optimality.

    graphicalVAR stops its loops at a relative change of 10⁻⁴, so its (and our)
    coefficients may differ from the exact optimum by about that much; the zero patterns,
    the EBIC values and the chosen pair must agree.
    """
    series = simulate_var(n=160, seed=31)
    x, y = series.lagged, series.current
    beta_grid, kappa_grid = net.lambda_grids(series, count=4)
    lambda_beta = np.repeat(beta_grid, 4)
    lambda_kappa = np.tile(kappa_grid, 4)
    ours = fit_alternating(x.T @ x, x.T @ y, y.T @ y, np.array(series.n), lambda_beta, lambda_kappa)
    references = [reference_fit(x, y, b, k) for b, k in zip(lambda_beta, lambda_kappa, strict=True)]
    theirs_beta = np.stack([r.beta for r in references])
    theirs_kappa = np.stack([r.kappa for r in references])
    np.testing.assert_allclose(ours.beta, theirs_beta, atol=1e-3)
    np.testing.assert_allclose(ours.kappa, theirs_kappa, atol=1e-3)
    assert ((ours.beta != 0) == (np.abs(theirs_beta) > 1e-10)).all()
    assert ((ours.kappa != 0) == (np.abs(theirs_kappa) > 1e-10)).all()
    args = (x.T @ x, x.T @ y, y.T @ y, series.n, 0.5)
    ebic_ours = net._ebic(ours.beta, ours.kappa, *args)
    theirs_beta_clean = np.where(np.abs(theirs_beta) > 1e-10, theirs_beta, 0.0)
    theirs_kappa_clean = np.where(np.abs(theirs_kappa) > 1e-10, theirs_kappa, 0.0)
    ebic_theirs = net._ebic(theirs_beta_clean, theirs_kappa_clean, *args)
    np.testing.assert_allclose(ebic_ours, ebic_theirs, rtol=1e-4)
    assert net._select(ebic_ours, lambda_kappa, lambda_beta) == net._select(
        ebic_theirs, lambda_kappa, lambda_beta
    )


def test_ebic_counts_edges_and_coefficients_as_graphicalvar_does() -> None:
    series = simulate_var(n=200, seed=41)
    x, y = series.lagged, series.current
    n = series.n
    fit = fit_alternating(x.T @ x, x.T @ y, y.T @ y, np.array(n), np.array([0.05]), np.array([0.1]))
    beta, kappa = fit.beta[0], fit.kappa[0]
    residual = (y - x @ beta).T @ (y - x @ beta) / n
    free = kappa != 0
    refit = kappa.copy()
    for _ in range(200):  # Dempster's iterative proportional fitting would do; Newton here
        covariance = np.linalg.inv(refit)
        gradient = np.where(free, residual - covariance, 0.0)
        refit = refit - 0.5 * (refit @ gradient @ refit)
        refit = np.where(free, refit, 0.0)
    log_likelihood = n / 2 * (np.linalg.slogdet(refit)[1] - np.trace(refit @ residual))
    edges = int((np.triu(kappa, 1) != 0).sum())
    coefficients = int((beta[1:] != 0).sum())
    expected = -2 * log_likelihood + (edges + coefficients) * (
        math.log(n) + 4 * 0.5 * math.log(2 * 6)
    )
    got = net._ebic(fit.beta, fit.kappa, x.T @ x, x.T @ y, y.T @ y, n, 0.5)[0]
    assert got == pytest.approx(expected, rel=1e-9)


def test_ties_go_to_the_lowest_kappa_then_the_lowest_beta_penalty() -> None:
    ebic = np.array([10.0, 10.00005, 10.00002, 12.0, 10.00009])
    kappa = np.array([0.3, 0.1, 0.1, 0.05, 0.2])
    beta = np.array([0.2, 0.3, 0.1, 0.1, 0.1])
    assert net._select(ebic, kappa, beta) == 2
    assert net._select(np.array([5.0, 4.0, np.inf]), kappa[:3], beta[:3]) == 1


# --- recovery of a known structure -------------------------------------------------------


@pytest.mark.parametrize("n", [200, 500, 1000])
@pytest.mark.parametrize("seed", [1, 2])
def test_recovers_a_simulated_var1(n: int, seed: int) -> None:
    result = net.estimate_network(simulate_var(n, seed))
    true_temporal = TEMPORAL != 0
    found_temporal = result.beta[:, 1:] != 0
    off = ~np.eye(6, dtype=bool)
    true_contemporaneous = (PRECISION != 0) & off
    found_contemporaneous = (result.kappa != 0) & off
    assert (found_temporal[true_temporal]).all(), "a true temporal edge was missed"
    assert (found_contemporaneous[true_contemporaneous]).all()
    assert not (found_contemporaneous & ~true_contemporaneous).any()
    false_temporal = int((found_temporal & ~true_temporal).sum())
    assert false_temporal <= (2 if n < 1000 else 0), f"{false_temporal} of 27 zeros lost"
    # Signs of the true edges are kept (PDC rows = predictor, columns = outcome).
    np.testing.assert_array_equal(
        np.sign(result.pdc.T[true_temporal]), np.sign(TEMPORAL[true_temporal])
    )


def test_few_observations_give_an_honest_warning() -> None:
    result = net.estimate_network(simulate_var(n=50, seed=3))
    assert any("few observations: 49 usable beep pairs" in w for w in result.warnings)


# --- properties of the result -------------------------------------------------------------


@pytest.fixture(scope="module")
def simulated_result() -> net.NetworkResult:
    return net.estimate_network(simulate_var(n=300, seed=7))


def test_result_shapes_symmetry_and_ranges(simulated_result: net.NetworkResult) -> None:
    result = simulated_result
    assert result.beta.shape == (6, 7)
    assert result.kappa.shape == result.pcc.shape == result.pdc.shape == (6, 6)
    np.testing.assert_array_equal(result.kappa, result.kappa.T)
    np.testing.assert_array_equal(result.pcc, result.pcc.T)
    assert (np.diag(result.pcc) == 0).all()
    assert np.abs(result.pcc).max() <= 1 and np.abs(result.pdc).max() <= 1
    assert np.linalg.eigvalsh(result.kappa).min() > 0
    assert result.n_used == 299
    assert result.lambda_beta in result.lambda_beta_grid
    assert result.lambda_kappa in result.lambda_kappa_grid
    assert result.ebic == result.ebic_grid.min() or (
        result.ebic - result.ebic_grid.min() < net.EBIC_TIE
    )
    # PDC and PCC are the standardized β and κ.
    sigma = np.linalg.inv(result.kappa)
    i, j = 1, 0  # effect of variable 0 at t − 1 on variable 1 at t
    b = result.beta[i, 1 + j]
    assert result.pdc[j, i] == pytest.approx(b / math.sqrt(sigma[i, i] * result.kappa[j, j] + b**2))
    assert result.pcc[0, 1] == pytest.approx(
        -result.kappa[0, 1] / math.sqrt(result.kappa[0, 0] * result.kappa[1, 1])
    )


def test_the_same_data_on_another_scale_give_the_same_network() -> None:
    values = simulate_values(250, seed=8)
    base = net.estimate_network(net.lagged_series(values, VARIABLES))
    rescaled = net.estimate_network(
        net.lagged_series(values * np.arange(1, 7) * 7.5 + 40, VARIABLES)
    )
    assert rescaled.lambda_beta == pytest.approx(base.lambda_beta, rel=1e-9)
    np.testing.assert_allclose(rescaled.beta, base.beta, atol=1e-8)
    np.testing.assert_allclose(rescaled.pcc, base.pcc, atol=1e-8)


def test_result_serializes_to_the_cli_contract(simulated_result: net.NetworkResult) -> None:
    data = simulated_result.as_dict()
    assert set(data) >= {
        "lambda_beta",
        "lambda_kappa",
        "ebic",
        "n_used",
        "beta",
        "kappa",
        "pcc",
        "pdc",
        "vars",
    }
    assert data["vars"] == list(VARIABLES)


def test_bootstrap_of_edges_is_reproducible_and_flags_weak_edges(
    simulated_result: net.NetworkResult,
) -> None:
    series = simulate_var(n=300, seed=7)
    first = net.bootstrap_edge_stability(series, simulated_result, resamples=40, seed=5)
    again = net.bootstrap_edge_stability(series, simulated_result, resamples=40, seed=5)
    np.testing.assert_array_equal(first.temporal, again.temporal)
    assert first.temporal.shape == first.contemporaneous.shape == (6, 6)
    # Strong true edges reappear in (nearly) every resample.
    assert first.temporal[0, 0] >= 0.9
    other = net.bootstrap_edge_stability(series, simulated_result, resamples=40, seed=6)
    assert not np.array_equal(other.temporal, first.temporal)
    for note in first.warnings:
        assert note.startswith("unstable")
    weak = [
        (j, i)
        for j, i in zip(*np.nonzero(simulated_result.pdc), strict=True)
        if first.temporal[j, i] < net.UNSTABLE_BELOW
    ]
    assert len([w for w in first.warnings if "temporal" in w]) == len(weak)


# --- real single-patient data --------------------------------------------------------------


ESM_ITEMS = ("mood_cheerf", "mood_down", "mood_relaxed", "pat_worry", "phy_tired", "phy_pain")
MANY_ANALYSTS_ITEMS = ("down", "worried", "fatigue", "hopeless", "ruminate", "tension")


PAIRS_MANY_ANALYSTS = 78
"""122 beeps on 31 days: 91 beeps follow another beep of the same day; the 9 unanswered
beeps remove 13 of those pairs (their own and, unless last of the day, the next one's)."""


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_real_patient_kossakowski_2017() -> None:
    """1,476 beeps of one patient (Kossakowski et al. 2017, J Open Psychol Data 5:1)."""
    shared = shared_folder()
    if shared is None:
        pytest.skip("../shared/datasets is absent (reference data beside the project)")
    rows = read_rows(shared / "datasets/kossakowski2017_esm/esm_symptom_data.csv")
    values = np.array([[float(row[item]) for item in ESM_ITEMS] for row in rows])
    series = net.lagged_series(
        values,
        ESM_ITEMS,
        day=[row["dayno"] for row in rows],
        beep=[int(row["beepno"]) for row in rows],
    )
    result = net.estimate_network(series)
    assert len(rows) == 1476
    assert result.n_used == series.n < 1476  # first beeps and beeps after a miss are not used
    assert result.warnings == ()
    assert 0 < (result.pdc != 0).sum() < 36 and 0 < (np.triu(result.pcc) != 0).sum() < 15
    # Cheerful and relaxed go together; down goes with worry (face validity, not an oracle).
    assert result.pcc[0, 2] > 0.1 and result.pcc[1, 3] > 0.1


def test_real_patient_many_analysts() -> None:
    """122 beeps of one patient (Bastiaansen et al. 2019, the 'Many Analysts' data)."""
    shared = shared_folder()
    if shared is None:
        pytest.skip("../shared/datasets is absent (reference data beside the project)")
    rows = read_rows(shared / "datasets/bastiaansen2019_many_analysts/manyAnalystsESM.csv")
    # Beeps are numbered within the day before the 9 unanswered beeps are removed, so the
    # beep after a missed one has no lag (graphicalVAR keeps them as empty rows).
    counter: dict[str, int] = {}
    for row in rows:
        day = row["start"].split(" ")[0]
        counter[day] = counter.get(day, 0) + 1
        row["day"], row["beep"] = day, str(counter[day])
    complete = [row for row in rows if all(row[item] != "NA" for item in MANY_ANALYSTS_ITEMS)]
    assert len(rows) - len(complete) == 9
    values = np.array([[float(row[item]) for item in MANY_ANALYSTS_ITEMS] for row in complete])
    series = net.lagged_series(
        values,
        MANY_ANALYSTS_ITEMS,
        day=[row["day"] for row in complete],
        beep=[int(row["beep"]) for row in complete],
    )
    result = net.estimate_network(series)
    assert result.n_used == PAIRS_MANY_ANALYSTS
    assert np.abs(result.pcc).max() <= 1 and np.abs(result.pdc).max() <= 1
    assert (result.pdc != 0).sum() + (result.pcc != 0).sum() > 0


def test_missing_values_as_graphicalvar_treats_them() -> None:
    """Standardized over the observed values; an incomplete beep breaks two pairs."""
    values = np.array([[1.0, 5.0], [2.0, np.nan], [4.0, 4.0], [3.0, 9.0], [5.0, 1.0]])
    with pytest.raises(net.NetworkDataError, match=r"missing values \(b: 1\)"):
        net.lagged_series(values, ("a", "b"))
    series = net.lagged_series(values, ("a", "b"), allow_missing=True)
    observed_b = np.array([5.0, 4.0, 9.0, 1.0])
    expected_b = (np.array([9.0, 1.0]) - observed_b.mean()) / observed_b.std(ddof=1)
    a = values[:, 0]
    expected_a = (a[[3, 4]] - a.mean()) / a.std(ddof=1)
    assert series.rows == (3, 4)
    np.testing.assert_allclose(series.current, np.column_stack([expected_a, expected_b]))


def test_a_lagged_value_without_variation_is_a_warning() -> None:
    values = simulate_values(300, seed=12)[:, :3]
    day = [i // 10 for i in range(300)]
    # The third item varies only at the last beep of the day, which is never a lag.
    values[:, 2] = np.where(np.arange(300) % 10 == 9, values[:, 2], 0.0)
    result = net.estimate_network(net.lagged_series(values, ("a", "b", "c"), day=day))
    assert any("no variation in the previous beep's value of c" in w for w in result.warnings)
    assert (result.beta[:, 3] == 0).all()


def test_linearly_dependent_variables_are_refused_by_name() -> None:
    values = simulate_values(200, seed=3)[:, :4]
    values[:, 3] = 2 * values[:, 2] + 1
    series = net.lagged_series(values, ("a", "b", "c", "d"))
    with pytest.raises(net.NetworkDataError, match="c and d are the same up to scale"):
        net.estimate_network(series)
    values[:, 3] = values[:, 2] - values[:, 1]
    with pytest.raises(net.NetworkDataError, match="linearly dependent; leave out one"):
        net.estimate_network(net.lagged_series(values, ("a", "b", "c", "d")))


def test_nearly_dependent_variables_still_give_a_network() -> None:
    values = simulate_values(200, seed=3)[:, :4]
    values[:, 3] = values[:, 2] + 1e-4 * np.random.default_rng(1).normal(size=200)
    result = net.estimate_network(net.lagged_series(values, ("a", "b", "c", "d")))
    assert np.isfinite(result.ebic)
    assert result.pcc[2, 3] > 0.5  # the near-copy is the strongest contemporaneous edge


def test_the_network_does_not_depend_on_the_order_of_the_rows() -> None:
    """With day and beep given, the rows may come in any order."""
    values = simulate_values(240, seed=14)
    day = [i // 8 for i in range(240)]
    beep = [i % 8 + 1 for i in range(240)]
    order = np.random.default_rng(2).permutation(240)
    ordered = net.estimate_network(net.lagged_series(values, VARIABLES, day=day, beep=beep))
    shuffled = net.estimate_network(
        net.lagged_series(
            values[order],
            VARIABLES,
            day=[day[i] for i in order],
            beep=[beep[i] for i in order],
        )
    )
    assert (shuffled.lambda_beta, shuffled.lambda_kappa) == (
        ordered.lambda_beta,
        ordered.lambda_kappa,
    ) or abs(shuffled.ebic - ordered.ebic) < net.EBIC_TIE
    np.testing.assert_allclose(shuffled.beta, ordered.beta, atol=1e-8)
    np.testing.assert_allclose(shuffled.pcc, ordered.pcc, atol=1e-8)
