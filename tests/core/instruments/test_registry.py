"""The bundled instruments: they load, validate, carry provenance, and the schema is current."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from maatwerk.core.instruments.errors import InstrumentDefinitionError, UnknownInstrument
from maatwerk.core.instruments.loading import instrument_json_schema_text
from maatwerk.core.instruments.model import Instrument, Sourced
from maatwerk.core.instruments.registry import (
    bundled_files,
    bundled_instruments,
    get_instrument,
    load_bundled_file,
    select_instrument,
)
from maatwerk.core.instruments.validation import validate_instrument

from .factories import build, definition

REPO = Path(__file__).resolve().parents[3]
SCHEMA_FILE = REPO / "docs" / "instruments" / "instrument.schema.json"
ALL = bundled_instruments()
NOT_CLINICAL_NUMBERS = {"format", "display_decimals"}


def test_the_required_instruments_are_bundled() -> None:
    codes = {instrument.code for instrument in ALL}
    assert {"phq9", "gad7", "phq15", "tsk", "pcs"} <= codes


def test_get_instrument_latest_and_by_version() -> None:
    assert get_instrument("phq9").code == "phq9"
    assert get_instrument("phq9", "1.0").version == "1.0"
    with pytest.raises(UnknownInstrument, match="no instrument phq99"):
        get_instrument("phq99")
    with pytest.raises(UnknownInstrument, match=r"no instrument phq9 version 9\.9"):
        get_instrument("phq9", "9.9")


def test_latest_version_compares_numerically() -> None:
    versions = [build(definition(version=v)) for v in ("1.10", "1.9", "2.0.1", "2.0")]
    assert select_instrument(versions, "demo").version == "2.0.1"
    assert select_instrument(versions[:2], "demo").version == "1.10"  # not "1.9"
    assert select_instrument(versions, "demo", "1.9").version == "1.9"


@pytest.mark.parametrize("entry", bundled_files(), ids=lambda entry: entry.name)
def test_every_bundled_file_validates(entry: object) -> None:
    instrument = load_bundled_file(entry)  # type: ignore[arg-type]
    assert validate_instrument(instrument, origin="bundled") == ()


def test_file_name_must_match_code_and_version(tmp_path: Path) -> None:
    source = next(e for e in bundled_files() if e.name == "gad7-1.0.json")
    renamed = tmp_path / "gad7-2.0.json"
    renamed.write_bytes(source.read_bytes())
    with pytest.raises(InstrumentDefinitionError, match=r"file name must be 'gad7-1\.0\.json'"):
        load_bundled_file(renamed)


def _numbers(value: object, path: str, covered: bool) -> Iterator[tuple[str, bool]]:
    """Every clinical number in a definition with whether a source or unverified covers it."""
    if isinstance(value, Sourced):
        covered = value.source is not None or value.unverified
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in NOT_CLINICAL_NUMBERS:
                yield from _numbers(getattr(value, name), f"{path}.{name}", covered)
    elif isinstance(value, tuple):
        for index, element in enumerate(value):
            yield from _numbers(element, f"{path}[{index}]", covered)
    elif isinstance(value, (Decimal, int)) and not isinstance(value, bool):
        yield path, covered


@pytest.mark.parametrize("instrument", ALL, ids=lambda i: f"{i.code}-{i.version}")
def test_every_number_has_a_source_or_is_marked_unverified(instrument: Instrument) -> None:
    numbers = list(_numbers(instrument, "$", covered=False))
    assert numbers, "the walker found no numbers at all"
    uncovered = [path for path, covered in numbers if not covered]
    assert uncovered == []


@pytest.mark.parametrize("instrument", ALL, ids=lambda i: f"{i.code}-{i.version}")
def test_every_source_id_resolves(instrument: Instrument) -> None:
    def sourced(value: object) -> Iterator[Sourced]:
        if isinstance(value, Sourced):
            yield value
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from sourced(getattr(value, name))
        elif isinstance(value, tuple):
            for element in value:
                yield from sourced(element)

    for value in sourced(instrument):
        assert value.source is None or instrument.has_source(value.source)


@pytest.mark.parametrize(("code", "version"), [("phq9", "1.1"), ("gad7", None), ("phq15", None)])
def test_dutch_item_texts_are_marked_unverified_until_the_official_version_is_imported(
    code: str, version: str | None
) -> None:
    # PHQ-9 1.2 adopts a published Dutch text for items 1-9 (see test_golden_phq); the
    # versions and instruments that still carry Maatwerk's own translation stay marked.
    instrument = get_instrument(code, version)
    for item in instrument.items:
        assert item.text is not None
        assert item.text.get("en")
        assert item.text.is_unverified("nl"), item.id
        assert not item.text.is_unverified("en"), item.id
    assert any("official Dutch version" in note for note in instrument.notes)


@pytest.mark.parametrize("code", ["tsk", "pcs"])
def test_structure_only_instruments_ship_no_texts(code: str) -> None:
    instrument = get_instrument(code)
    assert instrument.licence.kind == "licensed"
    assert not instrument.licence.item_texts_shipped
    assert instrument.instructions is None
    assert all(item.text is None for item in instrument.items)


def test_phq9_item_10_is_not_scored() -> None:
    instrument = get_instrument("phq9")
    assert not instrument.item("phq9_10").scored
    assert "phq9_10" not in instrument.scale("total").items


def test_checked_in_json_schema_is_current() -> None:
    expected = instrument_json_schema_text()
    assert SCHEMA_FILE.read_text(encoding="utf-8") == expected, (
        "docs/instruments/instrument.schema.json is stale; regenerate it with\n"
        "  .venv/bin/python -c 'from maatwerk.core.instruments.loading import "
        'instrument_json_schema_text as t; print(t(), end="")\' '
        "> docs/instruments/instrument.schema.json"
    )


def test_schema_accepts_the_shape_of_a_bundled_file() -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["title"] == "Maatwerk instrument definition"
    assert set(schema["required"]) >= {"code", "version", "licence", "items", "scales"}
