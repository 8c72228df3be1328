"""The metadata of the personalized measures as content (``content/personalized/measures.json``):
the bundled file loads, names each measure in both languages, and the loader reports every
broken reference with its JSON path."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from maatwerk.core.analysis.reliable_change import ScoreDirection
from maatwerk.core.bibliography import bundled_bibliography
from maatwerk.core.instruments.personalized_content import (
    MEASURE_CODES,
    PERSONALIZED_MEASURES,
    PersonalizedMeasuresDefinitionError,
    bundled_personalized_measures,
    load_personalized_measures,
    measure_metadata,
)


def _bundled_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PERSONALIZED_MEASURES.bundled_text())
    return data


def _load(data: dict[str, Any]) -> None:
    load_personalized_measures(json.dumps(data), source_ids=bundled_bibliography().entries)


def _problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(PersonalizedMeasuresDefinitionError) as raised:
        _load(data)
    return [(problem.path, problem.message) for problem in raised.value.problems]


def test_every_measure_is_described_once_in_both_languages() -> None:
    measures = bundled_personalized_measures().measures
    assert tuple(measure.code for measure in measures) == MEASURE_CODES
    for measure in measures:
        for text in (measure.name, measure.item_range, measure.scoring, measure.notes):
            assert text.nl.strip() and text.en.strip() and text.nl != text.en, measure.code


def test_a_measure_is_named_in_the_readers_language() -> None:
    name = measure_metadata("psk").name
    assert name.text("nl") == "Patiënt Specifieke Klachten"
    assert name.text("en") == "Patient-Specific Complaints"
    assert name.text("en-GB") == "Patient-Specific Complaints"


def test_each_measure_has_a_known_source_or_is_marked_unverified() -> None:
    known = bundled_bibliography().entries
    for code in MEASURE_CODES:
        meta = measure_metadata(code)
        assert meta.sources or meta.unverified, code
        assert all(source in known for source in meta.sources), code
    assert measure_metadata("psk").direction is ScoreDirection.HIGHER_IS_WORSE
    assert measure_metadata("psk").unverified is False


def test_the_metadata_is_immutable_and_an_unknown_code_is_refused() -> None:
    meta = measure_metadata("gas")
    with pytest.raises(ValidationError):
        meta.unverified = False  # type: ignore[misc]
    with pytest.raises(KeyError):
        measure_metadata("psfs")


def test_an_unknown_source_is_reported_with_its_path() -> None:
    data = _bundled_data()
    data["measures"][1]["sources"] = ["meetinstrumentenzorg-psk", "nobody-psk"]
    assert _problems(data) == [("$.measures[1].sources[1]", "unknown source 'nobody-psk'")]


def test_a_measure_without_sources_must_be_marked_unverified() -> None:
    data = _bundled_data()
    data["measures"][1]["sources"] = []
    [(path, message)] = _problems(data)
    assert path == "$.measures[1]"
    assert "unverified" in message


def test_missing_repeated_and_unknown_measures_are_reported() -> None:
    data = _bundled_data()
    gas, psk, _top = data["measures"]
    data["measures"] = [gas, psk, psk | {"code": "psfs"}, gas]
    assert _problems(data) == [
        ("$.measures[2].code", "unknown measure 'psfs'"),
        ("$.measures[3].code", "measure 'gas' is described twice"),
        ("$.measures", "measure 'top_problems' is missing"),
    ]


def test_a_text_without_dutch_is_refused_by_the_schema() -> None:
    data = _bundled_data()
    del data["measures"][0]["notes"]["nl"]
    [(path, _message)] = _problems(data)
    assert path == "$.measures[0].notes.nl"
