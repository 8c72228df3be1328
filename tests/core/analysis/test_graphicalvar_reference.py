"""The personal network against R graphicalVAR on the same input (issue 15).

The reference results were computed by R graphicalVAR itself
(``reference/graphicalvar_reference.R``; R, package versions and the exact call are in
each ``reference/graphicalvar_*.json``). The Python side is run through the function of
the command line (``maatwerk analyze network``), on the same CSV file. The claim checked:
the same selected penalty pair (exactly the same grid values) and β, κ, PCC and PDC
within 10⁻⁵ (absolute).

The two real datasets may not be redistributed, so only R's results, the dataset's name
and the SHA-256 of the input file are stored; those tests skip when the shared folder
(``../shared/datasets``) is absent.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from maatwerk.cli.analysis import network as analyze_network
from tests.core.analysis.test_network import shared_folder

REFERENCE = Path(__file__).parent / "reference"
TOLERANCE = 1e-5
MATRICES = ("beta", "kappa", "pcc", "pdc")


def reference(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        (REFERENCE / f"graphicalvar_{name}.json").read_text(encoding="utf-8")
    )
    return result


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(
    tmp_path: Path,
    csv_file: Path,
    variables: list[str],
    day: str,
    beep: str,
    allow_missing: bool = False,
) -> dict[str, Any]:
    out = tmp_path / "network.json"
    analyze_network(
        csv_file,
        variables=",".join(variables),
        json_output=out,
        day=day,
        beep=beep,
        gamma=0.5,
        allow_missing=allow_missing,
    )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def differences(ours: dict[str, Any], r: dict[str, Any]) -> dict[str, float]:
    return {
        name: float(np.abs(np.array(ours[name]) - np.array(r[name])).max()) for name in MATRICES
    }


def assert_agrees(ours: dict[str, Any], r: dict[str, Any]) -> None:
    assert ours["vars"] == r["vars"]
    assert ours["n_used"] == r["n_used"]
    # The same point of the 50 × 50 grid: R's chosen values are found in R's grids, and
    # ours equal them up to the rounding of exp(seq(log(max), log(0.05 max))) in R and
    # numpy (measured: at most 7·10⁻¹⁵); neighbouring grid values are 6 % apart.
    for key in ("lambda_beta", "lambda_kappa"):
        grid = np.array(r[f"{key}_grid"])
        assert len(grid) == 50
        index = int(np.argmin(np.abs(grid - ours[key])))
        assert grid[index] == r[key], key
        assert ours[key] == pytest.approx(grid[index], rel=1e-12, abs=0), key
    assert ours["ebic"] == pytest.approx(r["ebic"], rel=1e-6)
    measured = differences(ours, r)
    assert max(measured.values()) <= TOLERANCE, measured


def simulated(tmp_path: Path, beeps: int) -> None:
    r = reference(f"simulated_var1_{beeps}")
    csv_file = REFERENCE / r["input_file"]
    assert sha256(csv_file) == r["input_sha256"]
    ours = run_cli(tmp_path, csv_file, r["vars"], "day", "beep")
    assert_agrees(ours, r)


def test_simulated_100_beeps(tmp_path: Path) -> None:
    simulated(tmp_path, 100)


def test_simulated_1400_beeps(tmp_path: Path) -> None:
    simulated(tmp_path, 1400)


def shared_dataset(path: str, r: dict[str, Any]) -> Path:
    shared = shared_folder()
    if shared is None:
        pytest.skip(
            "../shared/datasets is absent: the real datasets compared with R graphicalVAR "
            "may not be redistributed, so they are not in the repository"
        )
    file = shared / "datasets" / path
    assert sha256(file) == r["input_sha256"], f"{file} is not the file R was run on"
    return file


def test_kossakowski_2017(tmp_path: Path) -> None:
    r = reference("kossakowski2017_esm")
    file = shared_dataset(r["dataset"], r)
    ours = run_cli(tmp_path, file, r["vars"], "dayno", "beepno")
    assert_agrees(ours, r)


def test_bastiaansen_2019_many_analysts(tmp_path: Path) -> None:
    r = reference("bastiaansen2019_many_analysts")
    file = shared_dataset(r["dataset"], r)
    # As the R call: day = the date of `start`, beep = the row's number within that day,
    # unanswered beeps kept as rows with missing values.
    with file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counter: dict[str, int] = {}
    prepared = tmp_path / "many_analysts.csv"
    with prepared.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["day", "beep", *r["vars"]])
        for row in rows:
            day = row["start"].split(" ")[0]
            counter[day] = counter.get(day, 0) + 1
            writer.writerow([day, counter[day], *(row[v] for v in r["vars"])])
    ours = run_cli(tmp_path, prepared, r["vars"], "day", "beep", allow_missing=True)
    assert_agrees(ours, r)
