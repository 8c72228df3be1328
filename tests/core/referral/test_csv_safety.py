"""Exported cells that a spreadsheet would run as a formula get a leading quote, and an
import takes that quote off again (OWASP "CSV injection")."""

from __future__ import annotations

from maatwerk.core.referral.csv_safety import (
    neutralized_area,
    neutralized_cell,
    neutralized_provider,
    restored_area,
    restored_cell,
    restored_provider,
)
from maatwerk.core.referral.directory_csv import (
    PostcodeAreaRow,
    ProviderRow,
    read_providers_csv,
    write_providers_csv,
)


def _provider(**changes: object) -> ProviderRow:
    fields: dict[str, object] = {
        "name": "Praktijk De Brug",
        "practice": "",
        "street": "",
        "postcode": "3511 AB",
        "place": "Utrecht",
        "region": "",
        "latitude": None,
        "longitude": None,
        "disciplines": ("gz_psycholoog",),
        "expertise": (),
        "modalities": (),
        "languages": (),
        "waiting_weeks": None,
        "waiting_as_of": None,
        "phone": "",
        "email": "",
        "website": "",
        "agb_code": "",
        "notes": "",
        "active": True,
    }
    return ProviderRow(**(fields | changes))  # type: ignore[arg-type]


def test_every_formula_start_is_neutralized() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralized_cell(f"{start}1+1") == f"'{start}1+1"


def test_ordinary_text_and_a_quote_elsewhere_stay_as_they_are() -> None:
    assert neutralized_cell("Praktijk 't Hof") == "Praktijk 't Hof"
    assert neutralized_cell("") == ""
    assert restored_cell("'t Hof") == "'t Hof"  # a quote before no formula sign is text


def test_restoring_gives_back_what_was_neutralized() -> None:
    for text in ('=HYPERLINK("http://x")', "+31 30 123 4567", "-", "@SUM(A1)", "plain"):
        assert restored_cell(neutralized_cell(text)) == text


def test_a_provider_row_is_neutralized_in_its_free_text_only() -> None:
    row = _provider(name="=cmd|' /C calc'!A0", phone="+31 30 123 4567", notes="@risk")
    safe = neutralized_provider(row)
    assert (safe.name, safe.phone, safe.notes) == (
        "'=cmd|' /C calc'!A0",
        "'+31 30 123 4567",
        "'@risk",
    )
    assert safe.postcode == "3511 AB" and safe.disciplines == ("gz_psycholoog",)
    assert restored_provider(safe) == row


def test_an_exported_formula_reads_back_as_the_original_text() -> None:
    row = _provider(name="=1+1", phone="+31 30 123 4567")
    text = write_providers_csv([neutralized_provider(row)])
    assert "'=1+1" in text and "'+31 30 123 4567" in text
    read = read_providers_csv(text, disciplines=("gz_psycholoog",))
    assert read.ok, read.problems
    (again,) = read.rows
    assert restored_provider(again) == row


def test_a_place_of_the_gazetteer() -> None:
    area = PostcodeAreaRow("3511", "=Utrecht", 52.09, 5.12)
    assert neutralized_area(area).place == "'=Utrecht"
    assert restored_area(neutralized_area(area)) == area
