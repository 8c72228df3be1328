"""One-paragraph, human-readable explanations of a scale score, in Dutch or English.

One function, :func:`explain`, builds the paragraph; its sentences are prose in
``content/prose/instrument_explanations.json`` (each in Dutch and English, with the same
placeholders), and only the numbers are formatted here (a decimal comma in Dutch). The
recode steps of an item (``reversed: 5 - 1 = 4``) are the scoring engine's own notation
and are shown in the English text only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache

from maatwerk.core.common.prose import Prose, load_prose
from maatwerk.core.instruments.model import Band, CutOff, Language, Scale, Sex
from maatwerk.core.instruments.numbers import display_number, fmt
from maatwerk.core.instruments.transforms import ItemTransformation, UtilityTerms

PROSE_FILE = "instrument_explanations.json"
_SYMBOL = {">=": "≥", "<=": "≤", "==": "="}


def _condition(cutoff: CutOff, number: str) -> str:
    return f"{_SYMBOL.get(cutoff.operator, cutoff.operator)} {number}"


@dataclass(frozen=True, slots=True)
class ExplanationFacts:
    scale: Scale
    items_used: tuple[str, ...]
    items_missing: tuple[str, ...]
    items_not_applicable: tuple[str, ...]
    respondent_sex: Sex | None
    transformations: tuple[ItemTransformation, ...]
    answered_sum: Fraction | None
    proration_factor: Fraction | None
    value: Fraction | None
    range_min: Fraction
    range_max: Fraction
    band: Band | None
    cutoffs_met: tuple[CutOff, ...]
    reason_unscored: str | None
    utility: UtilityTerms | None = None
    items_decided_by_respondent: tuple[str, ...] = ()
    """Sex-dependent items (PHQ-15 item 4) whose applicability the answer or a declaration
    decided, because the respondent's sex is not recorded (or neither female nor male)."""


@cache
def _prose() -> Prose:
    return load_prose(PROSE_FILE)


_COMPARISON_KEY = {
    ">=": "comparison.at_least",
    ">": "comparison.above",
    "<=": "comparison.at_most",
    "<": "comparison.below",
    "==": "comparison.equal",
}


def comparison_text(value: Decimal, operator: str, threshold: Decimal, language: str) -> str:
    """``value operator threshold`` in words for a reader, never an operator symbol:
    "14, at or above 10" in English, "14, grens 10 of hoger" in Dutch."""
    return _prose().text(
        _COMPARISON_KEY[operator],
        language,
        value=display_number(value, language),
        threshold=display_number(threshold, language),
    )


_CONDITION_KEY = {
    ">=": "condition.at_least",
    ">": "condition.above",
    "<=": "condition.at_most",
    "<": "condition.below",
    "==": "condition.equal",
}


def condition_text(operator: str, threshold: Decimal, language: str) -> str:
    """A rule's condition on a score in words, never an operator symbol: ">= 40" is
    "40 or more" in English and "40 of hoger" in Dutch."""
    return _prose().text(
        _CONDITION_KEY[operator], language, threshold=display_number(threshold, language)
    )


def _number(language: Language) -> Callable[[Fraction | Decimal], str]:
    """Numbers as the language writes them: ``0.5`` in English, ``0,5`` in Dutch."""
    if language == "en":
        return fmt
    return lambda value: fmt(value).replace(".", ",")


class _Writer:
    """The prose of one language, with its numbers."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.number = _number(language)

    def __call__(self, key: str, **values: object) -> str:
        return _prose().text(key, self.language, **{k: str(v) for k, v in values.items()})

    def range(self, low: Fraction | Decimal, high: Fraction | Decimal) -> str:
        return f"{self.number(low)}–{self.number(high)}"

    def source(self, source: str | None) -> str:
        return source or self("source.none")

    def label(self, text_owner: Band | CutOff) -> str:
        label = (
            text_owner.label.get(self.language, fallback=True) or text_owner.label.get("nl") or ""
        )
        return label + self("unverified") if text_owner.unverified else label


def _name(scale: Scale, language: Language) -> str:
    return scale.name.get(language, fallback=True) or scale.name.get("nl") or scale.id


def _listed(ids: tuple[str, ...]) -> str:
    return ", ".join(ids)


def _decided(f: ExplanationFacts, say: _Writer) -> list[str]:
    parts: list[str] = []
    for item_id in f.items_decided_by_respondent:
        if item_id in f.items_not_applicable:
            key = "decided.not_applicable"
        elif item_id in f.items_used:
            key = "decided.answered"
        else:
            key = "decided.unanswered"
        parts.append(say(key, item=item_id, range=say.range(f.range_min, f.range_max)))
    return parts


def _utility_arithmetic(terms: UtilityTerms, number: Callable[[Fraction], str]) -> str:
    """``1 - 0.047 - 0.035 (eq5d5l_mobility 2) = 0.918``; just ``1`` for full health."""
    if not terms.decrements:
        return "1"
    steps = [f"1 − {number(terms.constant)}"]
    steps.extend(f"{number(d)} ({item_id} {number(a)})" for item_id, a, d in terms.decrements)
    return " − ".join(steps) + f" = {number(terms.value)}"


def _explain_utility(f: ExplanationFacts, terms: UtilityTerms, say: _Writer) -> str:
    name = _name(f.scale, say.language)
    if not terms.decrements:
        return say("utility.full_health", name=name)
    tariff = f.scale.utility
    return say(
        "utility.value",
        name=name,
        arithmetic=_utility_arithmetic(terms, say.number),
        range=say.range(f.range_min, f.range_max),
        source=say.source(tariff.source if tariff is not None else None),
    )


def _reason_unscored(f: ExplanationFacts, say: _Writer) -> str:
    """Why there is no score, in the reader's language (the engine's
    ``reason_unscored`` says the same in English)."""
    total = len(f.items_used) + len(f.items_missing)
    answered = len(f.items_used)
    missing = f.scale.missing
    if total == 0:
        return say("reason.no_item")
    if missing.rule == "complete_only":
        return say("reason.complete_only", missing=total - answered, total=total)
    return say(
        "reason.too_few", answered=answered, total=total, needed=missing.min_answered or total
    )


def _sex(f: ExplanationFacts, say: _Writer) -> str:
    return say(
        f"sex.{f.respondent_sex}" if f.respondent_sex in ("female", "male") else "sex.unknown"
    )


def _head(f: ExplanationFacts, say: _Writer, value: Fraction, answered_sum: Fraction) -> str:
    scale, n = f.scale, say.number
    n_used, n_applicable = len(f.items_used), len(f.items_used) + len(f.items_missing)
    head = f"{_name(scale, say.language)}: "
    if f.items_missing:
        head += say(
            "head.missing",
            used=n_used,
            applicable=n_applicable,
            needed=scale.missing.min_answered,
            items=_listed(f.items_missing),
        )
    if scale.method == "mean":
        head += say("head.mean", used=n_used, value=n(value))
    elif f.proration_factor is not None:
        head += say(
            "head.prorated",
            sum=n(answered_sum),
            factor=n(f.proration_factor),
            applicable=n_applicable,
            used=n_used,
            prorated=n(answered_sum * f.proration_factor),
        )
        if scale.method == "linear_0_100":
            head += say("head.linear", value=n(value))
    else:
        head += say("head.sum", used=n_used, sum=n(answered_sum))
        if scale.method == "linear_0_100":
            head += say("head.linear", value=n(value))
    return head + say("head.range", range=say.range(f.range_min, f.range_max))


def explain(f: ExplanationFacts, language: Language) -> str:
    """What was added up, what was missing or left out, the band and the cut-offs met."""
    say = _Writer(language)
    n = say.number
    parts: list[str] = []
    by_sex = tuple(i for i in f.items_not_applicable if i not in f.items_decided_by_respondent)
    if by_sex:
        parts.append(
            say(
                "left_out_by_sex",
                sex=_sex(f, say),
                items=_listed(by_sex),
                range=say.range(f.range_min, f.range_max),
            )
        )
    parts.extend(_decided(f, say))
    if f.utility is not None and f.value is not None:
        return " ".join([_explain_utility(f, f.utility, say), *parts])
    if f.value is None or f.answered_sum is None:
        missing = say("unscored.missing", items=_listed(f.items_missing)) if f.items_missing else ""
        unscored = say(
            "unscored",
            name=_name(f.scale, language),
            rule=f.scale.missing.rule,
            reason=_reason_unscored(f, say),
            missing=missing,
        )
        return " ".join([unscored, *parts])
    parts.insert(0, _head(f, say, f.value, f.answered_sum))
    if f.transformations:
        steps = "; ".join(
            f"{t.item_id} {n(t.answer)} → {n(t.used)}"
            + (f" ({', '.join(t.steps)})" if language == "en" else "")
            for t in f.transformations
        )
        parts.append(say("transformations", steps=steps))
    if f.band is not None:
        parts.append(
            say(
                "band",
                label=say.label(f.band),
                range=say.range(f.band.min, f.band.max),
                source=say.source(f.band.source),
            )
        )
    parts.extend(
        say(
            "cutoff",
            condition=_condition(cutoff, n(cutoff.value)),
            label=say.label(cutoff),
            source=say.source(cutoff.source),
        )
        for cutoff in f.cutoffs_met
    )
    return " ".join(parts)
