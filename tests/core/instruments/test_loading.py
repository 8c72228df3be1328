"""Parsing instrument definitions: schema errors name the file, the JSON path and the problem."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from maatwerk.core.instruments.errors import InstrumentDefinitionError
from maatwerk.core.instruments.loading import load_instrument_json, parse_instrument
from maatwerk.core.instruments.model import LocalizedText

from .factories import build, definition, options, scale


def problems_of(data: dict[str, object]) -> list[str]:
    with pytest.raises(InstrumentDefinitionError) as caught:
        parse_instrument(data, origin="demo-1.0.json")
    return [str(problem) for problem in caught.value.problems]


def test_minimal_definition_parses_into_frozen_values() -> None:
    instrument = build(definition())
    assert instrument.code == "demo"
    assert instrument.version_key == (1, 0)
    assert instrument.item("q2").response_set == "r"
    assert instrument.scale("total").items == ("q1", "q2", "q3", "q4")
    with pytest.raises(Exception, match="frozen"):
        instrument.code = "other"  # type: ignore[misc]


def test_wrong_type_is_reported_with_file_and_json_path() -> None:
    data = definition()
    data["items"][1]["response_set"] = 7
    [problem] = problems_of(data)
    assert problem.startswith("demo-1.0.json: $.items[1].response_set: ")
    assert "string" in problem


def test_unknown_key_is_reported_with_its_path() -> None:
    data = definition()
    data["scales"][0]["metod"] = "sum"
    [problem] = problems_of(data)
    assert "$.scales[0].metod" in problem
    assert "not permitted" in problem


def test_numbers_must_be_json_numbers_not_strings_or_booleans() -> None:
    data = definition()
    data["scales"][0]["range"]["max"] = "12"
    data["response_sets"][0]["options"][0]["value"] = True
    found = problems_of(data)
    assert any("$.scales[0].range.max" in p and "number" in p for p in found)
    assert any("$.response_sets[0].options[0].value" in p for p in found)


def test_python_floats_are_rejected_because_they_are_inexact() -> None:
    data = definition()
    data["scales"][0]["range"]["max"] = 12.0
    [problem] = problems_of(data)
    assert "$.scales[0].range.max" in problem
    assert "exact" in problem


def test_every_schema_problem_is_collected_in_one_error() -> None:
    data = definition()
    data["code"] = "Not A Code"
    data["version"] = "v1"
    data["scales"][0]["direction"] = "up"
    found = problems_of(data)
    assert len(found) == 3
    paths = {p.split(": ")[1] for p in found}
    assert paths == {"$.code", "$.version", "$.scales[0].direction"}


def test_response_set_kind_must_be_known() -> None:
    data = definition()
    data["response_sets"][0]["kind"] = "slider"
    [problem] = problems_of(data)
    assert "$.response_sets[0]" in problem
    assert "'options' or 'numeric'" in problem


def test_json_text_decimals_are_read_exactly() -> None:
    data = definition(
        n_items=1,
        response_set={
            "id": "r",
            "kind": "numeric",
            "min": 0,
            "max": 1,
            "step": 0.1,
            "source": "fixture",
        },
        scales=[scale(["q1"], method="mean", range={"min": 0, "max": 1}, display_decimals=1)],
    )
    instrument = load_instrument_json(json.dumps(data), origin="x.json")
    response_set = instrument.response_set("r")
    assert response_set.kind == "numeric"
    assert response_set.step == Decimal("0.1")


def test_duplicate_json_keys_are_an_error() -> None:
    text = json.dumps(definition()).replace('"code": "demo"', '"code": "demo", "code": "other"')
    with pytest.raises(InstrumentDefinitionError, match=r"duplicate key 'code'"):
        load_instrument_json(text, origin="dup.json")


def test_json_syntax_error_names_line_and_column() -> None:
    with pytest.raises(InstrumentDefinitionError, match=r"bad\.json: \$: invalid JSON: .*line 1"):
        load_instrument_json('{"code": ', origin="bad.json")


def test_nan_is_not_a_number_here() -> None:
    text = json.dumps(definition()).replace('"max": 12', '"max": NaN')
    with pytest.raises(InstrumentDefinitionError, match=r"\$\.scales\[0\]\.range\.max"):
        load_instrument_json(text, origin="nan.json")


class TestLocalizedText:
    def test_plain_and_annotated_texts(self) -> None:
        text = LocalizedText.model_validate(
            {"en": "Not at all", "nl": {"text": "Helemaal niet", "unverified": True}}
        )
        assert text.get("en") == "Not at all"
        assert text.get("nl") == "Helemaal niet"
        assert text.is_unverified("nl")
        assert not text.is_unverified("en")

    def test_no_fallback_unless_asked(self) -> None:
        text = LocalizedText.model_validate({"en": "Back pain"})
        assert text.get("nl") is None
        assert text.get("nl", fallback=True) == "Back pain"
        resolved = text.resolve("nl", fallback=True)
        assert resolved is not None
        assert (resolved.language, resolved.fell_back, resolved.unverified) == ("en", True, False)

    def test_fallback_goes_nl_to_en_only(self) -> None:
        text = LocalizedText.model_validate({"nl": "Rugpijn"})
        assert text.get("en", fallback=True) is None

    def test_language_tags_reduce_to_their_base_language(self) -> None:
        text = LocalizedText.model_validate({"en": "Back pain", "nl": "Rugpijn"})
        assert text.get("nl-BE") == "Rugpijn"
        assert text.get("en_GB") == "Back pain"
        assert text.get("de") is None
        assert text.get("de", fallback=True) == "Back pain"

    def test_a_text_needs_at_least_one_language(self) -> None:
        data = definition()
        data["name"] = {}
        [problem] = problems_of(data)
        assert "$.name" in problem
        assert "at least one language" in problem


def test_options_helper_builds_distinct_sets() -> None:
    assert options([1, 2], "x")["id"] == "x"
