"""Loading the safety-plan content: schema check, then the checks across the file.

``build_safety_plan_content`` checks ``sections.json`` against its schema and then:
section ids are unique and the steps run 1, 2, 3 ... in order; every section, crisis line
and the limits cite a source of the file's own ``sources`` or are marked ``unverified``;
a crisis line of kind ``number`` has a number to dial and to show, one of kind
``patient_gp`` has none. All problems are reported at once as ``file: $.path: message``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from maatwerk.core.common.content_set import FileSet, provenance_problems
from maatwerk.core.instruments.errors import DefinitionProblem
from maatwerk.core.safety_plan.definitions import Provenance, SafetyPlanContentFile
from maatwerk.core.safety_plan.errors import SafetyPlanContentError

__all__ = [
    "SECTIONS_FILE",
    "build_safety_plan_content",
    "bundled_safety_plan_content",
    "safety_plan_json_schema_text",
    "write_json_schema",
]

SECTIONS = FileSet(
    folder="safety_plan",
    file="sections.json",
    model=SafetyPlanContentFile,
    error=SafetyPlanContentError,
    schema_id="https://maatwerk.example/schemas/safety-plan-sections-1.schema.json",
    title="Maatwerk safety plan sections",
)
SCHEMA_FILE = SECTIONS.schema_file
SECTIONS_FILE = SECTIONS.file


def build_safety_plan_content(
    text: str | bytes, *, origin: str = SECTIONS_FILE
) -> SafetyPlanContentFile:
    """Decode (exact, no duplicate keys), schema-check and cross-check the content."""
    return SECTIONS.load(text, origin=origin, check=_problems)


@cache
def bundled_safety_plan_content() -> SafetyPlanContentFile:
    return build_safety_plan_content(SECTIONS.bundled_text())


def safety_plan_json_schema_text() -> str:
    """The JSON Schema of ``sections.json`` (checked in as docs/safety_plan/)."""
    return SECTIONS.schema_text()


def write_json_schema(folder: str | Path) -> None:
    """Regenerate the checked-in schema: ``write_json_schema("docs/safety_plan")``."""
    SECTIONS.write_schema(folder)


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
    yield from provenance_problems(provenances, source_ids, origin=origin)
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
