"""Knowledge-base collections as frozen, typed values (the schema of the JSON data files).

One JSON file holds one collection (``sources``, ``conditions``, ``factors``,
``medication``, ``care_levels``, ``disciplines``, ``interventions``) with its own
``version``. Every clinical statement carries provenance: ``sources`` (ids from the
``sources`` collection) or ``unverified: true`` (or both, for a secondary source).
The JSON Schemas in ``docs/knowledge/`` are generated from these classes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Discriminator, Field, StrictBool, StrictInt, StrictStr, Tag

from maatwerk.core.instruments.base import (
    Frozen,
    Identifier,
    Number,
    Operator,
    SourceId,
    Version,
)
from maatwerk.core.instruments.model import Source
from maatwerk.core.instruments.text import LocalizedText

__all__ = [
    "CareLevel",
    "CareLevelsFile",
    "ClinicianJudgement",
    "Collection",
    "CollectionFile",
    "Condition",
    "ConditionKind",
    "ConditionsFile",
    "Discipline",
    "DisciplinesFile",
    "Factor",
    "FactorsFile",
    "InstrumentThreshold",
    "Intervention",
    "InterventionLink",
    "InterventionsFile",
    "KnowledgeBase",
    "Measure",
    "MedicationFile",
    "MedicationFlag",
    "Provenance",
    "Source",
    "SourcesFile",
]

ConditionKind = Literal["persistent_somatic_symptoms", "functional_syndrome", "chronic_disease"]
FactorKind = Literal["risk", "resilience"]
FactorScope = Literal["generic", "condition_specific"]
BiopsychosocialDomain = Literal["biological", "psychological", "social"]
ScegsDimension = Literal["somatisch", "cognitief", "emotioneel", "gedragsmatig", "sociaal"]
Collection = Literal[
    "sources", "conditions", "factors", "medication", "care_levels", "disciplines", "interventions"
]


class Provenance(Frozen):
    """Where a statement comes from: source ids, or ``unverified: true`` (or both)."""

    sources: tuple[SourceId, ...] = ()
    unverified: StrictBool = False
    note: StrictStr | None = None


class Condition(Provenance):
    id: Identifier
    name: LocalizedText
    kind: ConditionKind
    description: LocalizedText


class InstrumentThreshold(Frozen):
    """Present when the ``scale`` score of ``instrument`` meets ``operator`` ``threshold``."""

    kind: Literal["instrument_scale"]
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


class ClinicianJudgement(Frozen):
    """No bundled instrument scale with a sourced cut-off: the clinician judges."""

    kind: Literal["clinician_judgement"]
    guidance: LocalizedText | None = None
    source: SourceId | None = None
    unverified: StrictBool = False
    note: StrictStr | None = None


def _measure_kind(value: object) -> str | None:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return f"~{kind}" if kind in ("instrument_scale", "clinician_judgement") else None


Measure = Annotated[
    Annotated[InstrumentThreshold, Tag("~instrument_scale")]
    | Annotated[ClinicianJudgement, Tag("~clinician_judgement")],
    Discriminator(
        _measure_kind,
        custom_error_type="measure_kind",
        custom_error_message="kind must be 'instrument_scale' or 'clinician_judgement'",
    ),
]


class Factor(Provenance):
    id: Identifier
    name: LocalizedText
    clinician_description: LocalizedText
    patient_description: LocalizedText = Field(description="Plain language at B1 level.")
    kind: FactorKind
    scope: FactorScope
    conditions: tuple[Identifier, ...] = Field(
        default=(), description="Condition ids; required when scope is condition_specific."
    )
    domain: BiopsychosocialDomain
    scegs: ScegsDimension
    measures: tuple[Measure, ...] = Field(min_length=1)


class MedicationFlag(Provenance):
    id: Identifier
    name: LocalizedText
    scegs: Literal["somatisch"]
    flag: Literal["to_discuss"]
    clinician_description: LocalizedText
    patient_description: LocalizedText
    alternative: LocalizedText


class Discipline(Provenance):
    id: Identifier
    name: LocalizedText
    description: LocalizedText | None = None


class CareLevel(Provenance):
    id: Identifier
    step: StrictInt = Field(ge=1, description="Order in stepped care; 1 is the least intensive.")
    name: LocalizedText
    description: LocalizedText
    disciplines: tuple[Identifier, ...] = ()


class Intervention(Provenance):
    id: Identifier
    name: LocalizedText
    description: LocalizedText | None = None


class InterventionLink(Provenance):
    """One row of the maintaining factor -> intervention map, with its provenance."""

    id: Identifier
    maintaining_factor: LocalizedText
    factors: tuple[Identifier, ...] = Field(
        default=(), description="Factor ids this row applies to (empty: not a factor yet)."
    )
    interventions: tuple[Identifier, ...] = Field(min_length=1)


class _File(Frozen):
    version: Version


class SourcesFile(_File):
    collection: Literal["sources"]
    sources: tuple[Source, ...]


class ConditionsFile(_File):
    collection: Literal["conditions"]
    conditions: tuple[Condition, ...]


class FactorsFile(_File):
    collection: Literal["factors"]
    factors: tuple[Factor, ...]


class MedicationFile(_File):
    collection: Literal["medication"]
    medication: tuple[MedicationFlag, ...]


class CareLevelsFile(_File):
    collection: Literal["care_levels"]
    care_levels: tuple[CareLevel, ...]


class DisciplinesFile(_File):
    collection: Literal["disciplines"]
    disciplines: tuple[Discipline, ...]


class InterventionsFile(_File):
    collection: Literal["interventions"]
    interventions: tuple[Intervention, ...]
    links: tuple[InterventionLink, ...]


CollectionFile = (
    SourcesFile
    | ConditionsFile
    | FactorsFile
    | MedicationFile
    | CareLevelsFile
    | DisciplinesFile
    | InterventionsFile
)

FILE_MODELS: dict[str, type[CollectionFile]] = {
    "sources": SourcesFile,
    "conditions": ConditionsFile,
    "factors": FactorsFile,
    "medication": MedicationFile,
    "care_levels": CareLevelsFile,
    "disciplines": DisciplinesFile,
    "interventions": InterventionsFile,
}


class KnowledgeBase(Frozen):
    """Every collection, each with the file it came from (``origins``) and its version."""

    sources: SourcesFile
    conditions: ConditionsFile
    factors: FactorsFile
    medication: MedicationFile
    care_levels: CareLevelsFile
    disciplines: DisciplinesFile
    interventions: InterventionsFile
    origins: dict[str, str]

    def factor(self, factor_id: str) -> Factor:
        for factor in self.factors.factors:
            if factor.id == factor_id:
                return factor
        raise KeyError(factor_id)

    def condition(self, condition_id: str) -> Condition:
        for condition in self.conditions.conditions:
            if condition.id == condition_id:
                return condition
        raise KeyError(condition_id)

    def care_level(self, level_id: str) -> CareLevel:
        for level in self.care_levels.care_levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    def interventions_for(self, factor_id: str) -> tuple[InterventionLink, ...]:
        return tuple(link for link in self.interventions.links if factor_id in link.factors)

    @property
    def versions(self) -> dict[str, str]:
        return {
            "sources": self.sources.version,
            "conditions": self.conditions.version,
            "factors": self.factors.version,
            "medication": self.medication.version,
            "care_levels": self.care_levels.version,
            "disciplines": self.disciplines.version,
            "interventions": self.interventions.version,
        }
