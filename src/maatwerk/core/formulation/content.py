"""Loading the formulation content: schema checks per file, then checks across files.

``build_formulation_content`` reads ``factor_templates`` and ``explanation_texts``,
checks each against its schema, then: every template names a known risk factor and every
risk factor of the knowledge base has exactly one template; edges point at a factor with
a template (or at ``complaint``); every template and edge has known sources or
``unverified: true``; every sentence template uses only the placeholders it is given.
Every problem is reported at once as ``file: $.json.path: message``.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from maatwerk.core.common.content_set import (
    CollectionSet,
    json_schema_document,
    pick,
    write_schema_texts,
)
from maatwerk.core.formulation.definitions import (
    FILE_MODELS,
    Bilingual,
    EdgeTemplate,
    ExplanationTextsFile,
    FactorTemplate,
    FactorTemplatesFile,
    FormulationFile,
)
from maatwerk.core.formulation.document import document_json_schema
from maatwerk.core.formulation.errors import DefinitionProblem, FormulationContentError
from maatwerk.core.knowledge.model import KnowledgeBase, Provenance
from maatwerk.core.knowledge.registry import bundled_knowledge

__all__ = [
    "COMPLAINT",
    "FormulationContent",
    "build_formulation_content",
    "bundled_formulation_content",
    "formulation_json_schema_texts",
    "write_json_schemas",
]

FORMULATION = CollectionSet(
    folder="formulation",
    name="formulation content",
    models=FILE_MODELS,
    error=FormulationContentError,
    schema_id="https://maatwerk.example/schemas/formulation-{collection}-1.schema.json",
    title="Maatwerk formulation content",
)
CONTENT_FOLDER = FORMULATION.folder
SCHEMA_ID = FORMULATION.schema_id
COMPLAINT = "complaint"  # the edge-template target that means "the complaint node"

# The placeholders each sentence template is filled with; any other is an error.
PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "complaint_line": frozenset({"complaint"}),
    "consequence_item": frozenset({"words"}),
    "circle_heading": frozenset({"number"}),
    "circle_start": frozenset({"label"}),
    "circle_steps": frozenset({"label"}),
    "circle_end": frozenset({"complaint"}),
    "treatment_item": frozenset({"words"}),
    "describe_circle": frozenset({"number", "path"}),
    "describe_other_cycle": frozenset({"path"}),
}


@dataclass(frozen=True)
class FormulationContent:
    """The validated formulation content, with the file each collection came from."""

    templates_file: FactorTemplatesFile
    texts: ExplanationTextsFile
    origins: Mapping[str, str] = field(default_factory=dict)

    def template(self, factor_id: str) -> FactorTemplate:
        for template in self.templates_file.templates:
            if template.factor == factor_id:
                return template
        raise KeyError(factor_id)

    def edge_provenance(self, source: str, target: str) -> Provenance:
        """The provenance of the typical edge ``source -> target``, where either end is a
        factor id or ``"complaint"`` (KeyError when the content has no such edge)."""
        if source == COMPLAINT:
            for complaint_edge in self.templates_file.complaint_edges:
                if complaint_edge.to == target:
                    return complaint_edge
            raise KeyError((source, target))
        for edge in self.template(source).edges:
            if edge.to == target:
                return edge
        raise KeyError((source, target))

    @property
    def versions(self) -> dict[str, str]:
        return {
            "factor_templates": self.templates_file.version,
            "explanation_texts": self.texts.version,
        }


# ------------------------------------------------------------------ parsing


def parse_formulation_file(data: object, *, origin: str) -> FormulationFile:
    return FORMULATION.parse(data, origin=origin)


def build_formulation_content(
    texts: Mapping[str, str | bytes], *, knowledge: KnowledgeBase
) -> FormulationContent:
    """Load every file (name -> text) and check each and the whole; one error lists all
    problems. Each collection must appear exactly once."""
    loaded, origins = FORMULATION.load(texts)
    content = FormulationContent(
        pick(loaded, "factor_templates", FactorTemplatesFile),
        pick(loaded, "explanation_texts", ExplanationTextsFile),
        origins,
    )
    found = validate_formulation_content(content, knowledge)
    if found:
        raise FormulationContentError(found)
    return content


def bundled_files() -> dict[str, bytes]:
    """File name -> bytes of every bundled formulation file."""
    return FORMULATION.bundled_texts()


@cache
def bundled_formulation_content() -> FormulationContent:
    """The bundled content, validated against the bundled knowledge base."""
    return build_formulation_content(bundled_files(), knowledge=bundled_knowledge())


# ------------------------------------------------------------------ semantic checks


def _provenance_items(content: FormulationContent) -> Iterator[tuple[str, Provenance]]:
    templates = content.templates_file
    for index, template in enumerate(templates.templates):
        yield f"$.templates[{index}]", template
        for position, edge in enumerate(template.edges):
            yield f"$.templates[{index}].edges[{position}]", edge
    for index, complaint_edge in enumerate(templates.complaint_edges):
        yield f"$.complaint_edges[{index}]", complaint_edge


def validate_formulation_content(
    content: FormulationContent, knowledge: KnowledgeBase
) -> tuple[DefinitionProblem, ...]:
    """Every semantic problem of ``content``; empty when it is consistent."""
    problems: list[DefinitionProblem] = []
    templates_origin = content.origins.get("factor_templates", "factor_templates.json")
    texts_origin = content.origins.get("explanation_texts", "explanation_texts.json")

    def add(path: str, message: str, origin: str = templates_origin) -> None:
        problems.append(DefinitionProblem(origin, path, message))

    sources = {source.id for source in knowledge.sources.sources}
    for path, entry in _provenance_items(content):
        if not entry.sources and not entry.unverified:
            add(path, "no source; list source ids or mark it unverified: true")
        for position, source_id in enumerate(entry.sources):
            if source_id not in sources:
                add(f"{path}.sources[{position}]", f"unknown source {source_id!r}")

    factors = {factor.id: factor for factor in knowledge.factors.factors}
    templated: list[str] = []
    for index, template in enumerate(content.templates_file.templates):
        path = f"$.templates[{index}].factor"
        if template.factor in templated:
            add(path, f"factor {template.factor!r} has more than one template")
        templated.append(template.factor)
        known = factors.get(template.factor)
        if known is None:
            add(path, f"unknown factor {template.factor!r}")
        elif known.kind != "risk":
            add(path, f"factor {template.factor!r} is not a risk factor")
    for factor in factors.values():
        if factor.kind == "risk" and factor.id not in templated:
            add("$.templates", f"risk factor {factor.id!r} has no template")
    for index, template in enumerate(content.templates_file.templates):
        for position, edge in enumerate(template.edges):
            _check_target(edge, templated, f"$.templates[{index}].edges[{position}].to", add)
            if edge.to == template.factor:
                add(f"$.templates[{index}].edges[{position}].to", "an edge to itself")
    for index, complaint_edge in enumerate(content.templates_file.complaint_edges):
        if complaint_edge.to not in templated:
            add(f"$.complaint_edges[{index}].to", f"no template for factor {complaint_edge.to!r}")

    for path, text in _sentence_templates(content.texts):
        allowed = PLACEHOLDERS.get(path.split(".")[1].split("[")[0], frozenset())
        for language in ("nl", "en"):
            message = _placeholder_problem(getattr(text, language), allowed)
            if message:
                add(f"{path}.{language}", message, texts_origin)
    return tuple(problems)


def _check_target(
    edge: EdgeTemplate, templated: list[str], path: str, add: Callable[[str, str], None]
) -> None:
    if edge.to != COMPLAINT and edge.to not in templated:
        add(path, f"edge target {edge.to!r} is neither 'complaint' nor a templated factor")


def _sentence_templates(model: BaseModel, path: str = "$") -> Iterator[tuple[str, Bilingual]]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, Bilingual):
            yield f"{path}.{name}", value
        elif isinstance(value, BaseModel):
            yield from _sentence_templates(value, f"{path}.{name}")
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, Bilingual):
                    yield f"{path}.{name}[{index}]", item


def _placeholder_problem(text: str, allowed: frozenset[str]) -> str | None:
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:
        return f"broken braces: {error}"
    unknown = sorted(names - allowed)
    if unknown:
        given = ", ".join(sorted(allowed)) or "none"
        return f"unknown placeholder(s) {', '.join(unknown)} (allowed: {given})"
    return None


# ------------------------------------------------------------------ JSON Schemas


def formulation_json_schema_texts() -> dict[str, str]:
    """File name -> JSON Schema text for each collection and for the stored document
    (checked in under docs/formulation/)."""
    texts = FORMULATION.schema_texts()
    texts["document.schema.json"] = json_schema_document(
        document_json_schema(),
        SCHEMA_ID.format(collection="document"),
        "Maatwerk formulation document (one stored version of a formulation)",
    )
    return texts


def write_json_schemas(folder: str | Path) -> None:
    """Regenerate the checked-in schemas: ``write_json_schemas("docs/formulation")``."""
    write_schema_texts(folder, formulation_json_schema_texts())
