"""Setting the goals of a draft plan with the patient."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.personalized import services as personalized_services
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.services._common import (
    NON_FIELD,
    _audit,
    _clinician_only,
    _open_plan,
    _refuse_or_plan,
)


def plan_goals_set(
    *, actor: Actor, access: PatientAccess, goals: Sequence[personalized_services.GoalInput]
) -> Plan:
    """Set the plan's goals as GAS goals through the personalized measures (the goal in
    the patient's words, level 0 and the other four levels described, a weight).

    Every level must be described here: the plan and its exports show the whole scale.
    The GAS set replaces the patient's active one (its measurements stay readable).
    """
    _clinician_only(access)
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        plan = _open_plan(access)
    if plan is None:
        errors[NON_FIELD] = [_("Make a plan first.")]
    elif plan.status != Plan.Status.DRAFT:
        errors[NON_FIELD] = [_("Only a draft plan can be changed.")]
    for index, goal in enumerate(goals):
        if goal.is_blank:
            continue
        missing = [
            key
            for key in personalized_services.GAS_LEVEL_KEYS
            if not goal.levels.get(key, "").strip()
        ]
        if missing:
            errors[f"goal-{index}"] = [_("Describe every level of this goal: −2, −1, +1 and +2.")]
    plan = _refuse_or_plan(
        errors,
        actor=actor,
        access=access,
        action="update",
        plan=plan,
        detail="plan goals not saved: invalid input",
    )
    try:
        with transaction.atomic():
            measure_set = personalized_services.gas_set_create(
                actor=actor, access=access, goals=goals
            )
            Plan.objects.filter(pk=plan.pk).update(goal_set=measure_set, updated_at=timezone.now())
    except ValidationError:
        # The GAS service's own "refused" event was rolled back with the transaction.
        _audit(actor, access, "update", plan=plan, detail="plan goals not saved", outcome="error")
        raise
    plan.refresh_from_db()
    return plan
