"""Activating a draft plan, or a revision in place of the active plan."""

from __future__ import annotations

from typing import NoReturn

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.services._common import _open_plan, plan_subject, staff_user
from maatwerk.web.treatment import services as treatment_services


def _refuse(actor: Actor, access: PatientAccess, plan: Plan | None, problem: str) -> NoReturn:
    """One ``refused`` event for an activation that could not be done (written after the
    activation's transaction was rolled back, so it stays)."""
    with audited(actor=actor, action="update", subject=plan_subject(access, plan)):
        raise InputRefused(problem)
    raise AssertionError("unreachable")  # pragma: no cover - audited re-raises


def _problem(plan: Plan | None) -> str:
    if plan is None or plan.status != Plan.Status.DRAFT:
        return _("Only a draft plan can be activated.")
    if not selectors.planned_modules_of(plan):
        return _("The plan has no modules. Accept or add a module first.")
    if plan.goal_set is None or not plan.goal_set.items.exists():
        return _("Set at least one goal with the patient first.")
    if plan.revises_id is not None and (
        plan.revises is None or plan.revises.status != Plan.Status.ACTIVE
    ):
        return _("The plan this revision revises is no longer active.")
    return ""


def plan_activate(*, actor: Actor, access: PatientAccess) -> Plan:
    """Activate the draft: the patient gets the modules of the plan.

    The modules are given through the treatment app
    (``treatment.services.modules_assign``), in the same transaction as the plan's new
    status, with the plan locked from the check to the write. The treatment app's audit
    event (the assignment, naming this plan) is the one event of the activation; a
    refused activation is one ``refused`` event.
    """
    with transaction.atomic():
        plan = _open_plan(access)
        problem = _problem(plan)
        if plan is not None and not problem:
            module_ids = [row.module_id for row in selectors.planned_modules_of(plan)]
            if plan.revises_id is not None:
                _activate_revision(actor=actor, access=access, plan=plan, module_ids=module_ids)
                return plan
            plan.status = Plan.Status.ACTIVE
            plan.activated_at = timezone.now()
            plan.updated_at = plan.activated_at
            plan.save(update_fields=["status", "activated_at", "updated_at"])
            treatment_services.modules_assign(
                actor=actor, access=access, module_ids=module_ids, plan_ref=str(plan.public_id)
            )
            return plan
    _refuse(actor, access, plan, problem)


def _activate_revision(
    *, actor: Actor, access: PatientAccess, plan: Plan, module_ids: list[str]
) -> None:
    """The revision becomes the active plan and the plan it revises becomes ``revised``;
    the patient gets the modules new in the plan and the modules the plan no longer
    holds are stopped (their answers stay readable). Runs in the activation's
    transaction; the treatment app's one event (naming this plan) is its event."""
    previous = Plan.objects.select_for_update().get(revisions=plan)
    before = [row.module_id for row in selectors.planned_modules_of(previous)]
    now = timezone.now()
    previous.status = Plan.Status.REVISED
    previous.ended_at = now
    previous.ended_by = staff_user(actor)
    previous.save(update_fields=["status", "ended_at", "ended_by"])
    plan.status = Plan.Status.ACTIVE
    plan.activated_at = now
    plan.updated_at = now
    plan.save(update_fields=["status", "activated_at", "updated_at"])
    treatment_services.modules_revise(
        actor=actor,
        access=access,
        give_ids=[m for m in module_ids if m not in before],
        close_ids=[m for m in before if m not in module_ids],
        plan_ref=str(plan.public_id),
    )
