"""Change per patient and not-on-track signals, ready for the results page and the plan.

Reads through :mod:`maatwerk.web.analysis.selectors` for a patient already opened;
judges with :mod:`maatwerk.core.analysis` (change, not_on_track) and the monitoring
content; turns every code into a label in the user's language.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maatwerk.core.analysis.change import (
    ChangeMethod,
    ChangeRule,
    Measurement,
    fixed_threshold_rule,
    jacobson_truax_rule,
    measurements_from_dates,
    trajectory,
)
from maatwerk.core.analysis.content import ExpectedCurveSettings, bundled_monitoring
from maatwerk.core.analysis.headline import Headline, lead_with_safety, outcome_headline
from maatwerk.core.analysis.not_on_track import (
    ClinicianRule,
    Episode,
    ExpectedRecoveryModel,
    InsufficientHistory,
    NotOnTrackSignal,
    SignalRule,
    SignalStatus,
    fit_expected_recovery,
    not_on_track_signal,
)
from maatwerk.core.analysis.reliable_change import (
    ClinicalSignificanceCategory,
    ReliableChangeCategory,
    ScoreDirection,
)
from maatwerk.core.bibliography import citations
from maatwerk.core.instruments.model import Scale
from maatwerk.core.instruments.numbers import display_number
from maatwerk.core.instruments.reference import SEXES_WITH_NORMS, UnknownSexNorm
from maatwerk.web.analysis import selectors
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.questionnaires.results import ResultRow

RELIABLE_CHANGE_LABELS = {
    ReliableChangeCategory.RELIABLE_IMPROVEMENT: gettext_lazy("reliable improvement"),
    ReliableChangeCategory.NO_RELIABLE_CHANGE: gettext_lazy("no reliable change"),
    ReliableChangeCategory.RELIABLE_DETERIORATION: gettext_lazy("reliable deterioration"),
}
OUTCOME_LABELS = {
    ClinicalSignificanceCategory.RECOVERED: gettext_lazy("recovered"),
    ClinicalSignificanceCategory.IMPROVED: gettext_lazy("improved"),
    ClinicalSignificanceCategory.UNCHANGED: gettext_lazy("unchanged"),
    ClinicalSignificanceCategory.DETERIORATED: gettext_lazy("deteriorated"),
}
NORM_CHOICE_LABELS = {
    UnknownSexNorm.CONSERVATIVE: gettext_lazy(
        "the stricter norm (larger spread, cut-off hardest to cross)"
    ),
    UnknownSexNorm.FEMALE: gettext_lazy("the norm for women"),
    UnknownSexNorm.MALE: gettext_lazy("the norm for men"),
}
STATUS_LABELS = {
    SignalStatus.NOT_ON_TRACK: gettext_lazy("not on track"),
    SignalStatus.ON_TRACK: gettext_lazy("on track"),
    SignalStatus.TOO_EARLY: gettext_lazy("too early to judge"),
    SignalStatus.NOT_A_CASE: gettext_lazy(
        "not judged: the score at the start is below the clinical range"
    ),
}


def number_text(value: float, language: str, digits: int = 2) -> str:
    """A float as people write it (2,5 in Dutch), rounded to ``digits`` decimals."""
    return display_number(Decimal(str(round(value, digits))), language)


def _language(language: str) -> str:
    return "en" if language == "en" else "nl"


# ------------------------------------------------------------------ the norm


@dataclass(frozen=True)
class NormOption:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class NormPanel:
    """Shown when the patient's sex has no norm of its own and a scale has norms by sex."""

    choice: UnknownSexNorm
    chosen_by_clinician: bool
    options: tuple[NormOption, ...]

    @property
    def choice_label(self) -> str:
        return str(NORM_CHOICE_LABELS[self.choice])


def _norms_by_sex(scale: Scale) -> bool:
    """Some group of norms (clinical, or functional) exists only per sex: then the norm
    of a patient without a norm for their sex has to be chosen."""
    groups: dict[bool, list[str | None]] = {}
    for norm in scale.norms:
        groups.setdefault(norm.group == "clinical", []).append(norm.sex)
    return any(len(sexes) > 1 and None not in sexes for sexes in groups.values())


def unknown_sex_norm(access: PatientAccess) -> UnknownSexNorm:
    """The norm rule for this patient: the clinician's choice, else the conservative one."""
    return selectors.norm_choice_of(access) or UnknownSexNorm.CONSERVATIVE


def norm_panel(
    access: PatientAccess, rows: Sequence[ResultRow], *, chosen: UnknownSexNorm | None
) -> NormPanel | None:
    """``chosen``: the clinician's norm choice (``selectors.norm_choice_of``, read once by
    the page)."""
    if access.patient.sex in SEXES_WITH_NORMS:
        return None
    if not any(row.scale is not None and _norms_by_sex(row.scale) for row in rows):
        return None
    choice = chosen or UnknownSexNorm.CONSERVATIVE
    return NormPanel(
        choice=choice,
        chosen_by_clinician=chosen is not None,
        options=tuple(
            NormOption(option.value, str(NORM_CHOICE_LABELS[option]), option is choice)
            for option in UnknownSexNorm
        ),
    )


# ------------------------------------------------------------------ per scale


@dataclass(frozen=True)
class _Scale:
    instrument_code: str
    instrument_name: str
    scale_name: str
    scale: Scale
    dates: tuple[date, ...]
    measurements: tuple[Measurement, ...]
    change_rule: str  # the latest row's change rule in the reader's words, "" without one


def change_rule_text(row: ResultRow) -> str:
    """The rule a row's change is judged by, named in the reader's language: the
    Jacobson–Truax index with where its SD and reliability come from, or the fixed rule's
    name with its sources; "" when the row has no rule."""
    if row.change_method == ChangeMethod.JACOBSON_TRUAX.value and row.reliable_change_basis:
        return _("Change rule: reliable change index (Jacobson–Truax), %(basis)s.") % {
            "basis": row.reliable_change_basis
        }
    if row.rule_name:
        return _("Change rule: %(rule)s.") % {"rule": row.rule_name}
    return ""


def _scales(rows: Sequence[ResultRow]) -> list[_Scale]:
    grouped: dict[tuple[str, str], list[tuple[date, float, Scale, ResultRow]]] = {}
    for row in rows:
        if row.value is not None and row.completed_at is not None and row.scale is not None:
            grouped.setdefault(row.scale_key, []).append(
                (row.completed_at.date(), float(row.value), row.scale, row)
            )
    found = []
    for (code, _scale_id), scored in grouped.items():
        dated = {day: value for day, value, _s, _r in scored}
        first = scored[0][3]
        found.append(
            _Scale(
                instrument_code=code,
                instrument_name=first.instrument_name,
                scale_name=first.scale_name,
                scale=scored[-1][2],
                dates=tuple(sorted(dated)),
                measurements=measurements_from_dates(list(dated.items())),
                change_rule=change_rule_text(scored[-1][3]),
            )
        )
    return found


@dataclass(frozen=True)
class FixedChange:
    """The IAPT-style fixed-threshold judgement of the latest score: the alternative."""

    instrument_name: str
    scale_name: str
    rule_name: str
    first: str
    latest: str
    category: str
    outcome: str
    sources: str
    unverified: bool
    note: str
    # A reassuring verdict next to an open safety signal: shown only with the signal
    # named (:func:`maatwerk.core.analysis.headline.outcome_headline`).
    with_open_signal: bool = False


def fixed_changes(
    rows: Sequence[ResultRow], language: str, *, open_safety_signals: int = 0
) -> list[FixedChange]:
    """For each scale the monitoring content gives a fixed threshold for (PHQ-9, GAD-7)."""
    lang = _language(language)
    monitoring = bundled_monitoring()
    found = []
    for item in _scales(rows):
        content = monitoring.fixed_change_rule(item.instrument_code, item.scale.id)
        if content is None or len(item.measurements) < 2:
            continue
        judged = trajectory(item.measurements, fixed_threshold_rule(content, item.scale))
        latest = judged.latest
        if latest.reliable_change is None:  # pragma: no cover - a follow-up is judged
            continue
        found.append(
            FixedChange(
                instrument_name=item.instrument_name,
                scale_name=item.scale_name,
                rule_name=str(content.name.get(lang, fallback=True) or content.id),
                first=number_text(judged.points[0].value, lang),
                latest=number_text(latest.value, lang),
                category=str(RELIABLE_CHANGE_LABELS[latest.reliable_change]),
                outcome="" if latest.outcome is None else str(OUTCOME_LABELS[latest.outcome]),
                sources=citations(content.sources),
                unverified=content.unverified,
                note=content.note or "",
                with_open_signal=Headline.WITH_OPEN_SIGNAL
                in {
                    outcome_headline(verdict, open_safety_signals=open_safety_signals)
                    for verdict in (latest.reliable_change, latest.outcome)
                },
            )
        )
    return found


# ------------------------------------------------------------------ not on track


@dataclass(frozen=True)
class EvidenceLine:
    when: date | None
    week: str
    score: str
    judgement: str
    counts_against: bool


@dataclass(frozen=True)
class EscalationView:
    label: str
    sources: str
    unverified: bool


@dataclass(frozen=True)
class SignalView:
    instrument_name: str
    scale_name: str
    status: str
    status_label: str
    flagged: bool
    rule_label: str
    clinician_defined: bool
    rule_text: str
    intake: str
    evidence: tuple[EvidenceLine, ...]
    options: tuple[EscalationView, ...]
    basis: str
    unverified: bool


def _rule_text(signal: NotOnTrackSignal) -> str:
    if signal.rule is SignalRule.CLINICIAN_DEFINED:
        return _(
            "Not on track when the latest %(count)s measurements in a row show no reliable "
            "improvement since the start; judged from measurement %(first)s on (the start "
            "counts as the first), so never on one early measurement."
        ) % {"count": signal.consecutive, "first": signal.earliest_measurement}
    return _(
        "Not on track when the latest %(count)s measurements in a row are worse than the "
        "expected recovery of similar patients of your organization allows; judged from "
        "measurement %(first)s on."
    ) % {"count": signal.consecutive, "first": signal.earliest_measurement}


def _judgement(line_signal: NotOnTrackSignal, index: int, lang: str) -> str:
    evidence = line_signal.evidence[index]
    if evidence.reliable_change is not None:
        return str(RELIABLE_CHANGE_LABELS[evidence.reliable_change])
    if evidence.expected is None or evidence.limit is None:  # pragma: no cover - by the rule
        return ""
    return _("expected %(expected)s, limit %(limit)s") % {
        "expected": number_text(evidence.expected, lang, 1),
        "limit": number_text(evidence.limit, lang, 1),
    }


def _signal_view(item: _Scale, signal: NotOnTrackSignal, lang: str) -> SignalView:
    by_week = dict(zip((m.week for m in item.measurements), item.dates, strict=True))
    clinician_defined = signal.rule is SignalRule.CLINICIAN_DEFINED
    return SignalView(
        instrument_name=item.instrument_name,
        scale_name=item.scale_name,
        status=signal.status.value,
        status_label=str(STATUS_LABELS[signal.status]),
        flagged=signal.flagged,
        rule_label=_("clinician-defined rule")
        if clinician_defined
        else _("expected-recovery curves of your organization"),
        clinician_defined=clinician_defined,
        rule_text=_rule_text(signal),
        intake=number_text(item.measurements[0].value, lang),
        evidence=tuple(
            EvidenceLine(
                when=by_week.get(e.week),
                week=number_text(e.week, lang, 1),
                score=number_text(e.score, lang),
                judgement=_judgement(signal, n, lang),
                counts_against=e.counts_against,
            )
            for n, e in enumerate(signal.evidence)
        ),
        options=tuple(
            EscalationView(
                label=str(o.label.get(lang, fallback=True) or o.id),
                sources=citations(o.sources),
                unverified=o.unverified,
            )
            for o in signal.options
        ),
        basis=item.change_rule,
        unverified=signal.unverified,
    )


HISTORY_CACHE_SECONDS = 24 * 60 * 60
"""How long a fitted history is kept; the key is the history's content, so new scores
give a new key at once (an operational choice)."""


def expected_recovery(
    episodes: Sequence[Episode], *, settings: ExpectedCurveSettings, direction: ScoreDirection
) -> ExpectedRecoveryModel | InsufficientHistory:
    """The organization's expected-recovery curves, fitted once per distinct history
    (the mixed model takes long enough with thousands of episodes to be kept)."""
    minimum = settings.minimum_measurements_per_episode
    if sum(1 for e in episodes if len(e.measurements) >= minimum) < settings.minimum_episodes:
        return fit_expected_recovery(episodes, settings=settings, direction=direction)
    content = repr((episodes, settings, direction.value)).encode()
    key = "analysis:expected-recovery:" + hashlib.sha256(content).hexdigest()
    cached = cache.get(key)
    if isinstance(cached, ExpectedRecoveryModel | InsufficientHistory):
        return cached
    fitted = fit_expected_recovery(episodes, settings=settings, direction=direction)
    cache.set(key, fitted, HISTORY_CACHE_SECONDS)
    return fitted


def not_on_track(
    access: PatientAccess,
    rows: Sequence[ResultRow],
    language: str,
    *,
    unknown_sex: UnknownSexNorm | None = None,
) -> list[SignalView]:
    """One signal per scale that has a change rule (Jacobson–Truax with the patient's
    norm, else a fixed threshold from the content): the organization's expected-recovery
    curves when it has enough history, else the clinician-defined rule. ``unknown_sex``:
    the patient's norm rule when the caller read it already (else read here)."""
    scales = _scales(rows)
    if not scales:  # nothing scored: the plan's flags and the norm choice are not needed
        return []
    lang = _language(language)
    monitoring = bundled_monitoring()
    rule = ClinicianRule.from_content(monitoring.clinician_rule)
    flags = selectors.clinician_flags_of(access)
    unknown = unknown_sex or unknown_sex_norm(access)
    views = []
    for item in scales:
        content = monitoring.fixed_change_rule(item.instrument_code, item.scale.id)
        fixed = None if content is None else fixed_threshold_rule(content, item.scale)
        change_rule: ChangeRule | None = (
            jacobson_truax_rule(item.scale, sex=access.patient.sex, unknown_sex=unknown) or fixed
        )
        if change_rule is None:
            continue
        history = expected_recovery(
            selectors.organization_episodes(access, item.instrument_code, item.scale.id),
            settings=monitoring.expected_curves,
            direction=ScoreDirection(item.scale.direction),
        )
        signal = not_on_track_signal(
            item.measurements,
            history,
            change_rule,
            rule=rule,
            options=monitoring.escalation_options,
            flags=flags,
            caseness=fixed,
        )
        views.append(_signal_view(item, signal, lang))
    return views


def signal_summary(signals: Sequence[SignalView]) -> str:
    """One line per flagged scale, to start the reason of a revision or a step up."""
    return "\n".join(
        _("%(scale)s: not on track by the %(rule)s (start %(intake)s, latest %(latest)s).")
        % {
            "scale": s.scale_name,
            "rule": s.rule_label,
            "intake": s.intake,
            "latest": s.evidence[-1].score if s.evidence else s.intake,
        }
        for s in signals
        if s.flagged
    )


def results_context(
    access: PatientAccess,
    rows: Sequence[ResultRow],
    language: str,
    *,
    open_safety_signals: int = 0,
    norm_choice: UnknownSexNorm | None,
) -> dict[str, object]:
    """What the results page adds: the norm choice, the fixed-threshold alternative and
    the not-on-track signals; with ``open_safety_signals`` whether the page leads with
    them (and no reassuring verdict stands alone). ``norm_choice``: the clinician's
    choice as the page read it (``selectors.norm_choice_of``), ``None`` when nobody chose."""
    return {
        "safety_first": lead_with_safety(open_safety_signals),
        "norm_panel": norm_panel(access, rows, chosen=norm_choice),
        "fixed_changes": fixed_changes(rows, language, open_safety_signals=open_safety_signals),
        "signals": not_on_track(
            access,
            rows,
            language,
            unknown_sex=norm_choice or UnknownSexNorm.CONSERVATIVE,
        ),
    }
