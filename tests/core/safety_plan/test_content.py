"""The bundled safety-plan content: the steps of the Safety Planning Intervention (Stanley
B, Brown GK. Cogn Behav Pract 2012;19:256-264) in order, each sourced, and every broken
file refused with every problem named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from maatwerk.core.contact import parse_phone_number
from maatwerk.core.safety_plan import (
    SafetyPlanContentError,
    build_safety_plan_content,
    bundled_safety_plan_content,
    safety_plan_json_schema_text,
)
from maatwerk.core.safety_plan.content import SECTIONS_FILE

SCHEMA_FOLDER = Path(__file__).resolve().parents[3] / "docs" / "safety_plan"
CONTENT_FILE = (
    Path(__file__).resolve().parents[3]
    / "src"
    / "maatwerk"
    / "content"
    / "safety_plan"
    / SECTIONS_FILE
)


def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))
    return data


def _messages(data: dict[str, Any]) -> list[str]:
    with pytest.raises(SafetyPlanContentError) as refused:
        build_safety_plan_content(json.dumps(data))
    return [str(problem) for problem in refused.value.problems]


def test_the_bundled_content_has_the_steps_in_the_order_of_stanley_and_brown() -> None:
    content = bundled_safety_plan_content()
    # Stanley & Brown (2012): warning signs; internal coping; people and social settings
    # that distract; people to ask for help; professionals and agencies; making the
    # environment safe. The form adds what is worth living for.
    assert content.section_ids == (
        "warning_signs",
        "coping",
        "distraction",
        "help_people",
        "professionals",
        "safe_environment",
        "reasons_to_live",
    )
    assert [section.step for section in content.sections] == [1, 2, 3, 4, 5, 6, 7]
    sources = {source.id: source.citation for source in content.sources}
    assert "Cognitive and Behavioral Practice 2012;19(2):256-264" in sources["stanley-brown-2012"]


def test_the_professionals_are_the_clinicians_and_carry_phone_numbers() -> None:
    content = bundled_safety_plan_content()
    professionals = content.section("professionals")
    assert not professionals.patient_editable and professionals.with_phone
    assert content.section("help_people").with_phone
    assert not content.section("warning_signs").with_phone
    editable = {section.id for section in content.sections if section.patient_editable}
    assert "professionals" not in editable and "warning_signs" in editable


def test_the_crisis_lines_are_113_the_gp_and_112() -> None:
    lines = {line.id: line for line in bundled_safety_plan_content().crisis_lines}
    assert list(lines) == ["line_113", "gp", "line_112"]
    # 113 Zelfmoordpreventie publishes 0800-0113 as its free number.
    assert lines["line_113"].written == "0800-0113"
    assert lines["line_113"].tel == parse_phone_number("0800-0113").e164
    assert (lines["line_112"].tel, lines["line_112"].written) == ("112", "112")
    assert lines["gp"].kind == "patient_gp" and lines["gp"].tel is None


def test_every_text_is_in_dutch_and_english_and_patients_are_addressed_with_je() -> None:
    content = bundled_safety_plan_content()
    for section in content.sections:
        for text in (section.title, section.patient_prompt, section.clinician_prompt):
            assert text.nl and text.en
        assert " u " not in f" {section.patient_prompt.nl} "
        assert "je" in section.patient_prompt.nl.lower().split() or "jou" in (
            section.patient_prompt.nl.lower()
        )


def test_the_checked_in_json_schema_is_current() -> None:
    path = SCHEMA_FOLDER / "sections.schema.json"
    assert path.exists() and path.read_text(encoding="utf-8") == safety_plan_json_schema_text(), (
        "docs/safety_plan/sections.schema.json is stale; regenerate with\n"
        "  .venv/bin/python -c 'from maatwerk.core.safety_plan import "
        'write_json_schema as w; w("docs/safety_plan")\''
    )


def test_a_section_without_a_source_or_unverified_is_refused() -> None:
    data = _data()
    data["sections"][0]["sources"] = []
    assert _messages(data) == [
        "sections.json: $.sections[0]: no source; list source ids or mark it unverified: true"
    ]


def test_unknown_sources_duplicates_and_steps_out_of_order_are_all_reported() -> None:
    data = _data()
    data["sections"][1]["sources"] = ["nobody-2020"]
    data["sections"][2]["id"] = "warning_signs"
    data["sections"][3]["step"] = 9
    data["sources"].append(dict(data["sources"][0]))
    data["crisis_lines"][0].pop("tel")
    data["crisis_lines"][1]["tel"] = "0612345678"
    found = _messages(data)
    assert found == [
        "sections.json: $.sources[4].id: duplicate source id 'stanley-brown-2012'",
        "sections.json: $.sections[1].sources[0]: unknown source 'nobody-2020'",
        "sections.json: $.sections[2].id: duplicate section id 'warning_signs'",
        "sections.json: $.sections[3].step: steps must run 1, 2, 3 ... in order; expected 4",
        "sections.json: $.crisis_lines[0]: a crisis line of kind 'number' needs 'tel' and "
        "'written'",
        "sections.json: $.crisis_lines[1]: the GP's number comes from the patient record: "
        "no 'tel' here",
    ]


def test_schema_errors_name_the_path() -> None:
    data = _data()
    data["sections"][0]["title"] = {"nl": "Alleen Nederlands"}
    data["limits"]["max_entries"] = 0
    data["crisis_lines"][0]["tel"] = "bel 113"
    found = " | ".join(_messages(data))
    assert "$.sections[0].title.en" in found
    assert "$.limits.max_entries" in found
    assert "$.crisis_lines[0].tel" in found


def test_an_unknown_key_and_duplicate_keys_are_refused() -> None:
    data = _data()
    data["sections"][0]["colour"] = "red"
    assert any("colour" in message for message in _messages(data))
    text = CONTENT_FILE.read_text(encoding="utf-8").replace(
        '"version": "1.0",', '"version": "1.0",\n  "version": "1.1",', 1
    )
    with pytest.raises(SafetyPlanContentError, match="version"):
        build_safety_plan_content(text)
