"""`maatwerk analyze network FILE.csv --vars … --json OUT.json`: the CLI contract.

The JSON holds the selected model; unusable input is one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from maatwerk.core.analysis.network import estimate_network, lagged_series
from tests.core.analysis.network_simulation import simulate_values

from .conftest import Maatwerk

CONTRACT = {"lambda_beta", "lambda_kappa", "ebic", "n_used", "beta", "kappa", "pcc", "pdc", "vars"}
NAMES = ("down", "worry", "tired")


def diary_csv(n: int = 120, seed: int = 3) -> tuple[str, np.ndarray, list[int], list[int]]:
    values = simulate_values(n, seed)[:, :3]
    days = [1 + i // 6 for i in range(n)]
    beeps = [1 + i % 6 for i in range(n)]
    lines = ["day,beep,down,worry,tired,note"]
    for d, b, row in zip(days, beeps, values, strict=True):
        lines.append(f"{d},{b},{float(row[0])!r},{float(row[1])!r},{float(row[2])!r},x")
    return "\n".join(lines) + "\n", values, days, beeps


def one_line_error(result_stderr: str) -> str:
    lines = [line for line in result_stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result_stderr
    assert lines[0].startswith("Error:")
    return lines[0]


def test_writes_the_contract_fields_equal_to_the_core(maatwerk: Maatwerk) -> None:
    text, values, days, beeps = diary_csv()
    path = maatwerk.file("diary.csv", text)
    out = maatwerk.folder / "network.json"
    result = maatwerk(
        "analyze", "network", str(path), "--vars", "down,worry,tired",
        "--day", "day", "--beep", "beep", "--json", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= CONTRACT
    assert data["vars"] == list(NAMES)
    core = estimate_network(lagged_series(values, NAMES, day=days, beep=beeps))
    assert data["n_used"] == core.n_used == 120 - 20  # the first beep of each of 20 days
    assert data["lambda_beta"] == core.lambda_beta
    assert data["lambda_kappa"] == core.lambda_kappa
    assert data["ebic"] == core.ebic
    np.testing.assert_array_equal(np.array(data["beta"]), core.beta)
    assert np.array(data["beta"]).shape == (3, 4)
    np.testing.assert_array_equal(np.array(data["pdc"]), core.pdc)
    np.testing.assert_array_equal(np.array(data["pcc"]), core.pcc)
    np.testing.assert_array_equal(np.array(data["kappa"]), core.kappa)
    assert "100 beep pairs" in result.stdout


def test_without_day_and_beep_all_rows_are_one_series(maatwerk: Maatwerk) -> None:
    text, _, _, _ = diary_csv()
    out = maatwerk.folder / "n.json"
    result = maatwerk(
        "analyze", "network", str(maatwerk.file("d.csv", text)), "--vars", "down,worry,tired",
        "--gamma", "0.25", "--json", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["n_used"] == 119 and data["gamma"] == 0.25


def run(maatwerk: Maatwerk, text: str, *extra: str) -> str:
    path = maatwerk.file("input.csv", text)
    out = maatwerk.folder / "out.json"
    result = maatwerk(
        "analyze", "network", str(path), "--vars", "down,worry,tired", "--json", str(out), *extra
    )
    assert result.exit_code == 2, result.output
    assert not out.exists()
    return one_line_error(result.stderr)


def test_missing_file(maatwerk: Maatwerk) -> None:
    result = maatwerk(
        "analyze", "network", str(maatwerk.folder / "absent.csv"), "--vars", "a,b",
        "--json", str(maatwerk.folder / "o.json"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "absent.csv: no such file" in one_line_error(result.stderr)


def test_unknown_column(maatwerk: Maatwerk) -> None:
    text, _, _, _ = diary_csv()
    message = run(maatwerk, text, "--day", "dag")
    assert "no column 'dag'" in message and "columns: day, beep, down" in message


def test_too_few_rows(maatwerk: Maatwerk) -> None:
    text, _, _, _ = diary_csv(n=7)
    assert "only 6 usable beep pairs" in run(maatwerk, text)


def test_constant_column(maatwerk: Maatwerk) -> None:
    text, _, _, _ = diary_csv()
    lines = text.splitlines()
    constant = [lines[0]] + [",".join([*line.split(",")[:4], "3", "x"]) for line in lines[1:]]
    assert "constant columns (no variation): tired" in run(maatwerk, "\n".join(constant))


def test_missing_values_say_how_many_where_and_what_to_do(maatwerk: Maatwerk) -> None:
    text, _, _, _ = diary_csv()
    lines = text.splitlines()
    for line_number, column in [(3, 2), (10, 3), (10, 4)]:
        cells = lines[line_number - 1].split(",")
        cells[column] = "NA" if column != 4 else ""
        lines[line_number - 1] = ",".join(cells)
    message = run(maatwerk, "\n".join(lines) + "\n")
    assert "3 missing values (down on line 3; worry on line 10; tired on line 10)" in message
    assert "--allow-missing" in message and "--beep" in message


def test_missing_values_can_be_kept_as_missed_beeps(maatwerk: Maatwerk) -> None:
    text, _, _, _ = diary_csv()
    lines = text.splitlines()
    cells = lines[9].split(",")  # day 2, beep 3
    cells[2] = "NA"
    lines[9] = ",".join(cells)
    out = maatwerk.folder / "o.json"
    result = maatwerk(
        "analyze", "network", str(maatwerk.file("m.csv", "\n".join(lines))),
        "--vars", "down,worry,tired", "--day", "day", "--beep", "beep",
        "--allow-missing", "--json", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # The incomplete beep loses its own pair and that of the beep after it.
    assert json.loads(out.read_text(encoding="utf-8"))["n_used"] == 100 - 2


@pytest.mark.parametrize(
    ("cell", "expected"), [("3,5", "'3,5' is not a number"), ("12 kg", "'12 kg' is not a number")]
)
def test_non_numeric_values(maatwerk: Maatwerk, cell: str, expected: str) -> None:
    text, _, _, _ = diary_csv()
    lines = text.splitlines()
    cells = lines[4].split(",")
    cells[3] = f'"{cell}"'
    lines[4] = ",".join(cells)
    message = run(maatwerk, "\n".join(lines))
    assert f"line 5, column worry: {expected}" in message


def test_a_beep_that_is_not_a_whole_number(maatwerk: Maatwerk) -> None:
    text, _, _, _ = diary_csv()
    lines = text.splitlines()
    lines[2] = lines[2].replace("1,2,", "1,2.5,", 1)
    assert "line 3, column beep: beep '2.5' is not a whole number" in run(
        maatwerk, "\n".join(lines), "--day", "day", "--beep", "beep"
    )


def test_bad_options(maatwerk: Maatwerk) -> None:
    text, _, _, _ = diary_csv()
    path = str(maatwerk.file("d.csv", text))
    out = str(maatwerk.folder / "o.json")
    one = maatwerk("analyze", "network", path, "--vars", "down", "--json", out)
    assert one.exit_code == 2 and "at least two column names" in one.stderr
    negative = maatwerk(
        "analyze", "network", path, "--vars", "down,worry", "--gamma", "-1", "--json", out
    )
    assert (
        negative.exit_code == 2 and "--gamma must be zero or a positive number" in negative.stderr
    )


def test_as_an_operator_runs_it_in_a_shell(tmp_path: Path) -> None:
    """A real process: the exit code and the one-line error, and the JSON on success."""
    text, _, _, _ = diary_csv(n=60)
    good = tmp_path / "diary.csv"
    good.write_text(text, encoding="utf-8")
    out = tmp_path / "network.json"
    command = [sys.executable, "-m", "maatwerk.cli", "analyze", "network"]
    env = {**os.environ, "COLUMNS": "80"}
    ok = subprocess.run(
        [*command, str(good), "--vars", "down,worry,tired", "--day", "day", "--json", str(out)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["n_used"] == 50
    missing = subprocess.run(
        [*command, str(tmp_path / "absent.csv"), "--vars", "a,b", "--json", str(out)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0
    assert "absent.csv: no such file" in missing.stderr


def test_a_duplicated_variable(maatwerk: Maatwerk) -> None:
    text, _, _, _ = diary_csv()
    lines = text.splitlines()
    copied = [lines[0]] + [
        ",".join([*cells[:4], cells[3], "x"]) for cells in (line.split(",") for line in lines[1:])
    ]
    assert "worry and tired are the same up to scale" in run(maatwerk, "\n".join(copied))
