"""SDC ``calculatedExpression`` (FHIRPath) for the scales FHIRPath can score exactly.

A scale is expressible when it is a sum with the ``complete_only`` rule: a plain sum of
the answers' values (the PHQ-9, GAD-7 and PHQ-15 totals), or a sum after a scale-wide value
recode (4DSQ: 3 and 4 count as 2) and reversal of some items (TSK, CIS: constant - answer),
applied in the engine's order. Per-item recode tables, prorated, mean and 0-100 scales
are not: their score item carries the ``score-not-calculated`` extension with the reason,
and only Maatwerk's scoring engine computes them.

The expression reads each answer's value from its ``code``: Maatwerk's answer codes are
the option values ("0".."3"), equal to the ``ordinalValue`` of the option. It does not
use ``ordinal()``/``weight()`` (fhirpathpy 2.2 has neither) nor the Coding's
``ordinalValue`` extension (clients need not copy it into a QuestionnaireResponse).

Completeness follows ``complete_only``: every item without an applicability rule must
be answered, otherwise the expression is empty. An item that applies to some
respondents only (PHQ-15 item 4, women) is added when it is answered; FHIRPath cannot
know the respondent's sex, so a woman who skips item 4 gets a total here but none from
Maatwerk. Maatwerk's score, computed on the server, is the one that counts.

Evaluate with the R4 model (``answer.value`` is a choice type) and ``%resource`` = the
QuestionnaireResponse, as SDC prescribes.
"""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.core.instruments.model import Instrument, OptionsResponseSet, Scale
from maatwerk.core.instruments.transforms import is_integer_valued, used_values

FHIRPATH = "text/fhirpath"


@dataclass(frozen=True, slots=True)
class ScaleExpression:
    """The FHIRPath of a scale, or why there is none; ``integer`` when every possible
    score is a whole number (the score item's type)."""

    expression: str | None
    reason: str | None
    integer: bool


def _not_expressible(instrument: Instrument, scale: Scale) -> list[str]:
    reasons: list[str] = []
    if scale.method != "sum":
        reasons.append(f"method {scale.method!r} (only plain sums are expressed)")
    if scale.missing.rule == "prorate_min_k":
        reasons.append("proration of missing answers (prorate_min_k)")
    elif scale.missing.rule == "mean_of_answered":
        reasons.append("the mean of the answered items (mean_of_answered)")
    if scale.item_recodes:
        items = ", ".join(recode.item for recode in scale.item_recodes)
        reasons.append(f"item recodes ({items})")
    return reasons


def _in_list(item_ids: list[str]) -> str:
    return " | ".join(f"'{item_id}'" for item_id in item_ids)


def scale_expression(instrument: Instrument, scale: Scale) -> ScaleExpression:
    """The ``calculatedExpression`` of ``scale``, or the reason there is none."""
    integer = is_integer_valued(instrument, scale)
    reasons = _not_expressible(instrument, scale)
    if reasons:
        reason = (
            "No calculatedExpression: this score uses "
            + "; ".join(reasons)
            + ". Maatwerk's scoring engine computes it."
        )
        return ScaleExpression(expression=None, reason=reason, integer=integer)
    items = [instrument.item(item_id) for item_id in scale.items]
    always = [item.id for item in items if item.applies_to is None or item.applies_to.sex is None]
    whole_answers = all(
        value.denominator == 1 for i in scale.items for value in used_values(instrument, scale, i)
    )
    convert = "toInteger()" if whole_answers else "toDecimal()"
    kinds = {
        isinstance(instrument.response_set(item.response_set), OptionsResponseSet) for item in items
    }
    if kinds == {True}:
        value = f"code.{convert}"
    elif kinds == {False}:
        value = f"$this.{convert}"
    else:
        value = f"iif(code.exists(), code.{convert}, $this.{convert})"
    in_scale = f"%resource.repeat(item).where(linkId in ({_in_list(list(scale.items))}))"
    if scale.value_recode or scale.reverse is not None:
        total = f"{in_scale}.select({_keyed_term(scale, convert, kinds)}).sum()"
    else:
        total = f"{in_scale}.answer.value.select({value}).sum()"
    if not always:
        return ScaleExpression(expression=total, reason=None, integer=integer)
    required = f"%resource.repeat(item).where(linkId in ({_in_list(always)})).answer.count()"
    return ScaleExpression(
        expression=f"iif({required} = {len(always)}, {total})", reason=None, integer=integer
    )


def _number(value: object) -> str:
    """A FHIRPath literal for a definition number (``2``, ``2.5``)."""
    text = format(value, "f") if not isinstance(value, int) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _keyed_term(scale: Scale, convert: str, kinds: set[bool]) -> str:
    """One item's contribution, evaluated on the item: its answer value, then the scale's
    value recode, then reversal for the reverse-keyed items, as the engine does."""
    if kinds == {True}:
        term = f"answer.value.code.{convert}"
    elif kinds == {False}:
        term = f"answer.value.{convert}"
    else:
        from_code, from_value = f"answer.value.code.{convert}", f"answer.value.{convert}"
        term = f"iif(answer.value.code.exists(), {from_code}, {from_value})"
    answer = term
    for step in reversed(scale.value_recode):
        # Every condition tests the answer itself, so one step's result is never recoded
        # again by another (a swap 1 -> 2, 2 -> 1 stays a swap).
        term = f"iif({answer} = {_number(step.answer)}, {_number(step.score)}, {term})"
    if scale.reverse is not None:
        reversed_items = _in_list(list(scale.reverse.items))
        constant = _number(scale.reverse.constant)
        term = f"iif(linkId in ({reversed_items}), {constant} - ({term}), {term})"
    return term
