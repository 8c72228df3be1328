"""Scale results as rows for the clinician: value, band, change and reliable change from
the first (baseline) administration, computed by the core."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from maatwerk.core.analysis.monitoring import still_deteriorated
from maatwerk.core.analysis.reliable_change import (
    NormGroup,
    clinical_significance,
    reliable_change_index,
)
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.model import Instrument, Scale
from maatwerk.core.instruments.numbers import display_number
from maatwerk.core.instruments.reference import (
    ChangeReference,
    NormChoice,
    NormSelection,
    UnknownSexNorm,
    change_reference,
    significance_reference,
)
from maatwerk.web.questionnaires.charts import score_chart_svg
from maatwerk.web.questionnaires.instruments import instrument_for
from maatwerk.web.questionnaires.models import ScaleResult

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
    """Jacobson–Truax clinical significance of a result against the first one."""

    category: str  # recovered, improved, unchanged or deteriorated
    cutoff: float
    criterion: Literal["a", "c"]  # c: between the two norms; a: clinical norm only
    basis: str
    unverified: bool
    norm_choice: str = ""  # which norms and why, e.g. the stricter one when sex is unknown


def _significance(
    scale: Scale,
    sex: str,
    first: Decimal,
    latest: Decimal,
    reference: ChangeReference,
    unknown_sex: UnknownSexNorm = UnknownSexNorm.CONSERVATIVE,
) -> Significance | None:
    norms = significance_reference(scale, sex=sex, unknown_sex=unknown_sex)
    if norms is None:
        return None
    result = clinical_significance(
        pre=float(first),
        post=float(latest),
        sd=reference.sd,
        reliability=reference.reliability,
        direction=scale.direction,
        clinical=NormGroup(mean=norms.clinical.mean, sd=norms.clinical.sd),
        functional=None
        if norms.functional is None
        else NormGroup(mean=norms.functional.mean, sd=norms.functional.sd),
        criterion=norms.criterion,
    )
    return Significance(
        category=result.category.value,
        cutoff=result.cutoff,
        criterion=norms.criterion,
        basis=norms.basis,
        unverified=norms.unverified or reference.unverified,
        norm_choice="; ".join(
            norm_choice_text(choice)
            for choice in (norms.clinical_norm, norms.functional_norm)
            if choice is not None
        ),
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
        category = ""
        basis = ""
        norm_text = ""
        unverified = False
        no_reference = False
        significance: Significance | None = None
        if result.value is not None:
            first = baseline.setdefault(key, result.value)
            if first is not result.value:
                change = result.value - first
                reference = change_reference(
                    scale, sex=assignment.patient.sex, unknown_sex=unknown_sex
                )
                if reference is None:
                    no_reference = True
                else:
                    basis, unverified = reference.basis, reference.unverified
                    norm_text = norm_choice_text(reference.norm)
                    category = reliable_change_index(
                        pre=float(first),
                        post=float(result.value),
                        sd=reference.sd,
                        reliability=reference.reliability,
                        direction=scale.direction,
                    ).category.value
                    significance = _significance(
                        scale,
                        assignment.patient.sex,
                        first,
                        result.value,
                        reference,
                        unknown_sex,
                    )
        rows.append(
            (
                order,
                ResultRow(
                    instrument_name=instrument.name.get(lang, fallback=True) or instrument.code,
                    scale_name=scale.name.get(lang, fallback=True) or scale.id,
                    completed_at=assignment.completed_at,
                    value=result.value,
                    band=result.band,
                    change=change,
                    reliable_change=category,
                    clinical_significance=significance,
                    reliable_change_basis=basis,
                    basis_unverified=unverified,
                    reliable_change_norm=norm_text,
                    no_reference=no_reference,
                    scale_key=key,
                    organization_id=assignment.patient.organization_id,
                    scale=scale,
                    explanation=_decided_explanation(instrument, result.explanation, lang),
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
    chart_svg: str


def scale_histories(rows: list[ResultRow]) -> list[ScaleHistory]:
    """Rows grouped per instrument scale, each with a chart of its scores."""
    grouped: dict[tuple[str, str], list[ResultRow]] = {}
    for row in rows:
        grouped.setdefault(row.scale_key, []).append(row)
    histories = []
    memo: dict[tuple[int, str, str | None], Instrument | None] = {}
    for (code, scale_id), scale_rows in grouped.items():
        # The chart uses the latest version's range and bands, else the row's own.
        organization_id = scale_rows[0].organization_id
        latest = None if organization_id is None else _instrument(memo, organization_id, code, None)
        scale = _scale(latest, scale_id) or scale_rows[-1].scale
        if scale is None:  # pragma: no cover - rows come from result_rows
            continue
        points = [
            (row.completed_at, row.value)
            for row in scale_rows
            if row.completed_at is not None and row.value is not None
        ]
        chart = score_chart_svg(
            points,
            low=Decimal(str(scale.range.min)),
            high=Decimal(str(scale.range.max)),
            bands=[(Decimal(str(b.min)), Decimal(str(b.max))) for b in scale.bands],
            title=f"{scale_rows[0].instrument_name}: {scale_rows[0].scale_name}",
        )
        histories.append(
            ScaleHistory(
                instrument_name=scale_rows[0].instrument_name,
                scale_name=scale_rows[0].scale_name,
                rows=tuple(scale_rows),
                chart_svg=chart,
            )
        )
    return histories


@dataclass(frozen=True)
class Deterioration:
    """A scale whose latest score is reliably worse than the first (Jacobson–Truax)."""

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
