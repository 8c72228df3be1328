"""Reading a patient's EMA series from a CSV file (``maatwerk.core.analysis.ema``)."""

from __future__ import annotations

import math

import pytest

from maatwerk.core.analysis.ema import (
    MAX_VARIABLES,
    EmaProblem,
    EmaProblemKind,
    EmaSeries,
    parse_ema_csv,
)

GOOD = b"day,beep,down,worry\n1,1,2,3\n1,2,4,5.5\n2,1,1,NA\n"


def test_reads_the_columns_of_the_cli_contract() -> None:
    series = parse_ema_csv(
        b"\xef\xbb\xbfday,beep,down,worry\n1,1,2,3\n1,2,4,5.5\n", day="day", beep="beep"
    )
    assert series.variables == ("down", "worry")
    assert series.values == ((2.0, 3.0), (4.0, 5.5))
    assert series.day == ("1", "1")
    assert series.beep == (1, 2)


def test_named_variables_and_no_day_or_beep() -> None:
    series = parse_ema_csv(b"a,b,c\n1,2,3\n4,5,6\n", variables=["c", "a"])
    assert series.variables == ("c", "a")
    assert series.values == ((3.0, 1.0), (6.0, 4.0))
    assert series.day is None and series.beep is None


@pytest.mark.parametrize(
    ("data", "options", "kind", "params"),
    [
        (b"", {}, EmaProblemKind.EMPTY, {}),
        (b"\xff\xfe\x00a", {}, EmaProblemKind.NOT_TEXT, {}),
        (b"a,b\n", {}, EmaProblemKind.NO_ROWS, {}),
        (b"a,a\n1,2\n", {}, EmaProblemKind.DUPLICATE_COLUMN, {"columns": "a"}),
        (b"a,b\n1,2\n", {"variables": ["a", "z"]}, EmaProblemKind.UNKNOWN_COLUMN, {}),
        (b"a,b\n1,2\n", {"day": "day"}, EmaProblemKind.UNKNOWN_COLUMN, {"columns": "day"}),
        (b"day,a\n1,2\n", {"day": "day"}, EmaProblemKind.TOO_FEW_VARIABLES, {}),
        (
            b"a,b\n1,x\n",
            {},
            EmaProblemKind.NOT_A_NUMBER,
            {"line": 2, "column": "b", "value": "x"},
        ),
        (b"a,b\n1,inf\n", {}, EmaProblemKind.NOT_A_NUMBER, {"value": "inf"}),
        (GOOD, {"day": "day", "beep": "beep"}, EmaProblemKind.MISSING_VALUES, {"lines": "4"}),
        (b"day,a,b\n,1,2\n", {"day": "day"}, EmaProblemKind.EMPTY_DAY, {"lines": "2"}),
        (b"beep,a,b\n1.5,1,2\n", {"beep": "beep"}, EmaProblemKind.BAD_BEEP, {"value": "1.5"}),
    ],
)
def test_unusable_input_names_what_is_wrong(
    data: bytes, options: dict[str, object], kind: EmaProblemKind, params: dict[str, object]
) -> None:
    with pytest.raises(EmaProblem) as caught:
        parse_ema_csv(data, **options)  # type: ignore[arg-type]
    assert caught.value.kind is kind
    assert params.items() <= caught.value.params.items()


def test_too_many_variables_are_refused() -> None:
    header = ",".join(f"v{n}" for n in range(MAX_VARIABLES + 1))
    row = ",".join("1" for _ in range(MAX_VARIABLES + 1))
    with pytest.raises(EmaProblem) as caught:
        parse_ema_csv(f"{header}\n{row}\n".encode())
    assert caught.value.kind is EmaProblemKind.TOO_MANY_VARIABLES


def test_missing_lines_are_listed_up_to_five_then_counted() -> None:
    rows = "".join(f"{n},\n" for n in range(8))
    with pytest.raises(EmaProblem) as caught:
        parse_ema_csv(f"a,b\n{rows}".encode())
    assert caught.value.params == {"count": 8, "lines": "2, 3, 4, 5, 6 (+3)"}


def test_the_hash_changes_with_the_data_and_survives_storage() -> None:
    series = parse_ema_csv(b"day,beep,a,b\n1,1,2,3\n1,2,4,5\n", day="day", beep="beep")
    stored = EmaSeries.from_dict(series.as_dict())
    assert stored == series
    assert stored.input_hash() == series.input_hash()
    other = parse_ema_csv(b"day,beep,a,b\n1,1,2,3\n1,2,4,6\n", day="day", beep="beep")
    assert other.input_hash() != series.input_hash()
    no_beep = parse_ema_csv(b"day,beep,a,b\n1,1,2,3\n1,2,4,5\n", day="day")
    assert no_beep.input_hash() != series.input_hash()


def test_a_missing_value_round_trips_as_nan() -> None:
    series = EmaSeries(("a", "b"), ((1.0, math.nan),))
    back = EmaSeries.from_dict(series.as_dict())
    assert math.isnan(back.values[0][1])
    assert back.input_hash() == series.input_hash()
