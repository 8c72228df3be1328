"""Semantic checks of the knowledge base, beyond what the schema can say.

``validate_knowledge`` returns every problem (empty when the knowledge base is sound):
ids are unique, every statement and every threshold has a known source or is marked
unverified, and references resolve (source ids, condition ids, discipline ids, factor
ids, intervention ids, and instrument scales against the bundled instruments, with each
threshold inside the scale's range).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from maatwerk.core.common.content_set import CollectionProblems
from maatwerk.core.instruments.errors import DefinitionProblem
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.registry import threshold_problem
from maatwerk.core.knowledge.model import (
    ClinicianJudgement,
    InstrumentThreshold,
    KnowledgeBase,
    Provenance,
)


def validate_knowledge(
    knowledge: KnowledgeBase, instruments: Iterable[Instrument]
) -> tuple[DefinitionProblem, ...]:
    """Every semantic problem of ``knowledge``; an empty tuple means it is consistent."""
    problems = CollectionProblems(knowledge.origins)
    _check_unique_ids(knowledge, problems)
    _check_provenance(knowledge, problems)
    _check_references(knowledge, problems)
    _check_measures(knowledge, tuple(instruments), problems)
    return tuple(problems.found)


def _duplicates(
    collection: str, path: str, ids: Iterable[str], what: str, problems: CollectionProblems
) -> None:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            problems.add(collection, f"{path}[{index}].id", f"duplicate {what} id {value!r}")
        seen.add(value)


def _check_unique_ids(kb: KnowledgeBase, problems: CollectionProblems) -> None:
    _duplicates("sources", "$.sources", (s.id for s in kb.sources.sources), "source", problems)
    _duplicates(
        "conditions",
        "$.conditions",
        (c.id for c in kb.conditions.conditions),
        "condition",
        problems,
    )
    _duplicates("factors", "$.factors", (f.id for f in kb.factors.factors), "factor", problems)
    _duplicates(
        "medication", "$.medication", (m.id for m in kb.medication.medication), "flag", problems
    )
    _duplicates(
        "care_levels",
        "$.care_levels",
        (c.id for c in kb.care_levels.care_levels),
        "level",
        problems,
    )
    _duplicates(
        "disciplines",
        "$.disciplines",
        (d.id for d in kb.disciplines.disciplines),
        "discipline",
        problems,
    )
    _duplicates(
        "interventions",
        "$.interventions",
        (i.id for i in kb.interventions.interventions),
        "intervention",
        problems,
    )
    _duplicates(
        "interventions", "$.links", (x.id for x in kb.interventions.links), "link", problems
    )


def provenance_items(kb: KnowledgeBase) -> Iterator[tuple[str, str, Provenance]]:
    """``(collection, json path, entry)`` for every entry that needs provenance."""
    for index, condition in enumerate(kb.conditions.conditions):
        yield "conditions", f"$.conditions[{index}]", condition
    for index, factor in enumerate(kb.factors.factors):
        yield "factors", f"$.factors[{index}]", factor
    for index, flag in enumerate(kb.medication.medication):
        yield "medication", f"$.medication[{index}]", flag
    for index, level in enumerate(kb.care_levels.care_levels):
        yield "care_levels", f"$.care_levels[{index}]", level
    for index, discipline in enumerate(kb.disciplines.disciplines):
        yield "disciplines", f"$.disciplines[{index}]", discipline
    for index, intervention in enumerate(kb.interventions.interventions):
        yield "interventions", f"$.interventions[{index}]", intervention
    for index, link in enumerate(kb.interventions.links):
        yield "interventions", f"$.links[{index}]", link


def measure_items(
    kb: KnowledgeBase,
) -> Iterator[tuple[str, InstrumentThreshold | ClinicianJudgement]]:
    """``(json path, measure)`` for every measure of every factor."""
    for index, factor in enumerate(kb.factors.factors):
        for position, measure in enumerate(factor.measures):
            yield f"$.factors[{index}].measures[{position}]", measure


def _check_provenance(kb: KnowledgeBase, problems: CollectionProblems) -> None:
    known = {source.id for source in kb.sources.sources}
    problems.provenance(provenance_items(kb), known)
    for path, measure in measure_items(kb):
        problems.single_source("factors", path, measure.source, measure.unverified, known)


def _check_references(kb: KnowledgeBase, problems: CollectionProblems) -> None:
    conditions = {condition.id for condition in kb.conditions.conditions}
    for index, factor in enumerate(kb.factors.factors):
        path = f"$.factors[{index}]"
        if factor.scope == "condition_specific" and not factor.conditions:
            problems.add(
                "factors", f"{path}.conditions", "a condition-specific factor needs conditions"
            )
        if factor.scope == "generic" and factor.conditions:
            problems.add("factors", f"{path}.conditions", "a generic factor lists no conditions")
        problems.unknown_ids(
            "factors", f"{path}.conditions", factor.conditions, conditions, "condition"
        )
    disciplines = {discipline.id for discipline in kb.disciplines.disciplines}
    for index, level in enumerate(kb.care_levels.care_levels):
        path = f"$.care_levels[{index}].disciplines"
        problems.unknown_ids("care_levels", path, level.disciplines, disciplines, "discipline")
    factors = {factor.id for factor in kb.factors.factors}
    interventions = {intervention.id for intervention in kb.interventions.interventions}
    for index, link in enumerate(kb.interventions.links):
        path = f"$.links[{index}]"
        problems.unknown_ids("interventions", f"{path}.factors", link.factors, factors, "factor")
        problems.unknown_ids(
            "interventions",
            f"{path}.interventions",
            link.interventions,
            interventions,
            "intervention",
        )


def _check_measures(
    kb: KnowledgeBase, instruments: tuple[Instrument, ...], problems: CollectionProblems
) -> None:
    for path, measure in measure_items(kb):
        if not isinstance(measure, InstrumentThreshold):
            continue
        found = threshold_problem(instruments, measure)
        if found is not None:
            problems.add("factors", f"{path}.{found[0]}", found[1])
