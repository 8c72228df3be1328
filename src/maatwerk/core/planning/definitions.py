"""Planning rules as frozen, typed values (the schema of ``content/planning/rules.json``).

One file, collection ``planning_rules``: the always-on basic modules, the default number
of modules at once, the multidisciplinary parts, the expected-duration rule and the
graded-activity defaults with the patient messages. Every rule carries ``sources`` (ids
from the knowledge base's ``sources``) or ``unverified: true`` with a note. No source
gives a number for any of them, so every number here is unverified and configurable.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, StrictInt, model_validator

from maatwerk.core.instruments.base import Frozen, Identifier, Number, Version
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.model import Provenance

__all__ = [
    "BasicModuleRule",
    "BasicWhen",
    "ClinicianFlag",
    "DurationCeiling",
    "DurationRules",
    "GradedActivityDefaults",
    "GradedActivityMessages",
    "MaxModulesRule",
    "ModuleLink",
    "MultidisciplinaryRule",
    "MultidisciplinaryWhen",
    "PlanningRulesFile",
]

BasicWhen = Literal["any_risk_factor", "no_factor", "any_module"]
Placement = Literal["first", "last"]
SeverityLevel = Literal["mild", "moderate", "severe"]
StartRule = Literal["fraction_of_mean", "mean_minus_margin"]


class BasicModuleRule(Provenance):
    """An always-on module: added when ``when`` holds, first or last in the ranking.

    ``any_risk_factor``: any risk factor is elevated; ``no_factor``: no factor at all
    (no elevated risk, no low resilience, no maintaining factor from the formulation);
    ``any_module``: at least one module was matched to a factor.
    """

    id: Identifier
    module: Identifier
    placement: Placement
    when: BasicWhen
    reason: LocalizedText


class ModuleLink(Provenance):
    """A factor -> module link the planning adds where neither the module's ``targets``
    nor the knowledge base's intervention links connect them."""

    id: Identifier
    factors: tuple[Identifier, ...] = Field(min_length=1)
    modules: tuple[Identifier, ...] = Field(min_length=1)


class MaxModulesRule(Provenance):
    value: StrictInt = Field(ge=1)


class ClinicianFlag(Frozen):
    """Something only the clinician records (no instrument measures it), e.g. trauma."""

    id: Identifier
    label: LocalizedText


class MultidisciplinaryWhen(Frozen):
    """All given conditions must hold; a factor counts when elevated/low in the screening
    or named as maintaining in the formulation."""

    factors_any: tuple[Identifier, ...] = ()
    flags_all: tuple[Identifier, ...] = ()
    severity_in: tuple[SeverityLevel, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> MultidisciplinaryWhen:
        if not (self.factors_any or self.flags_all or self.severity_in):
            raise ValueError("a rule needs at least one of factors_any, flags_all, severity_in")
        return self


class MultidisciplinaryRule(Provenance):
    id: Identifier
    intervention: Identifier  # intervention id of the knowledge base
    discipline: Identifier | None = None  # discipline id of the knowledge base
    when: MultidisciplinaryWhen
    reason: LocalizedText


class DurationCeiling(Provenance):
    care_levels: tuple[Identifier, ...] = Field(min_length=1)
    weeks: StrictInt = Field(ge=1)


class DurationRules(Provenance):
    """Expected duration: modules run in waves of at most ``max modules at once``; a
    wave lasts as long as its longest module; the waves add up; a ceiling per care level
    caps the sum."""

    ceilings: tuple[DurationCeiling, ...] = ()


class GradedActivityMessages(Frozen):
    """B1 patient messages after a logged day; ``{quota}`` is tomorrow's quota in minutes."""

    as_planned: LocalizedText
    over: LocalizedText
    under: LocalizedText


class GradedActivityDefaults(Provenance):
    """Defaults a clinician may change per patient (none has a source: nhg-m102-henw
    gives the principle — time-contingent — but no numbers)."""

    min_baseline_days: StrictInt = Field(ge=1)
    start_rule: StartRule
    start_fraction: Number = Field(description="Used by fraction_of_mean, 0 < f <= 1.")
    start_margin_minutes: StrictInt = Field(ge=0, description="Used by mean_minus_margin.")
    increment_minutes: StrictInt = Field(ge=1)
    step_days: StrictInt = Field(ge=1)
    tolerance_minutes: StrictInt = Field(ge=0)
    messages: GradedActivityMessages

    @model_validator(mode="after")
    def _fraction_in_range(self) -> GradedActivityDefaults:
        if not Decimal(0) < self.start_fraction <= Decimal(1):
            raise ValueError("start_fraction must be greater than 0 and at most 1")
        return self


class PlanningRulesFile(Frozen):
    collection: Literal["planning_rules"]
    version: Version
    basics: tuple[BasicModuleRule, ...]
    module_links: tuple[ModuleLink, ...] = ()
    max_modules_at_once: MaxModulesRule
    clinician_flags: tuple[ClinicianFlag, ...]
    multidisciplinary: tuple[MultidisciplinaryRule, ...]
    duration: DurationRules
    graded_activity: GradedActivityDefaults
