"""Maatwerk's own codes as FHIR CodeSystems: every Maatwerk coding that is exported has
its CodeSystem, and each code it uses is one of that CodeSystem's codes."""

from __future__ import annotations

from typing import Any

import pytest
from fhir.resources.R4B.codesystem import CodeSystem

from maatwerk.core.fhir.care_plan import GAS_MEASURE_SYSTEM, INTERVENTION_SYSTEM, MODULE_SYSTEM
from maatwerk.core.fhir.code_systems import (
    bundled_code_systems,
    code_system_id,
    instrument_code_systems,
)
from maatwerk.core.fhir.constants import DATA_ABSENT_REASON_SYSTEM, SCALE_CODE_SYSTEM
from maatwerk.core.fhir.questionnaire import instrument_to_questionnaire
from maatwerk.core.fhir.service_request import CARE_LEVEL_SYSTEM
from maatwerk.core.instruments.model import Instrument, OptionsResponseSet
from maatwerk.core.instruments.registry import bundled_instruments, get_instrument
from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.modules.registry import bundled_catalogue

BUNDLED = bundled_instruments()


def _codes(system: dict[str, Any]) -> set[str]:
    return {concept["code"] for concept in system["concept"]}


def _by_url() -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(s["url"], s.get("version")): s for s in bundled_code_systems()}


def test_every_code_system_is_valid_with_a_unique_id() -> None:
    systems = bundled_code_systems()
    for system in systems:
        CodeSystem.model_validate(system)
        assert system["content"] == "complete" and system["count"] == len(system["concept"])
        assert len(_codes(system)) == len(system["concept"])  # no code twice
    ids = [system["id"] for system in systems]
    assert len(set(ids)) == len(ids)
    assert {s["url"] for s in systems} >= {
        SCALE_CODE_SYSTEM,
        CARE_LEVEL_SYSTEM,
        MODULE_SYSTEM,
        INTERVENTION_SYSTEM,
        GAS_MEASURE_SYSTEM,
    }


@pytest.mark.parametrize("instrument", BUNDLED, ids=[f"{i.code}-{i.version}" for i in BUNDLED])
def test_every_answer_coding_of_a_questionnaire_is_in_its_code_system(
    instrument: Instrument,
) -> None:
    systems = _by_url()
    questionnaire = instrument_to_questionnaire(instrument, language="nl")
    for item in questionnaire["item"]:
        for option in item.get("answerOption", []):
            coding = option["valueCoding"]
            if coding["system"] == DATA_ABSENT_REASON_SYSTEM:
                continue  # HL7's code system ("Dit geldt niet voor mij"), not Maatwerk's
            system = systems[(coding["system"], instrument.version)]
            assert coding["code"] in _codes(system), (item["linkId"], coding)
    assert len(instrument_code_systems(instrument)) == sum(
        isinstance(r, OptionsResponseSet) for r in instrument.response_sets
    )


def test_the_phq9_answer_codes_with_their_dutch_and_english_labels() -> None:
    phq9 = get_instrument("phq9", "1.1")
    [frequency] = [
        s for s in instrument_code_systems(phq9) if s["url"].endswith("/phq9/frequency_0_3")
    ]
    options = phq9.response_set("frequency_0_3")
    assert isinstance(options, OptionsResponseSet)
    assert frequency["id"] == "phq9-1.1-frequency-0-3"
    assert frequency["language"] == "nl"
    assert [
        (c["code"], c["display"], c["designation"][0]["value"]) for c in frequency["concept"]
    ] == [
        (str(int(o.value)), o.label.get("nl"), o.label.get("en"))
        for o in options.options
        if o.label is not None
    ]


def test_scales_care_levels_modules_and_interventions_come_from_the_content() -> None:
    systems = {s["url"]: s for s in bundled_code_systems()}
    assert _codes(systems[SCALE_CODE_SYSTEM]) == {
        f"{i.code}.{scale.id}" for i in BUNDLED for scale in i.scales
    }
    knowledge = bundled_knowledge()
    assert _codes(systems[CARE_LEVEL_SYSTEM]) == {
        level.id for level in knowledge.care_levels.care_levels
    }
    assert _codes(systems[MODULE_SYSTEM]) == {m.id for m in bundled_catalogue().modules}
    assert _codes(systems[INTERVENTION_SYSTEM]) == {
        i.id for i in knowledge.interventions.interventions
    }
    assert _codes(systems[GAS_MEASURE_SYSTEM]) == {"attainment-level"}


def test_code_system_ids() -> None:
    assert code_system_id("https://maatwerk.example/fhir/CodeSystem/care-level") == "care-level"
    assert (
        code_system_id("https://maatwerk.example/fhir/CodeSystem/tsk/agree_1_4", "1.0")
        == "tsk-1.0-agree-1-4"
    )
    with pytest.raises(ValueError, match="not a Maatwerk CodeSystem"):
        code_system_id("http://loinc.org")
