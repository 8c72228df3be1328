"""Summaries of a screening: for the patient (B1, 'je', no scores, no jargon) and for the
clinician (concise lines with evidence, used in the referral letter and the PDF)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from maatwerk.core.bibliography import citations, short_citation
from maatwerk.core.common.prose import Prose, load_prose
from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.explain import comparison_text
from maatwerk.core.instruments.numbers import display_number
from maatwerk.core.instruments.registry import get_instrument, scale_label
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.screening.content import ScreeningContent
from maatwerk.core.screening.model import (
    FactorFinding,
    JudgementEvidence,
    ReferralContext,
    RuleReason,
    ScaleEvidence,
    ScaleFinding,
    ScreeningProfile,
    SteppedCareAdvice,
)
from maatwerk.core.screening.texts import pick

__all__ = [
    "CareLevelChoice",
    "clinician_summary",
    "letter_summary",
    "patient_summary",
    "referral_context",
]

# Every sentence and name below is prose in ``content/prose/screening_summary.json``:
# ``patient.*`` and ``clinician.*`` lines, ``severity.*``, ``domain.*`` and ``missing.*``
# names, looked up by key and language.
PROSE_FILE = "screening_summary.json"


@cache
def _prose() -> Prose:
    return load_prose(PROSE_FILE)


@dataclass(frozen=True)
class CareLevelChoice:
    """The clinician's decision on the level of care: what was decided, what was advised
    and, when they differ, why the advice was overruled. Every summary says what was
    decided; only the clinician's summary also says what was advised and why not."""

    decided: str
    advised: str
    reason: str = ""

    @property
    def overruled(self) -> bool:
        return self.decided != self.advised


def _t(key: str, language: str, **values: str) -> str:
    return _prose().text(key, language, **values)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _listing(items: Iterable[str], language: str) -> str:
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + _t("listing.and", language) + words[-1]


# ------------------------------------------------------------------ patient


def patient_summary(
    profile: ScreeningProfile,
    advice: SteppedCareAdvice,
    *,
    language: str,
    knowledge: KnowledgeBase,
    content: ScreeningContent,
    choice: CareLevelChoice | None = None,
) -> tuple[str, ...]:
    """Short B1 sentences for the patient: complaints, what keeps them going, what helps
    already, the advice and why, and the patient's own wishes. No scores, no jargon.

    With the clinician's ``choice``, "our advice" is the level of care that was decided
    (never the overruled advice)."""
    lines: list[str] = []
    priorities = profile.priorities
    subgroups = [
        subgroup
        for adaptation in profile.subgroups
        for subgroup in content.subgroups
        if subgroup.id == adaptation.subgroup_id
    ]
    # Children and readers with low literacy get the essentials only: fewer, shorter lines.
    essentials = any(subgroup.summary == "essentials" for subgroup in subgroups)
    if priorities.complaints:
        names = [
            _lower_first(content.complaint(c).patient_name.get(language, fallback=True) or c)
            for c in priorities.complaints
        ]
        lines.append(_t("patient.complaints", language, items=_listing(names, language)))
    if priorities.own_words.strip():
        lines.append(_t("patient.own_words", language, text=priorities.own_words.strip()))
    for status, key in (("elevated", "risk"), ("present", "present"), ("low", "low")):
        if essentials and status != "present":
            continue
        found = [f.factor_id for f in profile.factors if f.status == status]
        if found:
            names = [content.factor_patient_name(f, language) for f in found]
            lines.append(_t(f"patient.{key}", language, items=_listing(names, language)))
    if profile.medication:
        lines.append(_t("patient.medication", language))
    severity_key = f"severity_{advice.severity}" if advice.severity else "severity_none"
    lines.append(_t(f"patient.{severity_key}", language))
    if profile.risk_profile.flagged and not essentials:
        lines.append(_t("patient.risk_profile", language))
    care_level = choice.decided if choice is not None else advice.care_level
    level_text = next(
        (t for t in content.rules.care_level_texts if t.care_level == care_level), None
    )
    if level_text is not None:
        text = level_text.patient_text.get(language, fallback=True) or ""
        lines.append(_t("patient.advice", language, text=text))
    lines.extend(
        preference.patient_text.get(language, fallback=True) or ""
        for preference in content.rules.help_preferences
        if preference.wants_help_now == priorities.wants_help_now
    )
    lines.extend(
        modality.patient_text.get(language, fallback=True) or ""
        for modality in content.rules.modality_preferences
        if modality.modality == priorities.modality
    )
    if priorities.first_problem.strip():
        first = priorities.first_problem.strip().rstrip(".!?… ")
        lines.append(_t("patient.first_problem", language, text=first))
    lines.extend(
        dict.fromkeys(
            subgroup.summary_line.get(language, fallback=True) or ""
            for subgroup in subgroups
            if subgroup.summary_line is not None
        )
    )
    return tuple(line for line in lines if line)


# ------------------------------------------------------------------ clinician


def _instrument_name(code: str, version: str) -> str:
    try:
        return get_instrument(code, version).short_name
    except UnknownInstrument:
        return code.upper()


def _evidence_text(finding: FactorFinding, language: str) -> str:
    parts = []
    for evidence in finding.evidence:
        if isinstance(evidence, ScaleEvidence):
            met = "" if evidence.met else _t("evidence.not_met", language)
            scale = scale_label(
                evidence.instrument, evidence.instrument_version, evidence.scale, language
            )
            comparison = comparison_text(
                evidence.value, evidence.operator, evidence.threshold, language
            )
            text = f"{scale} {comparison}{met}"
        elif isinstance(evidence, JudgementEvidence):
            key = "judged_present" if evidence.present else "judged_absent"
            text = _t(f"clinician.{key}", language)
        else:  # pragma: no cover - Evidence has two kinds
            continue
        if evidence.source:
            text += f" ({short_citation(evidence.source)})"
        if evidence.unverified:
            text += _t("clinician.unverified", language)
        parts.append(text)
    return "; ".join(parts)


def _cutoff_label(finding: ScaleFinding, cutoff_id: str, language: str) -> str:
    try:
        scale = get_instrument(finding.instrument, finding.instrument_version).scale(finding.scale)
    except (UnknownInstrument, KeyError):
        return cutoff_id
    for cutoff in scale.cutoffs:
        if cutoff.id == cutoff_id:
            return cutoff.label.get(language, fallback=True) or cutoff_id
    return cutoff_id


def _finding_text(finding: ScaleFinding, language: str) -> str:
    value = "—" if finding.value is None else display_number(finding.value, language)
    scale = scale_label(finding.instrument, finding.instrument_version, finding.scale, language)
    text = f"{scale} {value}"
    details = []
    if finding.band_label:
        details.append(pick(finding.band_label, language))
    details.extend(_cutoff_label(finding, cutoff, language) for cutoff in finding.cutoffs_met)
    if details:
        text += f" ({', '.join(details)})"
    if finding.unverified:
        text += _t("clinician.unverified", language)
    return text


def _reason_line(reason: RuleReason, language: str) -> str:
    text = "  - " + pick(reason.text, language)
    if reason.sources:
        text += f" ({citations(reason.sources)})"
    if reason.unverified:
        text += _t("clinician.unverified", language)
    return text


def _complaint_and_severity_lines(
    profile: ScreeningProfile,
    advice: SteppedCareAdvice,
    content: ScreeningContent,
    language: str,
) -> list[str]:
    """The complaints, the patient's own words and the severity: how both the clinician's
    summary and the letter begin."""
    lines: list[str] = []
    priorities = profile.priorities
    if priorities.complaints:
        names = [
            content.complaint(c).clinician_name.get(language, fallback=True) or c
            for c in priorities.complaints
        ]
        lines.append(_t("clinician.complaints", language, items=", ".join(names)))
    if priorities.own_words.strip():
        lines.append(_t("clinician.own_words", language, text=priorities.own_words.strip()))
    if advice.severity is None:
        lines.append(_t("clinician.severity_none", language))
    else:
        severity = _t(f"severity.{advice.severity}", language)
        lines.append(_t("clinician.severity", language, value=severity))
    return lines


def _domain_and_medication_lines(
    profile: ScreeningProfile,
    knowledge: KnowledgeBase,
    language: str,
    finding_text: Callable[[ScaleFinding, str], str],
) -> list[str]:
    """One line per functioning domain with findings (each finding worded by
    ``finding_text``) and one per medication flag: the same in the clinician's summary and
    the letter, which word a finding differently."""
    lines = []
    for domain in profile.domains:
        if domain.findings:
            items = "; ".join(finding_text(f, language) for f in domain.findings)
            domain_name = _t(f"domain.{domain.domain}", language)
            lines.append(_t("clinician.domain", language, domain=domain_name, items=items))
    for medication in profile.medication:
        flag = next(m for m in knowledge.medication.medication if m.id == medication.medication_id)
        lines.append(
            _t(
                "clinician.medication",
                language,
                name=flag.name.get(language, fallback=True) or flag.id,
                alt=flag.alternative.get(language, fallback=True) or "",
            ).strip()
        )
    return lines


def clinician_summary(
    profile: ScreeningProfile,
    advice: SteppedCareAdvice,
    *,
    language: str,
    knowledge: KnowledgeBase,
    content: ScreeningContent,
    choice: CareLevelChoice | None = None,
) -> tuple[str, ...]:
    """Concise lines with their evidence and provenance, for the clinician.

    With the clinician's ``choice`` the level of care is the decided one; when it
    overrules the advice, the advised level and the reason follow it."""
    lines = _complaint_and_severity_lines(profile, advice, content, language)
    lines.extend(_reason_line(reason, language) for reason in advice.severity_reasons)
    lines.extend(_care_level_lines(advice, choice, language, knowledge))
    lines.extend(
        _reason_line(reason, language)
        for reason in advice.care_level_reasons
        if reason not in profile.risk_profile.reasons  # listed under the risk profile
    )
    lines.extend(_reason_line(reason, language) for reason in advice.preference_notes)
    risk_key = "risk_yes" if profile.risk_profile.flagged else "risk_no"
    lines.append(_t(f"clinician.{risk_key}", language))
    lines.extend(_reason_line(reason, language) for reason in profile.risk_profile.reasons)
    not_assessed = []
    for finding in profile.factors:
        name = knowledge.factor(finding.factor_id).name.get(language, fallback=True) or ""
        if finding.status in ("elevated", "present", "low"):
            line = _t(
                f"clinician.{finding.status}",
                language,
                name=name,
                evidence=_evidence_text(finding, language),
            )
            marker = _t("clinician.unverified", language)
            if finding.unverified and not line.endswith(marker):
                line += marker
            lines.append(line)
        elif finding.status == "not_assessed":
            not_assessed.append(name.lower())
    if not_assessed:
        lines.append(_t("clinician.not_assessed", language, items=", ".join(not_assessed)))
    lines.extend(_domain_and_medication_lines(profile, knowledge, language, _finding_text))
    for adaptation in profile.subgroups:
        line = _t("clinician.subgroup", language, text=pick(adaptation.text, language))
        if adaptation.unverified:
            line += _t("clinician.unverified", language)
        lines.append(line)
    if advice.missing:
        missing = [_missing_name(item, language, knowledge) for item in advice.missing]
        lines.append(_t("clinician.missing", language, items=", ".join(missing)))
    lines.append(
        _t(
            "clinician.versions",
            language,
            version=advice.rules_version,
            knowledge=profile.knowledge_versions.get("factors", "?"),
        )
    )
    return tuple(lines)


def _care_level_lines(
    advice: SteppedCareAdvice,
    choice: CareLevelChoice | None,
    language: str,
    knowledge: KnowledgeBase,
) -> list[str]:
    def name(level_id: str) -> str:
        return knowledge.care_level(level_id).name.get(language, fallback=True) or ""

    if choice is None:
        return [_t("clinician.care_level", language, value=name(advice.care_level))]
    lines = [_t("clinician.care_level_decided", language, value=name(choice.decided))]
    if choice.overruled:
        lines.append(
            _t(
                "clinician.care_level_overruled",
                language,
                advised=name(choice.advised),
                reason=" ".join(choice.reason.split()),
            )
        )
    return lines


def _missing_name(item: str, language: str, knowledge: KnowledgeBase) -> str:
    if item.startswith("factor:"):
        factor_id = item.removeprefix("factor:")
        return (knowledge.factor(factor_id).name.get(language, fallback=True) or factor_id).lower()
    key = f"missing.{item}"
    return _t(key, language) if key in _prose() else item


# ------------------------------------------------------------------ letter


def _letter_evidence(finding: FactorFinding, language: str) -> str:
    """The scores a factor rests on, with their instrument, and the clinician's own
    judgement: what a colleague reads, without thresholds, sources or marks."""
    met = [
        evidence
        for evidence in finding.evidence
        if isinstance(evidence, JudgementEvidence)
        or (isinstance(evidence, ScaleEvidence) and evidence.met)
    ]
    parts = []
    for evidence in met or finding.evidence:
        if isinstance(evidence, ScaleEvidence):
            scale = scale_label(
                evidence.instrument, evidence.instrument_version, evidence.scale, language
            )
            parts.append(f"{scale} {display_number(evidence.value, language)}")
        elif isinstance(evidence, JudgementEvidence):
            key = "judged_present" if evidence.present else "judged_absent"
            parts.append(_t(f"clinician.{key}", language))
    return "; ".join(parts)


def _letter_finding(finding: ScaleFinding, language: str) -> str:
    value = "—" if finding.value is None else display_number(finding.value, language)
    scale = scale_label(finding.instrument, finding.instrument_version, finding.scale, language)
    details = []
    if finding.band_label:
        details.append(pick(finding.band_label, language))
    details.extend(_cutoff_label(finding, cutoff, language) for cutoff in finding.cutoffs_met)
    return f"{scale} {value}" + (f" ({', '.join(details)})" if details else "")


def _letter_care_level(
    advice: SteppedCareAdvice,
    choice: CareLevelChoice | None,
    language: str,
    knowledge: KnowledgeBase,
) -> list[str]:
    def name(level_id: str) -> str:
        return knowledge.care_level(level_id).name.get(language, fallback=True) or ""

    if choice is None:
        return [_t("clinician.care_level", language, value=name(advice.care_level))]
    if not choice.overruled:
        return [_t("letter.care_level_as_advised", language, value=name(choice.decided))]
    return _care_level_lines(advice, choice, language, knowledge)


def letter_summary(
    profile: ScreeningProfile,
    advice: SteppedCareAdvice,
    *,
    language: str,
    knowledge: KnowledgeBase,
    content: ScreeningContent,
    choice: CareLevelChoice | None = None,
) -> tuple[str, ...]:
    """The screening's findings as a referral letter to a colleague gives them: the
    complaints, the severity, the level of care (the decided one, and why when it
    overrules the advice), the psychological risk profile, each factor with the scores
    (instrument and value) or the judgement it rests on, functioning per domain with what
    each score means, medication to discuss and what is still to be assessed.

    Unlike :func:`clinician_summary` it holds no explanations of the screening's rules,
    no sources, no rule or knowledge versions and no content-verification marks: those
    are for the clinician who reads the knowledge behind the advice, not for the letter.
    """
    lines = _complaint_and_severity_lines(profile, advice, content, language)
    lines.extend(_letter_care_level(advice, choice, language, knowledge))
    risk_key = "risk_yes" if profile.risk_profile.flagged else "risk_no"
    lines.append(_t(f"clinician.{risk_key}", language))
    not_assessed = []
    for finding in profile.factors:
        name = knowledge.factor(finding.factor_id).name.get(language, fallback=True) or ""
        if finding.status in ("elevated", "present", "low"):
            evidence = _letter_evidence(finding, language)
            lines.append(
                _t(f"clinician.{finding.status}", language, name=name, evidence=evidence)
                if evidence
                else _t(f"letter.{finding.status}", language, name=name)
            )
        elif finding.status == "not_assessed":
            not_assessed.append(name.lower())
    if not_assessed:
        lines.append(_t("clinician.not_assessed", language, items=", ".join(not_assessed)))
    lines.extend(_domain_and_medication_lines(profile, knowledge, language, _letter_finding))
    lines.extend(
        _t("clinician.subgroup", language, text=pick(adaptation.text, language))
        for adaptation in profile.subgroups
    )
    if advice.missing:
        missing = [_missing_name(item, language, knowledge) for item in advice.missing]
        lines.append(_t("clinician.missing", language, items=", ".join(missing)))
    return tuple(lines)


def referral_context(
    profile: ScreeningProfile,
    advice: SteppedCareAdvice,
    *,
    language: str,
    knowledge: KnowledgeBase,
    content: ScreeningContent,
    choice: CareLevelChoice | None = None,
) -> ReferralContext:
    """What a referral letter takes from the screening, in the letter's language: the
    decided level of care when the clinician decided (the advice otherwise)."""
    return ReferralContext(
        care_level=choice.decided if choice is not None else advice.care_level,
        severity=advice.severity,
        factor_ids=(*profile.elevated_risk_factors, *profile.low_resilience_factors),
        modality=profile.priorities.modality,
        summary_lines=clinician_summary(
            profile, advice, language=language, knowledge=knowledge, content=content, choice=choice
        ),
        advised_care_level=advice.care_level,
        letter_lines=letter_summary(
            profile, advice, language=language, knowledge=knowledge, content=content, choice=choice
        ),
    )
