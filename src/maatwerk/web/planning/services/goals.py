"""Setting the goals of a draft plan with the patient."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.personalized import services as personalized_services
from maatwerk.web.personalized.forms import GoalsForm
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.services._common import NON_FIELD, _open_plan, plan_subject


def _problems(plan: Plan | None, form: GoalsForm) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if plan is None:
        errors[NON_FIELD] = [_("Make a plan first.")]
    elif plan.status != Plan.Status.DRAFT:
        errors[NON_FIELD] = [_("Only a draft plan can be changed.")]
    try:
        goals = form.goals()
    except InputRefused as refusal:
        errors.update(refusal.errors)
        return errors
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
    return errors


def plan_goals_set(*, actor: Actor, access: PatientAccess, form: GoalsForm) -> Plan:
    """Set the plan's goals as GAS goals through the personalized measures (the goal in
    the patient's words, level 0 and the other four levels described, a weight, and the
    level the patient starts at, chosen by the clinician).

    Every level must be described here: the plan and its exports show the whole scale.
    The GAS set replaces the patient's active one (its measurements stay readable). The
    personalized measures' event (the GAS set) is the one event of a success; a refusal,
    here or by the GAS service, is one ``refused`` event.
    """
    refusal: InputRefused | None = None
    # A savepoint inside: the GAS service's own refused event is rolled back with it.
    with transaction.atomic():
        plan = _open_plan(access)
        errors = _problems(plan, form)
        if plan is not None and not errors:
            try:
                with transaction.atomic():
                    measure_set = personalized_services.gas_set_create(
                        actor=actor, access=access, goals=form.goals()
                    )
                    Plan.objects.filter(pk=plan.pk).update(
                        goal_set=measure_set, updated_at=timezone.now()
                    )
            except InputRefused as refused:
                refusal = refused
            except ValidationError as error:
                refusal = InputRefused.from_validation_error(error)
            else:
                plan.refresh_from_db()
                return plan
        else:
            refusal = InputRefused(errors)
    # The refusal is written after the transaction (the GAS service's own event was
    # rolled back with it), so exactly one refused event stays.
    with audited(actor=actor, action="update", subject=plan_subject(access, plan)):
        raise refusal
    raise AssertionError("unreachable")  # pragma: no cover - audited re-raises
