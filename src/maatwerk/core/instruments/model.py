"""Instrument definitions as frozen, typed values (the schema of the JSON data files).

Every clinical number lives in an object derived from ``Sourced``: it names a source id
from ``Instrument.sources`` or says ``unverified: true``. Numbers are ``Decimal`` so that
values from the data files (``0.1``) stay exact; the loader never goes through floats.
The JSON Schema in ``docs/instruments/instrument.schema.json`` is generated from these
classes (see ``maatwerk.core.instruments.loading.instrument_json_schema``).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Literal

from pydantic import Discriminator, Field, StrictBool, StrictInt, StrictStr, Tag

from maatwerk.core.instruments.base import (
    Frozen,
    Identifier,
    Language,
    NonEmptyText,
    Number,
    Operator,
    Sex,
    SourceId,
    Version,
)
from maatwerk.core.instruments.text import (
    LocalizedText,
    ResolvedText,
    TextVariant,
    base_language,
)

__all__ = [
    "Applicability",
    "Band",
    "CutOff",
    "Domain",
    "Frozen",
    "Identifier",
    "Instrument",
    "Item",
    "ItemRecode",
    "Language",
    "Licence",
    "LicensedTextsInfo",
    "LocalizedText",
    "Method",
    "MissingRule",
    "MissingRuleKind",
    "NonEmptyText",
    "Norm",
    "Number",
    "NumericResponseSet",
    "Operator",
    "OptionsResponseSet",
    "Reliability",
    "ResolvedText",
    "ResponseOption",
    "ResponseSet",
    "Reverse",
    "SafetyRule",
    "Scale",
    "ScoreRange",
    "Sex",
    "Source",
    "SourceId",
    "Sourced",
    "TextVariant",
    "UtilityDecrement",
    "UtilityTariff",
    "ValueMap",
    "Version",
    "base_language",
]


class Sourced(Frozen):
    """Values that need provenance: a source id, or ``unverified: true`` (or both)."""

    source: SourceId | None = None
    unverified: StrictBool = False
    note: StrictStr | None = None


class Source(Frozen):
    id: SourceId
    citation: NonEmptyText
    url: StrictStr | None = None


LicenceKind = Literal["public_domain", "free_with_credit", "free_for_professionals", "licensed"]


class Licence(Sourced):
    kind: LicenceKind
    statement: NonEmptyText
    credit_line: StrictStr | None = None
    item_texts_shipped: StrictBool


class ResponseOption(Frozen):
    value: Number
    label: LocalizedText | None = None


class OptionsResponseSet(Sourced):
    id: Identifier
    kind: Literal["options"]
    options: tuple[ResponseOption, ...] = Field(min_length=2)

    def values(self) -> tuple[Decimal, ...]:
        return tuple(option.value for option in self.options)

    @cached_property
    def exact_values(self) -> frozenset[Fraction]:
        return frozenset(Fraction(option.value) for option in self.options)


class NumericResponseSet(Sourced):
    """A numeric rating: ``min`` to ``max`` in steps of ``step`` (e.g. 0-10 by 1)."""

    id: Identifier
    kind: Literal["numeric"]
    min: Number
    max: Number
    step: Number
    min_label: LocalizedText | None = None
    max_label: LocalizedText | None = None

    def values(self) -> tuple[Decimal, ...]:
        count = int((self.max - self.min) / self.step)
        return tuple(self.min + self.step * index for index in range(count + 1))


def _response_set_kind(value: object) -> str | None:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return f"~{kind}" if kind in ("options", "numeric") else None


ResponseSet = Annotated[
    Annotated[OptionsResponseSet, Tag("~options")] | Annotated[NumericResponseSet, Tag("~numeric")],
    Discriminator(
        _response_set_kind,
        custom_error_type="response_set_kind",
        custom_error_message="kind must be 'options' or 'numeric'",
    ),
]


class Applicability(Frozen):
    """Who an item applies to, e.g. ``{"sex": ["female"]}``; absent keys do not restrict."""

    sex: tuple[Sex, ...] | None = None


class Item(Frozen):
    id: Identifier
    text: LocalizedText | None = None
    response_set: Identifier
    required: StrictBool = False
    applies_to: Applicability | None = None
    scored: StrictBool = True


class ValueMap(Frozen):
    """One recode step: this answer value counts as this score."""

    answer: Number
    score: Number


class ItemRecode(Frozen):
    item: Identifier
    map: tuple[ValueMap, ...] = Field(min_length=1)


class Reverse(Frozen):
    """Reverse-keyed items, scored as ``constant - value`` (TSK: 5 - x)."""

    items: tuple[Identifier, ...] = Field(min_length=1)
    constant: Number


MissingRuleKind = Literal["complete_only", "prorate_min_k", "mean_of_answered"]


class MissingRule(Sourced):
    rule: MissingRuleKind
    min_answered: StrictInt | None = None


class ScoreRange(Frozen):
    min: Number
    max: Number


class Band(Sourced):
    """An interpretation band as printed in its source, e.g. 5-9 "mild"."""

    min: Number
    max: Number
    label: LocalizedText


class CutOff(Sourced):
    id: Identifier
    operator: Operator
    value: Number
    label: LocalizedText
    sensitivity_percent: Number | None = None
    specificity_percent: Number | None = None


class Reliability(Sourced):
    kind: Literal["cronbach_alpha", "test_retest", "icc"]
    value: Number
    population: StrictStr | None = None


PopulationGroup = Literal["functional", "clinical"]


class Norm(Sourced):
    """Reference-group mean and SD, for reliable change and clinical significance.

    ``group`` says which side of Jacobson & Truax's cut-off the population is on: a
    ``functional`` (general or healthy) population or a ``clinical`` (patient) one. A norm
    without a group counts as functional for reliable change and is not used for clinical
    significance."""

    population: NonEmptyText
    group: PopulationGroup | None = None
    sex: Sex | None = None
    n: StrictInt | None = None
    mean: Number
    sd: Number


class UtilityDecrement(Frozen):
    """What one answer takes off a utility, e.g. EQ-5D-5L mobility level 2: 0.035."""

    item: Identifier
    answer: Number
    decrement: Number


class UtilityTariff(Sourced):
    """A utility value set (tariff) of the kind ``1 - constant - sum of decrements``.

    Full health (every item at its lowest answer, EQ-5D-5L 11111) is 1. As soon as any item
    is above its lowest answer, ``constant`` is taken off once, and each item's decrement
    for its answer. Every answer above an item's lowest has exactly one decrement; the
    lowest has none (Versteegh et al. 2016, the Dutch EQ-5D-5L value set)."""

    constant: Number
    decrements: tuple[UtilityDecrement, ...] = Field(min_length=1)

    @cached_property
    def decrement_table(self) -> dict[tuple[str, Fraction], Fraction]:
        """(item, answer) -> decrement, exactly."""
        return {
            (step.item, Fraction(step.answer)): Fraction(step.decrement) for step in self.decrements
        }


Domain = Literal["physical", "psychological", "social"]
Method = Literal["sum", "mean", "linear_0_100", "utility"]
Direction = Literal["higher_is_worse", "higher_is_better"]


class Scale(Sourced):
    """A score computed from items; ``source``/``unverified`` cover the scoring rule."""

    id: Identifier
    name: LocalizedText
    items: tuple[Identifier, ...] = Field(min_length=1)
    method: Method
    item_recodes: tuple[ItemRecode, ...] = ()
    value_recode: tuple[ValueMap, ...] = ()
    reverse: Reverse | None = None
    utility: UtilityTariff | None = Field(
        default=None, description="The value set of a method 'utility' scale; only there."
    )
    missing: MissingRule
    range: ScoreRange
    direction: Direction
    display_decimals: StrictInt = Field(default=0, ge=0, le=6)
    bands: tuple[Band, ...] = ()
    cutoffs: tuple[CutOff, ...] = ()
    reliability: tuple[Reliability, ...] = ()
    norms: tuple[Norm, ...] = ()
    factors: tuple[Identifier, ...] = ()
    domains: tuple[Domain, ...] = ()

    @cached_property
    def item_recode_tables(self) -> dict[str, dict[Fraction, Fraction]]:
        """Per item: answer -> score (exact)."""
        return {
            recode.item: {Fraction(step.answer): Fraction(step.score) for step in recode.map}
            for recode in self.item_recodes
        }

    @cached_property
    def value_recode_table(self) -> dict[Fraction, Fraction]:
        return {Fraction(step.answer): Fraction(step.score) for step in self.value_recode}

    @cached_property
    def reversed_items(self) -> frozenset[str]:
        return frozenset(self.reverse.items) if self.reverse is not None else frozenset()


class SafetyRule(Sourced):
    """An answer that signals risk: alert the clinician, show the patient where to get help."""

    id: Identifier
    item: Identifier
    operator: Operator
    value: Number
    severity: Literal["urgent", "warning"]
    patient_message: LocalizedText
    clinician_message: LocalizedText


class LicensedTextsInfo(Frozen):
    """Who imported licensed item texts into this copy of an instrument, and on what terms."""

    licence_holder: NonEmptyText
    statement: NonEmptyText


class Instrument(Frozen):
    """One version of one questionnaire: structure, scoring, interpretation and provenance."""

    format: Literal[1] = Field(description="Version of this file format.")
    code: Identifier
    version: Version
    name: LocalizedText
    short_name: NonEmptyText
    patient_name: LocalizedText | None = Field(
        default=None,
        description="What a patient reads as the questionnaire's name (B1, no abbreviation); "
        "without it the patient reads `name`.",
    )
    licence: Licence
    sources: tuple[Source, ...] = Field(min_length=1)
    instructions: LocalizedText | None = None
    recall_period: LocalizedText | None = None
    notes: tuple[StrictStr, ...] = ()
    response_sets: tuple[ResponseSet, ...] = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)
    scales: tuple[Scale, ...] = Field(min_length=1)
    safety_rules: tuple[SafetyRule, ...] = ()
    licensed_texts: LicensedTextsInfo | None = Field(
        default=None,
        description="Set only on an organization's copy with imported texts; never bundled.",
    )

    def patient_label(self, language: str) -> str:
        """The name a patient reads in ``language``: ``patient_name``, else ``name``
        (the other language when one is missing), never the bare code."""
        for text in (self.patient_name, self.name):
            if text is not None and (label := text.get(language, fallback=True)):
                return label
        return self.short_name

    @property
    def version_key(self) -> tuple[int, ...]:
        return tuple(int(part) for part in self.version.split("."))

    @cached_property
    def bounds_memo(self) -> dict[tuple[object, ...], tuple[Fraction, Fraction]]:
        """Memo of score ranges computed from this (immutable) definition."""
        return {}

    @cached_property
    def _items_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def _scales_by_id(self) -> dict[str, Scale]:
        return {scale.id: scale for scale in self.scales}

    @cached_property
    def _response_sets_by_id(self) -> dict[str, OptionsResponseSet | NumericResponseSet]:
        return {response_set.id: response_set for response_set in self.response_sets}

    @cached_property
    def _sources_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    def item(self, item_id: str) -> Item:
        return self._items_by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items_by_id

    def scale(self, scale_id: str) -> Scale:
        return self._scales_by_id[scale_id]

    def response_set(self, set_id: str) -> OptionsResponseSet | NumericResponseSet:
        return self._response_sets_by_id[set_id]

    def source(self, source_id: str) -> Source:
        return self._sources_by_id[source_id]

    def has_source(self, source_id: str) -> bool:
        return source_id in self._sources_by_id
