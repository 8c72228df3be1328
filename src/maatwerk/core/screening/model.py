"""The values that go into a screening and come out of it.

Inputs are what was measured and said: scale scores from questionnaires
(``ScaleObservation``), the patient's own statement of complaints and priorities
(``PatientPriorities``), the clinician's SCEGS exploration (``ScegsAssessment``) and the
patient's subgroup facts (``SubgroupFacts``). The outputs — the biopsychosocial
``ScreeningProfile`` and the ``SteppedCareAdvice`` — carry their reasoning: every
finding names its evidence (instrument, scale, score, operator, threshold, source) or the
clinician's judgement, and everything that rests on an unverified rule says so.

Everything here is an immutable value; the functions that compute them are in
``maatwerk.core.screening.profile`` and ``maatwerk.core.screening.stepped_care``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

Domain = Literal["physical", "psychological", "social"]
FactorKind = Literal["risk", "resilience"]
Severity = Literal["mild", "moderate", "severe"]
FunctionalLimitation = Literal["none", "light", "moderate", "severe"]
# Earlier treatment of these complaints: "none" = first presentation (not treated before);
# "primary_care" = treated in general practice (GP, POH-GGZ, physiotherapist, primary-care
# psychologist); "mental_health_care" = treated in basic or specialised mental health care
# or a multidisciplinary centre.
EarlierTreatment = Literal["none", "primary_care", "mental_health_care"]
HelpWanted = Literal["yes", "no", "unsure"]
Modality = Literal["online", "face_to_face", "blended", "no_preference"]
Operator = Literal[">", ">=", "<", "<=", "=="]

FactorStatus = Literal[
    # risk factors
    "elevated",  # an instrument threshold was met or the clinician judged it present
    "not_elevated",  # measured and below every threshold, and not judged present
    # resilience factors
    "present",  # judged or measured present: a strength
    "low",  # judged or measured absent/low: a missing strength
    # either
    "not_assessed",  # no score and no judgement: unknown, never silently "fine"
]


@dataclass(frozen=True, slots=True)
class ScaleObservation:
    """One computed scale score, as stored after a questionnaire was completed."""

    instrument: str
    instrument_version: str
    scale: str
    value: Decimal | None
    measured_on: date | None = None


@dataclass(frozen=True, slots=True)
class PatientPriorities:
    """What the patient says, in their own words and choices (the screening intake)."""

    complaints: tuple[str, ...] = ()  # complaint ids from the screening content
    own_words: str = ""  # the main complaint as the patient puts it
    first_problem: str = ""  # which problem the patient wants to work on first
    wants_help_now: HelpWanted = "unsure"
    modality: Modality = "no_preference"


@dataclass(frozen=True, slots=True)
class ScegsAssessment:
    """The clinician's SCEGS exploration (NHG: somatic, cognitive, emotional, behavioural,
    social), the part of the severity estimate no questionnaire gives."""

    conditions: tuple[str, ...] = ()  # condition ids (working hypothesis)
    symptom_clusters: tuple[str, ...] = ()  # cluster ids; empty = derive from complaints
    duration_weeks: int | None = None
    functional_limitation: FunctionalLimitation | None = None
    earlier_treatment: EarlierTreatment | None = None  # None: not asked yet
    comorbidity: tuple[str, ...] = ()  # comorbidity ids from the stepped-care rules
    medication: tuple[str, ...] = ()  # medication flag ids from the knowledge base
    judged_factors: Mapping[str, bool] = field(default_factory=dict)  # factor id -> present
    notes: str = ""


@dataclass(frozen=True, slots=True)
class SubgroupFacts:
    age_years: int | None = None
    low_literacy: bool = False
    migration_background: bool = False
    parent_involved: bool = False


@dataclass(frozen=True, slots=True)
class ScreeningInput:
    observations: tuple[ScaleObservation, ...] = ()
    priorities: PatientPriorities = field(default_factory=PatientPriorities)
    scegs: ScegsAssessment = field(default_factory=ScegsAssessment)
    subgroups: SubgroupFacts = field(default_factory=SubgroupFacts)


@dataclass(frozen=True, slots=True)
class ScaleEvidence:
    """A factor measure evaluated on a score: ``value operator threshold`` is ``met``."""

    instrument: str
    instrument_version: str
    scale: str
    value: Decimal
    operator: Operator
    threshold: Decimal
    met: bool
    source: str | None
    unverified: bool


@dataclass(frozen=True, slots=True)
class JudgementEvidence:
    """The clinician judged the factor present (True) or absent (False)."""

    present: bool
    source: str | None
    unverified: bool


Evidence = ScaleEvidence | JudgementEvidence


@dataclass(frozen=True, slots=True)
class FactorFinding:
    factor_id: str
    kind: FactorKind
    domain: Literal["biological", "psychological", "social"]
    scegs: str
    status: FactorStatus
    evidence: tuple[Evidence, ...]
    unverified: bool  # the status rests on an unverified threshold or rule


@dataclass(frozen=True, slots=True)
class ScaleFinding:
    """A functioning score placed against its instrument's bands and cut-offs."""

    instrument: str
    instrument_version: str
    scale: str
    value: Decimal | None
    band_id: str | None
    band_label: Mapping[str, str]  # language -> label
    cutoffs_met: tuple[str, ...]  # cut-off ids of the instrument that were met
    unverified: bool


@dataclass(frozen=True, slots=True)
class DomainFunctioning:
    domain: Domain
    findings: tuple[ScaleFinding, ...]
    risk_factors_elevated: tuple[str, ...]
    resilience_low: tuple[str, ...]
    resilience_present: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleReason:
    """One reason in a chain of reasoning: the rule that fired and why."""

    rule_id: str
    text: Mapping[str, str]  # language -> explanation for the clinician
    sources: tuple[str, ...]
    unverified: bool


@dataclass(frozen=True, slots=True)
class RiskProfile:
    """The psychological risk profile (Evers: patients with elevated distress)."""

    flagged: bool
    reasons: tuple[RuleReason, ...]
    unverified: bool


@dataclass(frozen=True, slots=True)
class MedicationFinding:
    medication_id: str
    flag: Literal["to_discuss"]


@dataclass(frozen=True, slots=True)
class SubgroupAdaptation:
    subgroup_id: str  # e.g. child, adolescent, older_adult, low_literacy, migration
    text: Mapping[str, str]
    sources: tuple[str, ...]
    unverified: bool
    patient_text: Mapping[str, str] = field(default_factory=dict)  # how patient texts adapt


@dataclass(frozen=True, slots=True)
class ScreeningProfile:
    domains: tuple[DomainFunctioning, ...]
    factors: tuple[FactorFinding, ...]
    risk_profile: RiskProfile
    medication: tuple[MedicationFinding, ...]
    priorities: PatientPriorities
    subgroups: tuple[SubgroupAdaptation, ...]
    knowledge_versions: Mapping[str, str]

    def factor(self, factor_id: str) -> FactorFinding:
        for finding in self.factors:
            if finding.factor_id == factor_id:
                return finding
        raise KeyError(factor_id)

    @property
    def elevated_risk_factors(self) -> tuple[str, ...]:
        return tuple(f.factor_id for f in self.factors if f.status == "elevated")

    @property
    def low_resilience_factors(self) -> tuple[str, ...]:
        return tuple(f.factor_id for f in self.factors if f.status == "low")


@dataclass(frozen=True, slots=True)
class SteppedCareAdvice:
    severity: Severity | None  # None: too little known to estimate
    severity_reasons: tuple[RuleReason, ...]
    care_level: str  # care level id from the knowledge base
    care_level_reasons: tuple[RuleReason, ...]
    preference_notes: tuple[RuleReason, ...]  # the patient's wishes and what they change
    missing: tuple[str, ...]  # what the clinician still needs to assess (e.g. "duration")
    unverified: bool
    rules_version: str


@dataclass(frozen=True, slots=True)
class EscalationAdvice:
    """The next step up when monitoring finds treatment stagnates."""

    from_level: str
    to_level: str | None  # None: already at the most intensive level
    reasons: tuple[RuleReason, ...]
    unverified: bool


@dataclass(frozen=True, slots=True)
class ReferralContext:
    """What a referral letter takes from the latest screening (clinician level)."""

    care_level: str | None  # the clinician's decision when made, else the advice
    severity: Severity | None
    factor_ids: tuple[str, ...]  # elevated risk factors and low resilience factors
    modality: Modality
    summary_lines: tuple[str, ...]  # in the language the letter is written in
    advised_care_level: str | None = None  # what the screening advised
    # The findings as the referral letter states them (``summary.letter_summary``): no
    # rule explanations, sources or verification marks, unlike ``summary_lines``.
    letter_lines: tuple[str, ...] = ()

    @property
    def care_level_chosen(self) -> bool:
        """The clinician chose another level than advised: never call it the advice."""
        return self.care_level != self.advised_care_level


StepStatus = Literal["include", "skip", "pending"]


@dataclass(frozen=True, slots=True)
class StepDecision:
    """One instrument of a battery for this patient: included, skipped (its condition
    is not met) or pending (it has a condition and the intake is not done yet)."""

    instrument: str
    status: StepStatus
    reason: Mapping[str, str]  # language -> why
