"""Importing licensed item texts into a structure-only instrument (TSK, PCS, 4DSQ, ...).

Maatwerk ships only structure and scoring for instruments whose licence does not let us
distribute the item texts. An organization that holds a licence supplies a JSON file
(``LicensedTextSet``); ``apply_licensed_texts`` returns a *new* instrument with those
texts, validated like any definition (every item needs a text, every option a label).
Scoring is untouched. The texts belong to the organization: store them with it, never
in ``maatwerk/content``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Literal

from pydantic import Field, ValidationError

from maatwerk.core.instruments.errors import DefinitionProblem, InstrumentDefinitionError
from maatwerk.core.instruments.loading import decode_json, parse_instrument, schema_problems
from maatwerk.core.instruments.model import (
    Frozen,
    Identifier,
    Instrument,
    LocalizedText,
    NonEmptyText,
    Number,
    NumericResponseSet,
    OptionsResponseSet,
    Version,
)
from maatwerk.core.instruments.numbers import fmt


class ItemText(Frozen):
    id: Identifier
    text: LocalizedText


class OptionLabel(Frozen):
    response_set: Identifier
    value: Number
    label: LocalizedText


class AnchorLabels(Frozen):
    """The words at both ends of a numeric rating (TFI: "Never aware" … "Always aware")."""

    response_set: Identifier
    min_label: LocalizedText
    max_label: LocalizedText


class LicensedTextSet(Frozen):
    """An organization's licensed texts for one instrument version."""

    format: Literal[1]
    instrument: Identifier
    version: Version
    licence_holder: NonEmptyText
    statement: NonEmptyText
    instructions: LocalizedText | None = None
    recall_period: LocalizedText | None = None
    items: tuple[ItemText, ...] = Field(min_length=1)
    option_labels: tuple[OptionLabel, ...] = ()
    anchor_labels: tuple[AnchorLabels, ...] = ()


def load_licensed_texts_json(text: str | bytes, *, origin: str) -> LicensedTextSet:
    data = decode_json(text, origin=origin)
    try:
        return LicensedTextSet.model_validate(data)
    except ValidationError as error:
        raise InstrumentDefinitionError(schema_problems(error, origin)) from None


def _reference_problems(
    instrument: Instrument, texts: LicensedTextSet, origin: str
) -> list[DefinitionProblem]:
    found: list[DefinitionProblem] = []
    if instrument.licence.item_texts_shipped:
        found.append(
            DefinitionProblem(
                origin, "$", f"{instrument.code} already ships its texts; nothing to import"
            )
        )
    if (texts.instrument, texts.version) != (instrument.code, instrument.version):
        found.append(
            DefinitionProblem(
                origin,
                "$.version" if texts.instrument == instrument.code else "$.instrument",
                f"texts are for {texts.instrument} {texts.version}, "
                f"the instrument is {instrument.code} {instrument.version}",
            )
        )
    seen: set[str] = set()
    for index, item_text in enumerate(texts.items):
        if not instrument.has_item(item_text.id):
            found.append(
                DefinitionProblem(origin, f"$.items[{index}].id", f"unknown item {item_text.id!r}")
            )
        elif item_text.id in seen:
            found.append(
                DefinitionProblem(
                    origin, f"$.items[{index}].id", f"duplicate item {item_text.id!r}"
                )
            )
        seen.add(item_text.id)
    sets = {rs.id: rs for rs in instrument.response_sets if isinstance(rs, OptionsResponseSet)}
    for index, option in enumerate(texts.option_labels):
        response_set = sets.get(option.response_set)
        path = f"$.option_labels[{index}]"
        if response_set is None:
            found.append(
                DefinitionProblem(
                    origin, f"{path}.response_set", f"no option set {option.response_set!r}"
                )
            )
        elif Fraction(option.value) not in response_set.exact_values:
            found.append(
                DefinitionProblem(
                    origin,
                    f"{path}.value",
                    f"{fmt(option.value)} is not an option of {option.response_set!r}",
                )
            )
    numeric = {rs.id for rs in instrument.response_sets if isinstance(rs, NumericResponseSet)}
    for index, anchors in enumerate(texts.anchor_labels):
        if anchors.response_set not in numeric:
            found.append(
                DefinitionProblem(
                    origin,
                    f"$.anchor_labels[{index}].response_set",
                    f"no numeric rating {anchors.response_set!r}",
                )
            )
    return found


def apply_licensed_texts(
    instrument: Instrument, texts: LicensedTextSet, *, origin: str = "<licensed texts>"
) -> Instrument:
    """A copy of ``instrument`` with the organization's texts; raises
    ``InstrumentDefinitionError`` listing every problem."""
    problems = _reference_problems(instrument, texts, origin)
    if problems:
        raise InstrumentDefinitionError(tuple(problems))
    data: dict[str, Any] = instrument.model_dump(mode="python", exclude_none=True)
    item_texts = {item.id: item.text for item in texts.items}
    for item in data["items"]:
        if item["id"] in item_texts:
            item["text"] = item_texts[item["id"]].model_dump(exclude_none=True)
    labels = {(o.response_set, Fraction(o.value)): o.label for o in texts.option_labels}
    for response_set in data["response_sets"]:
        for option in response_set.get("options", ()):
            label = labels.get((response_set["id"], Fraction(option["value"])))
            if label is not None:
                option["label"] = label.model_dump(exclude_none=True)
    anchors = {a.response_set: a for a in texts.anchor_labels}
    for response_set in data["response_sets"]:
        found = anchors.get(response_set["id"])
        if found is not None:
            response_set["min_label"] = found.min_label.model_dump(exclude_none=True)
            response_set["max_label"] = found.max_label.model_dump(exclude_none=True)
    for name in ("instructions", "recall_period"):
        value = getattr(texts, name)
        if value is not None:
            data[name] = value.model_dump(exclude_none=True)
    data["licensed_texts"] = {"licence_holder": texts.licence_holder, "statement": texts.statement}
    return parse_instrument(data, origin=origin)
