"""From an answer to the value a scale uses: item recode, value recode, then reversal.

The order is fixed and documented (docs/instruments/README.md): first the item's own
recode table (e.g. RAND-36 answer -> 0-100), then the scale's value recode (e.g. 4DSQ
3, 4 -> 2), then reverse keying (``constant - value``, e.g. TSK 5 - x).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from maatwerk.core.instruments.model import (
    Instrument,
    NumericResponseSet,
    OptionsResponseSet,
    Scale,
)
from maatwerk.core.instruments.numbers import fmt


@dataclass(frozen=True, slots=True)
class ItemTransformation:
    """How one answer became the value a scale used, e.g. tsk_4: 1 -> 4 ("reversed: 5 - 1")."""

    item_id: str
    answer: Fraction
    used: Fraction
    steps: tuple[str, ...]


def possible_answers(response_set: OptionsResponseSet | NumericResponseSet) -> tuple[Fraction, ...]:
    return tuple(Fraction(value) for value in response_set.values())


def transform(
    scale: Scale, item_id: str, answer: Fraction, *, reverse: bool = True
) -> ItemTransformation:
    """Apply the scale's recodes and (unless ``reverse=False``) reversal to one answer."""
    value = answer
    steps: list[str] = []
    table = scale.item_recode_tables.get(item_id)
    if table is not None:
        item_score = table[value]
        steps.append(f"item recode: {fmt(value)} -> {fmt(item_score)}")
        value = item_score
    recoded = scale.value_recode_table.get(value)
    if recoded is not None and recoded != value:
        steps.append(f"recode: {fmt(value)} -> {fmt(recoded)}")
        value = recoded
    if reverse and scale.reverse is not None and item_id in scale.reversed_items:
        constant = Fraction(scale.reverse.constant)
        reversed_value = constant - value
        steps.append(f"reversed: {fmt(constant)} - {fmt(value)} = {fmt(reversed_value)}")
        value = reversed_value
    return ItemTransformation(item_id, answer, value, tuple(steps))


def used_values(instrument: Instrument, scale: Scale, item_id: str) -> tuple[Fraction, ...]:
    """Every value this item can contribute to this scale (after recodes and reversal)."""
    response_set = instrument.response_set(instrument.item(item_id).response_set)
    return tuple(transform(scale, item_id, v).used for v in possible_answers(response_set))


def item_bounds(instrument: Instrument, scale: Scale, item_id: str) -> tuple[Fraction, Fraction]:
    values = used_values(instrument, scale, item_id)
    return min(values), max(values)


def score_bounds(
    instrument: Instrument, scale: Scale, item_ids: tuple[str, ...]
) -> tuple[Fraction, Fraction]:
    """The possible range of the scale when exactly ``item_ids`` apply (memoized)."""
    key = ("score", id(scale), item_ids)
    found = instrument.bounds_memo.get(key)
    if found is None:
        if scale.method == "linear_0_100":
            found = (Fraction(0), Fraction(100))
        elif scale.method == "utility":
            found = utility_bounds(instrument, scale, item_ids)
        else:
            low, high = raw_sum_bounds(instrument, scale, item_ids)
            found = (
                (low / len(item_ids), high / len(item_ids))
                if scale.method == "mean"
                else (low, high)
            )
        instrument.bounds_memo[key] = found
    return found


def lowest_answer(instrument: Instrument, item_id: str) -> Fraction:
    """The item's lowest possible answer (EQ-5D-5L level 1, "no problems")."""
    return min(possible_answers(instrument.response_set(instrument.item(item_id).response_set)))


@dataclass(frozen=True, slots=True)
class UtilityTerms:
    """How a utility was computed: 1 - constant (if any item is above its lowest answer)
    - the decrement of each answer, with the value."""

    constant: Fraction
    decrements: tuple[tuple[str, Fraction, Fraction], ...]  # (item, answer, decrement)
    value: Fraction


def utility_terms(
    instrument: Instrument, scale: Scale, answers: tuple[tuple[str, Fraction], ...]
) -> UtilityTerms:
    """Apply the scale's value set to complete answers (item id, answer)."""
    tariff = scale.utility
    if tariff is None:
        raise ValueError(f"scale {scale.id!r} has no value set")
    table = tariff.decrement_table
    decrements = tuple(
        (item_id, answer, table[(item_id, answer)])
        for item_id, answer in answers
        if answer != lowest_answer(instrument, item_id)
    )
    constant = Fraction(tariff.constant) if decrements else Fraction(0)
    value = 1 - constant - sum((step[2] for step in decrements), Fraction(0))
    return UtilityTerms(constant, decrements, value)


def utility_bounds(
    instrument: Instrument, scale: Scale, item_ids: tuple[str, ...]
) -> tuple[Fraction, Fraction]:
    """Full health (1) down to every item at its largest decrement, with the constant."""
    tariff = scale.utility
    if tariff is None:
        raise ValueError(f"scale {scale.id!r} has no value set")
    largest = {
        item_id: max(
            (Fraction(step.decrement) for step in tariff.decrements if step.item == item_id),
            default=Fraction(0),
        )
        for item_id in item_ids
    }
    return 1 - Fraction(tariff.constant) - sum(largest.values(), Fraction(0)), Fraction(1)


def raw_sum_bounds(
    instrument: Instrument, scale: Scale, item_ids: tuple[str, ...]
) -> tuple[Fraction, Fraction]:
    """The possible range of the plain sum over ``item_ids`` (memoized)."""
    key = ("sum", id(scale), item_ids)
    found = instrument.bounds_memo.get(key)
    if found is None:
        bounds = [item_bounds(instrument, scale, item_id) for item_id in item_ids]
        found = (sum((b[0] for b in bounds), Fraction(0)), sum((b[1] for b in bounds), Fraction(0)))
        instrument.bounds_memo[key] = found
    return found


def is_integer_valued(instrument: Instrument, scale: Scale) -> bool:
    """True when every possible score is a whole number (complete sums of whole values)."""
    if scale.method != "sum" or scale.missing.rule != "complete_only":
        return False
    return all(
        value.denominator == 1
        for item_id in scale.items
        for value in used_values(instrument, scale, item_id)
    )
