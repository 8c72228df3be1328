"""`maatwerk score INSTRUMENT FILE`: CSV and JSON in, scores out, clear per-row errors.

Exit codes: 0 every row valid; 1 some row invalid (the others are still scored);
2 the input, the columns or the instrument cannot be used.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from .conftest import Maatwerk

PHQ9 = [f"phq9_{n}" for n in range(1, 10)]


def phq9_csv(*rows: str, header: str = ",".join(PHQ9)) -> str:
    return "\n".join([header, *rows]) + "\n"


def parsed(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_scores_a_valid_csv_to_stdout(maatwerk: Maatwerk) -> None:
    path = maatwerk.file(
        "phq9.csv",
        phq9_csv(
            "P1,1,1,2,1,0,1,1,0,0",  # 1+1+2+1+0+1+1+0+0 = 7: mild
            "P2,3,3,3,3,3,3,3,3,0",  # 24: severe, >= 10
            "P3,0,0,0,0,0,0,0,0,0",  # 0: none
            header="id," + ",".join(PHQ9),
        ),
    )
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 0, result.output
    rows = parsed(result.stdout)
    assert [(r["row"], r["id"], r["total"], r["total_band"]) for r in rows] == [
        ("1", "P1", "7", "mild"),
        ("2", "P2", "24", "severe"),
        ("3", "P3", "0", "minimal (unverified)"),
    ]
    assert [r["total_cutoffs"] for r in rows] == ["", "major_depression", ""]
    assert all(r["error"] == "" and r["safety_flags"] == "" for r in rows)
    assert "3 of 3 row(s) scored" in result.stderr
    assert "Scoring" in result.stderr and "phq9 1.2" in result.stderr


def test_mixed_valid_and_invalid_rows(maatwerk: Maatwerk) -> None:
    path = maatwerk.file(
        "mixed.csv",
        phq9_csv(
            "1,1,2,1,0,1,1,0,0",
            "1,1,5,1,0,1,1,0,0",  # row 2: phq9_3 = 5
            "1,1,2,1,0,1,1,0,0",
            "two,1,2,1,0,1,1,0,7",  # row 4: two problems
        ),
    )
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 1
    assert "row 2: phq9_3: 5 is not one of the options 0, 1, 2, 3" in result.stderr
    assert "row 4: phq9_1: 'two' is not a number" in result.stderr
    assert "row 4: phq9_9: 7 is not one of the options 0, 1, 2, 3" in result.stderr
    assert "2 of 4 row(s) scored; 2 failed" in result.stderr
    rows = parsed(result.stdout)
    assert [r["total"] for r in rows] == ["7", "", "7", ""]  # the valid rows are scored
    assert rows[1]["error"] == "phq9_3: 5 is not one of the options 0, 1, 2, 3"
    assert rows[3]["error"] == (
        "phq9_1: 'two' is not a number; phq9_9: 7 is not one of the options 0, 1, 2, 3"
    )


def test_a_missing_answer_is_no_error_but_no_score(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("gap.csv", phq9_csv("1,1,2,1,,1,1,0,0"))
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 0
    assert parsed(result.stdout)[0]["total"] == ""
    assert "row 1: total not scored: 1 of 9 items not answered; every item is needed" in (
        result.stderr
    )


def test_a_row_with_nothing_answered_is_still_a_row(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("empty.csv", phq9_csv(",,,,,,,,", "", "1,1,2,1,0,1,1,0,0"))
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 0
    assert [(r["row"], r["total"]) for r in parsed(result.stdout)] == [("1", ""), ("2", "7")]


def test_safety_rules_are_reported(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("risk.csv", phq9_csv("0,0,0,0,0,0,0,0,1"))
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 0
    assert parsed(result.stdout)[0]["safety_flags"] == "phq9_item9_self_harm"
    assert "row 1: SAFETY phq9_item9_self_harm (urgent; phq9_9 = 1)" in result.stderr
    assert "1 safety flag(s)" in result.stderr


def test_a_risk_answer_is_reported_even_when_the_row_is_invalid(maatwerk: Maatwerk) -> None:
    # phq9_3 is mistyped, so the row cannot be scored; item 9 = 2 must not get lost.
    path = maatwerk.file("risk.csv", phq9_csv("0,0,9,0,0,0,0,0,2", "0,0,9,0,0,0,0,0,7"))
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 1
    assert "row 1: SAFETY phq9_item9_self_harm (urgent; phq9_9 = 2)" in result.stderr
    assert "row 1: phq9_3: 9 is not one of the options 0, 1, 2, 3" in result.stderr
    rows = parsed(result.stdout)
    assert [(r["total"], r["safety_flags"]) for r in rows] == [
        ("", "phq9_item9_self_harm"),
        ("", ""),  # item 9 = 7 is not a valid answer: an error, not a flag
    ]


def test_sex_column_for_the_phq15(maatwerk: Maatwerk) -> None:
    items = [f"phq15_{n}" for n in range(1, 16)]
    all_two = ",".join(["2"] * 15)
    man = ",".join("" if n == 4 else "2" for n in range(1, 16))
    marked = ",".join("nvt" if n == 4 else "2" for n in range(1, 16))
    path = maatwerk.file(
        "phq15.csv",
        "\n".join(
            [
                "id,gender," + ",".join(items),
                f"W,vrouw,{all_two}",  # 15 x 2 = 30
                f"M,m,{man}",  # item 4 does not apply to men: 14 x 2 = 28
                f"X,,{man}",  # sex not recorded, item 4 neither answered nor marked: missing
                f"Y,other,{all_two}",  # neither sex, item 4 answered: it applies, 30
                f"Z,onbekend,{marked}",  # not known, item 4 marked as not applying: 28
                f"Q,x,{man}",
            ]
        ),
    )
    result = maatwerk("score", "phq15", str(path), "--sex-column", "gender")
    assert result.exit_code == 0, result.output
    rows = parsed(result.stdout)
    assert [r["total"] for r in rows] == ["30", "28", "", "30", "28", ""]
    assert (
        "row 3 (id X): total not scored: 1 of 15 items not answered; every item is needed "
        "(phq15_4 is for one sex only and the sex is not known: answer it, or write nvt if it "
        "does not apply)"
    ) in result.stderr


def test_a_sex_that_is_not_understood_is_reported(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("phq15.csv", "sex,phq15_1\nvrouwelijk,1\n")
    result = maatwerk("score", "phq15", str(path))
    assert result.exit_code == 1
    assert (
        "row 1: sex: 'vrouwelijk' is not female or male (also accepted: f/m, vrouw/man, v; "
        "other/anders/x/unknown/onbekend or empty when neither or not known)"
    ) in result.stderr


def test_nvt_for_an_item_every_respondent_answers_is_an_error(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("phq15.csv", "phq15_1,phq15_4\nnvt,\n")
    result = maatwerk("score", "phq15", str(path))
    assert result.exit_code == 1
    assert (
        "row 1: phq15_1: marked as not applying, but it applies to every respondent"
        in result.stderr
    )


def test_decimals_are_shown_as_the_scale_defines_them(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("rand.csv", "rand36_23,rand36_27,rand36_29,rand36_31\n4,3,3,\n")
    result = maatwerk("score", "rand36", str(path))
    assert result.exit_code == 0, result.output
    row = parsed(result.stdout)[0]
    assert row["energy_fatigue"] == "46.7"  # (40 + 60 + 40) / 3
    assert row["pain"] == ""
    assert "no column for rand36_1, rand36_2" in result.stderr


def test_semicolon_separated_csv_from_dutch_excel(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("nl.csv", phq9_csv("1;1;2;1;0;1;1;0;0", header=";".join(PHQ9)))
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 0, result.output
    assert parsed(result.stdout)[0]["total"] == "7"


def test_extra_columns_must_be_named_or_ignored(maatwerk: Maatwerk) -> None:
    path = maatwerk.file(
        "extra.csv", phq9_csv("2026-01-05,1,1,2,1,0,1,1,0,0", header="date," + ",".join(PHQ9))
    )
    refused = maatwerk("score", "phq9", str(path))
    assert refused.exit_code == 2
    assert "column(s) date are not items of phq9 1.2" in refused.stderr
    assert refused.stdout == ""
    accepted = maatwerk("score", "phq9", str(path), "--ignore-column", "date")
    assert accepted.exit_code == 0
    assert parsed(accepted.stdout)[0]["total"] == "7"


def test_a_row_with_the_wrong_number_of_fields_fails_alone(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("short.csv", phq9_csv("1,1,2,1,0,1,1,0", "1,1,2,1,0,1,1,0,0"))
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 1
    assert "row 1: has 8 fields, but the header has 9" in result.stderr
    assert [r["total"] for r in parsed(result.stdout)] == ["", "7"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'phq9_1,phq9_2\n"1,2\n', "malformed CSV"),
        (b'phq9_1,phq9_2\n"1"2,2\n', "malformed CSV"),
        (b"phq9_1,phq9_2\n\xff\xfe1,2\n", "not UTF-8 text"),
        (b"", "the file is empty"),
        (b"phq9_1,phq9_1\n1,1\n", "duplicate column(s) phq9_1"),
    ],
)
def test_unreadable_csv_exits_2(maatwerk: Maatwerk, content: bytes, message: str) -> None:
    path = maatwerk.file("bad.csv", content)
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_missing_file_unknown_instrument_and_bad_suffixes_exit_2(maatwerk: Maatwerk) -> None:
    good = maatwerk.file("ok.csv", phq9_csv("1,1,2,1,0,1,1,0,0"))
    unknown = maatwerk("score", "phq99", str(good))
    assert unknown.exit_code == 2
    assert "unknown instrument: no instrument phq99" in unknown.stderr
    assert maatwerk("score", "phq9", str(maatwerk.folder / "absent.csv")).exit_code == 2
    assert maatwerk("score", "phq9", str(maatwerk.file("data.txt", "x"))).exit_code == 2
    bad_output = maatwerk("score", "phq9", str(good), "--output", "scores.xlsx")
    assert bad_output.exit_code == 2
    assert "--output must end in .csv or .json" in bad_output.stderr
    missing_column = maatwerk("score", "phq9", str(good), "--id-column", "patient")
    assert missing_column.exit_code == 2
    assert "--id-column 'patient'" in missing_column.stderr


def test_json_in_and_json_out(maatwerk: Maatwerk) -> None:
    responses = [
        {"id": "A", **dict.fromkeys(PHQ9, 1)},  # 9
        {"id": "B", **dict.fromkeys(PHQ9, 1), "phq9_3": 4},
        {"id": "C", **dict.fromkeys(PHQ9, 1), "phq9_2": "1"},
        ["not", "an", "object"],
        {"id": 5, **dict.fromkeys(PHQ9, 2), "phq9_99": 1},
        {"id": "F", **dict.fromkeys(PHQ9, 0), "date": "2026-01-05"},
    ]
    path = maatwerk.file("in.json", json.dumps(responses))
    target = maatwerk.folder / "out.json"
    result = maatwerk(
        "score", "phq9", str(path), "--output", str(target), "--ignore-column", "date"
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "row 2 (id B): phq9_3: 4 is not one of the options 0, 1, 2, 3" in result.stderr
    assert "row 3 (id C): phq9_2: '1' is not a number (a JSON string)" in result.stderr
    assert "row 4: is a JSON list, not an object" in result.stderr
    assert "row 5 (id 5): phq9_99: not an item of phq9 1.2" in result.stderr
    written = json.loads(target.read_text(encoding="utf-8"))
    assert (written["instrument"], written["version"]) == ("phq9", "1.2")
    first = written["results"][0]
    assert first["id"] == "A"
    assert first["scores"]["total"] == {
        "value": 9,
        "exact": "9",
        "band": "mild",
        "cutoffs_met": [],
        "reason_unscored": None,
    }
    assert first["error"] is None
    assert [r["scores"] for r in written["results"][1:5]] == [None] * 4
    assert written["results"][5]["scores"]["total"]["value"] == 0  # "date" passed over


def test_csv_output_file(maatwerk: Maatwerk) -> None:
    path = maatwerk.file("in.csv", phq9_csv("1,1,2,1,0,1,1,0,0"))
    target = maatwerk.folder / "scores.csv"
    result = maatwerk("score", "phq9", str(path), "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert parsed(target.read_text(encoding="utf-8"))[0]["total"] == "7"


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "invalid JSON"), ('{"phq9_1": 1}', "expected a JSON list of objects")],
)
def test_unreadable_json_exits_2(maatwerk: Maatwerk, content: str, message: str) -> None:
    path = maatwerk.file("bad.json", content)
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 2
    assert message in result.stderr


@pytest.mark.parametrize(("rows", "bar"), [(1_000, False), (1_001, True)])
def test_progress_bar_only_for_files_over_1000_rows(
    maatwerk: Maatwerk, rows: int, bar: bool
) -> None:
    path = maatwerk.file("big.csv", phq9_csv(*["1,1,2,1,0,1,1,0,0"] * rows))
    result = maatwerk("score", "phq9", str(path))
    assert result.exit_code == 0
    assert len(parsed(result.stdout)) == rows
    assert (f"{rows}/{rows}" in result.stderr) is bar
