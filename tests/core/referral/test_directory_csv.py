from __future__ import annotations

from datetime import date

from maatwerk.core.referral.directory_csv import (
    CsvProblem,
    PostcodeAreaRow,
    provider_key,
    read_gazetteer_csv,
    read_providers_csv,
    write_gazetteer_csv,
    write_providers_csv,
)

DISCIPLINES = ("huisarts", "gz_psycholoog", "fysiotherapeut", "eerstelijnspsycholoog")

GOOD_SEMICOLON = (
    "\ufeffName;Postcode;Place;Latitude;Longitude;Disciplines;Expertise;Modalities;"
    "Languages;Waiting_weeks;Waiting_as_of;AGB_code;Active\n"
    "Praktijk De Brug;3511ab;Utrecht;52,0907;5,1214;gz_psycholoog;act|cbt_pss;"
    "face_to_face|online;nl|EN;4;01-10-2026;94012345;ja\n"
    "\n"
    "Fysio Zuid;3526 KL;Utrecht;;;fysiotherapeut;graded_activity;face_to_face;nl;;;;nee\n"
)


def test_a_good_file_with_semicolons_decimal_commas_and_a_bom() -> None:
    read = read_providers_csv(GOOD_SEMICOLON.encode(), disciplines=DISCIPLINES)
    assert read.ok, read.problems
    first, second = read.rows
    assert first.postcode == "3511 AB"
    assert (first.latitude, first.longitude) == (52.0907, 5.1214)
    assert first.expertise == ("act", "cbt_pss")
    assert first.modalities == ("face_to_face", "online")
    assert first.languages == ("nl", "en")
    assert first.waiting_weeks == 4
    assert first.waiting_as_of == date(2026, 10, 1)
    assert first.key == "agb:94012345"
    assert first.active
    assert second.latitude is None and second.waiting_weeks is None
    assert second.key == "name:fysio zuid|3526KL"
    assert not second.active


def test_a_comma_separated_file_with_quoted_fields() -> None:
    text = 'name,postcode,disciplines,notes\n"Huisarts Jansen, Bos",3581 AA,huisarts,"a, b"\n'
    read = read_providers_csv(text, disciplines=DISCIPLINES)
    assert read.ok
    assert read.rows[0].name == "Huisarts Jansen, Bos"
    assert read.rows[0].notes == "a, b"


def test_every_problem_is_reported_with_line_and_column_and_nothing_is_returned() -> None:
    text = (
        "name;postcode;disciplines;modalities;languages;waiting_weeks;latitude;email\n"
        "Goed;3511 AB;huisarts;online;nl;2;;\n"  # line 2 is fine
        ";12345;tandarts;telefoon;nederlands;twee;52.1;x@\n"  # line 3: many problems
        "Goed;3511AB;huisarts;;;;;\n"  # line 4: same name and postcode as line 2
        "Kort;3511 AB\n"  # line 5: too few fields
    )
    read = read_providers_csv(text, disciplines=DISCIPLINES)
    assert read.rows == ()
    assert read.problems == (
        CsvProblem(3, "name", "required"),
        CsvProblem(3, "postcode", "postcode", "12345"),
        CsvProblem(3, "longitude", "coordinate_pair"),
        CsvProblem(3, "disciplines", "unknown_discipline", "tandarts"),
        CsvProblem(3, "modalities", "unknown_modality", "telefoon"),
        CsvProblem(3, "languages", "language_code", "nederlands"),
        CsvProblem(3, "waiting_weeks", "whole_number", "twee"),
        CsvProblem(3, "email", "email", "x@"),
        CsvProblem(4, "name", "duplicate_key", "2"),
        CsvProblem(5, "", "wrong_field_count", "2"),
    )


def test_header_problems_stop_the_read() -> None:
    read = read_providers_csv("name;plaats;name\nA;B;C\n", disciplines=DISCIPLINES)
    assert read.problems == (
        CsvProblem(1, "plaats", "unknown_column"),
        CsvProblem(1, "name", "duplicate_column"),
        CsvProblem(1, "postcode", "missing_column"),
        CsvProblem(1, "disciplines", "missing_column"),
    )
    assert read_providers_csv("", disciplines=DISCIPLINES).problems == (
        CsvProblem(1, "", "empty_file"),
    )
    assert read_providers_csv(b"name\xff", disciplines=DISCIPLINES).problems == (
        CsvProblem(0, "", "not_utf8"),
    )


def test_export_then_import_gives_the_same_rows() -> None:
    rows = read_providers_csv(GOOD_SEMICOLON, disciplines=DISCIPLINES).rows
    for delimiter in (";", ","):
        again = read_providers_csv(
            write_providers_csv(rows, delimiter=delimiter), disciplines=DISCIPLINES
        )
        assert again.ok, again.problems
        assert again.rows == rows


def test_provider_key_ignores_case_and_spacing() -> None:
    assert provider_key("", "Praktijk  de Brug", "3511 AB") == provider_key(
        "", "praktijk De Brug", "3511AB"
    )
    assert provider_key(" 94012345 ", "x", "y") == "agb:94012345"


def test_gazetteer_reads_aliases_and_round_trips() -> None:
    text = "postcode,woonplaats,lat,lon\n3511,Utrecht,52.0907,5.1214\n3701,Zeist,52.09,5.233\n"
    read = read_gazetteer_csv(text)
    assert read.rows == (
        PostcodeAreaRow("3511", "Utrecht", 52.0907, 5.1214),
        PostcodeAreaRow("3701", "Zeist", 52.09, 5.233),
    )
    assert read_gazetteer_csv(write_gazetteer_csv(read.rows)).rows == read.rows


def test_gazetteer_problems() -> None:
    text = "pc4;place;latitude;longitude\n3511 AB;Utrecht;52;5\n0123;X;95;5\n3511;Y;;5\n"
    assert read_gazetteer_csv(text).problems == (
        CsvProblem(2, "pc4", "pc4", "3511 AB"),
        CsvProblem(3, "pc4", "pc4", "0123"),
        CsvProblem(3, "latitude", "latitude_range", "95"),
        CsvProblem(4, "latitude", "required"),
    )


def test_waiting_weeks_in_digits_int_cannot_read_is_a_problem_not_a_crash() -> None:
    for odd in ("²", "١٢", "1²"):
        text = f"name;postcode;disciplines;waiting_weeks\nPraktijk;3511 AB;huisarts;{odd}\n"
        read = read_providers_csv(text, disciplines=DISCIPLINES)
        assert not read.ok
        assert [p.code for p in read.problems] == ["whole_number"]


def test_a_control_character_stops_the_read_with_its_line() -> None:
    text = "name;postcode;disciplines\nPraktijk;3511 AB;huisarts\nNul\x00;3511 AB;huisarts\n"
    read = read_providers_csv(text, disciplines=DISCIPLINES)
    assert read.rows == ()
    assert read.problems == (CsvProblem(3, "", "control_character"),)
