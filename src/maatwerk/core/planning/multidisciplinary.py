"""Multidisciplinary parts of the plan (physiotherapy, EMDR, L-MBT, systeemtherapie).

The rules are data (``content/planning/rules.json`` → ``multidisciplinary``): each names
an intervention of the knowledge base, optionally a discipline, and when it applies — a
factor elevated in the screening or named maintaining in the formulation, flags only the
clinician records (trauma, non-response to CBT/ACT, the family system) and the severity.
All conditions of a rule must hold. Every part carries the rule's provenance; most are
unverified (no source recommends EMDR or systeemtherapie here).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.planning.definitions import PlanningRulesFile
from maatwerk.core.planning.errors import PlanningInputError
from maatwerk.core.screening.model import ScreeningProfile, Severity

__all__ = ["MultidisciplinaryPart", "multidisciplinary_parts"]


@dataclass(frozen=True, slots=True)
class MultidisciplinaryPart:
    rule_id: str
    intervention_id: str
    intervention_name: Mapping[str, str]  # language -> name
    discipline_id: str | None
    reason: Mapping[str, str]  # language -> why, for the clinician
    factors: tuple[str, ...]  # the factors that made the rule apply
    flags: tuple[str, ...]  # the clinician flags it needed
    severity: Severity | None
    sources: tuple[str, ...]
    unverified: bool
    note: str | None


def multidisciplinary_parts(
    profile: ScreeningProfile,
    *,
    maintaining_factors: Sequence[str] = (),
    severity: Severity | None,
    clinician_flags: Collection[str] = (),
    rules: PlanningRulesFile,
    knowledge: KnowledgeBase,
) -> tuple[MultidisciplinaryPart, ...]:
    """The parts whose rules hold, in the order of the rules file.

    Raises ``PlanningInputError`` for a flag the rules do not declare.
    """
    known_flags = {flag.id for flag in rules.clinician_flags}
    unknown = sorted(set(clinician_flags) - known_flags)
    if unknown:
        raise PlanningInputError(
            tuple(
                f"clinician flag {flag!r} is not declared in the planning rules" for flag in unknown
            )
        )
    present = {
        finding.factor_id for finding in profile.factors if finding.status in ("elevated", "low")
    } | set(maintaining_factors)
    interventions = {item.id: item for item in knowledge.interventions.interventions}
    parts = []
    for rule in rules.multidisciplinary:
        when = rule.when
        factors = tuple(f for f in when.factors_any if f in present)
        if when.factors_any and not factors:
            continue
        if not set(when.flags_all) <= set(clinician_flags):
            continue
        if when.severity_in and severity not in when.severity_in:
            continue
        intervention = interventions[rule.intervention]
        parts.append(
            MultidisciplinaryPart(
                rule_id=rule.id,
                intervention_id=rule.intervention,
                intervention_name=_texts(intervention.name),
                discipline_id=rule.discipline,
                reason=_texts(rule.reason),
                factors=factors,
                flags=when.flags_all,
                severity=severity if when.severity_in else None,
                sources=rule.sources,
                unverified=rule.unverified,
                note=rule.note,
            )
        )
    return tuple(parts)


def _texts(localized: LocalizedText) -> Mapping[str, str]:
    return MappingProxyType(
        {language: text for language in ("nl", "en") if (text := localized.get(language))}
    )
