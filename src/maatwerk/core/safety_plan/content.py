"""Loading the safety-plan content: schema check, then the checks across the file.

``build_safety_plan_content`` checks ``sections.json`` against its schema and then:
section ids are unique and the steps run 1, 2, 3 ... in order; every section, crisis line
and the limits cite a source of the file's own ``sources`` or are marked ``unverified``;
a crisis line of kind ``number`` has a number to dial and to show, one of kind
``patient_gp`` has none. All problems are reported at once as ``file: $.path: message``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from importlib.resources import files
from pathlib import Path

from pydantic import ValidationError

from maatwerk.core.instruments.errors import DefinitionProblem, InstrumentDefinitionError
from maatwerk.core.instruments.loading import decode_json, schema_problems
from maatwerk.core.instruments.registry import CONTENT_PACKAGE
from maatwerk.core.safety_plan.definitions import Provenance, SafetyPlanContentFile
from maatwerk.core.safety_plan.errors import SafetyPlanContentError

__all__ = [
    "SECTIONS_FILE",
    "build_safety_plan_content",
    "bundled_safety_plan_content",
    "safety_plan_json_schema_text",
    "write_json_schema",
]

CONTENT_FOLDER = "safety_plan"
SECTIONS_FILE = "sections.json"
SCHEMA_FILE = "sections.schema.json"
SCHEMA_ID = "https://maatwerk.example/schemas/safety-plan-sections-1.schema.json"


def build_safety_plan_content(
    text: str | bytes, *, origin: str = SECTIONS_FILE
) -> SafetyPlanContentFile:
    """Decode (exact, no duplicate keys), schema-check and cross-check the content."""
    try:
        data = decode_json(text, origin=origin)
    except InstrumentDefinitionError as error:
        raise SafetyPlanContentError(error.problems) from None
    try:
        content = SafetyPlanContentFile.model_validate(data)
    except ValidationError as error:
        raise SafetyPlanContentError(schema_problems(error, origin)) from None
    problems = tuple(_problems(content, origin))
    if problems:
        raise SafetyPlanContentError(problems)
    return content


@cache
def bundled_safety_plan_content() -> SafetyPlanContentFile:
    text = files(CONTENT_PACKAGE).joinpath(CONTENT_FOLDER).joinpath(SECTIONS_FILE).read_bytes()
    return build_safety_plan_content(text)


def safety_plan_json_schema_text() -> str:
    """The JSON Schema of ``sections.json`` (checked in as docs/safety_plan/)."""
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **SafetyPlanContentFile.model_json_schema(mode="validation"),
        "title": "Maatwerk safety plan sections",
    }
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_json_schema(folder: str | Path) -> None:
    """Regenerate the checked-in schema: ``write_json_schema("docs/safety_plan")``."""
    Path(folder, SCHEMA_FILE).write_text(safety_plan_json_schema_text(), encoding="utf-8")


def _problems(content: SafetyPlanContentFile, origin: str) -> Iterable[DefinitionProblem]:
    def problem(path: str, message: str) -> DefinitionProblem:
        return DefinitionProblem(origin, path, message)

    source_ids = [source.id for source in content.sources]
    for index, source_id in enumerate(source_ids):
        if source_ids.index(source_id) != index:
            yield problem(f"$.sources[{index}].id", f"duplicate source id {source_id!r}")
    provenances: list[tuple[str, Provenance]] = [("$.limits", content.limits)]
    provenances += [(f"$.sections[{i}]", section) for i, section in enumerate(content.sections)]
    provenances += [(f"$.crisis_lines[{i}]", line) for i, line in enumerate(content.crisis_lines)]
    for path, item in provenances:
        if not item.sources and not item.unverified:
            yield problem(path, "no source; list source ids or mark it unverified: true")
        for position, source_id in enumerate(item.sources):
            if source_id not in source_ids:
                yield problem(f"{path}.sources[{position}]", f"unknown source {source_id!r}")
    seen: set[str] = set()
    for index, section in enumerate(content.sections):
        if section.id in seen:
            yield problem(f"$.sections[{index}].id", f"duplicate section id {section.id!r}")
        seen.add(section.id)
        if section.step != index + 1:
            yield problem(
                f"$.sections[{index}].step",
                f"steps must run 1, 2, 3 ... in order; expected {index + 1}",
            )
    line_ids: set[str] = set()
    for index, line in enumerate(content.crisis_lines):
        path = f"$.crisis_lines[{index}]"
        if line.id in line_ids:
            yield problem(f"{path}.id", f"duplicate crisis line id {line.id!r}")
        line_ids.add(line.id)
        if line.kind == "number" and (not line.tel or not line.written):
            yield problem(path, "a crisis line of kind 'number' needs 'tel' and 'written'")
        if line.kind == "patient_gp" and (line.tel or line.written):
            yield problem(path, "the GP's number comes from the patient record: no 'tel' here")
