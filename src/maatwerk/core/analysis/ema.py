"""A patient's EMA (diary) series as plain values, and reading one from a CSV file.

An :class:`EmaSeries` is what the personal network needs: the variables, one row of
numbers per beep in time order, and optionally the day and the beep number within the
day (so no lag crosses a night or a missed beep). Where the series comes from is not
this module's concern: the web reads it from an imported CSV file today and from the
monitoring app's answers later, both as an ``EmaSeries``.

:func:`parse_ema_csv` reads the columns of ``maatwerk analyze network`` (one row per
beep; the variables, and optionally a day and a beep column) and refuses unusable input
with an :class:`EmaProblem` that names what is wrong and where, as a code with
parameters so that each user reads it in their own language.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final, cast

from maatwerk.core.common.errors import MaatwerkError

MISSING_TOKENS: Final = frozenset({"", "na", "nan", "null", "none", "."})
"""Cell texts read as a missing value (as ``maatwerk analyze network`` reads them)."""
MAX_ROWS: Final = 5000
"""Most beeps accepted in one file: years of six beeps a day (an operational limit)."""
MAX_VARIABLES: Final = 12
"""Most variables in one network: the estimation time grows with p² (operational limit)."""
MAX_LISTED: Final = 5
"""Lines listed in a problem before the rest is counted."""


class EmaProblemKind(StrEnum):
    NOT_TEXT = "not_text"
    EMPTY = "empty"
    NO_ROWS = "no_rows"
    TOO_MANY_ROWS = "too_many_rows"
    UNKNOWN_COLUMN = "unknown_column"
    DUPLICATE_COLUMN = "duplicate_column"
    TOO_FEW_VARIABLES = "too_few_variables"
    TOO_MANY_VARIABLES = "too_many_variables"
    NOT_A_NUMBER = "not_a_number"
    MISSING_VALUES = "missing_values"
    EMPTY_DAY = "empty_day"
    BAD_BEEP = "bad_beep"


class EmaProblem(MaatwerkError):
    """The file cannot give an EMA series; ``kind`` and ``params`` say why."""

    def __init__(self, kind: EmaProblemKind, **params: str | int) -> None:
        self.kind = kind
        self.params = params
        super().__init__(f"{kind.value}: {params}")


@dataclass(frozen=True, slots=True)
class EmaSeries:
    """One patient's EMA data: ``values[row][variable]`` in time order (NaN = missing)."""

    variables: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]
    day: tuple[str, ...] | None = None
    beep: tuple[int, ...] | None = None

    def input_hash(self) -> str:
        """A SHA-256 of the series (variables, values, days and beeps): two series with
        the same hash give the same network, so a stored network is reused."""
        canonical = json.dumps(
            {
                "variables": list(self.variables),
                "values": [[None if math.isnan(v) else v for v in row] for row in self.values],
                "day": None if self.day is None else list(self.day),
                "beep": None if self.beep is None else list(self.beep),
            },
            separators=(",", ":"),
            sort_keys=True,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()

    def as_dict(self) -> dict[str, object]:
        """JSON-ready (NaN as ``None``), for storage; :meth:`from_dict` reads it back."""
        return {
            "variables": list(self.variables),
            "values": [[None if math.isnan(v) else v for v in row] for row in self.values],
            "day": None if self.day is None else list(self.day),
            "beep": None if self.beep is None else list(self.beep),
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> EmaSeries:
        variables = cast("list[str]", data["variables"])
        values = cast("list[list[float | None]]", data["values"])
        day = cast("list[str] | None", data.get("day"))
        beep = cast("list[int] | None", data.get("beep"))
        return cls(
            variables=tuple(str(v) for v in variables),
            values=tuple(tuple(math.nan if v is None else float(v) for v in row) for row in values),
            day=None if day is None else tuple(str(d) for d in day),
            beep=None if beep is None else tuple(int(b) for b in beep),
        )


def _listed(lines: Sequence[int]) -> str:
    shown = ", ".join(str(line) for line in lines[:MAX_LISTED])
    more = len(lines) - MAX_LISTED
    return shown + (f" (+{more})" if more > 0 else "")


def parse_ema_csv(
    data: bytes,
    *,
    variables: Sequence[str] = (),
    day: str | None = None,
    beep: str | None = None,
) -> EmaSeries:
    """Read a CSV file with one row per beep, in time order.

    ``variables`` are the columns of the network; empty means every column except the
    day and beep columns. ``day`` and ``beep`` name those columns (``None``: absent).
    Missing values are refused (the network is estimated on complete beeps).

    >>> parse_ema_csv(b"day,down,worry\\n1,2,3\\n1,4,5\\n", day="day").variables
    ('down', 'worry')
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EmaProblem(EmaProblemKind.NOT_TEXT) from None
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        table = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error:
        raise EmaProblem(EmaProblemKind.NOT_TEXT) from None
    if not table:
        raise EmaProblem(EmaProblemKind.EMPTY)
    header = [cell.strip() for cell in table[0]]
    rows = table[1:]
    if not rows:
        raise EmaProblem(EmaProblemKind.NO_ROWS)
    if len(rows) > MAX_ROWS:
        raise EmaProblem(EmaProblemKind.TOO_MANY_ROWS, rows=len(rows), limit=MAX_ROWS)
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise EmaProblem(EmaProblemKind.DUPLICATE_COLUMN, columns=", ".join(duplicates))
    names = [v.strip() for v in variables if v.strip()] or [
        name for name in header if name and name not in (day, beep)
    ]
    unknown = [n for n in [*names, *(c for c in (day, beep) if c)] if n not in header]
    if unknown:
        raise EmaProblem(
            EmaProblemKind.UNKNOWN_COLUMN, columns=", ".join(unknown), header=", ".join(header)
        )
    if len(names) < 2:
        raise EmaProblem(EmaProblemKind.TOO_FEW_VARIABLES)
    if len(names) > MAX_VARIABLES:
        raise EmaProblem(EmaProblemKind.TOO_MANY_VARIABLES, count=len(names), limit=MAX_VARIABLES)
    position = {name: header.index(name) for name in header}

    def cell(row: list[str], column: str) -> str:
        index = position[column]
        return row[index].strip() if index < len(row) else ""

    values: list[tuple[float, ...]] = []
    missing: list[int] = []
    for line, row in enumerate(rows, start=2):
        numbers: list[float] = []
        for name in names:
            text_value = cell(row, name)
            if text_value.lower() in MISSING_TOKENS:
                missing.append(line)
                numbers.append(math.nan)
                continue
            try:
                number = float(text_value)
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                raise EmaProblem(
                    EmaProblemKind.NOT_A_NUMBER, line=line, column=name, value=text_value[:40]
                )
            numbers.append(number)
        values.append(tuple(numbers))
    if missing:
        lines = sorted(set(missing))
        raise EmaProblem(EmaProblemKind.MISSING_VALUES, count=len(missing), lines=_listed(lines))
    days: tuple[str, ...] | None = None
    if day:
        days = tuple(cell(row, day) for row in rows)
        empty = [line for line, d in enumerate(days, start=2) if not d]
        if empty:
            raise EmaProblem(EmaProblemKind.EMPTY_DAY, column=day, lines=_listed(empty))
    beeps: tuple[int, ...] | None = None
    if beep:
        parsed: list[int] = []
        for line, row in enumerate(rows, start=2):
            text_value = cell(row, beep)
            try:
                number = float(text_value)
            except ValueError:
                number = math.nan
            if not (math.isfinite(number) and number == int(number)):
                raise EmaProblem(
                    EmaProblemKind.BAD_BEEP, line=line, column=beep, value=text_value[:40]
                )
            parsed.append(int(number))
        beeps = tuple(parsed)
    return EmaSeries(variables=tuple(names), values=tuple(values), day=days, beep=beeps)
