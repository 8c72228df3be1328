"""Summaries of a screening: for the patient (B1, 'je', no scores, no jargon) and for the
clinician (concise lines with evidence, used in the referral letter and the PDF)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.numbers import display_number
from maatwerk.core.instruments.registry import get_instrument
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

__all__ = ["clinician_summary", "patient_summary", "referral_context"]

_PATIENT = {
    "complaints": {
        "nl": "Je hebt veel last van: {items}.",
        "en": "You are bothered a lot by: {items}.",
    },
    "own_words": {"nl": "Zo zeg je het zelf: “{text}”", "en": "In your own words: “{text}”"},
    "risk": {
        "nl": "Dit kan je klachten langer laten duren: {items}.",
        "en": "This can make your complaints last longer: {items}.",
    },
    "present": {"nl": "Wat je al helpt: {items}.", "en": "What already helps you: {items}."},
    "low": {
        "nl": "Hier kun je nog sterker in worden: {items}.",
        "en": "You can grow stronger in this: {items}.",
    },
    "medication": {
        "nl": "Je gebruikt al lang bepaalde medicijnen. Je zorgverlener wil dat graag met je "
        "bespreken. Er zijn ook manieren zonder medicijnen.",
        "en": "You have been taking certain medicines for a long time. Your care provider would "
        "like to talk about this with you. There are also ways without medicines.",
    },
    "severity_mild": {
        "nl": "Je klachten zijn niet zo zwaar.",
        "en": "Your complaints are not so heavy.",
    },
    "severity_moderate": {
        "nl": "Je klachten zijn best zwaar.",
        "en": "Your complaints are quite heavy.",
    },
    "severity_severe": {
        "nl": "Je klachten zijn zwaar en duren al lang.",
        "en": "Your complaints are heavy and have lasted a long time.",
    },
    "severity_none": {
        "nl": "We weten nog niet genoeg voor een goed advies. Je zorgverlener stelt je eerst nog "
        "een paar vragen.",
        "en": "We don't know enough yet for good advice. Your care provider will first ask you a "
        "few more questions.",
    },
    "advice": {"nl": "Ons advies: {text}", "en": "Our advice: {text}"},
    "risk_profile": {
        "nl": "Je klachten hebben ook invloed op hoe je je voelt en wat je denkt. Daar kun je "
        "hulp bij krijgen.",
        "en": "Your complaints also affect how you feel and what you think. You can get help "
        "with that.",
    },
    "first_problem": {
        "nl": "Je wilt eerst werken aan: {text}.",
        "en": "You want to work on this first: {text}.",
    },
}

_CLINICIAN = {
    "severity": {"nl": "Ernst: {value}", "en": "Severity: {value}"},
    "severity_none": {"nl": "Ernst: niet te schatten", "en": "Severity: not estimable"},
    "care_level": {"nl": "Geadviseerd zorgniveau: {value}", "en": "Advised care level: {value}"},
    "risk_yes": {
        "nl": "Psychologisch risicoprofiel: ja",
        "en": "Psychological risk profile: yes",
    },
    "risk_no": {
        "nl": "Psychologisch risicoprofiel: nee",
        "en": "Psychological risk profile: no",
    },
    "elevated": {"nl": "Verhoogd: {name} — {evidence}", "en": "Elevated: {name} — {evidence}"},
    "present": {
        "nl": "Beschermend aanwezig: {name} — {evidence}",
        "en": "Resilience present: {name} — {evidence}",
    },
    "low": {
        "nl": "Beschermend laag: {name} — {evidence}",
        "en": "Resilience low: {name} — {evidence}",
    },
    "not_assessed": {"nl": "Niet beoordeeld: {items}", "en": "Not assessed: {items}"},
    "domain": {"nl": "Functioneren {domain}: {items}", "en": "Functioning {domain}: {items}"},
    "medication": {"nl": "Te bespreken: {name}. {alt}", "en": "To discuss: {name}. {alt}"},
    "complaints": {"nl": "Klachten: {items}", "en": "Complaints: {items}"},
    "own_words": {"nl": "In eigen woorden: “{text}”", "en": "In own words: “{text}”"},
    "missing": {"nl": "Nog te beoordelen: {items}", "en": "Still to assess: {items}"},
    "subgroup": {"nl": "Aanpassing: {text}", "en": "Adaptation: {text}"},
    "judged_present": {"nl": "klinisch oordeel: aanwezig", "en": "clinician judged present"},
    "judged_absent": {"nl": "klinisch oordeel: afwezig", "en": "clinician judged absent"},
    "unverified": {"nl": " (onbevestigd)", "en": " (unverified)"},
    "versions": {
        "nl": "Regels versie {version}; kennisbank {knowledge}.",
        "en": "Rules version {version}; knowledge base {knowledge}.",
    },
}
_SEVERITY_NAMES = {
    "mild": {"nl": "licht", "en": "mild"},
    "moderate": {"nl": "matig ernstig", "en": "moderate"},
    "severe": {"nl": "ernstig", "en": "severe"},
}
_DOMAIN_NAMES = {
    "physical": {"nl": "lichamelijk", "en": "physical"},
    "psychological": {"nl": "psychisch", "en": "psychological"},
    "social": {"nl": "sociaal", "en": "social"},
}
_MISSING_NAMES = {
    "symptom_clusters": {"nl": "symptoomclusters", "en": "symptom clusters"},
    "functional_limitation": {"nl": "functionele beperking", "en": "functional limitation"},
    "duration": {"nl": "klachtduur", "en": "duration"},
    "earlier_treatment": {"nl": "eerdere behandeling", "en": "earlier treatment"},
}


def _t(table: Mapping[str, Mapping[str, str]], key: str, language: str, **values: str) -> str:
    return pick(table[key], language).format(**values)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _listing(items: Iterable[str], language: str) -> str:
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    last = " en " if pick({"nl": "nl", "en": "en"}, language) == "nl" else " and "
    return ", ".join(words[:-1]) + last + words[-1]


# ------------------------------------------------------------------ patient


def patient_summary(
    profile: ScreeningProfile,
    advice: SteppedCareAdvice,
    *,
    language: str,
    knowledge: KnowledgeBase,
    content: ScreeningContent,
) -> tuple[str, ...]:
    """Short B1 sentences for the patient: complaints, what keeps them going, what helps
    already, the advice and why, and the patient's own wishes. No scores, no jargon."""
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
        lines.append(_t(_PATIENT, "complaints", language, items=_listing(names, language)))
    if priorities.own_words.strip():
        lines.append(_t(_PATIENT, "own_words", language, text=priorities.own_words.strip()))
    for status, key in (("elevated", "risk"), ("present", "present"), ("low", "low")):
        if essentials and status != "present":
            continue
        found = [f.factor_id for f in profile.factors if f.status == status]
        if found:
            names = [content.factor_patient_name(f, language) for f in found]
            lines.append(_t(_PATIENT, key, language, items=_listing(names, language)))
    if profile.medication:
        lines.append(_t(_PATIENT, "medication", language))
    severity_key = f"severity_{advice.severity}" if advice.severity else "severity_none"
    lines.append(_t(_PATIENT, severity_key, language))
    if profile.risk_profile.flagged and not essentials:
        lines.append(_t(_PATIENT, "risk_profile", language))
    level_text = next(
        (t for t in content.rules.care_level_texts if t.care_level == advice.care_level), None
    )
    if level_text is not None:
        text = level_text.patient_text.get(language, fallback=True) or ""
        lines.append(_t(_PATIENT, "advice", language, text=text))
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
        lines.append(_t(_PATIENT, "first_problem", language, text=first))
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
            name = _instrument_name(evidence.instrument, evidence.instrument_version)
            met = (
                ""
                if evidence.met
                else pick({"nl": " (niet gehaald)", "en": " (not met)"}, language)
            )
            text = (
                f"{name} {evidence.scale} {display_number(evidence.value, language)} "
                f"{evidence.operator} {display_number(evidence.threshold, language)}{met}"
            )
        elif isinstance(evidence, JudgementEvidence):
            key = "judged_present" if evidence.present else "judged_absent"
            text = _t(_CLINICIAN, key, language)
        else:  # pragma: no cover - Evidence has two kinds
            continue
        if evidence.source:
            text += f" [{evidence.source}]"
        if evidence.unverified:
            text += _t(_CLINICIAN, "unverified", language)
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
    name = _instrument_name(finding.instrument, finding.instrument_version)
    value = "—" if finding.value is None else display_number(finding.value, language)
    text = f"{name} {finding.scale} {value}"
    details = []
    if finding.band_label:
        details.append(pick(finding.band_label, language))
    details.extend(_cutoff_label(finding, cutoff, language) for cutoff in finding.cutoffs_met)
    if details:
        text += f" ({', '.join(details)})"
    if finding.unverified:
        text += _t(_CLINICIAN, "unverified", language)
    return text


def _reason_line(reason: RuleReason, language: str) -> str:
    text = "  - " + pick(reason.text, language)
    if reason.sources:
        text += f" [{', '.join(reason.sources)}]"
    if reason.unverified:
        text += _t(_CLINICIAN, "unverified", language)
    return text


def clinician_summary(
    profile: ScreeningProfile,
    advice: SteppedCareAdvice,
    *,
    language: str,
    knowledge: KnowledgeBase,
    content: ScreeningContent,
) -> tuple[str, ...]:
    """Concise lines with their evidence and provenance, for the clinician."""
    lines: list[str] = []
    priorities = profile.priorities
    if priorities.complaints:
        names = [
            content.complaint(c).clinician_name.get(language, fallback=True) or c
            for c in priorities.complaints
        ]
        lines.append(_t(_CLINICIAN, "complaints", language, items=", ".join(names)))
    if priorities.own_words.strip():
        lines.append(_t(_CLINICIAN, "own_words", language, text=priorities.own_words.strip()))
    if advice.severity is None:
        lines.append(_t(_CLINICIAN, "severity_none", language))
    else:
        severity = pick(_SEVERITY_NAMES[advice.severity], language)
        lines.append(_t(_CLINICIAN, "severity", language, value=severity))
    lines.extend(_reason_line(reason, language) for reason in advice.severity_reasons)
    level = knowledge.care_level(advice.care_level).name.get(language, fallback=True) or ""
    lines.append(_t(_CLINICIAN, "care_level", language, value=level))
    lines.extend(
        _reason_line(reason, language)
        for reason in advice.care_level_reasons
        if reason not in profile.risk_profile.reasons  # listed under the risk profile
    )
    lines.extend(_reason_line(reason, language) for reason in advice.preference_notes)
    risk_key = "risk_yes" if profile.risk_profile.flagged else "risk_no"
    lines.append(_t(_CLINICIAN, risk_key, language))
    lines.extend(_reason_line(reason, language) for reason in profile.risk_profile.reasons)
    not_assessed = []
    for finding in profile.factors:
        name = knowledge.factor(finding.factor_id).name.get(language, fallback=True) or ""
        if finding.status in ("elevated", "present", "low"):
            line = _t(
                _CLINICIAN,
                finding.status,
                language,
                name=name,
                evidence=_evidence_text(finding, language),
            )
            marker = _t(_CLINICIAN, "unverified", language)
            if finding.unverified and not line.endswith(marker):
                line += marker
            lines.append(line)
        elif finding.status == "not_assessed":
            not_assessed.append(name.lower())
    if not_assessed:
        lines.append(_t(_CLINICIAN, "not_assessed", language, items=", ".join(not_assessed)))
    for domain in profile.domains:
        if domain.findings:
            items = "; ".join(_finding_text(f, language) for f in domain.findings)
            domain_name = pick(_DOMAIN_NAMES[domain.domain], language)
            lines.append(_t(_CLINICIAN, "domain", language, domain=domain_name, items=items))
    for medication in profile.medication:
        flag = next(m for m in knowledge.medication.medication if m.id == medication.medication_id)
        lines.append(
            _t(
                _CLINICIAN,
                "medication",
                language,
                name=flag.name.get(language, fallback=True) or flag.id,
                alt=flag.alternative.get(language, fallback=True) or "",
            ).strip()
        )
    for adaptation in profile.subgroups:
        line = _t(_CLINICIAN, "subgroup", language, text=pick(adaptation.text, language))
        if adaptation.unverified:
            line += _t(_CLINICIAN, "unverified", language)
        lines.append(line)
    if advice.missing:
        missing = [_missing_name(item, language, knowledge) for item in advice.missing]
        lines.append(_t(_CLINICIAN, "missing", language, items=", ".join(missing)))
    lines.append(
        _t(
            _CLINICIAN,
            "versions",
            language,
            version=advice.rules_version,
            knowledge=profile.knowledge_versions.get("factors", "?"),
        )
    )
    return tuple(lines)


def _missing_name(item: str, language: str, knowledge: KnowledgeBase) -> str:
    if item.startswith("factor:"):
        factor_id = item.removeprefix("factor:")
        return (knowledge.factor(factor_id).name.get(language, fallback=True) or factor_id).lower()
    return pick(_MISSING_NAMES.get(item, {"en": item}), language)


def referral_context(
    profile: ScreeningProfile,
    advice: SteppedCareAdvice,
    *,
    language: str,
    knowledge: KnowledgeBase,
    content: ScreeningContent,
) -> ReferralContext:
    """What a referral letter takes from the screening, in the letter's language."""
    return ReferralContext(
        care_level=advice.care_level,
        severity=advice.severity,
        factor_ids=(*profile.elevated_risk_factors, *profile.low_resilience_factors),
        modality=profile.priorities.modality,
        summary_lines=clinician_summary(
            profile, advice, language=language, knowledge=knowledge, content=content
        ),
    )
