"""The part of a patient's plan a partner or parent may read (treatment's relative
views): the goals' names and the expected length of the active (or, after treatment,
the completed) plan. Never a draft, the clinician's reasons or the measured levels.

Read inside the relative view's own audited call.
"""

from __future__ import annotations

from dataclasses import dataclass

from maatwerk.web.patients.models import Patient
from maatwerk.web.planning import selectors
from maatwerk.web.planning.models import Plan


@dataclass(frozen=True, slots=True)
class RelativePlan:
    goals: tuple[str, ...]
    weeks: int  # 0 when the plan gives no estimate


def plan_for_relatives(patient: Patient) -> RelativePlan | None:
    plans = Plan.objects.filter(patient=patient).select_related("goal_set")
    plan = (
        plans.filter(status=Plan.Status.ACTIVE).first()
        or plans.filter(status=Plan.Status.COMPLETED).order_by("-ended_at", "-pk").first()
    )
    if plan is None:
        return None
    goals = tuple(goal.item.name for goal in selectors.goals_of(plan))
    return RelativePlan(goals=goals, weeks=int(plan.expected_weeks or 0))
