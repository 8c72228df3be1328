"""Exact scoring of one response to one instrument.

``score_response`` is pure: the same instrument, answers and respondent always give the
same ``InstrumentScore``, whatever the order of the answers. All arithmetic is exact
(``Fraction``); round only for display (``ScaleScore.rounded``).

Per scale, in this order:

1. the items that apply to the respondent (PHQ-15 item 4 only for women) — the others
   are left out and the possible range shrinks with them (PHQ-15 men: 0-28);
2. each answer goes through the item recode, the scale's value recode and reversal
   (``transforms.transform``);
3. the missing-data rule decides whether a score exists: ``complete_only`` (every
   applicable item), ``prorate_min_k`` (at least k answered; sum x n / answered) or
   ``mean_of_answered`` (at least k answered; mean of those);
4. the method combines: ``sum``, ``mean`` or ``linear_0_100`` = (raw - min) / (max - min)
   x 100 with raw the (prorated) sum and min/max its possible range;
5. the band is the highest band whose lower bound the score reaches (so a prorated 9.5
   is still below the "10" threshold), and every cut-off is checked.

Safety rules are evaluated on the raw answers, also when a scale cannot be scored.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from maatwerk.core.instruments.answers import (
    Answer,
    CheckedAnswers,
    Respondent,
    check_answers,
    valid_answer,
)
from maatwerk.core.instruments.explain import ExplanationFacts, explain
from maatwerk.core.instruments.model import (
    Band,
    CutOff,
    Instrument,
    LocalizedText,
    Method,
    MissingRuleKind,
    Operator,
    SafetyRule,
    Scale,
)
from maatwerk.core.instruments.numbers import round_half_up
from maatwerk.core.instruments.transforms import (
    ItemTransformation,
    UtilityTerms,
    raw_sum_bounds,
    score_bounds,
    transform,
    utility_terms,
)

__all__ = [
    "InstrumentScore",
    "Respondent",
    "SafetyFlag",
    "ScaleScore",
    "ScoreExplanation",
    "compare",
    "score_response",
]

_OPERATORS: dict[str, Callable[[Fraction, Fraction], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}


def compare(value: Fraction, op: Operator, threshold: Decimal | Fraction | int) -> bool:
    """``value op threshold``, exactly."""
    return _OPERATORS[op](value, Fraction(threshold))


@dataclass(frozen=True, slots=True)
class ScoreExplanation:
    """How a scale score was computed (or why it could not be)."""

    method: Method
    missing_rule: MissingRuleKind
    min_answered: int | None
    items_used: tuple[str, ...]
    items_missing: tuple[str, ...]
    items_not_applicable: tuple[str, ...]
    transformations: tuple[ItemTransformation, ...]
    answered_sum: Fraction | None
    proration_factor: Fraction | None
    reason_unscored: str | None
    facts: ExplanationFacts = field(repr=False, compare=False)

    @property
    def text_en(self) -> str:
        """One paragraph in English: what was added up, what was missing, band, cut-offs."""
        return explain(self.facts, "en")

    @property
    def text_nl(self) -> str:
        """The same in Dutch."""
        return explain(self.facts, "nl")


@dataclass(frozen=True, slots=True)
class ScaleScore:
    scale_id: str
    value: Fraction | None
    range_min: Fraction
    range_max: Fraction
    band: Band | None
    cutoffs_met: tuple[CutOff, ...]
    display_decimals: int
    explanation: ScoreExplanation

    @property
    def scored(self) -> bool:
        return self.value is not None

    def rounded(self, decimals: int | None = None) -> Decimal | None:
        """The value for display, rounded half up to the scale's (or given) decimals."""
        if self.value is None:
            return None
        return round_half_up(self.value, self.display_decimals if decimals is None else decimals)

    def as_float(self) -> float | None:
        return None if self.value is None else float(self.value)

    def band_label(self, language: str) -> str | None:
        """The band's label in ``language`` (falling back to English), if there is a band."""
        return None if self.band is None else self.band.label.get(language, fallback=True)

    def explanation_dict(self) -> dict[str, Any]:
        """A JSON-ready record of the score and how it was computed; exact values as text
        (``"16/3"``), so storing it loses nothing."""
        explanation = self.explanation
        band = self.band
        return {
            "scale_id": self.scale_id,
            "value": _exact_text(self.value),
            "rounded": None if self.value is None else str(self.rounded()),
            "range": [str(self.range_min), str(self.range_max)],
            "method": explanation.method,
            "missing_rule": explanation.missing_rule,
            "min_answered": explanation.min_answered,
            "items_used": list(explanation.items_used),
            "items_missing": list(explanation.items_missing),
            "items_not_applicable": list(explanation.items_not_applicable),
            "items_decided_by_respondent": list(explanation.facts.items_decided_by_respondent),
            "transformations": [
                {
                    "item": t.item_id,
                    "answer": str(t.answer),
                    "used": str(t.used),
                    "steps": list(t.steps),
                }
                for t in explanation.transformations
            ],
            "answered_sum": _exact_text(explanation.answered_sum),
            "proration_factor": _exact_text(explanation.proration_factor),
            "band": None
            if band is None
            else {
                "min": str(band.min),
                "max": str(band.max),
                "source": band.source,
                "unverified": band.unverified,
            },
            "cutoffs_met": [cutoff.id for cutoff in self.cutoffs_met],
            "reason_unscored": explanation.reason_unscored,
            **_utility_record(explanation.facts.utility),
            "text_en": explanation.text_en,
            "text_nl": explanation.text_nl,
        }


def _exact_text(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _utility_record(terms: UtilityTerms | None) -> dict[str, Any]:
    """The value-set arithmetic of a utility score (absent for every other method)."""
    if terms is None:
        return {}
    return {
        "utility": {
            "constant": str(terms.constant),
            "decrements": [
                {"item": item_id, "answer": str(answer), "decrement": str(decrement)}
                for item_id, answer, decrement in terms.decrements
            ],
        }
    }


@dataclass(frozen=True, slots=True)
class SafetyFlag:
    """A safety rule that fired: alert the clinician, show the patient where to get help."""

    rule_id: str
    item_id: str
    answer: Fraction
    severity: str
    patient_message: LocalizedText
    clinician_message: LocalizedText
    source: str | None
    unverified: bool


@dataclass(frozen=True, slots=True)
class InstrumentScore:
    instrument_code: str
    instrument_version: str
    respondent: Respondent
    answers: tuple[tuple[str, Fraction | None], ...]
    scales: tuple[ScaleScore, ...]
    safety_flags: tuple[SafetyFlag, ...]
    safety_rules_not_evaluated: tuple[str, ...]

    def scale(self, scale_id: str) -> ScaleScore:
        for scale_score in self.scales:
            if scale_score.scale_id == scale_id:
                return scale_score
        raise KeyError(scale_id)

    @property
    def complete(self) -> bool:
        """Every scale could be scored."""
        return all(scale_score.scored for scale_score in self.scales)


def score_response(
    instrument: Instrument,
    answers: Mapping[str, Answer],
    *,
    respondent: Respondent,
) -> InstrumentScore:
    """Score ``answers`` (item id -> value, ``None`` or absent = not answered).

    Raises ``InvalidResponse`` listing every invalid answer at once.
    """
    checked = check_answers(instrument, answers, respondent=respondent)
    scales = tuple(
        _score_scale(instrument, scale, checked, respondent) for scale in instrument.scales
    )
    flags, not_evaluated = _evaluate_safety(instrument, checked)
    return InstrumentScore(
        instrument_code=instrument.code,
        instrument_version=instrument.version,
        respondent=respondent,
        answers=tuple((item.id, checked.values.get(item.id)) for item in instrument.items),
        scales=scales,
        safety_flags=flags,
        safety_rules_not_evaluated=not_evaluated,
    )


@dataclass(frozen=True, slots=True)
class _Combined:
    value: Fraction | None
    answered_sum: Fraction | None
    factor: Fraction | None
    reason: str | None
    utility: UtilityTerms | None = None


def _combine(
    instrument: Instrument,
    scale: Scale,
    applicable: tuple[str, ...],
    used: tuple[ItemTransformation, ...],
) -> _Combined:
    total, answered = len(applicable), len(used)
    rule = scale.missing.rule
    needed = total if rule == "complete_only" else (scale.missing.min_answered or total)
    if total == 0:
        return _Combined(None, None, None, "no item of this scale applies to the respondent")
    if answered < needed:
        if rule == "complete_only":
            reason = f"{total - answered} of {total} items not answered; every item is needed"
        else:
            reason = f"{answered} of {total} items answered; at least {needed} needed"
        return _Combined(None, None, None, reason)
    if scale.method == "utility":
        terms = utility_terms(instrument, scale, tuple((t.item_id, t.used) for t in used))
        return _Combined(terms.value, None, None, None, terms)
    answered_sum = sum((t.used for t in used), Fraction(0))
    if scale.method == "mean":
        return _Combined(answered_sum / answered, answered_sum, None, None)
    factor = Fraction(total, answered) if answered < total else None
    prorated = answered_sum * factor if factor is not None else answered_sum
    if scale.method == "sum":
        return _Combined(prorated, answered_sum, factor, None)
    low, high = raw_sum_bounds(instrument, scale, applicable)
    if high == low:
        return _Combined(None, answered_sum, factor, "the items cannot vary, so 0-100 is undefined")
    return _Combined((prorated - low) / (high - low) * 100, answered_sum, factor, None)


def find_band(scale: Scale, value: Fraction) -> Band | None:
    """The highest band whose lower bound ``value`` reaches, if within the bands at all."""
    if not scale.bands or value > Fraction(scale.bands[-1].max):
        return None
    found = None
    for band in scale.bands:
        if value >= Fraction(band.min):
            found = band
    return found


def _score_scale(
    instrument: Instrument, scale: Scale, checked: CheckedAnswers, respondent: Respondent
) -> ScaleScore:
    applicable = tuple(i for i in scale.items if i not in checked.not_applicable)
    left_out = tuple(i for i in scale.items if i in checked.not_applicable)
    decided = tuple(i for i in scale.items if i in checked.decided_by_respondent)
    used = tuple(
        transform(scale, item_id, value)
        for item_id in applicable
        if (value := checked.values.get(item_id)) is not None
    )
    missing = tuple(i for i in applicable if checked.values.get(i) is None)
    if applicable:
        low, high = score_bounds(instrument, scale, applicable)
    else:
        low, high = Fraction(scale.range.min), Fraction(scale.range.max)
    combined = _combine(instrument, scale, applicable, used)
    value = combined.value
    band = find_band(scale, value) if value is not None else None
    cutoffs = (
        tuple(c for c in scale.cutoffs if compare(value, c.operator, c.value))
        if value is not None
        else ()
    )
    facts = ExplanationFacts(
        scale=scale,
        items_used=tuple(t.item_id for t in used),
        items_missing=missing,
        items_not_applicable=left_out,
        respondent_sex=respondent.sex,
        transformations=tuple(t for t in used if t.steps),
        answered_sum=combined.answered_sum,
        proration_factor=combined.factor,
        value=value,
        range_min=low,
        range_max=high,
        band=band,
        cutoffs_met=cutoffs,
        reason_unscored=combined.reason,
        utility=combined.utility,
        items_decided_by_respondent=decided,
    )
    explanation = ScoreExplanation(
        method=scale.method,
        missing_rule=scale.missing.rule,
        min_answered=scale.missing.min_answered,
        items_used=facts.items_used,
        items_missing=missing,
        items_not_applicable=left_out,
        transformations=facts.transformations,
        answered_sum=combined.answered_sum,
        proration_factor=combined.factor,
        reason_unscored=combined.reason,
        facts=facts,
    )
    return ScaleScore(
        scale_id=scale.id,
        value=value,
        range_min=low,
        range_max=high,
        band=band,
        cutoffs_met=cutoffs,
        display_decimals=scale.display_decimals,
        explanation=explanation,
    )


def _flag(rule: SafetyRule, answer: Fraction) -> SafetyFlag:
    return SafetyFlag(
        rule_id=rule.id,
        item_id=rule.item,
        answer=answer,
        severity=rule.severity,
        patient_message=rule.patient_message,
        clinician_message=rule.clinician_message,
        source=rule.source,
        unverified=rule.unverified,
    )


def _evaluate_safety(
    instrument: Instrument, checked: CheckedAnswers
) -> tuple[tuple[SafetyFlag, ...], tuple[str, ...]]:
    flags: list[SafetyFlag] = []
    not_evaluated: list[str] = []
    for rule in instrument.safety_rules:
        if rule.item in checked.not_applicable:
            continue
        answer = checked.values.get(rule.item)
        if answer is None:
            not_evaluated.append(rule.id)
        elif compare(answer, rule.operator, rule.value):
            flags.append(_flag(rule, answer))
    return tuple(flags), tuple(not_evaluated)


def safety_flags(
    instrument: Instrument, answers: Mapping[str, Answer], *, respondent: Respondent
) -> tuple[SafetyFlag, ...]:
    """The safety rules that fire on the answers that are valid on their own.

    Unlike :func:`score_response`, this never refuses a response because some other
    answer is missing or invalid: a risk signal (PHQ-9 item 9 > 0) must not be lost to a
    typo elsewhere, or to a questionnaire that is only half filled in.
    """
    flags: list[SafetyFlag] = []
    for rule in instrument.safety_rules:
        answer = valid_answer(instrument, rule.item, answers.get(rule.item), respondent=respondent)
        if answer is not None and compare(answer, rule.operator, rule.value):
            flags.append(_flag(rule, answer))
    return tuple(flags)
