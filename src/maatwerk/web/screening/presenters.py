"""A stored profile and its advice as plain rows for the screen and the PDF.

Ids become names in the reader's language (from the knowledge base, the screening content
and the instrument definitions); every row keeps its evidence and unverified mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from maatwerk.core.instruments.errors import UnknownInstrument
from maatwerk.core.instruments.explain import comparison_text
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.numbers import display_number
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.screening.content import ScreeningContent
from maatwerk.core.screening.model import (
    FactorFinding,
    JudgementEvidence,
    RuleReason,
    ScaleEvidence,
    ScreeningProfile,
    SteppedCareAdvice,
)
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.questionnaires.instruments import instrument_for
from maatwerk.web.screening.models import Screening
from maatwerk.web.screening.selectors import latest_profile_screening, open_screening_for_patient


def localized(text: LocalizedText | Mapping[str, object] | None, language: str) -> str:
    """The text of a LocalizedText or a language mapping, falling back to the other."""
    if text is None:
        return ""
    if isinstance(text, Mapping):
        return str(text.get(language) or text.get("en") or text.get("nl") or "")
    return str(text.get(language, fallback=True) or text.get("nl") or "")


def severity_label(severity: str | None) -> str:
    return {
        "mild": _("mild"),
        "moderate": _("moderate"),
        "severe": _("severe"),
    }.get(severity or "", _("not yet known"))


def missing_label(item: str) -> str:
    return {
        "duration": _("how long the complaints have lasted"),
        "duration_weeks": _("how long the complaints have lasted"),
        "functional_limitation": _("how much the complaints limit daily life"),
        "symptom_clusters": _("which symptom clusters are affected"),
        "complaints": _("the patient's complaints (intake)"),
        "earlier_treatment": _("whether the complaints were treated before"),
    }.get(item, item.replace("_", " "))


def status_label(status: str) -> str:
    return {
        "elevated": _("elevated"),
        "not_elevated": _("not elevated"),
        "present": _("present"),
        "low": _("low"),
        "not_assessed": _("not assessed"),
    }.get(status, status)


def wants_help_label(value: str) -> str:
    return {"yes": _("yes"), "no": _("no"), "unsure": _("not sure yet")}.get(value, value)


def modality_label(value: str) -> str:
    return {
        "online": _("online"),
        "face_to_face": _("face to face"),
        "blended": _("both online and face to face"),
        "no_preference": _("no preference"),
    }.get(value, value)


def _number(value: Decimal | None, language: str) -> str:
    """A score as the reader's language writes it (a decimal comma in Dutch)."""
    return "—" if value is None else display_number(value, language)


@dataclass
class EvidenceRow:
    text: str
    source: str
    unverified: bool
    met: bool


@dataclass
class FactorRow:
    factor_id: str
    name: str
    kind: str
    status: str
    status_label: str
    domain: str
    scegs: str
    unverified: bool
    evidence: list[EvidenceRow] = field(default_factory=list)


@dataclass
class ScaleRow:
    instrument: str
    scale: str
    value: str
    band: str
    cutoffs: str
    unverified: bool


@dataclass
class DomainRow:
    domain: str
    label: str
    scales: list[ScaleRow]
    risk_elevated: list[str]
    resilience_low: list[str]
    resilience_present: list[str]


@dataclass
class ReasonRow:
    text: str
    sources: str
    unverified: bool


@dataclass
class ProfileView:
    domains: list[DomainRow]
    risk_factors: list[FactorRow]
    resilience_factors: list[FactorRow]
    not_assessed: list[FactorRow]
    risk_flagged: bool
    risk_reasons: list[ReasonRow]
    risk_unverified: bool
    medication: list[str]
    complaints: list[str]
    own_words: str
    first_problem: str
    wants_help_now: str
    modality: str
    subgroups: list[ReasonRow]
    severity: str
    severity_reasons: list[ReasonRow]
    care_level: str
    care_level_id: str
    care_level_reasons: list[ReasonRow]
    preference_notes: list[ReasonRow]
    missing: list[str]
    advice_unverified: bool


def _domain_label(domain: str) -> str:
    return {
        "physical": _("Physical functioning"),
        "psychological": _("Psychological functioning"),
        "social": _("Social functioning"),
    }.get(domain, domain)


class Namer:
    """Names for ids, in one language, for one organization's content."""

    def __init__(
        self,
        *,
        knowledge: KnowledgeBase,
        content: ScreeningContent,
        language: str,
        organization_id: int,
    ) -> None:
        self.knowledge = knowledge
        self.content = content
        self.language = language
        self.organization_id = organization_id
        self._sources = {s.id: s for s in knowledge.sources.sources}
        # Each lookup reads the organization's licensed texts; a page names the same
        # instrument for every step and scale row, so it is read once per page.
        self._instruments: dict[tuple[str, str | None], Instrument | None] = {}

    def _instrument(self, code: str, version: str | None) -> Instrument | None:
        key = (code, version)
        if key not in self._instruments:
            try:
                self._instruments[key] = instrument_for(self.organization_id, code, version)
            except UnknownInstrument:
                self._instruments[key] = None
        return self._instruments[key]

    def factor(self, factor_id: str) -> str:
        try:
            return localized(self.knowledge.factor(factor_id).name, self.language)
        except KeyError:
            return factor_id

    def missing(self, item: str) -> str:
        """What the clinician still has to assess; a factor that could change the advice
        is named (``factor:<id>``)."""
        if item.startswith("factor:"):
            name = self.factor(item.removeprefix("factor:"))
            return _("your judgement of %(factor)s") % {"factor": name}
        return missing_label(item)

    def care_level(self, level_id: str | None) -> str:
        if not level_id:
            return "—"
        try:
            return localized(self.knowledge.care_level(level_id).name, self.language)
        except KeyError:
            return level_id

    def medication(self, medication_id: str) -> str:
        for flag in self.knowledge.medication.medication:
            if flag.id == medication_id:
                return localized(flag.name, self.language)
        return medication_id

    def complaint(self, complaint_id: str, *, for_patient: bool = False) -> str:
        try:
            complaint = self.content.complaint(complaint_id)
        except (KeyError, LookupError):
            return complaint_id
        return localized(
            complaint.patient_name if for_patient else complaint.clinician_name, self.language
        )

    def instrument(self, code: str, version: str | None = None) -> str:
        instrument = self._instrument(code, version)
        return instrument.short_name if instrument is not None else code.upper()

    def patient_instrument(self, code: str, version: str | None = None) -> str:
        """The questionnaire's name as a patient reads it (never the bare code)."""
        instrument = self._instrument(code, version)
        return instrument.patient_label(self.language) if instrument is not None else code.upper()

    def scale(self, code: str, version: str | None, scale_id: str) -> str:
        instrument = self._instrument(code, version)
        if instrument is None:
            return scale_id
        for scale in instrument.scales:
            if scale.id == scale_id:
                return localized(scale.name, self.language)
        return scale_id

    def source(self, source_id: str | None) -> str:
        if not source_id:
            return ""
        found = self._sources.get(source_id)
        return found.citation if found is not None else source_id


def _evidence(evidence: ScaleEvidence | JudgementEvidence, namer: Namer) -> EvidenceRow:
    if isinstance(evidence, ScaleEvidence):
        outcome = _("met") if evidence.met else _("not met")
        comparison = comparison_text(
            evidence.value, evidence.operator, evidence.threshold, namer.language
        )
        text = (
            f"{namer.instrument(evidence.instrument, evidence.instrument_version)} "
            f"{namer.scale(evidence.instrument, evidence.instrument_version, evidence.scale)}: "
            f"{comparison} ({outcome})"
        )
        return EvidenceRow(text, namer.source(evidence.source), evidence.unverified, evidence.met)
    text = (
        _("Clinician's judgement: present")
        if evidence.present
        else _("Clinician's judgement: absent")
    )
    return EvidenceRow(text, namer.source(evidence.source), evidence.unverified, evidence.present)


def _factor(finding: FactorFinding, namer: Namer) -> FactorRow:
    return FactorRow(
        factor_id=finding.factor_id,
        name=namer.factor(finding.factor_id),
        kind=finding.kind,
        status=finding.status,
        status_label=status_label(finding.status),
        domain=finding.domain,
        scegs=finding.scegs,
        unverified=finding.unverified,
        evidence=[_evidence(e, namer) for e in finding.evidence],
    )


def _reasons(reasons: tuple[RuleReason, ...], namer: Namer) -> list[ReasonRow]:
    return [
        ReasonRow(
            text=localized(reason.text, namer.language),
            sources="; ".join(namer.source(s) for s in reason.sources),
            unverified=reason.unverified,
        )
        for reason in reasons
    ]


def profile_view(profile: ScreeningProfile, advice: SteppedCareAdvice, namer: Namer) -> ProfileView:
    factors = [_factor(f, namer) for f in profile.factors]
    domains = [
        DomainRow(
            domain=domain.domain,
            label=_domain_label(domain.domain),
            scales=[
                ScaleRow(
                    instrument=namer.instrument(f.instrument, f.instrument_version),
                    scale=namer.scale(f.instrument, f.instrument_version, f.scale),
                    value=_number(f.value, namer.language),
                    band=localized(f.band_label, namer.language) if f.band_label else "",
                    cutoffs=", ".join(f.cutoffs_met),
                    unverified=f.unverified,
                )
                for f in domain.findings
            ],
            risk_elevated=[namer.factor(i) for i in domain.risk_factors_elevated],
            resilience_low=[namer.factor(i) for i in domain.resilience_low],
            resilience_present=[namer.factor(i) for i in domain.resilience_present],
        )
        for domain in profile.domains
    ]
    priorities = profile.priorities
    return ProfileView(
        domains=domains,
        risk_factors=[f for f in factors if f.kind == "risk" and f.status != "not_assessed"],
        resilience_factors=[
            f for f in factors if f.kind == "resilience" and f.status != "not_assessed"
        ],
        not_assessed=[f for f in factors if f.status == "not_assessed"],
        risk_flagged=profile.risk_profile.flagged,
        risk_reasons=_reasons(profile.risk_profile.reasons, namer),
        risk_unverified=profile.risk_profile.unverified,
        medication=[namer.medication(m.medication_id) for m in profile.medication],
        complaints=[namer.complaint(c) for c in priorities.complaints],
        own_words=priorities.own_words,
        first_problem=priorities.first_problem,
        wants_help_now=wants_help_label(priorities.wants_help_now),
        modality=modality_label(priorities.modality),
        subgroups=[
            ReasonRow(
                text=localized(s.text, namer.language),
                sources="; ".join(namer.source(x) for x in s.sources),
                unverified=s.unverified,
            )
            for s in profile.subgroups
        ],
        severity=severity_label(advice.severity),
        severity_reasons=_reasons(advice.severity_reasons, namer),
        care_level=namer.care_level(advice.care_level),
        care_level_id=advice.care_level,
        care_level_reasons=_reasons(advice.care_level_reasons, namer),
        preference_notes=_reasons(advice.preference_notes, namer),
        missing=[namer.missing(m) for m in advice.missing],
        advice_unverified=advice.unverified,
    )


# ------------------------------------------------------------------ the portal card


@dataclass(frozen=True)
class ScreeningCard:
    """The screening card on the patient's portal home: the screening that still asks
    something of them, else the newest one with a summary to read."""

    screening: Screening | None
    summarized: Screening | None


def screening_card(access: PatientAccess) -> ScreeningCard:
    """Computed by the portal view (its page read is already audited); the template tag
    only renders it."""
    return ScreeningCard(
        screening=open_screening_for_patient(access),
        summarized=latest_profile_screening(access),
    )
