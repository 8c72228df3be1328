"""Monitoring rules as data: ``content/analysis/monitoring.json``.

One file, collection ``monitoring``:

* ``fixed_change_rules`` — fixed reliable-change thresholds and caseness cut-offs per
  instrument scale (the NHS Talking Therapies / IAPT rules for PHQ-9 and GAD-7), the
  documented alternative to the Jacobson–Truax RCI;
* ``clinician_rule`` — the default of the clinician-defined not-on-track rule, used until
  the organization has enough history for expected-recovery curves;
* ``expected_curves`` — the settings of those curves (minimum history, band coverage);
* ``escalation_options`` — what a not-on-track signal offers (step up, switch to ACT or
  L-MBT, add EMDR, involve partner or family), each linked to a knowledge-base
  intervention and, where it applies only then, a clinician flag of the planning rules.

Every entry names ``sources`` (ids of this file's ``sources``) or says ``unverified: true``
with a note. The loader checks the schema and every reference at once; an invalid
bundled file is a programming error.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, StrictInt, StrictStr

from maatwerk.core.common.content_set import (
    FileSet,
    duplicate_id_problems,
    provenance_problems,
)
from maatwerk.core.common.errors import ContentDefinitionError
from maatwerk.core.instruments.base import Frozen, Identifier, NonEmptyText, Number, SourceId
from maatwerk.core.instruments.errors import DefinitionProblem, UnknownInstrument
from maatwerk.core.instruments.model import Operator
from maatwerk.core.instruments.registry import get_instrument
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.registry import bundled_knowledge
from maatwerk.core.planning.content import bundled_planning_rules

__all__ = [
    "ClinicianRuleDefaults",
    "EscalationOption",
    "ExpectedCurveSettings",
    "FixedChangeRule",
    "MonitoringContentError",
    "MonitoringFile",
    "build_monitoring",
    "bundled_monitoring",
    "monitoring_json_schema_text",
    "write_json_schema",
]

MONITORING_FILE = "monitoring.json"


class MonitoringContentError(ContentDefinitionError):
    """The monitoring file is invalid; ``problems`` lists every problem."""

    what = "monitoring rules"


class Source(Frozen):
    id: SourceId
    citation: NonEmptyText
    url: StrictStr | None = None


class Provenance(Frozen):
    sources: tuple[SourceId, ...] = ()
    unverified: bool = False
    note: StrictStr | None = None


class Caseness(Frozen):
    """A score that counts as a case (in the clinical range), e.g. PHQ-9 > 9."""

    operator: Operator
    value: Number


class FixedChangeRule(Provenance):
    """A fixed number of points that counts as reliable change on one scale.

    A change of at least ``reliable_change_points`` towards the healthy end is a reliable
    improvement; ``symmetric`` says whether the same size the other way is a reliable
    deterioration. ``caseness`` gives "recovered": a case at the start, not at the end."""

    id: Identifier
    instrument: Identifier
    scale: Identifier
    name: LocalizedText
    reliable_change_points: Number = Field(gt=0)
    symmetric: bool
    caseness: Caseness | None = None


class ClinicianRuleDefaults(Provenance):
    """Defaults of the clinician-defined not-on-track rule (see ``not_on_track``)."""

    consecutive_measurements: StrictInt = Field(ge=2)
    earliest_measurement: StrictInt = Field(ge=3)


class ExpectedCurveSettings(Provenance):
    """When and how the organization's own expected-recovery curves are used."""

    minimum_episodes: StrictInt = Field(ge=20)
    minimum_measurements_per_episode: StrictInt = Field(ge=3)
    coverage: Number = Field(gt=Decimal("0.5"), lt=1)


class EscalationOption(Provenance):
    """One way to change course when a patient is not on track."""

    id: Identifier
    kind: Literal["step_up", "switch", "add", "involve"]
    label: LocalizedText
    intervention: Identifier | None = None
    when_flag: Identifier | None = Field(
        default=None,
        description="Offered only when the clinician recorded this planning flag.",
    )


class MonitoringFile(Frozen):
    collection: Literal["monitoring"]
    version: NonEmptyText
    sources: tuple[Source, ...] = Field(min_length=1)
    fixed_change_rules: tuple[FixedChangeRule, ...] = ()
    clinician_rule: ClinicianRuleDefaults
    expected_curves: ExpectedCurveSettings
    escalation_options: tuple[EscalationOption, ...] = Field(min_length=1)

    def fixed_change_rule(self, instrument: str, scale: str) -> FixedChangeRule | None:
        return next(
            (
                rule
                for rule in self.fixed_change_rules
                if (rule.instrument, rule.scale) == (instrument, scale)
            ),
            None,
        )


MONITORING = FileSet(
    folder="analysis",
    file=MONITORING_FILE,
    model=MonitoringFile,
    error=MonitoringContentError,
    schema_id="https://maatwerk.example/schemas/analysis-monitoring-1.schema.json",
    title="Maatwerk monitoring rules",
)
SCHEMA_FILE = MONITORING.schema_file


def build_monitoring(
    text: str | bytes,
    *,
    intervention_ids: Iterable[str],
    flag_ids: Iterable[str],
    origin: str = MONITORING_FILE,
) -> MonitoringFile:
    """Decode, schema-check and cross-check the file against the knowledge base's
    interventions, the planning rules' clinician flags and the bundled instruments."""
    interventions, flags = set(intervention_ids), set(flag_ids)
    return MONITORING.load(
        text,
        origin=origin,
        check=lambda monitoring, where: _problems(monitoring, interventions, flags, where),
    )


@cache
def bundled_monitoring() -> MonitoringFile:
    """The bundled monitoring rules, checked against the bundled knowledge and planning."""
    return build_monitoring(
        MONITORING.bundled_text(),
        intervention_ids=(i.id for i in bundled_knowledge().interventions.interventions),
        flag_ids=(flag.id for flag in bundled_planning_rules().clinician_flags),
    )


def monitoring_json_schema_text() -> str:
    """The JSON Schema of ``monitoring.json`` (checked in as docs/analysis/)."""
    return MONITORING.schema_text()


def write_json_schema(folder: str | Path) -> None:
    """Regenerate the checked-in schema: ``write_json_schema("docs/analysis")``."""
    MONITORING.write_schema(folder)


def _problems(
    monitoring: MonitoringFile, intervention_ids: set[str], flag_ids: set[str], origin: str
) -> Iterable[DefinitionProblem]:
    def problem(path: str, message: str) -> DefinitionProblem:
        return DefinitionProblem(origin, path, message)

    source_ids = {source.id for source in monitoring.sources}
    entries: list[tuple[str, Provenance]] = [
        ("$.clinician_rule", monitoring.clinician_rule),
        ("$.expected_curves", monitoring.expected_curves),
    ]
    entries += [
        (f"$.fixed_change_rules[{i}]", r) for i, r in enumerate(monitoring.fixed_change_rules)
    ]
    entries += [
        (f"$.escalation_options[{i}]", o) for i, o in enumerate(monitoring.escalation_options)
    ]
    yield from provenance_problems(
        entries,
        source_ids,
        origin=origin,
        no_source="needs sources or unverified: true",
        unknown_source="unknown source id {source!r}",
        unverified_without_note="an unverified entry needs a note saying why",
    )
    for index, rule in enumerate(monitoring.fixed_change_rules):
        path = f"$.fixed_change_rules[{index}]"
        try:
            instrument = get_instrument(rule.instrument)
        except UnknownInstrument:
            yield problem(f"{path}.instrument", f"unknown instrument {rule.instrument!r}")
            continue
        if rule.scale not in {scale.id for scale in instrument.scales}:
            yield problem(f"{path}.scale", f"{rule.instrument} has no scale {rule.scale!r}")
    for index, option in enumerate(monitoring.escalation_options):
        path = f"$.escalation_options[{index}]"
        if option.intervention is not None and option.intervention not in intervention_ids:
            yield problem(f"{path}.intervention", f"unknown intervention {option.intervention!r}")
        if option.when_flag is not None and option.when_flag not in flag_ids:
            yield problem(f"{path}.when_flag", f"unknown clinician flag {option.when_flag!r}")
    yield from duplicate_id_problems(
        (
            ("fixed_change_rules", [r.id for r in monitoring.fixed_change_rules]),
            ("escalation_options", [o.id for o in monitoring.escalation_options]),
            ("sources", [s.id for s in monitoring.sources]),
        ),
        origin=origin,
    )
