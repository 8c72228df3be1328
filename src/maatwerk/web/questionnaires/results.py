"""Scale results as rows for the clinician: value, band, change and reliable change from
the first (baseline) administration, computed by the core.

Every row's verdict comes from the one rule the patient's change on the scale is judged
by (:func:`maatwerk.core.analysis.change.change_rule`: Jacobson–Truax with the norm of
the patient's sex or the one chosen for them, else the content's fixed threshold), the
rule the course chart's band is drawn with; the patient's own page words these rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from maatwerk.core.analysis.change import ChangeMethod, FixedThresholdRule, change_rule, judge
from maatwerk.core.analysis.content import bundled_monitoring
from maatwerk.core.analysis.headline import Headline, outcome_headline
from maatwerk.core.analysis.monitoring import still_deteriorated
from maatwerk.core.bibliography import citations
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.model import Instrument, Scale
from maatwerk.core.instruments.numbers import display_number
from maatwerk.core.instruments.reference import (
    ChangeReference,
    NormChoice,
    NormSelection,
    SignificanceReference,
    UnknownSexNorm,
    change_reference,
    significance_reference,
)
from maatwerk.web.questionnaires.instruments import instrument_for
from maatwerk.web.questionnaires.models import ScaleResult

if TYPE_CHECKING:  # chart_book builds its courses from these rows
    from maatwerk.web.monitoring.chart_book import FeedbackChart

NORM_SELECTION_REASONS = {
    NormSelection.RESPONDENT_SEX: gettext_lazy("the norm for the patient's sex"),
    NormSelection.FOR_EVERYONE: gettext_lazy("a norm for everyone, not by sex"),
    NormSelection.ONLY_NORM: gettext_lazy("the only norm available"),
    NormSelection.CHOSEN_SEX: gettext_lazy("sex not recorded, the norm chosen for this patient"),
    NormSelection.LARGER_SD: gettext_lazy("sex unknown, the norm with the largest spread"),
    NormSelection.STRICTER_CUTOFF: gettext_lazy(
        "sex unknown, the norm whose cut-off is hardest to cross"
    ),
}


NORM_SEX = {"female": gettext_lazy("women"), "male": gettext_lazy("men")}


def norm_choice_text(choice: NormChoice) -> str:
    """Which norm a result used and why, in the user's language: "norm: Löwe et al.
    (2008), women — sex unknown, the norm with the largest spread"."""
    sex = NORM_SEX.get(choice.sex or "")
    return _("norm: %(population)s — %(reason)s") % {
        "population": choice.population if sex is None else f"{choice.population}, {sex}",
        "reason": NORM_SELECTION_REASONS[choice.selection],
    }


@dataclass(frozen=True)
class Significance:
    """Clinical significance of a result against the first one, under the row's rule."""

    category: str  # recovered, improved, unchanged or deteriorated
    cutoff: float
    criterion: str  # Jacobson–Truax: "c" between the two norms, "a" clinical norm only;
    # "" for a fixed threshold, whose caseness cut-off its rule's name states
    basis: str
    unverified: bool
    norm_choice: str = ""  # which norms and why, e.g. the stricter one when sex is unknown


@dataclass(frozen=True)
class _Verdict:
    category: str
    significance: Significance | None
    basis: str
    unverified: bool
    norm_text: str
    method: str
    rule_name: str
    threshold_points: float


# How the kinds of reliability are named in a result's basis.
RELIABILITY_NAMES = {
    "cronbach_alpha": gettext_lazy("Cronbach's alpha"),
    "test_retest": gettext_lazy("test-retest reliability"),
    "icc": gettext_lazy("intraclass correlation (ICC)"),
}


def _number(value: float, language: str) -> str:
    """A content value (read as a float) as the language writes it: 6,1 in Dutch."""
    return display_number(Decimal(str(value)), language)


def reliable_change_basis(reference: ChangeReference, scale: Scale, language: str) -> str:
    """Where a Jacobson–Truax verdict's SD and reliability come from, in the reader's
    language: "SD 6,1 (Kroenke et al. (2001), n = 41); Cronbach's alpha 0,89"."""
    reliability = scale.reliability[0]  # the one change_reference uses
    return _("SD %(sd)s (%(norm)s); %(reliability)s %(value)s") % {
        "sd": _number(reference.sd, language),
        "norm": reference.norm.population,
        "reliability": RELIABILITY_NAMES[reliability.kind],
        "value": _number(float(reliability.value), language),
    }


def _significance_basis(norms: SignificanceReference, language: str) -> str:
    """The norms of a clinical-significance verdict: "Kroenke et al. (2001): 17,1 ± 6,1"."""
    used = [(norms.clinical_norm, norms.clinical)]
    if norms.functional_norm is not None and norms.functional is not None:
        used.append((norms.functional_norm, norms.functional))
    return "; ".join(
        f"{choice.population}: {_number(values.mean, language)} ± {_number(values.sd, language)}"
        for choice, values in used
    )


def fixed_rule_name(code: str, scale_id: str, language: str) -> str:
    """The fixed-threshold rule of a scale in words with its sources ("NHS Talking
    Therapies (IAPT): … (Gyani et al. 2013)"), never its code; "" without one."""
    content = bundled_monitoring().fixed_change_rule(code, scale_id)
    if content is None:
        return ""
    name = content.name.get(language, fallback=True) or ""
    return f"{name} ({citations(content.sources)})"


def _verdict(
    scale: Scale,
    code: str,
    sex: str,
    first: Decimal,
    latest: Decimal,
    unknown_sex: UnknownSexNorm,
    language: str,
) -> _Verdict | None:
    """The change from ``first`` to ``latest`` under the one rule the scale is judged by
    (:func:`change_rule`, as the chart's band), with what it rests on in words."""
    rule = change_rule(
        scale,
        sex=sex or None,
        unknown_sex=unknown_sex,
        fixed=bundled_monitoring().fixed_change_rule(code, scale.id),
    )
    if rule is None:
        return None
    found = judge(float(first), float(latest), rule)
    if isinstance(rule, FixedThresholdRule):
        name = fixed_rule_name(code, scale.id, language)
        return _Verdict(
            category=found.category.value,
            significance=None
            if found.outcome is None or found.cutoff is None
            else Significance(found.outcome.value, found.cutoff, "", name, rule.unverified),
            basis=name,
            unverified=rule.unverified,
            norm_text="",
            method=ChangeMethod.FIXED_THRESHOLD.value,
            rule_name=name,
            threshold_points=found.threshold_points,
        )
    # The texts of a Jacobson–Truax verdict: where its SD, reliability and norms come from.
    reference = change_reference(scale, sex=sex, unknown_sex=unknown_sex)
    norms = significance_reference(scale, sex=sex, unknown_sex=unknown_sex)
    if reference is None:  # pragma: no cover - change_rule found the same reference
        return None
    significance = None
    if found.outcome is not None and found.cutoff is not None and norms is not None:
        significance = Significance(
            category=found.outcome.value,
            cutoff=found.cutoff,
            criterion=norms.criterion,
            basis=_significance_basis(norms, language),
            unverified=norms.unverified or reference.unverified,
            norm_choice="; ".join(
                norm_choice_text(choice)
                for choice in (norms.clinical_norm, norms.functional_norm)
                if choice is not None
            ),
        )
    sex_name = NORM_SEX.get(reference.norm.sex or "")
    return _Verdict(
        category=found.category.value,
        significance=significance,
        basis=reliable_change_basis(reference, scale, language),
        unverified=reference.unverified,
        norm_text=norm_choice_text(reference.norm),
        method=ChangeMethod.JACOBSON_TRUAX.value,
        rule_name=reference.norm.population
        if sex_name is None
        else f"{reference.norm.population}, {sex_name}",
        threshold_points=found.threshold_points,
    )


@dataclass(frozen=True)
class ResultRow:
    instrument_name: str
    scale_name: str
    completed_at: datetime | None
    value: Decimal | None
    band: str
    change: Decimal | None
    reliable_change: str  # category code, or "" when not computable
    clinical_significance: Significance | None  # None without a clinical norm
    reliable_change_basis: str  # where SD and reliability come from
    basis_unverified: bool
    reliable_change_norm: str
    no_reference: bool  # the instrument file has no reliability and norm SD for this scale
    scale_key: tuple[str, str]
    organization_id: int | None = None  # the patient's: whose instruments apply
    scale: Scale | None = field(default=None, repr=False, compare=False)  # of this version
    # How the score was computed, shown when the patient decided whether an item for one
    # sex applies (sex not recorded): counted, or left out with the smaller range.
    explanation: str = ""
    patient_instrument_name: str = ""  # the name a patient reads (the patient's pages)
    # The rule the change is judged by (a ChangeMethod value, "" without one), in words
    # (the norm's population or the fixed rule's name) and the change in points it
    # counts as reliable: the chart's band is drawn with the same threshold.
    change_method: str = ""
    rule_name: str = ""
    threshold_points: float | None = None


def _instrument(
    memo: dict[tuple[int, str, str | None], Instrument | None],
    organization_id: int,
    code: str,
    version: str | None,
) -> Instrument | None:
    """The organization's instrument (bundled or imported), looked up once per call."""
    key = (organization_id, code, version)
    if key not in memo:
        try:
            memo[key] = instrument_for(organization_id, code, version)
        except UnknownInstrument:
            memo[key] = None
    return memo[key]


def _scale(instrument: Instrument | None, scale_id: str) -> Scale | None:
    if instrument is None:
        return None
    return next((scale for scale in instrument.scales if scale.id == scale_id), None)


def result_rows(
    results: Iterable[ScaleResult],
    *,
    language: str,
    unknown_sex: UnknownSexNorm = UnknownSexNorm.CONSERVATIVE,
) -> list[ResultRow]:
    """``unknown_sex``: the norm for a patient whose sex has no norm of its own (the
    clinician's choice, ``maatwerk.web.analysis``; conservative when nobody chose).

    The rows keep the order of the administrations; within one administration the
    scales follow the instrument's definition (its total or primary scale first), so
    every page that groups the rows by scale lists the total before the subscales."""
    rows: list[tuple[tuple[int, int], ResultRow]] = []
    administrations: dict[int, int] = {}
    baseline: dict[tuple[str, str], Decimal] = {}
    memo: dict[tuple[int, str, str | None], Instrument | None] = {}
    for result in results:
        assignment = result.assignment
        instrument = _instrument(
            memo,
            assignment.patient.organization_id,
            assignment.instrument_code,
            assignment.instrument_version,
        )
        scale = _scale(instrument, result.scale_id)
        if instrument is None or scale is None:
            continue
        lang = "en" if language == "en" else "nl"
        key = (instrument.code, scale.id)
        order = (
            administrations.setdefault(assignment.pk, len(administrations)),
            instrument.scales.index(scale),
        )
        change: Decimal | None = None
        verdict: _Verdict | None = None
        if result.value is not None:
            first = baseline.setdefault(key, result.value)
            if first is not result.value:
                change = result.value - first
                verdict = _verdict(
                    scale,
                    instrument.code,
                    assignment.patient.sex,
                    first,
                    result.value,
                    unknown_sex,
                    lang,
                )
        rows.append(
            (
                order,
                ResultRow(
                    instrument_name=instrument.name.get(lang, fallback=True) or instrument.code,
                    patient_instrument_name=instrument.patient_label(lang),
                    scale_name=scale.name.get(lang, fallback=True) or scale.id,
                    completed_at=assignment.completed_at,
                    value=result.value,
                    band=result.band,
                    change=change,
                    reliable_change="" if verdict is None else verdict.category,
                    clinical_significance=None if verdict is None else verdict.significance,
                    reliable_change_basis="" if verdict is None else verdict.basis,
                    basis_unverified=verdict is not None and verdict.unverified,
                    reliable_change_norm="" if verdict is None else verdict.norm_text,
                    no_reference=change is not None and verdict is None,
                    scale_key=key,
                    organization_id=assignment.patient.organization_id,
                    scale=scale,
                    explanation=_decided_explanation(instrument, result.explanation, lang),
                    change_method="" if verdict is None else verdict.method,
                    rule_name="" if verdict is None else verdict.rule_name,
                    threshold_points=None if verdict is None else verdict.threshold_points,
                ),
            )
        )
    return [row for _order, row in sorted(rows, key=lambda found: found[0])]


def _decided_explanation(instrument: Instrument, explanation: object, language: str) -> str:
    """The core's explanation of a score in which the patient decided whether an item
    for one sex applies; empty otherwise (the band says enough). Item codes are read as
    the instrument's numbers ("item 4"), never shown as codes."""
    if not isinstance(explanation, dict) or not explanation.get("items_decided_by_respondent"):
        return ""
    text = str(explanation.get(f"text_{language}") or explanation.get("text_nl") or "")
    numbers = {item.id: position for position, item in enumerate(instrument.items, start=1)}
    # Longest codes first, so "phq15_1" never replaces the start of "phq15_10".
    for item_id in sorted(numbers, key=len, reverse=True):
        text = text.replace(item_id, _("item %(number)s") % {"number": numbers[item_id]})
    return text


@dataclass(frozen=True)
class ScaleHistory:
    instrument_name: str
    scale_name: str
    rows: tuple[ResultRow, ...]
    chart: FeedbackChart | None  # the course with its reliable-change band
    # Positions in ``rows`` whose reliable change, or clinical significance, reads as
    # "it goes better" while a safety signal is open: the page names the signal there
    # (:func:`maatwerk.core.analysis.headline.outcome_headline`).
    change_beside_signal: frozenset[int] = frozenset()
    significance_beside_signal: frozenset[int] = frozenset()


def scale_histories(
    rows: list[ResultRow], courses: Iterable[FeedbackChart] = (), *, open_safety_signals: int = 0
) -> list[ScaleHistory]:
    """Rows grouped per instrument scale, each with its course chart from ``courses``
    (:func:`maatwerk.web.monitoring.chart_book.questionnaire_courses` of the same rows)
    and, given the patient's open safety signals, the verdicts to show beside them."""
    grouped: dict[tuple[str, str], list[ResultRow]] = {}
    for row in rows:
        grouped.setdefault(row.scale_key, []).append(row)
    charts = {chart.topic: chart for chart in courses}

    def beside_signal(verdicts: Iterable[str | None]) -> frozenset[int]:
        return frozenset(
            position
            for position, verdict in enumerate(verdicts)
            if outcome_headline(verdict, open_safety_signals=open_safety_signals)
            is Headline.WITH_OPEN_SIGNAL
        )

    return [
        ScaleHistory(
            instrument_name=scale_rows[0].instrument_name,
            scale_name=scale_rows[0].scale_name,
            rows=tuple(scale_rows),
            chart=charts.get(f"scale:{code}:{scale_id}"),
            change_beside_signal=beside_signal(r.reliable_change for r in scale_rows),
            significance_beside_signal=beside_signal(
                r.clinical_significance.category if r.clinical_significance else None
                for r in scale_rows
            ),
        )
        for (code, scale_id), scale_rows in grouped.items()
    ]


@dataclass(frozen=True)
class Deterioration:
    """A scale whose latest score is reliably worse than the first (under its rule)."""

    instrument_name: str
    scale_name: str
    first: Decimal
    latest: Decimal
    completed_at: datetime | None


def deteriorations(rows: list[ResultRow]) -> list[Deterioration]:
    """The scales whose most recent result is a reliable deterioration from baseline: the
    monitoring signal that the plan needs a review (stepped care: escalate)."""
    scored = [row for row in rows if row.value is not None]
    flagged = set(still_deteriorated((row.scale_key, row.reliable_change) for row in scored))
    latest = {row.scale_key: row for row in scored if row.scale_key in flagged}
    return [
        Deterioration(
            instrument_name=row.instrument_name,
            scale_name=row.scale_name,
            first=row.value - row.change,
            latest=row.value,
            completed_at=row.completed_at,
        )
        for row in latest.values()
        if row.value is not None and row.change is not None
    ]


def deterioration_summary(found: list[Deterioration]) -> str:
    """One line per finding, in the active language, to start a revision or step-up reason."""
    return "\n".join(
        _("%(scale)s: reliably worse than at the first measurement (%(first)s → %(latest)s).")
        % {
            "scale": finding.scale_name,
            "first": display_number(finding.first, get_language() or "nl"),
            "latest": display_number(finding.latest, get_language() or "nl"),
        }
        for finding in found
    )
