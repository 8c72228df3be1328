"""Screening content as frozen, typed values (the schema of the JSON data files).

Four files in ``maatwerk/content/screening/``, each one JSON object with ``collection``
and ``version``: ``complaints`` (the complaint list of the screening intake and the
symptom clusters), ``batteries`` (which instruments a setting or condition screens
with, and when a step is skipped), ``stepped_care`` (severity, care level, preference,
psychological-risk-profile and escalation rules) and ``subgroups`` (children,
adolescents, older adults, low literacy, migration background). Every rule carries
``sources`` (ids from the knowledge base's ``sources``) or ``unverified: true`` with a
note; the JSON Schemas in ``docs/screening/`` are generated from these classes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool, StrictInt, StrictStr

from maatwerk.core.instruments.base import Frozen, Identifier, Number, Operator, SourceId, Version
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.model import ConditionKind, Provenance

__all__ = [
    "FILE_MODELS",
    "BatteriesFile",
    "Battery",
    "BatteryStep",
    "CareLevelText",
    "CareRule",
    "CareRuleCondition",
    "Cluster",
    "ClusterCriterion",
    "Comorbidity",
    "Complaint",
    "ComplaintAny",
    "ComplaintWith",
    "ComplaintsFile",
    "DurationRule",
    "EarlierTreatmentRule",
    "EscalationStep",
    "FactorPatientName",
    "HelpPreference",
    "LimitationCriterion",
    "ModalityPreference",
    "PatientTextsFile",
    "RiskProfileRule",
    "ScoreThreshold",
    "ScreeningFile",
    "SeverityRules",
    "SteppedCareFile",
    "Subgroup",
    "SubgroupMatch",
    "SubgroupsFile",
]

SeverityLevel = Literal["mild", "moderate", "severe"]
Limitation = Literal["none", "light", "moderate", "severe"]
Criterion = Literal["symptom_clusters", "duration", "functional_limitation"]
Setting = Literal["general_practice", "ggz_intake", "condition"]


class ScoreThreshold(Frozen):
    """``scale`` of ``instrument`` meets ``operator`` ``threshold`` (checked against the
    instrument: the scale must exist and the threshold lie inside its range)."""

    instrument: Identifier
    instrument_version: Version | None = Field(
        default=None, description="Leave out to use the latest bundled version."
    )
    scale: Identifier
    operator: Operator
    threshold: Number
    source: SourceId | None = None
    unverified: StrictBool = False
    note: StrictStr | None = None


# ---------------------------------------------------------------- complaints.json


class Cluster(Provenance):
    """A symptom cluster (a body system) used to count the spread of complaints."""

    id: Identifier
    name: LocalizedText
    description: LocalizedText | None = None


class Complaint(Frozen):
    """One complaint the patient can pick in the screening intake."""

    id: Identifier
    clinician_name: LocalizedText
    patient_name: LocalizedText = Field(description="Plain language at B1 level.")
    cluster: Identifier
    pain: StrictBool = Field(description="A pain complaint: drives the skip logic of batteries.")
    conditions: tuple[Identifier, ...] = Field(
        default=(), description="Knowledge-base conditions this complaint is typical of."
    )


class ComplaintsFile(Frozen):
    collection: Literal["complaints"]
    version: Version
    clusters: tuple[Cluster, ...] = Field(min_length=1)
    complaints: tuple[Complaint, ...] = Field(min_length=1)


# ---------------------------------------------------------------- batteries.json


class ComplaintWith(Frozen):
    """The step applies when the patient reports at least one complaint of this kind."""

    complaint_with: Literal["pain"]


class ComplaintAny(Frozen):
    """The step applies when the patient reports any of these complaints."""

    complaint_any: tuple[Identifier, ...] = Field(min_length=1)


StepCondition = ComplaintWith | ComplaintAny


class BatteryStep(Frozen):
    instrument: Identifier
    instrument_version: Version | None = None
    when: StepCondition | None = Field(
        default=None, description="Leave out to always include the step."
    )
    reason: LocalizedText = Field(description="Why the step is in the battery (shown included).")
    skip_reason: LocalizedText | None = Field(
        default=None, description="Shown when the condition is not met; required with 'when'."
    )


class Battery(Provenance):
    """A screening battery. The intake (the patient's complaints and priorities) always
    comes first and is not a step."""

    id: Identifier
    name: LocalizedText
    description: LocalizedText
    setting: Setting
    conditions: tuple[Identifier, ...] = ()
    steps: tuple[BatteryStep, ...] = Field(min_length=1)


class BatteriesFile(Frozen):
    collection: Literal["batteries"]
    version: Version
    batteries: tuple[Battery, ...] = Field(min_length=1)


# ---------------------------------------------------------------- stepped_care.json


class ClusterCriterion(Provenance):
    """Severity supported by the number of symptom clusters (``min``-``max``, or all)."""

    level: SeverityLevel
    min_clusters: StrictInt | None = Field(default=None, ge=0)
    max_clusters: StrictInt | None = Field(default=None, ge=0)
    all_clusters: StrictBool = False
    text: LocalizedText


class LimitationCriterion(Provenance):
    """Severity supported by the clinician's estimate of functional limitation."""

    limitation: Limitation
    level: SeverityLevel
    text: LocalizedText


class DurationRule(Provenance):
    """'Severe' needs complaints lasting more than ``severe_more_than_weeks`` weeks."""

    severe_more_than_weeks: StrictInt = Field(ge=0)
    text: LocalizedText


class Comorbidity(Provenance):
    id: Identifier
    name: LocalizedText
    dsm_disorder_suspected: StrictBool = Field(
        default=False, description="Counts as a suspected DSM disorder for the care rules."
    )
    from_condition_kinds: tuple[ConditionKind, ...] = Field(
        default=(), description="Present when a SCEGS condition is of one of these kinds."
    )
    suggested_by: tuple[ScoreThreshold, ...] = Field(
        default=(), description="Suggested (for the clinician to confirm) when a score meets it."
    )


class ComorbidityRule(Provenance):
    raise_steps: StrictInt = Field(ge=0)
    raise_at_most: SeverityLevel = Field(
        default="moderate",
        description="A comorbidity raises severity by ``raise_steps`` but never above this "
        "level: a suspected depression or anxiety disorder alone does not make SOLK severe.",
    )
    text: LocalizedText


class EarlierTreatmentRule(Provenance):
    """'Severe' is not given at a first presentation: when the clinician recorded that the
    complaints were not treated before, severity stays at most 'moderate'."""

    first_presentation_at_most: SeverityLevel = "moderate"
    text: LocalizedText


class CombinationRule(Provenance):
    required_criteria: tuple[Criterion, ...]
    clusters_at_most: SeverityLevel = Field(
        default="moderate",
        description="The highest level the number of symptom clusters supports on its own; "
        "above it the functional limitation decides.",
    )
    text: LocalizedText


class SeverityRules(Frozen):
    combination: CombinationRule
    clusters: tuple[ClusterCriterion, ...] = Field(min_length=1)
    functional_limitation: tuple[LimitationCriterion, ...] = Field(min_length=1)
    duration: DurationRule
    comorbidity: ComorbidityRule
    earlier_treatment: EarlierTreatmentRule | None = Field(
        default=None, description="Without it, earlier treatment does not change severity."
    )


class CareRuleCondition(Frozen):
    """Every given field must hold (an empty condition always holds)."""

    severity: tuple[SeverityLevel, ...] = ()
    risk_profile: StrictBool | None = None
    dsm_disorder_suspected: StrictBool | None = None
    factors_elevated_any: tuple[Identifier, ...] = ()


class CareRule(Provenance):
    id: Identifier
    when: CareRuleCondition
    care_level: Identifier
    text: LocalizedText


class CareLevelText(Frozen):
    care_level: Identifier
    patient_text: LocalizedText = Field(description="What this level means, B1, 'je'.")


class RiskProfileRule(Provenance):
    """The psychological risk profile: elevated distress (the ``distress_factor``) or at
    least ``min_elevated`` of the ``counted_factors`` elevated."""

    distress_factor: Identifier
    distress_text: LocalizedText
    counted_factors: tuple[Identifier, ...] = Field(min_length=1)
    min_elevated: StrictInt = Field(ge=1)
    count_text: LocalizedText
    count_unverified: StrictBool = True
    count_note: StrictStr | None = None


class HelpPreference(Provenance):
    wants_help_now: Literal["no", "unsure"]
    text: LocalizedText
    patient_text: LocalizedText


class ModalityPreference(Provenance):
    modality: Literal["online", "face_to_face", "blended"]
    care_levels: tuple[Identifier, ...] = Field(
        description="Levels at which this modality can be offered."
    )
    text: LocalizedText
    text_not_offered: LocalizedText
    patient_text: LocalizedText


class EscalationStep(Provenance):
    from_level: Identifier
    to_level: Identifier
    text: LocalizedText


class SteppedCareFile(Frozen):
    collection: Literal["stepped_care"]
    version: Version
    severity: SeverityRules
    comorbidities: tuple[Comorbidity, ...]
    care_rules: tuple[CareRule, ...] = Field(min_length=1)
    unassessed: CareRule = Field(description="The advice when severity cannot be estimated.")
    care_level_texts: tuple[CareLevelText, ...]
    risk_profile: RiskProfileRule
    help_preferences: tuple[HelpPreference, ...]
    modality_preferences: tuple[ModalityPreference, ...]
    escalation: tuple[EscalationStep, ...] = Field(min_length=1)


# ---------------------------------------------------------------- subgroups.json


class SubgroupMatch(Frozen):
    """Who belongs to the subgroup: an age range (inclusive) or a flag of the patient."""

    min_age: StrictInt | None = Field(default=None, ge=0)
    max_age: StrictInt | None = Field(default=None, ge=0)
    flag: Literal["low_literacy", "migration_background"] | None = None


class Subgroup(Provenance):
    id: Identifier
    name: LocalizedText
    match: SubgroupMatch
    clinician_text: LocalizedText
    patient_text: LocalizedText = Field(description="How texts for the patient adapt.")
    parent_missing_text: LocalizedText | None = Field(
        default=None, description="Added when no parent is involved yet (children, adolescents)."
    )
    summary_line: LocalizedText | None = Field(
        default=None, description="A sentence added to the patient's own summary (B1, 'je')."
    )
    summary: Literal["full", "essentials"] = Field(
        default="full",
        description="'essentials': the patient's summary keeps only the complaints, the "
        "advice and the patient's wishes (fewer, shorter lines).",
    )


class SubgroupsFile(Frozen):
    collection: Literal["subgroups"]
    version: Version
    subgroups: tuple[Subgroup, ...]


# ---------------------------------------------------------------- patient_texts.json


class FactorPatientName(Frozen):
    """How the patient summary names a factor: plain words at B1 level ('je')."""

    factor: Identifier
    name: LocalizedText


class PatientTextsFile(Frozen):
    collection: Literal["patient_texts"]
    version: Version
    factors: tuple[FactorPatientName, ...]


ScreeningFile = ComplaintsFile | BatteriesFile | SteppedCareFile | SubgroupsFile | PatientTextsFile

FILE_MODELS: dict[str, type[ScreeningFile]] = {
    "complaints": ComplaintsFile,
    "batteries": BatteriesFile,
    "stepped_care": SteppedCareFile,
    "subgroups": SubgroupsFile,
    "patient_texts": PatientTextsFile,
}
