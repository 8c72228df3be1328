"""`maatwerk score` with the input people really have: a safety column missing, thousands
of bad rows, a Dutch Excel export in cp1252 and decimal commas. Each gets a precise message.
"""

from __future__ import annotations

import csv
import io

from maatwerk.cli.score_file import MAX_PROBLEM_LINES

from .conftest import Maatwerk

PHQ9 = [f"phq9_{n}" for n in range(1, 10)]
SAFETY_WARNING = (
    "WARNING: no column for phq9_9, so the safety rule phq9_item9_self_harm (urgent) could "
    "not be evaluated for any row. An answer that signals risk would go unnoticed. Add the "
    "column, or use --strict to refuse such files."
)


def parsed(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def without_item_9(maatwerk: Maatwerk) -> str:
    header = ",".join(PHQ9[:8])
    return str(maatwerk.file("no9.csv", f"{header}\n1,1,1,1,1,1,1,1\n"))


def test_a_missing_safety_column_is_a_loud_warning(maatwerk: Maatwerk) -> None:
    result = maatwerk("score", "phq9", without_item_9(maatwerk))
    assert result.exit_code == 0, result.output
    assert SAFETY_WARNING in result.stderr
    assert "safety rule(s) NOT evaluated: phq9_item9_self_harm" in result.stderr
    assert [r["total"] for r in parsed(result.stdout)] == [""]  # item 9 is needed for a total


def test_strict_refuses_a_file_without_its_safety_column(maatwerk: Maatwerk) -> None:
    result = maatwerk("score", "phq9", without_item_9(maatwerk), "--strict")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert (
        "Error: --strict: no column for phq9_9, so the safety rule phq9_item9_self_harm "
        "(urgent) could not be evaluated for any row. Add the column (one cell per row), or "
        "run without --strict."
    ) in result.stderr


def test_strict_accepts_a_file_with_the_safety_column(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("ok.csv", ",".join(PHQ9) + "\n0,0,0,0,0,0,0,0,0\n")
    result = maatwerk("score", "phq9", str(path), "--strict")
    assert result.exit_code == 0, result.output
    assert "WARNING" not in result.stderr


def test_a_json_file_without_the_safety_key_is_warned_about_too(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("no9.json", '[{"phq9_1": 1}, {"phq9_2": 0}]')
    result = maatwerk("score", "phq9", str(path), "--strict")
    assert result.exit_code == 2
    assert "--strict: no column for phq9_9" in result.stderr


def test_unanswered_safety_items_are_counted(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("blank9.csv", ",".join(PHQ9) + "\n1,1,1,1,1,1,1,1,\n0,0,0,0,0,0,0,0,0\n")
    result = maatwerk("score", "phq9", str(path))
    assert (
        "1 row(s) left a safety item unanswered: their safety rule could not be evaluated."
        in result.stderr
    )


def test_errors_are_capped_with_a_count(maatwerk: Maatwerk) -> None:
    bad_rows = "".join("9,9,0,0,0,0,0,0,0\n" for _ in range(30))  # 2 problems a row
    path = maatwerk.file("bad.csv", ",".join(PHQ9) + "\n" + bad_rows)
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 1
    shown = [line for line in result.stderr.splitlines() if "is not one of the options" in line]
    assert len(shown) == MAX_PROBLEM_LINES == 20
    assert (
        "... and 40 more problem(s) not shown (the first 20 are above); each row's problems "
        "are in the error column of the output."
    ) in result.stderr
    assert "0 of 30 row(s) scored; 30 failed" in result.stderr
    assert all(row["error"] for row in parsed(result.stdout))  # every row keeps its errors


def test_a_dutch_excel_cp1252_export_names_the_line_and_the_fix(maatwerk: Maatwerk) -> None:
    # Excel's "CSV (gescheiden door lijstscheidingsteken)" writes cp1252: é is byte 0xE9.
    content = "id;" + ";".join(PHQ9) + "\nJosé;0;0;0;0;0;0;0;0;0\n"
    path = maatwerk.file("excel.csv", content.encode("cp1252"))
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 2
    assert (
        f"Error: {path}: not UTF-8 text: byte 0xE9 at line 2, column 4. It looks like a "
        "Windows (cp1252) export, as Excel writes 'CSV (gescheiden door "
        "lijstscheidingsteken)'. In Excel choose Save As > 'CSV UTF-8 (door komma's "
        "gescheiden) (*.csv)' (English Excel: 'CSV UTF-8 (Comma delimited)') and run again, "
        "or pass --encoding cp1252 if you know the file is a Windows export."
    ) in " ".join(result.stderr.split())


def test_cp1252_is_read_when_asked_for_and_never_guessed(maatwerk: Maatwerk) -> None:
    content = "id;" + ";".join(PHQ9) + "\nJosé;0;0;0;0;0;0;0;0;0\n"
    path = maatwerk.file("excel.csv", content.encode("cp1252"))
    result = maatwerk("score", "phq9", str(path), "--encoding", "cp1252")
    assert result.exit_code == 0, result.output
    assert [(r["id"], r["total"]) for r in parsed(result.stdout)] == [("José", "0")]


def test_csv_utf8_with_a_byte_order_mark_is_read(maatwerk: Maatwerk) -> None:
    content = "id;" + ";".join(PHQ9) + "\nJosé;0;0;0;0;0;0;0;0;0\n"
    path = maatwerk.file("excel.csv", content.encode("utf-8-sig"))
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 0, result.output
    assert parsed(result.stdout)[0]["id"] == "José"


def test_utf16_unicode_text_is_named(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("unicode.csv", (",".join(PHQ9) + "\n").encode("utf-16"))
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 2
    assert "this is UTF-16 text (Excel's 'Unicode text'), not CSV in UTF-8." in " ".join(
        result.stderr.split()
    )


def test_an_unknown_encoding_is_refused(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("x.csv", ",".join(PHQ9) + "\n")
    result = maatwerk("score", "phq9", str(path), "--encoding", "klingon")
    assert result.exit_code == 2
    assert "--encoding 'klingon' is not a known text encoding (utf-8, cp1252)" in result.stderr


def test_a_decimal_comma_gets_a_hint(maatwerk: Maatwerk) -> None:
    header = ";".join(f"rand36_{n}" for n in (23, 27, 29, 31))
    path = maatwerk.file("rand.csv", f"{header}\n4;3;2,5;1\n")
    result = maatwerk("score", "rand36", str(path))
    assert result.exit_code == 1
    assert (
        "row 1: rand36_29: '2,5' is not a number: write a decimal point (2.5), not a decimal "
        "comma (a Dutch spreadsheet setting; set the number format or export with a point as "
        "decimal separator)"
    ) in result.stderr


def test_a_decimal_comma_in_json_gets_the_hint_too(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("r.json", '[{"rand36_29": "2,5"}]')
    result = maatwerk("score", "rand36", str(path))
    assert "rand36_29: '2,5' is not a number: write a decimal point (2.5)" in result.stderr
