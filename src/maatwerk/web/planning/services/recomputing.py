"""Recomputing a plan from its recommendations and decisions (the core's
``maatwerk.core.planning``) and writing its module rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from django.utils import timezone

from maatwerk.core.knowledge.model import KnowledgeBase
from maatwerk.core.planning.decisions import AcceptedModule, PlanDecision, apply_decisions
from maatwerk.core.planning.duration import expected_duration
from maatwerk.core.planning.matching import ModuleRecommendation
from maatwerk.core.planning.plan import reason_lines
from maatwerk.web.planning import codec, selectors
from maatwerk.web.planning.models import Plan, PlanModule
from maatwerk.web.planning.services._common import Language


@dataclass(frozen=True)
class _Computed:
    accepted: tuple[AcceptedModule, ...]
    duration: dict[str, object]
    weeks: int


def _compute(
    plan: Plan,
    recommendations: Sequence[ModuleRecommendation],
    decisions: Sequence[PlanDecision],
) -> _Computed:
    """The accepted modules and the expected duration; raises the core's DecisionError."""
    accepted = apply_decisions(recommendations, decisions)
    max_at_once = (
        plan.preferences.get("max_at_once") or selectors.planning_rules().max_modules_at_once.value
    )
    duration = expected_duration(
        [item.module_id for item in accepted],
        catalogue=selectors.catalogue(),
        care_level=plan.care_level,
        max_at_once=int(max_at_once),
        rules=selectors.planning_rules(),
    )
    return _Computed(accepted, codec.to_json(duration), duration.weeks)


class _RowValues(TypedDict):
    """The stored fields of one module row of the plan."""

    status: str
    order: int | None
    rank: int | None
    reason: str
    recommendation: object
    reason_lines: dict[str, list[str]]


def _write_rows(
    plan: Plan,
    recommendations: Sequence[ModuleRecommendation],
    decisions: Sequence[PlanDecision],
    computed: _Computed,
    knowledge: KnowledgeBase,
) -> None:
    """Rewrite the module rows of the plan from the recommendation and the decisions."""
    by_decision = {d.module_id: d for d in decisions}
    placed = {item.module_id: item for item in computed.accepted}
    wanted: dict[str, _RowValues] = {}
    for rec in recommendations:
        decision = by_decision.get(rec.module_id)
        item = placed.get(rec.module_id) or AcceptedModule(rec.module_id, 0, rec, decision)
        if rec.module_id in placed:
            status = PlanModule.Status.ACCEPTED if decision else PlanModule.Status.RECOMMENDED
        elif rec.status == "excluded_by_patient":
            status = PlanModule.Status.EXCLUDED
        else:
            status = PlanModule.Status.REMOVED
        wanted[rec.module_id] = {
            "status": status,
            "order": placed[rec.module_id].order if rec.module_id in placed else None,
            "rank": rec.rank,
            "reason": decision.reason.strip() if decision else "",
            "recommendation": codec.to_json(rec),
            "reason_lines": _lines(item, knowledge),
        }
    for item in computed.accepted:
        if item.recommendation is None:
            wanted[item.module_id] = {
                "status": PlanModule.Status.ADDED,
                "order": item.order,
                "rank": None,
                "reason": item.decision.reason.strip() if item.decision else "",
                "recommendation": None,
                "reason_lines": _lines(item, knowledge),
            }
    for row in plan.modules.all():
        if row.module_id not in wanted:
            # An added module the clinician withdrew: kept as removed, with its history.
            row.status = PlanModule.Status.REMOVED
            row.order = None
            row.save(update_fields=["status", "order"])
    for module_id, values in wanted.items():
        module = selectors.module_of(module_id)
        PlanModule.objects.update_or_create(
            plan=plan,
            module_id=module_id,
            defaults={**values, "module_version": module.version if module else ""},
        )
    plan.expected_weeks = computed.weeks
    plan.duration = computed.duration
    plan.expected_weeks_unverified = bool(computed.duration.get("unverified", True))
    plan.updated_at = timezone.now()
    plan.save()


def _lines(item: AcceptedModule, knowledge: KnowledgeBase) -> dict[str, list[str]]:
    languages: tuple[Language, ...] = ("nl", "en")
    return {lang: list(reason_lines(item, lang, knowledge)) for lang in languages}


def _recommendations_of(plan: Plan) -> list[ModuleRecommendation]:
    recs = [
        codec.recommendation_from_json(row.recommendation)
        for row in plan.modules.all()
        if row.recommendation is not None
    ]
    # the recommended ones in rank order, then the excluded ones (the core's order)
    return sorted(recs, key=lambda rec: (rec.rank is None, rec.rank or 0))
