"""Semantic checks of a module, beyond what the schema can say.

``validate_module`` returns every problem (empty when the module is sound): ids are
unique where answers and links depend on them, ranges are well formed, every text is in
Dutch and English, provenance is given, and factor, intervention and source ids exist in
the knowledge base.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from pydantic import BaseModel

from maatwerk.core.instruments.errors import DefinitionProblem
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.modules.model import (
    ChoiceField,
    FormField,
    GroupField,
    Module,
    MultiChoiceField,
    NumberField,
    ScaleField,
    TimeField,
)

_Add = Callable[[str, str], None]


def validate_module(
    module: Module, knowledge: KnowledgeBase, *, origin: str
) -> tuple[DefinitionProblem, ...]:
    """Every semantic problem of ``module``; an empty tuple means it is consistent."""
    found: list[DefinitionProblem] = []

    def add(path: str, message: str) -> None:
        found.append(DefinitionProblem(origin, path, message))

    _check_provenance(module, knowledge, add)
    _check_references(module, knowledge, add)
    _check_ids_and_forms(module, add)
    for path, text in localized_texts(module, "$"):
        for language in ("nl", "en"):
            if getattr(text, language) is None:
                add(path, f"text has no {'Dutch' if language == 'nl' else 'English'} ({language})")
    return tuple(found)


def localized_texts(value: object, path: str) -> Iterator[tuple[str, LocalizedText]]:
    """``(json path, text)`` for every localized text inside ``value``."""
    if isinstance(value, LocalizedText):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from localized_texts(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from localized_texts(item, f"{path}[{index}]")


def _check_provenance(module: Module, knowledge: KnowledgeBase, add: _Add) -> None:
    if not module.sources and not module.unverified:
        add("$", "no source; list source ids or mark it unverified: true")
    if module.unverified and not module.note:
        add("$.note", "an unverified module needs a note that says what is not verified")
    known = {source.id for source in knowledge.sources.sources}
    for position, source_id in enumerate(module.sources):
        if source_id not in known:
            add(f"$.sources[{position}]", f"unknown source {source_id!r}")


def _check_references(module: Module, knowledge: KnowledgeBase, add: _Add) -> None:
    factors = {factor.id for factor in knowledge.factors.factors}
    interventions = {item.id for item in knowledge.interventions.interventions}
    for position, factor_id in enumerate(module.targets):
        if factor_id not in factors:
            add(f"$.targets[{position}]", f"unknown factor {factor_id!r}")
    for position, intervention_id in enumerate(module.interventions):
        if intervention_id not in interventions:
            add(f"$.interventions[{position}]", f"unknown intervention {intervention_id!r}")
    _duplicates("$.targets", module.targets, "factor", add, suffix="")
    _duplicates("$.interventions", module.interventions, "intervention", add, suffix="")


def _duplicates(path: str, ids: Iterable[str], what: str, add: _Add, suffix: str = ".id") -> None:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            add(f"{path}[{index}]{suffix}", f"duplicate {what} id {value!r}")
        seen.add(value)


def _check_ids_and_forms(module: Module, add: _Add) -> None:
    _duplicates("$.steps", (step.id for step in module.steps), "step", add)
    seen_exercises: set[str] = set()
    for step_index, step in enumerate(module.steps):
        for index, exercise in enumerate(step.exercises):
            path = f"$.steps[{step_index}].exercises[{index}]"
            if exercise.id in seen_exercises:
                add(f"{path}.id", f"duplicate exercise id {exercise.id!r} in this module")
            seen_exercises.add(exercise.id)
            _check_fields(exercise.form, f"{path}.form", add)


def _check_fields(fields: tuple[FormField, ...], path: str, add: _Add) -> None:
    _duplicates(path, (field.id for field in fields), "field", add)
    for index, field in enumerate(fields):
        here = f"{path}[{index}]"
        if isinstance(field, ScaleField) and field.min >= field.max:
            add(f"{here}.max", f"a scale needs min < max (got {field.min}-{field.max})")
        elif isinstance(field, NumberField):
            if field.min is not None and field.max is not None and field.min >= field.max:
                add(f"{here}.max", f"a number needs min < max (got {field.min}-{field.max})")
        elif isinstance(field, TimeField):
            if field.max is not None and field.max <= field.min:
                add(f"{here}.max", f"minutes need min < max (got {field.min}-{field.max})")
        elif isinstance(field, ChoiceField | MultiChoiceField):
            _duplicates(f"{here}.options", (o.id for o in field.options), "option", add)
        elif isinstance(field, GroupField):
            _check_fields(field.fields, f"{here}.fields", add)
            if field.max_rows is not None and field.max_rows < field.min_rows:
                add(f"{here}.max_rows", "max_rows is below min_rows")
            if not field.repeat and (field.min_rows or field.max_rows is not None):
                add(f"{here}.repeat", "min_rows and max_rows need repeat: true")
            if field.sort_by is not None and field.sort_by not in {f.id for f in field.fields}:
                add(f"{here}.sort_by", f"sort_by names no field of this group ({field.sort_by!r})")
