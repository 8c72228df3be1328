"""`maatwerk instruments validate-fhir FILE`: the import check on the command line,
in-process and without Django."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from maatwerk.core.fhir.constants import EXT_INSTRUMENT_DEFINITION
from maatwerk.core.fhir.questionnaire import instrument_to_questionnaire
from maatwerk.core.fhir.validation import structure_problems
from maatwerk.core.fhir.values import definition_json
from maatwerk.core.instruments.loading import parse_instrument
from maatwerk.core.instruments.registry import get_instrument

from .conftest import Maatwerk


def own_copy(base: str = "phq9", code: str = "phq9_org") -> dict[str, Any]:
    definition = json.loads(definition_json(get_instrument(base)), parse_float=Decimal)
    definition.update(code=code, name={"nl": "Eigen versie", "en": "Own copy"})
    return instrument_to_questionnaire(parse_instrument(definition), language="en")


def test_the_command_is_listed(maatwerk: Maatwerk) -> None:
    assert "validate-fhir" in maatwerk("instruments", "--help").stdout


def test_an_own_copy_is_valid(maatwerk: Maatwerk) -> None:
    resource = own_copy()
    assert resource["id"] == "phq9-org-1.2"  # a FHIR id has no "_"
    assert structure_problems(resource, "Questionnaire") == ()
    result = maatwerk(
        "instruments", "validate-fhir", str(maatwerk.file("q.json", json.dumps(resource)))
    )
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("valid: phq9_org 1.2 (Own copy)")
    assert "10 item(s), 1 scale(s): total" in first
    assert "note" not in result.stdout


@pytest.mark.parametrize("code", ["phq9", "tsk"])
def test_bundled_exports_are_valid_with_a_note_on_importing(maatwerk: Maatwerk, code: str) -> None:
    instrument = get_instrument(code)
    resource = instrument_to_questionnaire(instrument, language="nl")
    result = maatwerk(
        "instruments", "validate-fhir", str(maatwerk.file("q.json", json.dumps(resource)))
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"valid: {code} {instrument.version}")
    assert f"note: {code} is the code of a bundled instrument" in result.stdout
    assert ("item(s) without text (tsk_1, " in result.stdout) == (code == "tsk")


def test_a_missing_extension_is_named(maatwerk: Maatwerk) -> None:
    resource = own_copy()
    resource["extension"] = [
        e for e in resource["extension"] if e["url"] != EXT_INSTRUMENT_DEFINITION
    ]
    result = maatwerk(
        "instruments", "validate-fhir", str(maatwerk.file("q.json", json.dumps(resource)))
    )
    assert result.exit_code == 1
    assert result.stdout.startswith("invalid: cannot import this Questionnaire")
    assert f"Questionnaire.extension: the extension {EXT_INSTRUMENT_DEFINITION} is missing" in (
        result.stdout
    )


def test_every_problem_is_printed(maatwerk: Maatwerk) -> None:
    resource = own_copy()
    resource["item"][1]["bogus"] = True
    resource["date"] = "not a date"
    result = maatwerk(
        "instruments", "validate-fhir", str(maatwerk.file("q.json", json.dumps(resource)))
    )
    assert result.exit_code == 1
    assert "invalid FHIR Questionnaire (2 problem(s))" in result.stdout
    assert "  - Questionnaire.date: " in result.stdout
    assert "  - Questionnaire.item[1].bogus: Extra inputs are not permitted" in result.stdout


def test_an_invalid_definition_and_a_mismatch(maatwerk: Maatwerk) -> None:
    resource = own_copy()
    definition = json.loads(resource["extension"][0]["valueString"])
    definition["scales"][0]["method"] = "median"
    resource["extension"][0]["valueString"] = json.dumps(definition)
    result = maatwerk(
        "instruments", "validate-fhir", str(maatwerk.file("q.json", json.dumps(resource)))
    )
    assert result.exit_code == 1
    assert "the instrument definition in the Questionnaire is invalid" in result.stdout
    assert "$.scales[0].method" in result.stdout

    resource = own_copy()
    resource["version"] = "2.0"
    result = maatwerk(
        "instruments", "validate-fhir", str(maatwerk.file("q.json", json.dumps(resource)))
    )
    assert result.exit_code == 1
    assert "Questionnaire.version: '2.0' differs from the definition's version '1.2'" in (
        result.stdout
    )


def test_not_json_and_unreadable_files(maatwerk: Maatwerk) -> None:
    result = maatwerk("instruments", "validate-fhir", str(maatwerk.file("q.json", "{oops")))
    assert result.exit_code == 1
    assert "is not JSON" in result.stdout and "line 1, column 2" in result.stdout
    binary = maatwerk("instruments", "validate-fhir", str(maatwerk.file("b.json", b"\xff\xfe{")))
    assert binary.exit_code == 1 and "invalid" in binary.stdout
    missing = maatwerk("instruments", "validate-fhir", str(maatwerk.folder / "absent.json"))
    assert missing.exit_code == 2
    assert "cannot read" in missing.stderr
