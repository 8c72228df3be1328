"""Treatment modules as frozen, typed values (the schema of ``content/modules/*.json``).

One JSON file holds one module. A module has steps; a step has psycho-education text
(paragraphs), exercises and homework. An exercise has a form: a list of typed fields,
among them repeating groups of rows (diary entries, activity-log lines, practice-log
lines). Answers to a form are checked by ``maatwerk.core.modules.answers``.

Every module carries provenance: knowledge-base ``sources`` or ``unverified: true`` with
a ``note``. ``expected_weeks`` is an editorial planning estimate, never a clinical fact.
The JSON Schema in ``docs/modules/`` is generated from these classes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, StrictBool, StrictInt, StrictStr, Tag

from maatwerk.core.instruments.base import Frozen, Identifier, Number, Version
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.model import Provenance

__all__ = [
    "ChoiceField",
    "ChoiceOption",
    "ClockField",
    "DateField",
    "Exercise",
    "ExerciseKind",
    "FormField",
    "GroupField",
    "Guidance",
    "Module",
    "ModuleCatalogue",
    "ModuleKind",
    "MultiChoiceField",
    "NumberField",
    "ScaleField",
    "SimpleField",
    "Step",
    "TextField",
    "TimeField",
]

ModuleKind = Literal[
    "psychoeducation",
    "self_monitoring",
    "behavioural",
    "cognitive",
    "acceptance",
    "skills",
    "relapse_prevention",
]
Guidance = Literal["self_help", "guided"]
"""``guided``: the therapist reads the homework and gives written feedback."""
ExerciseKind = Literal[
    "diary",
    "activity_log",
    "g_schema",
    "exposure_hierarchy",
    "practice_log",
    "graded_activity_baseline",
    "relapse_plan",
]
"""Hints for the web layer where an exercise needs special behaviour."""


class _Field(Frozen):
    id: Identifier
    label: LocalizedText
    required: StrictBool = False
    help: LocalizedText | None = None


class TextField(_Field):
    type: Literal["text"]
    multiline: StrictBool = False
    max_length: StrictInt = Field(default=2000, ge=1)


class NumberField(_Field):
    type: Literal["number"]
    min: Number | None = None
    max: Number | None = None
    integer: StrictBool = False
    unit: LocalizedText | None = None


class ScaleField(_Field):
    """A whole-number rating such as 0-10, with words for both ends."""

    type: Literal["scale"]
    min: StrictInt = 0
    max: StrictInt = 10
    min_label: LocalizedText
    max_label: LocalizedText


class ChoiceOption(Frozen):
    id: Identifier
    label: LocalizedText


class ChoiceField(_Field):
    type: Literal["choice"]
    options: tuple[ChoiceOption, ...] = Field(min_length=2)


class MultiChoiceField(_Field):
    type: Literal["multi_choice"]
    options: tuple[ChoiceOption, ...] = Field(min_length=2)


class TimeField(_Field):
    """A duration in whole minutes."""

    type: Literal["time"]
    min: StrictInt = Field(default=0, ge=0)
    max: StrictInt | None = None


class DateField(_Field):
    """A calendar date, answered as ``YYYY-MM-DD``."""

    type: Literal["date"]


class ClockField(_Field):
    """A time of day, answered as ``HH:MM`` (24 hours)."""

    type: Literal["clock"]


def _field_type(value: object) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return f"~{kind}" if isinstance(kind, str) and kind in _SIMPLE_TYPES | {"group"} else None


def _simple_field_type(value: object) -> str | None:
    tag = _field_type(value)
    return None if tag == "~group" else tag


_SIMPLE_TYPES = {"text", "number", "scale", "choice", "multi_choice", "time", "date", "clock"}

SimpleField = Annotated[
    Annotated[TextField, Tag("~text")]
    | Annotated[NumberField, Tag("~number")]
    | Annotated[ScaleField, Tag("~scale")]
    | Annotated[ChoiceField, Tag("~choice")]
    | Annotated[MultiChoiceField, Tag("~multi_choice")]
    | Annotated[TimeField, Tag("~time")]
    | Annotated[DateField, Tag("~date")]
    | Annotated[ClockField, Tag("~clock")],
    Discriminator(
        _simple_field_type,
        custom_error_type="field_type",
        custom_error_message=(
            "type must be one of 'text', 'number', 'scale', 'choice', 'multi_choice', "
            "'time', 'date' or 'clock' (a group cannot hold another group)"
        ),
    ),
]


class GroupField(_Field):
    """Fields answered together; with ``repeat: true`` as rows (diary entries, log lines)."""

    type: Literal["group"]
    repeat: StrictBool = False
    fields: tuple[SimpleField, ...] = Field(min_length=1)
    min_rows: StrictInt = Field(default=0, ge=0)
    max_rows: StrictInt | None = Field(default=None, ge=1)
    sort_by: Identifier | None = Field(
        default=None, description="Show rows sorted on this field, highest first."
    )


FormField = Annotated[
    Annotated[TextField, Tag("~text")]
    | Annotated[NumberField, Tag("~number")]
    | Annotated[ScaleField, Tag("~scale")]
    | Annotated[ChoiceField, Tag("~choice")]
    | Annotated[MultiChoiceField, Tag("~multi_choice")]
    | Annotated[TimeField, Tag("~time")]
    | Annotated[DateField, Tag("~date")]
    | Annotated[ClockField, Tag("~clock")]
    | Annotated[GroupField, Tag("~group")],
    Discriminator(
        _field_type,
        custom_error_type="field_type",
        custom_error_message=(
            "type must be one of 'text', 'number', 'scale', 'choice', 'multi_choice', "
            "'time', 'date', 'clock' or 'group'"
        ),
    ),
]


class Exercise(Frozen):
    id: Identifier
    title: LocalizedText
    instructions: LocalizedText
    kind: ExerciseKind | None = None
    form: tuple[FormField, ...] = Field(min_length=1)
    entries: StrictInt = Field(
        default=1,
        ge=1,
        le=14,
        description=(
            "How many separate entries the exercise asks for (the step's homework says "
            "so, e.g. three G-schemas a week); each entry is handed in on its own."
        ),
    )

    def field(self, field_id: str) -> FormField:
        for field in self.form:
            if field.id == field_id:
                return field
        raise KeyError(field_id)


class Step(Frozen):
    id: Identifier
    title: LocalizedText
    text: tuple[LocalizedText, ...] = Field(
        min_length=1, description="Psycho-education for the patient, one paragraph each (B1)."
    )
    exercises: tuple[Exercise, ...] = ()
    homework: LocalizedText | None = Field(
        default=None, description="What the patient does before the next contact."
    )


class Module(Provenance):
    id: Identifier
    version: Version
    name: LocalizedText
    summary: LocalizedText = Field(description="For the patient, plain language at B1 level.")
    summary_short: LocalizedText | None = Field(
        default=None,
        description="A shorter version of ``summary`` (A2/B1, one or two very short "
        "sentences) shown instead of it to patients with low literacy (the screening flag "
        "``low_literacy``). Our own wording: editorial, never a clinical claim "
        "(``summary_short_unverified``).",
    )
    clinician_summary: LocalizedText
    targets: tuple[Identifier, ...] = Field(
        default=(), description="Knowledge-base factor ids this module addresses."
    )
    interventions: tuple[Identifier, ...] = Field(
        default=(), description="Knowledge-base intervention ids this module delivers."
    )
    kind: ModuleKind
    guidance: Guidance
    expected_weeks: StrictInt = Field(
        ge=1,
        description="Editorial planning estimate, always unverified; never a clinical fact.",
    )
    steps: tuple[Step, ...] = Field(min_length=1)

    @property
    def expected_weeks_unverified(self) -> bool:
        return True

    @property
    def summary_short_unverified(self) -> bool:
        """The short summary is our own plain-language wording, not checked with a
        source or with patients."""
        return True

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def exercise(self, exercise_id: str) -> Exercise:
        for step in self.steps:
            for exercise in step.exercises:
                if exercise.id == exercise_id:
                    return exercise
        raise KeyError(exercise_id)

    @property
    def exercises(self) -> tuple[Exercise, ...]:
        return tuple(exercise for step in self.steps for exercise in step.exercises)


class ModuleCatalogue(Frozen):
    """Every module, each with the file it came from; ``version`` changes with any module."""

    modules: tuple[Module, ...]
    version: StrictStr
    origins: dict[str, str]

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(module_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(module.id for module in self.modules)
