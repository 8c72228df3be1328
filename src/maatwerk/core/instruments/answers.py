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
    """What scoring may need to know about the person who answered (PHQ-15 item 4: sex).

    ``sex`` is ``None`` when it is not recorded, or neither female nor male. Then an item
    that applies to one sex only (PHQ-15 item 4, menstrual problems) is asked like any
    other: an answer means it applies (the respondent, or the clinician, says so) and is
    scored; ``declared_not_applicable`` lists the items the respondent or clinician marked
    as not applying, which are left out as for a respondent of the other sex."""

    sex: Sex | None = None
    declared_not_applicable: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CheckedAnswers:
    """Exact answers of the items that apply (``None`` = not answered) and the ones that
    don't; ``decided_by_respondent`` are the sex-dependent items whose applicability the
    answer or a declaration decided because the sex is not known."""

    values: Mapping[str, Fraction | None]
    not_applicable: frozenset[str]
    decided_by_respondent: frozenset[str] = frozenset()


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
    """Whether the item applies to this respondent by its rule; ``None`` when the rule
    needs the sex and it is not known (then the answer or a declaration decides)."""
    if item.applies_to is None or item.applies_to.sex is None:
        return True
    if respondent.sex is None:
        return None
    return respondent.sex in item.applies_to.sex


def applies_to_respondent(item: Item, respondent: Respondent, answered: bool) -> bool:
    """The applicability rule in full: by sex when it is known; with the sex unknown, the
    item applies unless it was declared not to (an answer says it applies)."""
    by_rule = applies(item, respondent)
    if by_rule is not None:
        return by_rule
    return answered or item.id not in respondent.declared_not_applicable


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
    decided: set[str] = set()
    for item in instrument.items:
        raw = answers.get(item.id)
        declared = item.id in respondent.declared_not_applicable
        by_rule = applies(item, respondent)
        unrestricted = item.applies_to is None or item.applies_to.sex is None
        if declared and unrestricted:
            problems.append(
                AnswerProblem(
                    item.id,
                    "not_applicable",
                    "marked as not applying, but it applies to every respondent",
                )
            )
            continue
        if declared and by_rule is True:
            problems.append(
                AnswerProblem(
                    item.id,
                    "not_applicable",
                    f"marked as not applying, but it applies to this respondent "
                    f"(sex: {respondent.sex})",
                )
            )
            continue
        if by_rule is None:
            decided.add(item.id)
            if declared and raw is not None:
                problems.append(
                    AnswerProblem(
                        item.id, "not_applicable", "answered, but also marked as not applying"
                    )
                )
                continue
        if not applies_to_respondent(item, respondent, raw is not None):
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
    return CheckedAnswers(values, frozenset(not_applicable), frozenset(decided))


def valid_answer(
    instrument: Instrument, item_id: str, raw: object, *, respondent: Respondent
) -> Fraction | None:
    """One answer as an exact value when it is valid and applies to this respondent on
    its own, whatever the other answers are; otherwise ``None``."""
    if raw is None or not instrument.has_item(item_id):
        return None
    item = instrument.item(item_id)
    if not applies_to_respondent(item, respondent, answered=True):
        return None
    try:
        value = to_exact(raw)
        _check_value(instrument, item, value)
    except _Invalid:
        return None
    return value
