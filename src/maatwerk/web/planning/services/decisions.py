"""Accepting, removing and adding modules in a draft plan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maatwerk.core.planning.errors import DecisionError, DecisionWithoutReason
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.models import Plan, PlanDecisionRecord, PlanModule
from maatwerk.web.planning.services._common import (
    NON_FIELD,
    REASON_MAX_LENGTH,
    _audit,
    _clinician_only,
    _language,
    _open_plan,
    _user,
    module_name,
)
from maatwerk.web.planning.services.recomputing import _compute, _recommendations_of, _write_rows


def plan_decide(
    *, actor: Actor, access: PatientAccess, module_id: str, action: str, reason: str
) -> PlanDecisionRecord:
    """Accept, remove or add one module. Removing and adding always need a reason, and so
    does accepting a module the patient did not want; the decision is recorded."""
    _clinician_only(access)
    user = _user(actor)
    errors: dict[str, list[str]] = {}
    reason = reason.strip()
    language = _language()
    with transaction.atomic():
        plan = _open_plan(access)
        if plan is None or plan.status != Plan.Status.DRAFT:
            errors[NON_FIELD] = [_("Only a draft plan can be changed.")]
        if module_id not in selectors.catalogue().ids:
            errors["module"] = [_("Choose a module from the list.")]
        if action not in PlanDecisionRecord.Action.values:
            errors[NON_FIELD] = [_("Choose accept, remove or add.")]
        if len(reason) > REASON_MAX_LENGTH:
            errors["reason"] = [_("Keep the reason shorter than 2000 characters.")]
        elif action in ("remove", "add") and not reason:
            errors["reason"] = [
                _("Give a reason for removing this module.")
                if action == "remove"
                else _("Give a reason for adding this module.")
            ]
        rows = {row.module_id: row for row in plan.modules.all()} if plan else {}
        row = rows.get(module_id)
        if not errors and plan is not None:
            errors.update(_decision_conflict(action, row, module_name(module_id, language)))
    if errors:
        _audit(
            actor,
            access,
            "update",
            plan=plan,
            detail=f"{action if action in PlanDecisionRecord.Action.values else '?'} refused",
            outcome="error",
        )
        raise ValidationError(errors)
    if plan is None:  # pragma: no cover - _refuse or the check above raised for it
        raise ValidationError(errors)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        recommendations = _recommendations_of(plan)
        deviates = not (
            action == "accept" and row is not None and row.status != PlanModule.Status.EXCLUDED
        )
        record = PlanDecisionRecord(
            plan=plan,
            module_id=module_id,
            action=action,
            reason=reason,
            deviates=deviates,
            decided_by=user,
        )
        decisions = selectors.effective_decisions([*selectors.decisions_of(plan), record])
        try:
            computed = _compute(plan, recommendations, decisions)
        except DecisionWithoutReason:
            computed = None
            problem = {"reason": [_("Give a reason: the patient did not want this module.")]}
        except DecisionError:
            computed = None
            problem = {NON_FIELD: [_("This decision does not fit the plan.")]}
        if computed is not None:
            record.save()
            _write_rows(plan, recommendations, decisions, computed, selectors.knowledge_of(access))
            _audit(actor, access, "update", plan=plan, detail=f"{action} module {module_id}")
            return record
    _audit(
        actor, access, "update", plan=plan, detail=f"{action} {module_id} refused", outcome="error"
    )
    raise ValidationError(problem)


def _decision_conflict(action: str, row: PlanModule | None, name: str) -> dict[str, list[str]]:
    """Clear messages for the decisions the core would refuse."""
    in_plan = row is not None and row.in_plan
    if action == "add" and in_plan:
        return {"module": [_("“%(module)s” is already in the plan.") % {"module": name}]}
    if action == "add" and row is not None and row.status == PlanModule.Status.EXCLUDED:
        return {
            "module": [
                _(
                    "The patient did not want “%(module)s”. Choose it under “Not wanted by the "
                    "patient” and give a reason."
                )
                % {"module": name}
            ]
        }
    if action == "add" and row is not None and row.recommendation:
        return {
            "module": [
                _("“%(module)s” was recommended: accept it instead of adding it.")
                % {"module": name}
            ]
        }
    if action == "remove" and not in_plan:
        return {"module": [_("“%(module)s” is not in the plan.") % {"module": name}]}
    if action == "accept" and (row is None or not row.recommendation):
        return {
            "module": [_("“%(module)s” was not recommended: add it instead.") % {"module": name}]
        }
    if action == "accept" and in_plan and row is not None and row.status == "accepted":
        return {"module": [_("“%(module)s” is already accepted.") % {"module": name}]}
    return {}
