"""Accepting, removing and adding modules in a draft plan."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maatwerk.core.planning.errors import DecisionError, DecisionWithoutReason
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.forms import DecideForm
from maatwerk.web.planning.models import Plan, PlanDecisionRecord, PlanModule
from maatwerk.web.planning.services._common import (
    _language,
    _open_plan,
    module_name,
    plan_subject,
    staff_user,
)
from maatwerk.web.planning.services.recomputing import _compute, _recommendations_of, _write_rows


def plan_decide(*, actor: Actor, access: PatientAccess, form: DecideForm) -> PlanDecisionRecord:
    """Accept, remove or add one module. Removing and adding always need a reason, and so
    does accepting a module the patient did not want; the decision is recorded.

    The draft is locked from the moment it is read until the decision is written."""
    with audited(actor=actor, action="update", subject=plan_subject(access)) as note:
        plan = _open_plan(access)
        if plan is not None:
            note.about(object_ref=str(plan.public_id))
        if plan is None or plan.status != Plan.Status.DRAFT:
            raise InputRefused(_("Only a draft plan can be changed."))
        data = valid_form(form)
        module_id, action = str(data["module"]), str(data["action"])
        reason = str(data["reason"]).strip()
        rows = {row.module_id: row for row in plan.modules.all()}
        row = rows.get(module_id)
        conflict = _decision_conflict(action, row, module_name(module_id, _language()))
        if conflict:
            raise InputRefused(conflict)
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
            decided_by=staff_user(actor),
        )
        decisions = selectors.effective_decisions([*selectors.decisions_of(plan), record])
        try:
            computed = _compute(plan, recommendations, decisions)
        except DecisionWithoutReason:
            raise InputRefused(
                {"reason": [_("Give a reason: the patient did not want this module.")]}
            ) from None
        except DecisionError:
            raise InputRefused(_("This decision does not fit the plan.")) from None
        record.save()
        _write_rows(plan, recommendations, decisions, computed, selectors.knowledge_of(access))
        note.detail = f"{action} module {module_id}"
        return record


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
