"""The one content-set mechanism: every bundled folder is described by it, its loader
reports every problem with file and JSON path, and each set's schema is the checked-in one."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field

from maatwerk.core.analysis.content import MONITORING
from maatwerk.core.bibliography import BIBLIOGRAPHY
from maatwerk.core.common.content_set import (
    CONTENT_PACKAGE,
    CollectionSet,
    FileSet,
    FolderSet,
    duplicate_id_problems,
    provenance_problems,
)
from maatwerk.core.common.errors import ContentDefinitionError
from maatwerk.core.common.prose import (
    ProseContentError,
    load_prose,
    prose_problems,
    prose_set,
)
from maatwerk.core.formulation.content import FORMULATION
from maatwerk.core.instruments.base import Frozen
from maatwerk.core.instruments.errors import DefinitionProblem
from maatwerk.core.instruments.loading import INSTRUMENTS
from maatwerk.core.instruments.personalized_content import PERSONALIZED_MEASURES
from maatwerk.core.knowledge.loading import KNOWLEDGE
from maatwerk.core.modules.loading import MODULES
from maatwerk.core.monitoring.items import EMA_ITEMS
from maatwerk.core.planning.content import RULES
from maatwerk.core.safety.content import FOLLOW_UP
from maatwerk.core.safety_plan.content import SECTIONS
from maatwerk.core.screening.content import SCREENING

DOCS = Path(__file__).resolve().parents[2] / "docs"

SETS: tuple[FileSet[Any] | FolderSet[Any] | CollectionSet[Any], ...] = (
    INSTRUMENTS,
    KNOWLEDGE,
    MODULES,
    SCREENING,
    FORMULATION,
    RULES,
    SECTIONS,
    MONITORING,
    BIBLIOGRAPHY,
    FOLLOW_UP,
    EMA_ITEMS,
    PERSONALIZED_MEASURES,
    prose_set("screening_summary.json"),
    prose_set("instrument_explanations.json"),
    prose_set("stepped_care_reasons.json"),
    prose_set("plan_texts.json"),
    prose_set("fhir_care_plan.json"),
    prose_set("risk_profile.json"),
    prose_set("battery_steps.json"),
    prose_set("module_answer_problems.json"),
    prose_set("fhir_questionnaire.json"),
)


def test_every_bundled_content_file_belongs_to_one_described_set() -> None:
    described: set[str] = set()
    for content_set in SETS:
        if isinstance(content_set, FileSet):
            described.add(f"{content_set.folder}/{content_set.file}".lstrip("/"))
        else:
            described.add(f"{content_set.folder}/*.json")
    root = files(CONTENT_PACKAGE)
    for entry in root.iterdir():
        if entry.name.endswith(".json"):
            assert entry.name in described, entry.name
        elif entry.is_dir() and not entry.name.startswith("__"):
            single = {name for name in described if name.startswith(f"{entry.name}/")}
            assert single, f"content/{entry.name} is not described as a content set"


@pytest.mark.parametrize(
    "content_set", [s for s in SETS if not isinstance(s, CollectionSet)], ids=lambda s: s.title
)
def test_single_schema_sets_match_their_checked_in_schema(
    content_set: FileSet[Any] | FolderSet[Any],
) -> None:
    folder = DOCS if content_set.folder == "" else DOCS / content_set.folder
    checked_in = (folder / content_set.schema_file).read_text(encoding="utf-8")
    assert content_set.schema_text() == checked_in


@pytest.mark.parametrize("content_set", [KNOWLEDGE, SCREENING], ids=lambda s: s.name)
def test_collection_sets_match_their_checked_in_schemas(
    content_set: CollectionSet[Any],
) -> None:
    for name, text in content_set.schema_texts().items():
        assert text == (DOCS / content_set.folder / name).read_text(encoding="utf-8")


# ------------------------------------------------------------------ a set of one's own


class ToyError(ContentDefinitionError):
    what = "toy box"


class ToyEntry(Frozen):
    id: str
    sources: tuple[str, ...] = ()
    unverified: bool = False
    note: str | None = None


class ToyFile(Frozen):
    collection: Literal["toys"]
    entries: tuple[ToyEntry, ...] = Field(min_length=1)


class OtherFile(Frozen):
    collection: Literal["others"]


TOYS = FileSet(
    folder="toys",
    file="toys.json",
    model=ToyFile,
    error=ToyError,
    schema_id="https://example.org/toys.schema.json",
    title="Toys",
)


def toy_checks(toys: ToyFile, origin: str) -> list[DefinitionProblem]:
    entries = [(f"$.entries[{i}]", entry) for i, entry in enumerate(toys.entries)]
    return [
        *provenance_problems(
            entries, {"known_source"}, origin=origin, unverified_without_note="say why"
        ),
        *duplicate_id_problems([("entries", [entry.id for entry in toys.entries])], origin=origin),
    ]


def problems_of(error: pytest.ExceptionInfo[ToyError]) -> list[str]:
    return [str(problem) for problem in error.value.problems]


def test_a_file_set_reports_every_reference_problem_at_once() -> None:
    text = json.dumps(
        {
            "collection": "toys",
            "entries": [
                {"id": "a", "sources": ["known_source"]},
                {"id": "a", "sources": ["unknown_source"]},
                {"id": "b"},
                {"id": "c", "unverified": True},
            ],
        }
    )
    with pytest.raises(ToyError) as raised:
        TOYS.load(text, check=toy_checks)
    assert problems_of(raised) == [
        "toys.json: $.entries[1].sources[0]: unknown source 'unknown_source'",
        "toys.json: $.entries[2]: no source; list source ids or mark it unverified: true",
        "toys.json: $.entries[3]: say why",
        "toys.json: $.entries[1].id: duplicate id 'a'",
    ]


def test_a_file_set_reports_json_and_schema_problems_with_their_path() -> None:
    with pytest.raises(ToyError) as raised:
        TOYS.load('{"collection": "toys", "collection": "toys"}', origin="mine.json")
    assert problems_of(raised) == ["mine.json: $: duplicate key 'collection' in an object"]
    with pytest.raises(ToyError) as raised:
        TOYS.load("[1]")
    assert problems_of(raised) == ["toys.json: $: the file must hold one JSON object"]
    with pytest.raises(ToyError) as raised:
        TOYS.load('{"collection": "toys", "entries": [{"id": 3}]}')
    assert problems_of(raised) == [
        "toys.json: $.entries[0].id: Input should be a valid string",
    ]


def test_a_valid_file_loads_with_exact_decimals_and_no_problem() -> None:
    toys = TOYS.load(
        '{"collection": "toys", "entries": [{"id": "a", "sources": ["known_source"]}]}',
        check=toy_checks,
    )
    assert toys.entries[0].id == "a"


def test_a_collection_set_wants_every_collection_once_and_reports_all_files() -> None:
    toys_and_others = CollectionSet[BaseModel](
        folder="toys",
        name="toy box",
        models={"toys": ToyFile, "others": OtherFile},
        error=ToyError,
        schema_id="https://example.org/{collection}.schema.json",
        title="Toys",
    )
    with pytest.raises(ToyError) as raised:
        toys_and_others.load(
            {
                "a.json": '{"collection": "others"}',
                "b.json": '{"collection": "others"}',
                "c.json": '{"collection": "dolls"}',
                "d.json": "{",
            }
        )
    assert problems_of(raised) == [
        "b.json: $.collection: collection 'others' is also in a.json",
        "c.json: $.collection: must be one of 'toys', 'others' (got 'dolls')",
        "d.json: $: invalid JSON: Expecting property name enclosed in double quotes"
        " (line 1, column 2)",
    ]
    with pytest.raises(ToyError) as raised:
        toys_and_others.load({"a.json": '{"collection": "others"}'})
    assert problems_of(raised) == ["<toy box>: $: missing collection(s): toys"]
    assert set(toys_and_others.schema_texts()) == {"toys.schema.json", "others.schema.json"}


def test_prose_is_looked_up_by_key_and_language_with_its_placeholders_filled() -> None:
    prose = load_prose("screening_summary.json")
    assert prose.text("clinician.severity", "nl", value="licht") == "Ernst: licht"
    assert prose.text("clinician.severity", "nl-BE", value="licht") == "Ernst: licht"
    assert prose.text("clinician.severity", "de", value="mild") == "Severity: mild"


def test_a_translation_must_use_the_same_placeholders() -> None:
    text = json.dumps(
        {
            "collection": "prose",
            "version": "1",
            "texts": {
                "a": {"nl": "Ernst: {value}", "en": "Severity: {level}"},
                "b": {"nl": "{", "en": "x"},
            },
        }
    )
    summary = prose_set("screening_summary.json")
    with pytest.raises(ProseContentError) as raised:
        summary.load(text, origin="mine.json", check=prose_problems)
    assert [str(problem) for problem in raised.value.problems] == [
        "mine.json: $.texts.a: placeholders differ: nl has ['value'], en has ['level']",
        "mine.json: $.texts.b.nl: broken braces",
    ]


@pytest.mark.parametrize(
    "file",
    [
        "screening_summary.json",
        "instrument_explanations.json",
        "stepped_care_reasons.json",
        "plan_texts.json",
        "fhir_care_plan.json",
        "risk_profile.json",
        "battery_steps.json",
        "module_answer_problems.json",
        "fhir_questionnaire.json",
    ],
)
def test_every_prose_text_has_both_languages_with_the_same_placeholders(file: str) -> None:
    content_set = prose_set(file)
    loaded = content_set.load(content_set.bundled_text())
    assert list(prose_problems(loaded, file)) == []
    for key, text in loaded.texts.items():
        assert text.nl.strip() and text.en.strip(), key
