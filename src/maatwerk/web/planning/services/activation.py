"""Activating a draft plan, or a revision in place of the active plan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.services._common import (
    NON_FIELD,
    _clinician_only,
    _open_plan,
    _refuse,
    _refuse_or_plan,
    _user,
)
from maatwerk.web.treatment import services as treatment_services


def plan_activate(*, actor: Actor, access: PatientAccess) -> Plan:
    """Activate the draft: the patient gets the modules of the plan.

    The modules are given through the treatment app
    (``treatment.services.modules_assign``), in the same transaction. Its audit event
    (the assignment, naming this plan) is the one event of the activation, so the
    activation is not audited twice.
    """
    _clinician_only(access)
    _user(actor)
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        plan = _open_plan(access)
    if plan is None or plan.status != Plan.Status.DRAFT:
        errors[NON_FIELD] = [_("Only a draft plan can be activated.")]
    elif not selectors.planned_modules_of(plan):
        errors[NON_FIELD] = [_("The plan has no modules. Accept or add a module first.")]
    elif plan.goal_set is None or not plan.goal_set.items.exists():
        errors[NON_FIELD] = [_("Set at least one goal with the patient first.")]
    plan = _refuse_or_plan(
        errors,
        actor=actor,
        access=access,
        action="update",
        plan=plan,
        detail="plan not activated",
    )
    module_ids = [row.module_id for row in selectors.planned_modules_of(plan)]
    if plan.revises_id is not None:
        return _activate_revision(actor=actor, access=access, plan=plan, module_ids=module_ids)
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        plan.status = Plan.Status.ACTIVE
        plan.activated_at = timezone.now()
        plan.updated_at = plan.activated_at
        plan.save(update_fields=["status", "activated_at", "updated_at"])
        treatment_services.modules_assign(
            actor=actor, access=access, module_ids=module_ids, plan_ref=str(plan.public_id)
        )
    return plan


def _activate_revision(
    *, actor: Actor, access: PatientAccess, plan: Plan, module_ids: list[str]
) -> Plan:
    """The revision becomes the active plan and the plan it revises becomes ``revised``;
    the patient gets the modules new in the plan and the modules the plan no longer
    holds are stopped (their answers stay readable). The treatment app's one event (naming this
    plan) is the event of the activation, as for a first plan."""
    user = _user(actor)
    revised = plan.revises
    if revised is None or revised.status != Plan.Status.ACTIVE:
        no_longer_active = {NON_FIELD: [_("The plan this revision revises is no longer active.")]}
        _refuse(
            no_longer_active,
            actor=actor,
            access=access,
            action="update",
            plan=plan,
            detail="revision not activated",
        )
        raise ValidationError(no_longer_active)  # pragma: no cover - _refuse raised
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=plan.pk)
        previous = Plan.objects.select_for_update().get(pk=revised.pk)
        if previous.status != Plan.Status.ACTIVE:  # completed in the meantime
            raise ValidationError(
                {NON_FIELD: [_("The plan this revision revises is no longer active.")]}
            )
        before = [row.module_id for row in selectors.planned_modules_of(previous)]
        now = timezone.now()
        previous.status = Plan.Status.REVISED
        previous.ended_at = now
        previous.ended_by = user
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
    return plan
