"""`maatwerk analyze network`: the personal symptom network of one patient's EMA data.

Reads a CSV with one row per beep (in time order), estimates the graphical VAR model
(:mod:`maatwerk.core.analysis.network`) and writes the selected model as JSON::

    maatwerk analyze network diary.csv --vars down,worry,tired --day day --beep beep \\
        --json network.json

The JSON has ``vars``, ``lambda_beta``, ``lambda_kappa``, ``ebic``, ``n_used``, ``beta``
(rows = outcome; columns = intercept, then the lagged variables), ``kappa``, ``pcc``,
``pdc`` (rows = predictor at t − 1, columns = outcome at t), ``gamma`` and ``warnings``.
Unusable input (a missing file, an unknown column, non-numeric or missing values,
constant columns, too few rows) is one line on stderr and exit code 2.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from maatwerk.cli.output import err, fail

if TYPE_CHECKING:
    from maatwerk.core.analysis.network import NetworkResult

__all__ = ["analyze_app"]

MISSING_TOKENS = frozenset({"", "na", "nan", "null", "none", "."})
"""Cell texts read as a missing value (R's write.csv writes NA)."""
MAX_LISTED = 5
"""Problems listed by row before the rest is summarized."""

analyze_app = typer.Typer(
    help="N = 1 analyses of one patient's data (EMA, questionnaires).", no_args_is_help=True
)
out = Console(soft_wrap=True)


def _rows_listed(rows: list[int]) -> str:
    shown = ", ".join(str(row) for row in rows[:MAX_LISTED])
    return shown + (f" and {len(rows) - MAX_LISTED} more" if len(rows) > MAX_LISTED else "")


def _read_csv(file: Path) -> tuple[list[str], list[dict[str, str]]]:
    if not file.is_file():
        raise fail(f"{file}: no such file")
    try:
        with file.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = list(reader.fieldnames or [])
    except (OSError, UnicodeDecodeError, csv.Error) as problem:
        raise fail(f"{file}: cannot be read as a UTF-8 CSV file ({problem})") from None
    if not header:
        raise fail(f"{file}: empty file (a header row and one row per beep are needed)")
    return header, rows


def _numbers(
    rows: list[dict[str, str]], variables: list[str]
) -> tuple[list[list[float]], dict[str, list[int]]]:
    """The values as floats (NaN where missing) and the missing cells by column."""
    values: list[list[float]] = []
    missing: dict[str, list[int]] = {}
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        numbers: list[float] = []
        for name in variables:
            text = (row.get(name) or "").strip()
            if text.lower() in MISSING_TOKENS:
                missing.setdefault(name, []).append(line)
                numbers.append(math.nan)
                continue
            try:
                number = float(text)
            except ValueError:
                raise fail(
                    f"line {line}, column {name}: {text!r} is not a number "
                    "(use a decimal point, no units)"
                ) from None
            if not math.isfinite(number):
                raise fail(f"line {line}, column {name}: {text!r} is not a finite number")
            numbers.append(number)
        values.append(numbers)
    return values, missing


def _beeps(rows: list[dict[str, str]], column: str) -> list[int]:
    beeps: list[int] = []
    for line, row in enumerate(rows, start=2):
        text = (row.get(column) or "").strip()
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and number == int(number)):
            raise fail(f"line {line}, column {column}: beep {text!r} is not a whole number")
        beeps.append(int(number))
    return beeps


def _days(rows: list[dict[str, str]], column: str) -> list[str]:
    days: list[str] = []
    for line, row in enumerate(rows, start=2):
        text = (row.get(column) or "").strip()
        if not text:
            raise fail(f"line {line}, column {column}: the day is empty")
        days.append(text)
    return days


def _summary(result: NetworkResult) -> None:
    out.print(
        f"Network of {len(result.variables)} variables from {result.n_used} beep pairs: "
        f"λ_β = {result.lambda_beta:.6g}, λ_κ = {result.lambda_kappa:.6g}, "
        f"EBIC = {result.ebic:.6f}; "
        f"{int((result.pdc != 0).sum())} temporal and "
        f"{int((result.pcc != 0).sum()) // 2} contemporaneous edges."
    )
    for note in result.warnings:
        err.print(f"[yellow]Warning:[/yellow] {escape(note)}")


@analyze_app.command("network")
def network(
    file: Annotated[
        Path, typer.Argument(metavar="FILE.csv", help="One row per beep, in time order.")
    ],
    variables: Annotated[
        str, typer.Option("--vars", help="The variables (columns), comma-separated: a,b,c.")
    ],
    json_output: Annotated[
        Path, typer.Option("--json", metavar="OUT.json", help="Where to write the result.")
    ],
    day: Annotated[
        str | None,
        typer.Option("--day", metavar="COL", help="Column with the day: no lag crosses a night."),
    ] = None,
    beep: Annotated[
        str | None,
        typer.Option(
            "--beep",
            metavar="COL",
            help="Column with the beep number within the day: a missed beep breaks the lag. "
            "Default: the rows of a day are consecutive beeps.",
        ),
    ] = None,
    gamma: Annotated[
        float, typer.Option("--gamma", help="EBIC hyperparameter γ (graphicalVAR: 0.5).")
    ] = 0.5,
    allow_missing: Annotated[
        bool,
        typer.Option(
            "--allow-missing",
            help="Keep rows with missing values as missed beeps (as graphicalVAR does) "
            "instead of stopping.",
        ),
    ] = False,
) -> None:
    """Estimate the personal symptom network (graphical VAR, EBIC-selected LASSO).

    Method of Epskamp, Waldorp, Mõttus & Borsboom (2018) as the R package graphicalVAR
    implements it: standardized variables, lag-1 within the day, 50 × 50 penalty grid.
    """
    from maatwerk.core.analysis.network import estimate_network, lagged_series
    from maatwerk.core.analysis.network_problems import NetworkDataError

    names = [name.strip() for name in variables.split(",") if name.strip()]
    if len(names) < 2:
        raise fail("--vars needs at least two column names, separated by commas")
    if len(set(names)) != len(names):
        raise fail("--vars names a column more than once")
    if not gamma >= 0 or not math.isfinite(gamma):
        raise fail(f"--gamma must be zero or a positive number, not {gamma}")
    header, rows = _read_csv(file)
    wanted = [*names, *(c for c in (day, beep) if c is not None)]
    unknown = [name for name in wanted if name not in header]
    if unknown:
        raise fail(
            f"{file}: no column {', '.join(repr(u) for u in unknown)} "
            f"(columns: {', '.join(header)})"
        )
    values, missing = _numbers(rows, names)
    if missing and not allow_missing:
        total = sum(len(lines) for lines in missing.values())
        where = "; ".join(
            f"{name} on line {_rows_listed(lines)}" for name, lines in missing.items()
        )
        raise fail(
            f"{file}: {total} missing value{'s' if total != 1 else ''} ({where}); remove "
            "those rows and give --beep so the gaps are known, or pass --allow-missing to "
            "treat them as missed beeps"
        )
    days = _days(rows, day) if day is not None else None
    beeps = _beeps(rows, beep) if beep is not None else None
    import numpy as np

    try:
        series = lagged_series(
            np.array(values, dtype=np.float64).reshape(len(rows), len(names)),
            names,
            day=days,
            beep=beeps,
            allow_missing=allow_missing,
        )
        result = estimate_network(series, gamma=gamma)
    except NetworkDataError as problem:
        raise fail(f"{file}: {problem}") from None
    try:
        json_output.write_text(json.dumps(result.as_dict(), indent=2) + "\n", encoding="utf-8")
    except OSError as problem:
        raise fail(f"cannot write {json_output}: {problem.strerror or problem}") from None
    _summary(result)
    err.print(f"Network written to {escape(str(json_output))}")
