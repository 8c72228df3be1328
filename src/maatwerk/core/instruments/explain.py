"""One-paragraph, human-readable explanations of a scale score (English and Dutch)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from maatwerk.core.instruments.model import Band, CutOff, Language, Scale, Sex
from maatwerk.core.instruments.numbers import fmt
from maatwerk.core.instruments.transforms import ItemTransformation, UtilityTerms

_SEX_NL = {"female": "vrouw", "male": "man"}
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


def _decided_en(f: ExplanationFacts) -> list[str]:
    parts: list[str] = []
    for item_id in f.items_decided_by_respondent:
        if item_id in f.items_not_applicable:
            parts.append(
                f"Sex not recorded: {item_id} (asked of one sex only) was marked as not "
                f"applying, so it is left out; the possible range becomes "
                f"{fmt(f.range_min)}–{fmt(f.range_max)}."
            )
        elif item_id in f.items_used:
            parts.append(
                f"Sex not recorded: {item_id} (asked of one sex only) was answered, so it "
                f"counts (the respondent says it applies)."
            )
        else:
            parts.append(
                f"Sex not recorded: {item_id} (asked of one sex only) was not answered; "
                f"answer it, or mark it as not applying."
            )
    return parts


def _decided_nl(f: ExplanationFacts) -> list[str]:
    parts: list[str] = []
    for item_id in f.items_decided_by_respondent:
        if item_id in f.items_not_applicable:
            parts.append(
                f"Geslacht niet vastgelegd: {item_id} (voor één geslacht) is aangegeven als "
                f"niet van toepassing en weggelaten; het mogelijke bereik wordt "
                f"{_nl(f.range_min)}–{_nl(f.range_max)}."
            )
        elif item_id in f.items_used:
            parts.append(
                f"Geslacht niet vastgelegd: {item_id} (voor één geslacht) is beantwoord en "
                f"telt dus mee (volgens de invuller van toepassing)."
            )
        else:
            parts.append(
                f"Geslacht niet vastgelegd: {item_id} (voor één geslacht) is niet beantwoord; "
                f"beantwoord het, of geef aan dat het niet van toepassing is."
            )
    return parts


def _name(scale: Scale, language: Language) -> str:
    return scale.name.get(language, fallback=True) or scale.name.get("nl") or scale.id


def _nl(value: Fraction | Decimal) -> str:
    return fmt(value).replace(".", ",")


def _label(text_owner: Band | CutOff, language: Language) -> str:
    label = text_owner.label.get(language, fallback=True) or text_owner.label.get("nl") or ""
    if text_owner.unverified:
        label += " [unverified]" if language == "en" else " [niet geverifieerd]"
    return label


def _listed(ids: tuple[str, ...]) -> str:
    return ", ".join(ids)


def _utility_arithmetic(terms: UtilityTerms, number: Callable[[Fraction], str]) -> str:
    """``1 - 0.047 - 0.035 (eq5d5l_mobility 2) = 0.918``; just ``1`` for full health."""
    if not terms.decrements:
        return "1"
    steps = [f"1 − {number(terms.constant)}"]
    steps.extend(f"{number(d)} ({item_id} {number(a)})" for item_id, a, d in terms.decrements)
    return " − ".join(steps) + f" = {number(terms.value)}"


def _explain_utility_en(f: ExplanationFacts, terms: UtilityTerms) -> str:
    name = _name(f.scale, "en")
    if not terms.decrements:
        return f"{name}: every dimension is at level 1 (full health), so the value is 1."
    return (
        f"{name}: the value set subtracts its constant once because a dimension is above "
        f"level 1, and the decrement of each answer above level 1: "
        f"{_utility_arithmetic(terms, fmt)} (possible range "
        f"{fmt(f.range_min)}–{fmt(f.range_max)}; source: {_tariff_source(f.scale)})."
    )


def _explain_utility_nl(f: ExplanationFacts, terms: UtilityTerms) -> str:
    name = _name(f.scale, "nl")
    if not terms.decrements:
        return (
            f"{name}: elke dimensie staat op niveau 1 (volledige gezondheid), dus de waarde is 1."
        )
    return (
        f"{name}: de waardeset trekt eenmaal de constante af omdat een dimensie boven niveau 1 "
        f"ligt, en per antwoord boven niveau 1 de bijbehorende aftrek: "
        f"{_utility_arithmetic(terms, _nl)} (mogelijk bereik "
        f"{_nl(f.range_min)}–{_nl(f.range_max)})."
    )


def _tariff_source(scale: Scale) -> str:
    tariff = scale.utility
    return (tariff.source if tariff is not None else None) or "none"


def explain_en(f: ExplanationFacts) -> str:
    scale = f.scale
    parts: list[str] = []
    n_used, n_applicable = len(f.items_used), len(f.items_used) + len(f.items_missing)
    by_sex = tuple(i for i in f.items_not_applicable if i not in f.items_decided_by_respondent)
    if by_sex:
        parts.append(
            f"Left out because they do not apply to this respondent (sex: {f.respondent_sex}): "
            f"{_listed(by_sex)}; the possible range becomes "
            f"{fmt(f.range_min)}–{fmt(f.range_max)}."
        )
    parts.extend(_decided_en(f))
    if f.utility is not None and f.value is not None:
        return " ".join([_explain_utility_en(f, f.utility), *parts])
    if f.value is None or f.answered_sum is None:
        rule = scale.missing.rule
        missing = f" Not answered: {_listed(f.items_missing)}." if f.items_missing else ""
        parts.insert(0, f"{_name(scale, 'en')}: not scored ({rule}): {f.reason_unscored}.{missing}")
        return " ".join(parts)
    head = f"{_name(scale, 'en')}: "
    if f.items_missing:
        head += (
            f"{n_used} of {n_applicable} items answered (at least "
            f"{scale.missing.min_answered} needed; not answered: {_listed(f.items_missing)}). "
        )
    if scale.method == "mean":
        head += f"The mean of {n_used} answered items is {fmt(f.value)}"
    elif f.proration_factor is not None:
        prorated = f.answered_sum * f.proration_factor
        head += (
            f"The sum of the answered items, {fmt(f.answered_sum)}, prorated by "
            f"{fmt(f.proration_factor)} ({n_applicable}/{n_used}) gives {fmt(prorated)}"
        )
        if scale.method == "linear_0_100":
            head += f", transformed linearly to 0–100: {fmt(f.value)}"
    else:
        head += f"The sum of {n_used} items is {fmt(f.answered_sum)}"
        if scale.method == "linear_0_100":
            head += f", transformed linearly to 0–100: {fmt(f.value)}"
    head += f" (possible range {fmt(f.range_min)}–{fmt(f.range_max)})."
    parts.insert(0, head)
    if f.transformations:
        steps = "; ".join(
            f"{t.item_id} {fmt(t.answer)} → {fmt(t.used)} ({', '.join(t.steps)})"
            for t in f.transformations
        )
        parts.append(f"Recoded or reverse-keyed: {steps}.")
    if f.band is not None:
        parts.append(
            f"Band: {_label(f.band, 'en')} ({fmt(f.band.min)}–{fmt(f.band.max)}; "
            f"source: {f.band.source or 'none'})."
        )
    parts.extend(
        f"Cut-off met: {_condition(cutoff, fmt(cutoff.value))}, {_label(cutoff, 'en')} "
        f"(source: {cutoff.source or 'none'})."
        for cutoff in f.cutoffs_met
    )
    return " ".join(parts)


def explain_nl(f: ExplanationFacts) -> str:
    scale = f.scale
    parts: list[str] = []
    n_used, n_applicable = len(f.items_used), len(f.items_used) + len(f.items_missing)
    by_sex = tuple(i for i in f.items_not_applicable if i not in f.items_decided_by_respondent)
    if by_sex:
        sex = _SEX_NL.get(f.respondent_sex or "", "onbekend")
        parts.append(
            f"Weggelaten omdat ze niet van toepassing zijn (geslacht: {sex}): "
            f"{_listed(by_sex)}; het mogelijke bereik wordt "
            f"{_nl(f.range_min)}–{_nl(f.range_max)}."
        )
    parts.extend(_decided_nl(f))
    if f.utility is not None and f.value is not None:
        return " ".join([_explain_utility_nl(f, f.utility), *parts])
    if f.value is None or f.answered_sum is None:
        if scale.missing.rule == "complete_only":
            why = "elk item moet beantwoord zijn"
        else:
            why = f"minstens {scale.missing.min_answered} van de {n_applicable} items zijn nodig"
        missing = f" Niet beantwoord: {_listed(f.items_missing)}." if f.items_missing else ""
        parts.insert(0, f"{_name(scale, 'nl')}: geen score, want {why}.{missing}")
        return " ".join(parts)
    head = f"{_name(scale, 'nl')}: "
    if f.items_missing:
        head += f"{n_used} van de {n_applicable} items beantwoord. "
    if scale.method == "mean":
        head += f"Het gemiddelde van {n_used} beantwoorde items is {_nl(f.value)}"
    elif f.proration_factor is not None:
        head += (
            f"De som van de beantwoorde items, {_nl(f.answered_sum)}, is naar rato omgerekend "
            f"(× {n_applicable}/{n_used}) tot {_nl(f.answered_sum * f.proration_factor)}"
        )
        if scale.method == "linear_0_100":
            head += f", en omgezet naar 0–100: {_nl(f.value)}"
    else:
        head += f"De som van {n_used} items is {_nl(f.answered_sum)}"
        if scale.method == "linear_0_100":
            head += f", omgezet naar 0–100: {_nl(f.value)}"
    head += f" (mogelijk bereik {_nl(f.range_min)}–{_nl(f.range_max)})."
    parts.insert(0, head)
    if f.transformations:
        steps = "; ".join(f"{t.item_id} {_nl(t.answer)} → {_nl(t.used)}" for t in f.transformations)
        parts.append(f"Omgecodeerd of omgekeerd gescoord: {steps}.")
    if f.band is not None:
        parts.append(f"Categorie: {_label(f.band, 'nl')} ({_nl(f.band.min)}–{_nl(f.band.max)}).")
    parts.extend(
        f"Afkappunt bereikt: {_condition(cutoff, _nl(cutoff.value))}, {_label(cutoff, 'nl')}."
        for cutoff in f.cutoffs_met
    )
    return " ".join(parts)
