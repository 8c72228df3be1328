"""The bundled formulation content: it loads, provenance and references hold, broken
files give precise errors, patient texts are plain (B1), and the schemas are current."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from maatwerk.core.formulation.content import (
    FormulationContent,
    build_formulation_content,
    bundled_files,
    bundled_formulation_content,
    formulation_json_schema_texts,
)
from maatwerk.core.formulation.errors import FormulationContentError
from maatwerk.core.formulation.explanation import personal_explanation
from maatwerk.core.knowledge.registry import bundled_knowledge
from tests.core.formulation.test_worked_example import BACK_PAIN

REPO = Path(__file__).resolve().parents[3]
SCHEMA_FOLDER = REPO / "docs" / "formulation"
CONTENT = bundled_formulation_content()
KNOWLEDGE = bundled_knowledge()


def bundled_data() -> dict[str, dict[str, Any]]:
    return {name: json.loads(text) for name, text in bundled_files().items()}


def build(data: dict[str, dict[str, Any]]) -> FormulationContent:
    return build_formulation_content(
        {name: json.dumps(value) for name, value in data.items()}, knowledge=KNOWLEDGE
    )


def problems_after(change: Callable[[dict[str, dict[str, Any]]], None]) -> list[str]:
    data = bundled_data()
    change(data)
    with pytest.raises(FormulationContentError) as caught:
        build(data)
    return [str(problem) for problem in caught.value.problems]


def test_bundled_content_loads_and_covers_every_risk_factor() -> None:
    assert CONTENT.versions == {"factor_templates": "1.0", "explanation_texts": "1.0"}
    assert build(bundled_data()).versions == CONTENT.versions
    risk = {f.id for f in KNOWLEDGE.factors.factors if f.kind == "risk"}
    assert {t.factor for t in CONTENT.templates_file.templates} == risk


def test_only_the_sourced_link_is_verified() -> None:
    # There is a primary source for catastrophizing -> fear of movement
    # (bmc-msd-2012) and for the gevolgenmodel's consequences for mood and sleep
    # (nalk-gevolgenmodel); every other edge and every template is unverified.
    verified = [
        (template.factor, edge.to)
        for template in CONTENT.templates_file.templates
        for edge in template.edges
        if not edge.unverified
    ] + [
        ("complaint", edge.to)
        for edge in CONTENT.templates_file.complaint_edges
        if not edge.unverified
    ]
    assert verified == [
        ("catastrophizing", "fear_of_movement"),
        ("complaint", "negative_mood"),
        ("complaint", "poor_sleep"),
    ]
    assert all(t.unverified and t.note for t in CONTENT.templates_file.templates)


def test_unknown_factor_source_and_target_are_reported_with_paths() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        templates = data["factor_templates.json"]["templates"]
        templates[0]["factor"] = "telepathy"
        templates[1]["edges"][0]["sources"] = ["nowhere"]
        templates[2]["edges"][0]["to"] = "moon"
        templates[3]["edges"][0].pop("unverified")

    found = problems_after(change)
    assert "factor_templates.json: $.templates[0].factor: unknown factor 'telepathy'" in found
    assert (
        "factor_templates.json: $.templates[1].edges[0].sources[0]: unknown source 'nowhere'"
        in found
    )
    assert (
        "factor_templates.json: $.templates[2].edges[0].to: edge target 'moon' is neither "
        "'complaint' nor a templated factor"
    ) in found
    assert (
        "factor_templates.json: $.templates[3].edges[0]: no source; list source ids or mark "
        "it unverified: true"
    ) in found
    assert "factor_templates.json: $.templates: risk factor 'fear_of_movement' has no template" in (
        found
    )


def test_a_resilience_factor_cannot_have_a_template() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        data["factor_templates.json"]["templates"][0]["factor"] = "social_support"

    assert (
        "factor_templates.json: $.templates[0].factor: factor 'social_support' is not a risk factor"
    ) in problems_after(change)


def test_a_patient_text_needs_both_languages() -> None:
    # Schema errors come first: the placeholder is only checked on a file that parses.
    def change(data: dict[str, dict[str, Any]]) -> None:
        texts = data["explanation_texts.json"]
        texts["circle_end"]["nl"] = "Daardoor wordt {klacht} erger."
        del texts["complaint_heading"]["en"]

    assert problems_after(change) == [
        "explanation_texts.json: $.complaint_heading.en: Field required"
    ]


def test_unknown_placeholder_is_named() -> None:
    def change(data: dict[str, dict[str, Any]]) -> None:
        data["explanation_texts.json"]["circle_end"]["nl"] = "Daardoor wordt {klacht} erger."

    assert problems_after(change) == [
        "explanation_texts.json: $.circle_end.nl: unknown placeholder(s) klacht "
        "(allowed: complaint)"
    ]


def test_missing_collection() -> None:
    with pytest.raises(FormulationContentError, match="missing collection"):
        build_formulation_content(
            {"factor_templates.json": bundled_files()["factor_templates.json"]},
            knowledge=KNOWLEDGE,
        )


# ------------------------------------------------------------------ B1 readability

SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")


def sentences(text: str) -> list[str]:
    return [s for line in text.splitlines() for s in SENTENCE_END.split(line) if s.strip()]


def all_patient_texts(language: str) -> list[str]:
    texts = CONTENT.texts
    found: list[str] = []

    def walk(value: object) -> None:
        if hasattr(value, "nl") and hasattr(value, "en"):
            found.append(getattr(value, language))
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                walk(getattr(value, name))
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    walk(texts)
    found.extend(getattr(t.starter_label, language) for t in CONTENT.templates_file.templates)
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
def test_patient_texts_are_plain(language: str) -> None:
    jargon = {word.lower() for word in CONTENT.texts.jargon}
    texts = all_patient_texts(language)
    explanation = personal_explanation(BACK_PAIN, language="nl" if language == "nl" else "en")
    texts.append(explanation.as_text())
    words_used = {w.lower() for text in texts for w in re.findall(r"[\w-]+", text)}
    assert not words_used & jargon
    # Short sentences: at most 15 words on average and none above 20 (the patient's
    # quoted words count too).
    lengths = [len(s.split()) for text in texts for s in sentences(text)]
    assert sum(lengths) / len(lengths) <= 15
    assert max(lengths) <= 20
    # Dutch texts speak to the patient with "je", never "u".
    if language == "nl":
        assert "u" not in words_used and "uw" not in words_used


def test_the_jargon_list_catches_clinical_words() -> None:
    assert {"cognitief", "somatisch", "disfunctioneel", "catastroferen"} <= set(
        CONTENT.texts.jargon
    )


# ------------------------------------------------------------------ JSON Schemas


@pytest.mark.parametrize("name", sorted(formulation_json_schema_texts()))
def test_checked_in_json_schemas_are_current(name: str) -> None:
    expected = formulation_json_schema_texts()[name]
    assert (SCHEMA_FOLDER / name).read_text(encoding="utf-8") == expected, (
        "regenerate with: .venv/bin/python -c 'from "
        "maatwerk.core.formulation.content import write_json_schemas as w; "
        'w("docs/formulation")\''
    )


def test_no_stray_schema_files() -> None:
    on_disk = {path.name for path in SCHEMA_FOLDER.glob("*.schema.json")}
    assert on_disk == set(formulation_json_schema_texts())
