"""Module recommendation: the patient's factors matched to modules, ranked, with reasons.

Which factors count: the maintaining factors the clinician named in the formulation,
and from the screening profile every elevated risk factor and every low resilience
factor. A module matches a factor when the module ``targets`` it, or when the knowledge
base links the factor to an intervention the module delivers (``interventions.json``). Every
reason names the factor, the screening evidence of its status and the provenance
(sources, unverified) of the link. The always-on basics and the ranking rule are data
and are written down in docs/planning/README.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.modules.model import Module, ModuleCatalogue
from maatwerk.core.planning.definitions import BasicModuleRule, PlanningRulesFile
from maatwerk.core.planning.errors import PlanningInputError
from maatwerk.core.screening.model import Evidence, Modality, ScreeningProfile

__all__ = [
    "BasicReason",
    "FactorOrigin",
    "MatchReason",
    "ModuleRecommendation",
    "PlanPreferences",
    "recommend_modules",
]

FactorOrigin = Literal["screening", "formulation"]
Placement = Literal["first", "matched", "last"]
RecommendationStatus = Literal["recommended", "excluded_by_patient"]
EvidenceGrade = Literal[0, 1, 2]
"""0: a source and not unverified; 1: a source but unverified (secondary or partial);
2: no source (editorial or background knowledge)."""


@dataclass(frozen=True, slots=True)
class PlanPreferences:
    """What the patient wants: modality, modules they do not want (module id -> their
    reason, may be empty), and how many modules at once (``None``: the rules' default)."""

    modality: Modality = "no_preference"
    excluded_modules: Mapping[str, str] = field(default_factory=dict)
    max_at_once: int | None = None


@dataclass(frozen=True, slots=True)
class MatchReason:
    """Why a module matches one factor: the factor, its evidence, the link's provenance."""

    factor_id: str
    factor_status: str  # "elevated", "low" (screening) or "maintaining" (formulation only)
    origins: tuple[FactorOrigin, ...]
    evidence: tuple[Evidence, ...]  # the FactorFinding's evidence; () from the formulation
    via: Literal["module_target", "intervention_link", "planning_link"]
    link_id: str | None  # the knowledge-base or planning-rules link; None for a target
    interventions: tuple[str, ...]  # the link's interventions the module delivers
    sources: tuple[str, ...]
    unverified: bool
    note: str | None

    @property
    def grade(self) -> EvidenceGrade:
        return _grade(self.sources, self.unverified)


@dataclass(frozen=True, slots=True)
class BasicReason:
    """An always-on rule from the planning rules that added the module."""

    rule_id: str
    text: Mapping[str, str]  # language -> reason
    sources: tuple[str, ...]
    unverified: bool
    note: str | None


@dataclass(frozen=True, slots=True)
class ModuleRecommendation:
    module_id: str
    status: RecommendationStatus
    rank: int | None  # 1-based among the recommended; None when excluded
    wave: int | None  # 1 = start now, 2 = after the first wave, ...; None when excluded
    placement: Placement
    reasons: tuple[MatchReason, ...]
    basic: BasicReason | None
    excluded_reason: str | None  # the patient's words (excluded only)
    delivery: Modality
    unverified: bool  # no reason rests on a verified source

    @property
    def factor_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(reason.factor_id for reason in self.reasons))


@dataclass(frozen=True, slots=True)
class _Factor:
    factor_id: str
    status: str
    origins: tuple[FactorOrigin, ...]
    evidence: tuple[Evidence, ...]


def recommend_modules(
    profile: ScreeningProfile,
    *,
    maintaining_factors: Sequence[str] = (),
    preferences: PlanPreferences,
    catalogue: ModuleCatalogue,
    knowledge: KnowledgeBase,
    rules: PlanningRulesFile,
) -> tuple[ModuleRecommendation, ...]:
    """The ranked recommendation: recommended modules in order (rank 1 first), then the
    modules the patient excluded, each with its reasons.

    Raises ``PlanningInputError`` naming every unknown factor or module id and an
    invalid ``max_at_once``.
    """
    _check_input(maintaining_factors, preferences, knowledge, catalogue)
    factors = _patient_factors(profile, maintaining_factors)
    matched: dict[str, list[MatchReason]] = {}
    for module in catalogue.modules:
        reasons = _reasons(module, factors, knowledge, rules)
        if reasons:
            matched[module.id] = reasons

    basics = _applicable_basics(rules, catalogue, profile, factors, matched, preferences)
    first = [rule for rule in basics if rule.placement == "first"]
    last = [rule for rule in basics if rule.placement == "last"]
    basic_ids = {rule.module for rule in basics}
    ranked_matched = sorted(
        (module_id for module_id in matched if module_id not in basic_ids),
        key=lambda module_id: _rank_key(module_id, matched[module_id]),
    )
    ordered: list[tuple[str, Placement, BasicModuleRule | None]] = [
        (rule.module, "first", rule) for rule in first
    ]
    ordered += [(module_id, "matched", None) for module_id in ranked_matched]
    ordered += [(rule.module, "last", rule) for rule in last]

    max_at_once = preferences.max_at_once or rules.max_modules_at_once.value
    recommended: list[ModuleRecommendation] = []
    excluded: list[ModuleRecommendation] = []
    for module_id, placement, rule in ordered:
        module_reasons = tuple(matched.get(module_id, ()))
        basic = _basic_reason(rule) if rule is not None else None
        unverified = all(reason.grade != 0 for reason in module_reasons) and (
            basic is None or basic.unverified
        )
        if module_id in preferences.excluded_modules:
            excluded.append(
                ModuleRecommendation(
                    module_id=module_id,
                    status="excluded_by_patient",
                    rank=None,
                    wave=None,
                    placement=placement,
                    reasons=module_reasons,
                    basic=basic,
                    excluded_reason=preferences.excluded_modules[module_id].strip(),
                    delivery=preferences.modality,
                    unverified=unverified,
                )
            )
            continue
        position = len(recommended)
        recommended.append(
            ModuleRecommendation(
                module_id=module_id,
                status="recommended",
                rank=position + 1,
                wave=position // max_at_once + 1,
                placement=placement,
                reasons=module_reasons,
                basic=basic,
                excluded_reason=None,
                delivery=preferences.modality,
                unverified=unverified,
            )
        )
    return (*recommended, *excluded)


def _check_input(
    maintaining_factors: Sequence[str],
    preferences: PlanPreferences,
    knowledge: KnowledgeBase,
    catalogue: ModuleCatalogue,
) -> None:
    known_factors = {factor.id for factor in knowledge.factors.factors}
    problems = [
        f"maintaining factor {factor_id!r} is not a factor of the knowledge base"
        for factor_id in maintaining_factors
        if factor_id not in known_factors
    ]
    problems += [
        f"excluded module {module_id!r} is not in the module catalogue"
        for module_id in preferences.excluded_modules
        if module_id not in catalogue.ids
    ]
    if preferences.max_at_once is not None and preferences.max_at_once < 1:
        problems.append(f"max_at_once must be at least 1 (got {preferences.max_at_once})")
    if problems:
        raise PlanningInputError(tuple(problems))


def _patient_factors(
    profile: ScreeningProfile, maintaining_factors: Sequence[str]
) -> tuple[_Factor, ...]:
    """Elevated risk and low resilience factors of the screening, and the formulation's
    maintaining factors (with no screening evidence when the screening did not find them)."""
    maintaining = set(maintaining_factors)
    found: dict[str, _Factor] = {}
    for finding in profile.factors:
        screened = finding.status in ("elevated", "low")
        if not screened and finding.factor_id not in maintaining:
            continue
        origins: tuple[FactorOrigin, ...] = ("screening",) if screened else ()
        if finding.factor_id in maintaining:
            origins += ("formulation",)
        found[finding.factor_id] = _Factor(
            finding.factor_id,
            finding.status if screened else "maintaining",
            origins,
            finding.evidence if screened else (),
        )
    for factor_id in maintaining_factors:
        if factor_id not in found:
            found[factor_id] = _Factor(factor_id, "maintaining", ("formulation",), ())
    return tuple(found.values())


def _reasons(
    module: Module,
    factors: Sequence[_Factor],
    knowledge: KnowledgeBase,
    rules: PlanningRulesFile,
) -> list[MatchReason]:
    reasons: list[MatchReason] = []
    for factor in factors:
        if factor.factor_id in module.targets:
            reasons.append(
                MatchReason(
                    factor_id=factor.factor_id,
                    factor_status=factor.status,
                    origins=factor.origins,
                    evidence=factor.evidence,
                    via="module_target",
                    link_id=None,
                    interventions=(),
                    sources=module.sources,
                    unverified=module.unverified,
                    note=module.note,
                )
            )
        for link in knowledge.interventions_for(factor.factor_id):
            shared = tuple(i for i in link.interventions if i in module.interventions)
            if not shared:
                continue
            reasons.append(
                MatchReason(
                    factor_id=factor.factor_id,
                    factor_status=factor.status,
                    origins=factor.origins,
                    evidence=factor.evidence,
                    via="intervention_link",
                    link_id=link.id,
                    interventions=shared,
                    sources=link.sources,
                    unverified=link.unverified,
                    note=link.note,
                )
            )
        reasons.extend(
            MatchReason(
                factor_id=factor.factor_id,
                factor_status=factor.status,
                origins=factor.origins,
                evidence=factor.evidence,
                via="planning_link",
                link_id=planning_link.id,
                interventions=(),
                sources=planning_link.sources,
                unverified=planning_link.unverified,
                note=planning_link.note,
            )
            for planning_link in rules.module_links
            if factor.factor_id in planning_link.factors and module.id in planning_link.modules
        )
    return reasons


def _rank_key(module_id: str, reasons: Sequence[MatchReason]) -> tuple[int, int, int, str]:
    """Sort key (ascending): formulation factors first, then the best evidence grade,
    then more matched factors, then the module id (documented in docs/planning)."""
    formulation = {r.factor_id for r in reasons if "formulation" in r.origins}
    factors = {r.factor_id for r in reasons}
    best_grade = min(r.grade for r in reasons)
    return (-len(formulation), best_grade, -len(factors), module_id)


def _applicable_basics(
    rules: PlanningRulesFile,
    catalogue: ModuleCatalogue,
    profile: ScreeningProfile,
    factors: Sequence[_Factor],
    matched: Mapping[str, Sequence[MatchReason]],
    preferences: PlanPreferences,
) -> tuple[BasicModuleRule, ...]:
    any_risk = bool(profile.elevated_risk_factors) or any(
        f.status == "maintaining" for f in factors
    )
    treatable = [
        module_id
        for module_id in matched
        if module_id not in preferences.excluded_modules
        and module_id not in {rule.module for rule in rules.basics}
    ]
    holds = {
        "any_risk_factor": any_risk,
        "no_factor": not factors,
        "any_module": bool(treatable),
    }
    seen: set[str] = set()
    chosen: list[BasicModuleRule] = []
    for rule in rules.basics:
        if rule.module not in catalogue.ids or rule.module in seen:
            continue  # the catalogue check of the rules file reports unknown modules
        if holds[rule.when]:
            chosen.append(rule)
            seen.add(rule.module)
    return tuple(chosen)


def _basic_reason(rule: BasicModuleRule) -> BasicReason:
    text = {language: found for language in ("nl", "en") if (found := rule.reason.get(language))}
    return BasicReason(rule.id, MappingProxyType(text), rule.sources, rule.unverified, rule.note)


def _grade(sources: Sequence[str], unverified: bool) -> EvidenceGrade:
    if sources and not unverified:
        return 0
    if sources:
        return 1
    return 2
