"""Loading the planning rules: schema check, then every reference.

``build_planning_rules`` checks ``rules.json`` against its schema and then against the
knowledge base (source, factor, intervention, discipline and care-level ids) and, when
given, the module catalogue's ids; every rule must have a source or be marked
unverified. All problems are reported at once as ``file: $.json.path: message``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import cache
from pathlib import Path

from maatwerk.core.common.content_set import (
    FileSet,
    duplicate_id_problems,
    provenance_problems,
)
from maatwerk.core.instruments.errors import DefinitionProblem
from maatwerk.core.knowledge.model import KnowledgeBase, Provenance
from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.modules.registry import bundled_catalogue
from maatwerk.core.planning.definitions import PlanningRulesFile
from maatwerk.core.planning.errors import PlanningDefinitionError

__all__ = [
    "RULES_FILE",
    "build_planning_rules",
    "bundled_planning_rules",
    "planning_json_schema_text",
    "write_json_schema",
]

RULES = FileSet(
    folder="planning",
    file="rules.json",
    model=PlanningRulesFile,
    error=PlanningDefinitionError,
    schema_id="https://maatwerk.example/schemas/planning-rules-1.schema.json",
    title="Maatwerk planning rules",
)
SCHEMA_FILE = RULES.schema_file
RULES_FILE = RULES.file


def build_planning_rules(
    text: str | bytes,
    *,
    knowledge: KnowledgeBase,
    module_ids: Collection[str] | None = None,
    origin: str = RULES_FILE,
) -> PlanningRulesFile:
    """Decode, schema-check and cross-check the rules; ``module_ids`` (the catalogue's)
    is checked when given."""
    return RULES.load(
        text,
        origin=origin,
        check=lambda rules, where: _problems(rules, knowledge, module_ids, where),
    )


@cache
def bundled_planning_rules() -> PlanningRulesFile:
    """The bundled rules, checked against the bundled knowledge base and modules."""
    return build_planning_rules(
        RULES.bundled_text(), knowledge=bundled_knowledge(), module_ids=bundled_catalogue().ids
    )


def planning_json_schema_text() -> str:
    """The JSON Schema of ``rules.json`` (checked in as docs/planning/rules.schema.json)."""
    return RULES.schema_text()


def write_json_schema(folder: str | Path) -> None:
    """Regenerate the checked-in schema: ``write_json_schema("docs/planning")``."""
    RULES.write_schema(folder)


def _problems(
    rules: PlanningRulesFile,
    knowledge: KnowledgeBase,
    module_ids: Collection[str] | None,
    origin: str,
) -> Iterable[DefinitionProblem]:
    def problem(path: str, message: str) -> DefinitionProblem:
        return DefinitionProblem(origin, path, message)

    source_ids = {source.id for source in knowledge.sources.sources}
    factor_ids = {factor.id for factor in knowledge.factors.factors}
    intervention_ids = {item.id for item in knowledge.interventions.interventions}
    discipline_ids = {item.id for item in knowledge.disciplines.disciplines}
    level_ids = {level.id for level in knowledge.care_levels.care_levels}
    flag_ids = {flag.id for flag in rules.clinician_flags}

    provenances: list[tuple[str, Provenance]] = [
        ("$.max_modules_at_once", rules.max_modules_at_once),
        ("$.duration", rules.duration),
        ("$.graded_activity", rules.graded_activity),
    ]
    provenances += [(f"$.basics[{i}]", rule) for i, rule in enumerate(rules.basics)]
    provenances += [(f"$.module_links[{i}]", link) for i, link in enumerate(rules.module_links)]
    provenances += [
        (f"$.multidisciplinary[{i}]", rule) for i, rule in enumerate(rules.multidisciplinary)
    ]
    provenances += [
        (f"$.duration.ceilings[{i}]", ceiling) for i, ceiling in enumerate(rules.duration.ceilings)
    ]
    yield from provenance_problems(
        provenances,
        source_ids,
        origin=origin,
        no_source="needs sources or unverified: true",
        unknown_source="unknown source id {source!r}",
        unverified_without_note="an unverified rule needs a note saying why",
    )

    yield from duplicate_id_problems(
        (
            ("basics", [rule.id for rule in rules.basics]),
            ("module_links", [link.id for link in rules.module_links]),
            ("multidisciplinary", [rule.id for rule in rules.multidisciplinary]),
            ("clinician_flags", [flag.id for flag in rules.clinician_flags]),
        ),
        origin=origin,
    )

    if module_ids is not None:
        for index, rule in enumerate(rules.basics):
            if rule.module not in module_ids:
                yield problem(f"$.basics[{index}].module", f"unknown module {rule.module!r}")
        for index, link in enumerate(rules.module_links):
            for i, module_id in enumerate(link.modules):
                if module_id not in module_ids:
                    yield problem(
                        f"$.module_links[{index}].modules[{i}]", f"unknown module {module_id!r}"
                    )
    for index, link in enumerate(rules.module_links):
        for i, factor_id in enumerate(link.factors):
            if factor_id not in factor_ids:
                yield problem(
                    f"$.module_links[{index}].factors[{i}]", f"unknown factor {factor_id!r}"
                )

    for index, md in enumerate(rules.multidisciplinary):
        path = f"$.multidisciplinary[{index}]"
        if md.intervention not in intervention_ids:
            yield problem(f"{path}.intervention", f"unknown intervention {md.intervention!r}")
        if md.discipline is not None and md.discipline not in discipline_ids:
            yield problem(f"{path}.discipline", f"unknown discipline {md.discipline!r}")
        for i, factor_id in enumerate(md.when.factors_any):
            if factor_id not in factor_ids:
                yield problem(f"{path}.when.factors_any[{i}]", f"unknown factor {factor_id!r}")
        for i, flag_id in enumerate(md.when.flags_all):
            if flag_id not in flag_ids:
                yield problem(
                    f"{path}.when.flags_all[{i}]",
                    f"unknown clinician flag {flag_id!r} (declare it in clinician_flags)",
                )

    for index, ceiling in enumerate(rules.duration.ceilings):
        for i, level_id in enumerate(ceiling.care_levels):
            if level_id not in level_ids:
                yield problem(
                    f"$.duration.ceilings[{index}].care_levels[{i}]",
                    f"unknown care level {level_id!r}",
                )
