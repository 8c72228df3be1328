"""The personal plan: care level, accepted modules with their reasons, GAS goals in the
patient's own words, multidisciplinary parts, expected duration and the decisions.

A ``Plan`` is an immutable value; :func:`build_plan` assembles it from the pieces the
other planning functions return and renders every reason as readable lines (Dutch and
English) so that exports (FHIR ``CarePlan``, the PDF) need neither the catalogue nor the
knowledge base. ``maatwerk.core.fhir.care_plan.plan_to_fhir`` exports it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Literal

from maatwerk.core.bibliography import citations
from maatwerk.core.common.prose import Prose, load_prose
from maatwerk.core.instruments.explain import comparison_text
from maatwerk.core.instruments.personalized import (
    GasGoal,
    GasScore,
    PersonalizedMeasureError,
    goal_attainment_t_score,
)
from maatwerk.core.instruments.registry import scale_label
from maatwerk.core.instruments.text import LocalizedText
from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.modules.model import ModuleCatalogue
from maatwerk.core.planning.decisions import AcceptedModule, PlanDecision
from maatwerk.core.planning.duration import ExpectedDuration
from maatwerk.core.planning.errors import PlanError
from maatwerk.core.planning.matching import MatchReason
from maatwerk.core.planning.multidisciplinary import MultidisciplinaryPart
from maatwerk.core.screening.model import Evidence, JudgementEvidence, Modality

__all__ = [
    "GAS_LEVELS",
    "ModuleStatus",
    "Plan",
    "PlanGoal",
    "PlanStatus",
    "PlannedModule",
    "build_plan",
    "reason_lines",
]

PlanStatus = Literal["draft", "active", "completed", "revoked"]
ModuleStatus = Literal["not_started", "in_progress", "completed", "stopped"]
Language = Literal["nl", "en"]
GAS_LEVELS: tuple[int, ...] = (-2, -1, 0, 1, 2)
_LANGUAGES: tuple[Language, ...] = ("nl", "en")


@dataclass(frozen=True, slots=True)
class PlanGoal:
    """A GAS goal: ``goal.name`` is the patient's own words, ``goal.level`` the level
    now (−1 when set, see ``GAS_BASELINE_LEVEL``), ``levels`` what each of −2 … +2 looks
    like for this patient (0 = the expected outcome)."""

    goal: GasGoal
    levels: Mapping[int, str]

    def __post_init__(self) -> None:
        missing = [level for level in GAS_LEVELS if not self.levels.get(level, "").strip()]
        extra = sorted(set(self.levels) - set(GAS_LEVELS))
        if missing or extra:
            raise PlanError(
                f"goal {self.goal.name!r}: describe every level −2 … +2"
                + (f"; missing {', '.join(f'{m:+d}' for m in missing)}" if missing else "")
                + (f"; unknown level(s) {extra}" if extra else "")
            )


@dataclass(frozen=True, slots=True)
class PlannedModule:
    module_id: str
    order: int
    name: Mapping[str, str]  # language -> module name
    status: ModuleStatus
    accepted: AcceptedModule
    reasons: Mapping[str, tuple[str, ...]]  # language -> readable reason lines


@dataclass(frozen=True, slots=True)
class Plan:
    plan_id: str
    status: PlanStatus
    care_level: str
    care_level_name: Mapping[str, str]
    modality: Modality
    modules: tuple[PlannedModule, ...]
    goals: tuple[PlanGoal, ...]
    multidisciplinary: tuple[MultidisciplinaryPart, ...]
    duration: ExpectedDuration
    decisions: tuple[PlanDecision, ...]
    created: date
    updated: date
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.plan_id.strip():
            raise PlanError("a plan needs an id")
        ids = [module.module_id for module in self.modules]
        if len(set(ids)) != len(ids):
            raise PlanError("a module appears twice in the plan")
        if [module.order for module in self.modules] != list(range(1, len(ids) + 1)):
            raise PlanError("module order must run 1, 2, 3, … without gaps")
        if self.goals:
            try:
                goal_attainment_t_score([goal.goal for goal in self.goals])
            except PersonalizedMeasureError as error:
                raise PlanError(str(error)) from error
        if self.updated < self.created:
            raise PlanError("a plan cannot be updated before it was created")

    @property
    def gas_score(self) -> GasScore | None:
        """The GAS T-score of the goals at their current levels (None without goals)."""
        if not self.goals:
            return None
        return goal_attainment_t_score([goal.goal for goal in self.goals])


def build_plan(
    *,
    plan_id: str,
    care_level: str,
    modality: Modality,
    accepted: Sequence[AcceptedModule],
    goals: Sequence[PlanGoal],
    multidisciplinary: Sequence[MultidisciplinaryPart],
    duration: ExpectedDuration,
    decisions: Sequence[PlanDecision],
    created: date,
    updated: date | None = None,
    status: PlanStatus = "draft",
    catalogue: ModuleCatalogue,
    knowledge: KnowledgeBase,
) -> Plan:
    """Assemble a plan; every module's reasons are rendered in Dutch and English."""
    unknown = [m.module_id for m in accepted if m.module_id not in catalogue.ids]
    if unknown:
        raise PlanError(f"module(s) not in the catalogue: {', '.join(unknown)}")
    modules = tuple(
        PlannedModule(
            module_id=item.module_id,
            order=item.order,
            name=_texts(catalogue.module(item.module_id).name),
            status="not_started",
            accepted=item,
            reasons=MappingProxyType(
                {language: reason_lines(item, language, knowledge) for language in _LANGUAGES}
            ),
        )
        for item in accepted
    )
    return Plan(
        plan_id=plan_id,
        status=status,
        care_level=care_level,
        care_level_name=_texts(knowledge.care_level(care_level).name),
        modality=modality,
        modules=modules,
        goals=tuple(goals),
        multidisciplinary=tuple(multidisciplinary),
        duration=duration,
        decisions=tuple(decisions),
        created=created,
        updated=updated or created,
    )


# Every word and sentence of a reason line is prose in ``content/prose/plan_texts.json``.
PROSE_FILE = "plan_texts.json"


@cache
def _prose() -> Prose:
    return load_prose(PROSE_FILE)


def _t(key: str, language: Language, **values: str) -> str:
    return _prose().text(key, language, **values)


def reason_lines(
    item: AcceptedModule, language: Language, knowledge: KnowledgeBase
) -> tuple[str, ...]:
    """Why the module is in the plan, one line per reason, for clinicians and exports."""
    lines: list[str] = []
    rec = item.recommendation
    if rec is not None and rec.basic is not None:
        lines.append(
            _with_provenance(
                rec.basic.text.get(language, rec.basic.rule_id),
                rec.basic.sources,
                rec.basic.unverified,
                language,
            )
        )
    if rec is not None:
        lines.extend(_match_line(reason, language, knowledge) for reason in rec.reasons)
    decision = item.decision
    if rec is None and decision is not None:
        lines.append(_t("decision.added", language, reason=decision.reason.strip()))
    elif rec is not None and rec.status != "recommended" and decision is not None:
        lines.append(_t("decision.accepted_excluded", language, reason=decision.reason.strip()))
    elif decision is not None and decision.reason.strip():
        lines.append(_t("decision.clinician", language, reason=decision.reason.strip()))
    return tuple(lines)


def _match_line(reason: MatchReason, language: Language, knowledge: KnowledgeBase) -> str:
    factor = knowledge.factor(reason.factor_id).name.get(language, fallback=True)
    status_key = f"status.{reason.factor_status}"
    status = _t(status_key, language) if status_key in _prose() else reason.factor_status
    evidence = "; ".join(_evidence_text(e, language) for e in reason.evidence)
    if "formulation" in reason.origins and reason.factor_status != "maintaining":
        formulation = _t("evidence.formulation", language)
        evidence = "; ".join(part for part in (evidence, formulation) if part)
    head = f"{factor or reason.factor_id} ({status}{': ' + evidence if evidence else ''})"
    if reason.via == "module_target":
        via = _t("via.target", language)
    elif reason.interventions:
        names = {
            i.id: i.name.get(language, fallback=True) for i in knowledge.interventions.interventions
        }
        shown = ", ".join(names.get(i) or i for i in reason.interventions)
        via = _t("via.link_to", language, interventions=shown)
    else:
        via = _t("via.link", language)
    return _with_provenance(f"{head} — {via}", reason.sources, reason.unverified, language)


def _evidence_text(evidence: Evidence, language: Language) -> str:
    if isinstance(evidence, JudgementEvidence):
        key = "evidence.judged_present" if evidence.present else "evidence.judged_absent"
        return _t(key, language)
    scale = scale_label(evidence.instrument, evidence.instrument_version, evidence.scale, language)
    comparison = comparison_text(evidence.value, evidence.operator, evidence.threshold, language)
    text = f"{scale} {comparison}"
    return text if evidence.met else _t("evidence.not_met", language, evidence=text)


def _with_provenance(
    text: str, sources: Sequence[str], unverified: bool, language: Language
) -> str:
    parts = []
    if sources:
        parts.append(_t("provenance.sources", language, citations=citations(sources)))
    if unverified:
        parts.append(_t("provenance.unverified", language))
    return f"{text} [{'; '.join(parts)}]" if parts else text


def _texts(localized: LocalizedText) -> Mapping[str, str]:
    return MappingProxyType(
        {language: text for language in ("nl", "en") if (text := localized.get(language))}
    )
