"""Loading the screening content: schema checks per file, then checks across files.

``build_screening_content`` reads the four files (``complaints``, ``batteries``,
``stepped_care``, ``subgroups``), checks each against its schema and then every
reference: instruments and their scales (thresholds inside the scale's range), care
levels, factors, conditions and source ids against the knowledge base, and that every
rule has a source or is marked unverified. Every problem is reported at once with the
file, a JSON path such as ``$.care_rules[2].care_level`` and a plain message.

Size: one loader: parsing, cross-file checks and schemas of the four screening files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from maatwerk.core.common.content_set import (
    CollectionProblems,
    CollectionSet,
    pick,
    write_schema_texts,
)
from maatwerk.core.instruments.errors import (
    DefinitionProblem,
    UnknownInstrument,
)
from maatwerk.core.instruments.model import Instrument
from maatwerk.core.instruments.registry import (
    bundled_instruments,
    select_instrument,
    threshold_problem,
)
from maatwerk.core.knowledge.model import KnowledgeBase, Provenance
from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.screening.definitions import (
    FILE_MODELS,
    BatteriesFile,
    Battery,
    Cluster,
    Complaint,
    ComplaintAny,
    ComplaintsFile,
    PatientTextsFile,
    ScoreThreshold,
    ScreeningFile,
    SteppedCareFile,
    Subgroup,
    SubgroupsFile,
)
from maatwerk.core.screening.errors import ScreeningDefinitionError

__all__ = [
    "ScreeningContent",
    "build_screening_content",
    "bundled_screening_content",
    "screening_json_schema_texts",
    "write_json_schemas",
]

SCREENING = CollectionSet(
    folder="screening",
    name="screening content",
    models=FILE_MODELS,
    error=ScreeningDefinitionError,
    schema_id="https://maatwerk.example/schemas/screening-{collection}-1.schema.json",
    title="Maatwerk screening content",
)
CONTENT_FOLDER = SCREENING.folder
SCHEMA_ID = SCREENING.schema_id
SEVERITY_LEVELS = ("mild", "moderate", "severe")


@dataclass(frozen=True)
class ScreeningContent:
    """The validated screening content, with the file each collection came from."""

    complaints_file: ComplaintsFile
    batteries_file: BatteriesFile
    rules: SteppedCareFile
    subgroups_file: SubgroupsFile
    patient_texts: PatientTextsFile
    origins: Mapping[str, str] = field(default_factory=dict)

    @property
    def complaints(self) -> tuple[Complaint, ...]:
        return self.complaints_file.complaints

    @property
    def clusters(self) -> tuple[Cluster, ...]:
        return self.complaints_file.clusters

    @property
    def batteries(self) -> tuple[Battery, ...]:
        return self.batteries_file.batteries

    @property
    def subgroups(self) -> tuple[Subgroup, ...]:
        return self.subgroups_file.subgroups

    def complaint(self, complaint_id: str) -> Complaint:
        for complaint in self.complaints:
            if complaint.id == complaint_id:
                return complaint
        raise KeyError(complaint_id)

    def cluster(self, cluster_id: str) -> Cluster:
        for cluster in self.clusters:
            if cluster.id == cluster_id:
                return cluster
        raise KeyError(cluster_id)

    def battery(self, battery_id: str) -> Battery:
        for battery in self.batteries:
            if battery.id == battery_id:
                return battery
        raise KeyError(battery_id)

    @property
    def versions(self) -> dict[str, str]:
        return {
            "complaints": self.complaints_file.version,
            "batteries": self.batteries_file.version,
            "stepped_care": self.rules.version,
            "subgroups": self.subgroups_file.version,
            "patient_texts": self.patient_texts.version,
        }

    def factor_patient_name(self, factor_id: str, language: str) -> str:
        """The plain-language name of a factor for the patient (B1)."""
        for entry in self.patient_texts.factors:
            if entry.factor == factor_id:
                return entry.name.get(language, fallback=True) or factor_id
        raise KeyError(factor_id)


# ------------------------------------------------------------------ parsing


def parse_screening_file(data: object, *, origin: str) -> ScreeningFile:
    """Validate one decoded file against the schema of the collection it names."""
    return SCREENING.parse(data, origin=origin)


def load_screening_json(text: str | bytes, *, origin: str) -> ScreeningFile:
    """Decode (exact decimals, no duplicate keys) and schema-check one file's text."""
    return SCREENING.load_file(text, origin=origin)


def build_screening_content(
    texts: Mapping[str, str | bytes],
    *,
    knowledge: KnowledgeBase,
    instruments: Iterable[Instrument],
) -> ScreeningContent:
    """Load every file (name -> text), check each and the whole; one error lists all
    problems. Each collection must appear exactly once."""
    loaded, origins = SCREENING.load(texts)
    content = ScreeningContent(
        pick(loaded, "complaints", ComplaintsFile),
        pick(loaded, "batteries", BatteriesFile),
        pick(loaded, "stepped_care", SteppedCareFile),
        pick(loaded, "subgroups", SubgroupsFile),
        pick(loaded, "patient_texts", PatientTextsFile),
        origins,
    )
    found = validate_screening_content(content, knowledge, tuple(instruments))
    if found:
        raise ScreeningDefinitionError(found)
    return content


def bundled_files() -> dict[str, bytes]:
    """File name -> bytes of every bundled screening file."""
    return SCREENING.bundled_texts()


@cache
def bundled_screening_content() -> ScreeningContent:
    """The bundled screening content, validated against the bundled knowledge base and
    instruments (an invalid bundled file is a programming error)."""
    return build_screening_content(
        bundled_files(), knowledge=bundled_knowledge(), instruments=bundled_instruments()
    )


# ------------------------------------------------------------------ semantic checks


def validate_screening_content(
    content: ScreeningContent, knowledge: KnowledgeBase, instruments: tuple[Instrument, ...]
) -> tuple[DefinitionProblem, ...]:
    """Every semantic problem of ``content``; empty when it is consistent."""
    problems = CollectionProblems(content.origins)
    _check_provenance(content, knowledge, problems)
    _check_complaints(content, knowledge, problems)
    _check_batteries(content, knowledge, instruments, problems)
    _check_stepped_care(content, knowledge, instruments, problems)
    _check_subgroups(content, problems)
    _check_patient_texts(content, knowledge, problems)
    return tuple(problems.found)


def provenance_items(content: ScreeningContent) -> Iterator[tuple[str, str, Provenance]]:
    """``(collection, json path, entry)`` for every entry that needs provenance."""
    for index, cluster in enumerate(content.clusters):
        yield "complaints", f"$.clusters[{index}]", cluster
    for index, battery in enumerate(content.batteries):
        yield "batteries", f"$.batteries[{index}]", battery
    rules = content.rules
    severity = rules.severity
    yield "stepped_care", "$.severity.combination", severity.combination
    for index, criterion in enumerate(severity.clusters):
        yield "stepped_care", f"$.severity.clusters[{index}]", criterion
    for index, limitation in enumerate(severity.functional_limitation):
        yield "stepped_care", f"$.severity.functional_limitation[{index}]", limitation
    yield "stepped_care", "$.severity.duration", severity.duration
    yield "stepped_care", "$.severity.comorbidity", severity.comorbidity
    for index, comorbidity in enumerate(rules.comorbidities):
        yield "stepped_care", f"$.comorbidities[{index}]", comorbidity
    for index, rule in enumerate(rules.care_rules):
        yield "stepped_care", f"$.care_rules[{index}]", rule
    yield "stepped_care", "$.unassessed", rules.unassessed
    yield "stepped_care", "$.risk_profile", rules.risk_profile
    for index, help_preference in enumerate(rules.help_preferences):
        yield "stepped_care", f"$.help_preferences[{index}]", help_preference
    for index, modality in enumerate(rules.modality_preferences):
        yield "stepped_care", f"$.modality_preferences[{index}]", modality
    for index, step in enumerate(rules.escalation):
        yield "stepped_care", f"$.escalation[{index}]", step
    for index, subgroup in enumerate(content.subgroups):
        yield "subgroups", f"$.subgroups[{index}]", subgroup


def _check_provenance(
    content: ScreeningContent, knowledge: KnowledgeBase, problems: CollectionProblems
) -> None:
    known = {source.id for source in knowledge.sources.sources}
    problems.provenance(provenance_items(content), known)
    for index, comorbidity in enumerate(content.rules.comorbidities):
        for position, threshold in enumerate(comorbidity.suggested_by):
            path = f"$.comorbidities[{index}].suggested_by[{position}]"
            problems.single_source(
                "stepped_care", path, threshold.source, threshold.unverified, known
            )


def _check_complaints(
    content: ScreeningContent, knowledge: KnowledgeBase, problems: CollectionProblems
) -> None:
    problems.duplicates("complaints", "$.clusters", (c.id for c in content.clusters))
    problems.duplicates("complaints", "$.complaints", (c.id for c in content.complaints))
    clusters = {cluster.id for cluster in content.clusters}
    conditions = {condition.id for condition in knowledge.conditions.conditions}
    used: set[str] = set()
    for index, complaint in enumerate(content.complaints):
        used.add(complaint.cluster)
        if complaint.cluster not in clusters:
            problems.add(
                "complaints",
                f"$.complaints[{index}].cluster",
                f"unknown cluster {complaint.cluster!r}",
            )
        path = f"$.complaints[{index}].conditions"
        problems.unknown_ids("complaints", path, complaint.conditions, conditions, "condition")
    for index, cluster in enumerate(content.clusters):
        if cluster.id not in used:
            problems.add(
                "complaints", f"$.clusters[{index}]", f"no complaint is in cluster {cluster.id!r}"
            )


def _check_batteries(
    content: ScreeningContent,
    knowledge: KnowledgeBase,
    instruments: tuple[Instrument, ...],
    problems: CollectionProblems,
) -> None:
    problems.duplicates("batteries", "$.batteries", (b.id for b in content.batteries))
    complaints = {complaint.id for complaint in content.complaints}
    conditions = {condition.id for condition in knowledge.conditions.conditions}
    for index, battery in enumerate(content.batteries):
        path = f"$.batteries[{index}]"
        problems.unknown_ids(
            "batteries", f"{path}.conditions", battery.conditions, conditions, "condition"
        )
        if battery.setting == "condition" and not battery.conditions:
            problems.add("batteries", f"{path}.conditions", "a condition battery needs conditions")
        seen: set[str] = set()
        for position, step in enumerate(battery.steps):
            step_path = f"{path}.steps[{position}]"
            if step.instrument in seen:
                problems.add(
                    "batteries",
                    f"{step_path}.instrument",
                    f"instrument {step.instrument!r} is already a step of this battery",
                )
            seen.add(step.instrument)
            try:
                select_instrument(instruments, step.instrument, step.instrument_version)
            except UnknownInstrument as error:
                problems.add("batteries", f"{step_path}.instrument", f"{error} is bundled")
            if step.when is not None and step.skip_reason is None:
                problems.add(
                    "batteries",
                    f"{step_path}.skip_reason",
                    "a step with a condition ('when') needs a skip_reason",
                )
            if isinstance(step.when, ComplaintAny):
                for number, complaint_id in enumerate(step.when.complaint_any):
                    if complaint_id not in complaints:
                        problems.add(
                            "batteries",
                            f"{step_path}.when.complaint_any[{number}]",
                            f"unknown complaint {complaint_id!r}",
                        )


def check_threshold(
    threshold: ScoreThreshold,
    path: str,
    instruments: tuple[Instrument, ...],
    problems: CollectionProblems,
    collection: str,
) -> None:
    found = threshold_problem(instruments, threshold)
    if found is not None:
        problems.add(collection, f"{path}.{found[0]}", found[1])


def _check_stepped_care(
    content: ScreeningContent,
    knowledge: KnowledgeBase,
    instruments: tuple[Instrument, ...],
    problems: CollectionProblems,
) -> None:
    rules = content.rules
    levels = {level.id: level for level in knowledge.care_levels.care_levels}
    factors = {factor.id for factor in knowledge.factors.factors}

    def level_ref(path: str, level_id: str) -> None:
        if level_id not in levels:
            problems.add("stepped_care", path, f"unknown care level {level_id!r}")

    def factor_ref(path: str, factor_id: str) -> None:
        if factor_id not in factors:
            problems.add("stepped_care", path, f"unknown factor {factor_id!r}")

    # severity criteria
    for index, criterion in enumerate(rules.severity.clusters):
        path = f"$.severity.clusters[{index}]"
        if criterion.all_clusters == (
            criterion.min_clusters is not None or criterion.max_clusters is not None
        ):
            problems.add(
                "stepped_care", path, "give either min_clusters/max_clusters or all_clusters: true"
            )
        low, high = criterion.min_clusters, criterion.max_clusters
        if low is not None and high is not None and low > high:
            problems.add("stepped_care", path, f"min_clusters {low} is above max_clusters {high}")
    given = [item.limitation for item in rules.severity.functional_limitation]
    for name in ("none", "light", "moderate", "severe"):
        if given.count(name) != 1:
            problems.add(
                "stepped_care",
                "$.severity.functional_limitation",
                f"functional limitation {name!r} must have exactly one rule "
                f"(found {given.count(name)})",
            )
    # comorbidities
    problems.duplicates("stepped_care", "$.comorbidities", (c.id for c in rules.comorbidities))
    for index, comorbidity in enumerate(rules.comorbidities):
        for position, threshold in enumerate(comorbidity.suggested_by):
            check_threshold(
                threshold,
                f"$.comorbidities[{index}].suggested_by[{position}]",
                instruments,
                problems,
                "stepped_care",
            )
    # care rules
    problems.duplicates("stepped_care", "$.care_rules", (r.id for r in rules.care_rules))
    for index, rule in enumerate(rules.care_rules):
        path = f"$.care_rules[{index}]"
        level_ref(f"{path}.care_level", rule.care_level)
        for position, factor_id in enumerate(rule.when.factors_elevated_any):
            factor_ref(f"{path}.when.factors_elevated_any[{position}]", factor_id)
        if not rule.when.severity:
            problems.add("stepped_care", f"{path}.when.severity", "a care rule names severities")
    for level in SEVERITY_LEVELS:
        if not any(
            rule.when.severity == (level,)
            and rule.when.risk_profile is None
            and rule.when.dsm_disorder_suspected is None
            and not rule.when.factors_elevated_any
            for rule in rules.care_rules
        ):
            problems.add(
                "stepped_care",
                "$.care_rules",
                f"severity {level!r} needs a rule without further conditions (the fallback)",
            )
    level_ref("$.unassessed.care_level", rules.unassessed.care_level)
    # texts per care level
    texts = [text.care_level for text in rules.care_level_texts]
    for position, level_id in enumerate(texts):
        level_ref(f"$.care_level_texts[{position}].care_level", level_id)
    for level_id in levels:
        if level_id not in texts:
            problems.add(
                "stepped_care", "$.care_level_texts", f"care level {level_id!r} has no patient text"
            )
    # risk profile
    factor_ref("$.risk_profile.distress_factor", rules.risk_profile.distress_factor)
    for position, factor_id in enumerate(rules.risk_profile.counted_factors):
        factor_ref(f"$.risk_profile.counted_factors[{position}]", factor_id)
    if rules.risk_profile.min_elevated > len(rules.risk_profile.counted_factors):
        problems.add(
            "stepped_care",
            "$.risk_profile.min_elevated",
            "min_elevated is more than the number of counted factors",
        )
    # preferences
    problems.duplicates(
        "stepped_care", "$.help_preferences", (p.wants_help_now for p in rules.help_preferences)
    )
    problems.duplicates(
        "stepped_care", "$.modality_preferences", (p.modality for p in rules.modality_preferences)
    )
    for index, modality in enumerate(rules.modality_preferences):
        for position, level_id in enumerate(modality.care_levels):
            level_ref(f"$.modality_preferences[{index}].care_levels[{position}]", level_id)
    # escalation: each step goes up
    problems.duplicates(
        "stepped_care", "$.escalation", (step.from_level for step in rules.escalation)
    )
    for index, step in enumerate(rules.escalation):
        path = f"$.escalation[{index}]"
        level_ref(f"{path}.from_level", step.from_level)
        level_ref(f"{path}.to_level", step.to_level)
        if (
            step.from_level in levels
            and step.to_level in levels
            and levels[step.to_level].step <= levels[step.from_level].step
        ):
            problems.add(
                "stepped_care",
                f"{path}.to_level",
                f"escalation must go to a more intensive level "
                f"({step.to_level!r} is not above {step.from_level!r})",
            )


def _check_subgroups(content: ScreeningContent, problems: CollectionProblems) -> None:
    problems.duplicates("subgroups", "$.subgroups", (s.id for s in content.subgroups))
    for index, subgroup in enumerate(content.subgroups):
        path = f"$.subgroups[{index}].match"
        match = subgroup.match
        by_age = match.min_age is not None or match.max_age is not None
        if by_age == (match.flag is not None):
            problems.add("subgroups", path, "match on an age range or on a flag (exactly one)")
        low, high = match.min_age, match.max_age
        if low is not None and high is not None and low > high:
            problems.add("subgroups", path, f"min_age {low} is above max_age {high}")


def _check_patient_texts(
    content: ScreeningContent, knowledge: KnowledgeBase, problems: CollectionProblems
) -> None:
    named = [entry.factor for entry in content.patient_texts.factors]
    problems.duplicates("patient_texts", "$.factors", named)
    factors = [factor.id for factor in knowledge.factors.factors]
    for index, factor_id in enumerate(named):
        if factor_id not in factors:
            problems.add(
                "patient_texts", f"$.factors[{index}].factor", f"unknown factor {factor_id!r}"
            )
    for factor_id in factors:
        if factor_id not in named:
            problems.add("patient_texts", "$.factors", f"factor {factor_id!r} has no patient name")


# ------------------------------------------------------------------ JSON Schemas


def screening_json_schema_texts() -> dict[str, str]:
    """File name -> JSON Schema text for each collection (checked in under docs/screening/)."""
    return SCREENING.schema_texts()


def write_json_schemas(folder: str | Path) -> None:
    """Regenerate the checked-in schemas: ``write_json_schemas("docs/screening")``."""
    write_schema_texts(folder, screening_json_schema_texts())
