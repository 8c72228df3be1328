"""Checking a set of answers against an instrument before scoring.

``check_answers`` turns raw answers into exact values and collects *every* problem
(unknown item, wrong type, not an option, out of range, off step, required item
missing, item not applicable to this respondent) into one ``InvalidResponse``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from maatwerk.core.instruments.errors import AnswerProblem, AnswerProblemCode, InvalidResponse
from maatwerk.core.instruments.model import Instrument, Item, OptionsResponseSet, Sex
from maatwerk.core.instruments.numbers import fmt

Answer = int | float | Decimal | None


@dataclass(frozen=True, slots=True)
class Respondent:
    """What scoring may need to know about the person who answered (PHQ-15 item 4: sex)."""

    sex: Sex | None = None


@dataclass(frozen=True, slots=True)
class CheckedAnswers:
    """Exact answers of the items that apply (``None`` = not answered) and the ones that don't."""

    values: Mapping[str, Fraction | None]
    not_applicable: frozenset[str]


class _Invalid(Exception):
    def __init__(self, code: AnswerProblemCode, message: str) -> None:
        self.code = code
        self.message = message


def to_exact(value: object) -> Fraction:
    """An answer as an exact number. Floats are read via their shortest decimal repr
    (``0.1`` -> 1/10), so binary noise never enters a score."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise _Invalid("wrong_type", f"expected a number, got {type(value).__name__}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _Invalid("not_finite", f"{value!r} is not a finite number")
        return Fraction(repr(value))
    if not value.is_finite():
        raise _Invalid("not_finite", f"{value} is not a finite number")
    return Fraction(value)


def applies(item: Item, respondent: Respondent) -> bool | None:
    """Whether the item applies to this respondent; ``None`` when that is unknown."""
    if item.applies_to is None or item.applies_to.sex is None:
        return True
    if respondent.sex is None:
        return None
    return respondent.sex in item.applies_to.sex


def _check_value(instrument: Instrument, item: Item, value: Fraction) -> None:
    response_set = instrument.response_set(item.response_set)
    if isinstance(response_set, OptionsResponseSet):
        if value not in response_set.exact_values:
            listed = ", ".join(fmt(v) for v in response_set.values())
            raise _Invalid("not_an_option", f"{fmt(value)} is not one of the options {listed}")
        return
    low, high = Fraction(response_set.min), Fraction(response_set.max)
    step = Fraction(response_set.step)
    if not low <= value <= high:
        raise _Invalid("out_of_range", f"{fmt(value)} is outside {fmt(low)}-{fmt(high)}")
    if ((value - low) / step).denominator != 1:
        raise _Invalid(
            "off_step", f"{fmt(value)} is not {fmt(low)} plus a whole number of {fmt(step)} steps"
        )


def check_answers(
    instrument: Instrument, answers: Mapping[str, Answer], *, respondent: Respondent
) -> CheckedAnswers:
    """Validate ``answers``; raise ``InvalidResponse`` listing every problem found."""
    problems: list[AnswerProblem] = []
    values: dict[str, Fraction | None] = {}
    not_applicable: set[str] = set()
    for item in instrument.items:
        raw = answers.get(item.id)
        applicable = applies(item, respondent)
        if applicable is None:
            sexes = ", ".join(item.applies_to.sex or ()) if item.applies_to else ""
            problems.append(
                AnswerProblem(
                    item.id,
                    "respondent_attribute_missing",
                    f"applies only to sex {sexes}; the respondent's sex is not known",
                )
            )
            continue
        if not applicable:
            not_applicable.add(item.id)
            if raw is not None:
                problems.append(
                    AnswerProblem(
                        item.id,
                        "not_applicable",
                        "answered, but it does not apply to this respondent "
                        f"(sex: {respondent.sex})",
                    )
                )
            continue
        if raw is None:
            if item.required:
                problems.append(
                    AnswerProblem(item.id, "required_missing", "required, but not answered")
                )
            values[item.id] = None
            continue
        try:
            value = to_exact(raw)
            _check_value(instrument, item, value)
        except _Invalid as invalid:
            problems.append(AnswerProblem(item.id, invalid.code, invalid.message))
            continue
        values[item.id] = value
    unknown = sorted((key for key in answers if not instrument.has_item(key)), key=str)
    problems.extend(
        AnswerProblem(
            str(key), "unknown_item", f"not an item of {instrument.code} {instrument.version}"
        )
        for key in unknown
    )
    if problems:
        raise InvalidResponse(f"{instrument.code} {instrument.version}", tuple(problems))
    return CheckedAnswers(values, frozenset(not_applicable))


def valid_answer(
    instrument: Instrument, item_id: str, raw: object, *, respondent: Respondent
) -> Fraction | None:
    """One answer as an exact value when it is valid and applies to this respondent on
    its own, whatever the other answers are; otherwise ``None``."""
    if raw is None or not instrument.has_item(item_id):
        return None
    item = instrument.item(item_id)
    if applies(item, respondent) is not True:
        return None
    try:
        value = to_exact(raw)
        _check_value(instrument, item, value)
    except _Invalid:
        return None
    return value
