"""Preparing a draft plan from the patient's preferences and the recommendations."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maatwerk.core.planning.errors import DecisionError
from maatwerk.core.planning.matching import PlanPreferences, recommend_modules
from maatwerk.core.planning.multidisciplinary import multidisciplinary_parts
from maatwerk.core.planning.roles import may_be_regiebehandelaar
from maatwerk.web.audit.audited import InputRefused, audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.forms import (
    MAX_AT_ONCE_LIMIT,
    MODALITIES,
    WORDS_MAX_LENGTH,
    PrepareForm,
    preferences_of,
)
from maatwerk.web.planning.models import Plan, PlanPart
from maatwerk.web.planning.services._common import (
    NON_FIELD,
    _language,
    _open_plan,
    module_name,
    plan_subject,
    staff_user,
)
from maatwerk.web.planning.services.recomputing import _compute, _write_rows

__all__ = ["MAX_AT_ONCE_LIMIT", "MODALITIES", "WORDS_MAX_LENGTH", "plan_prepare"]


def plan_prepare(*, actor: Actor, access: PatientAccess, form: PrepareForm) -> Plan:
    """Make a draft plan from the latest screening profile (and the formulation's
    maintaining factors), or recompute the draft with new preferences. The clinician's
    earlier decisions are applied again; one that no longer fits is refused.

    The open plan is locked from the moment it is read until the new rows are written
    (one transaction), so two clinicians preparing at once cannot both write a draft.
    """
    action = "update" if selectors.open_plan_exists(access) else "create"
    with audited(actor=actor, action=action, subject=plan_subject(access)) as note:
        existing = _open_plan(access)
        if existing is not None:
            note.about(object_ref=str(existing.public_id))
        errors: dict[str, list[str]] = {}
        try:
            chosen = preferences_of(form)
        except InputRefused as refusal:
            errors.update(refusal.errors)
            chosen = None
        basis = selectors.plan_basis(access)
        if basis is None:
            errors[NON_FIELD] = [
                _("There is no screening profile yet. Compute the screening profile first.")
            ]
        if existing is not None and existing.status == Plan.Status.ACTIVE:
            errors[NON_FIELD] = [_("The plan is active. Choose “Revise the plan” to change it.")]
        if errors or chosen is None or basis is None:
            raise InputRefused(errors)
        preferences = PlanPreferences(
            modality=chosen.modality,
            excluded_modules=chosen.excluded,
            max_at_once=chosen.max_at_once,
        )
        flags = chosen.flags
        knowledge = selectors.knowledge_of(access)
        known_factors = {factor.id for factor in knowledge.factors.factors}
        maintaining = [f for f in selectors.maintaining_factors_of(access) if f in known_factors]
        profile = basis.stored.profile
        recommendations = recommend_modules(
            profile,
            maintaining_factors=maintaining,
            preferences=preferences,
            catalogue=selectors.catalogue(),
            knowledge=knowledge,
            rules=selectors.planning_rules(),
        )
        parts = multidisciplinary_parts(
            profile,
            maintaining_factors=maintaining,
            severity=basis.stored.advice.severity,
            clinician_flags=tuple(flags),
            rules=selectors.planning_rules(),
            knowledge=knowledge,
        )
        plan = existing or Plan(patient=access.patient, created_by=staff_user(actor))
        plan.snapshot = basis.stored.snapshot
        if existing is None or not existing.care_level_steps.exists():
            # A level of care stepped up on a revision is the clinician's decision and
            # stands when the recommendation is calculated again.
            plan.care_level = basis.care_level
            plan.care_level_source = basis.care_level_source
        if plan.regiebehandelaar is not None and not may_be_regiebehandelaar(
            plan.care_level, plan.regiebehandelaar.discipline
        ):
            # Chosen for another level of care: the choice no longer applies.
            plan.regiebehandelaar = None
        plan.severity = basis.stored.advice.severity or ""
        plan.preferences = {
            "modality": preferences.modality,
            "excluded_modules": dict(preferences.excluded_modules),
            "max_at_once": preferences.max_at_once,
        }
        plan.maintaining_factors = maintaining
        plan.clinician_flags = list(flags)
        decisions = (
            selectors.effective_decisions(selectors.decisions_of(existing)) if existing else []
        )
        try:
            computed = _compute(plan, recommendations, decisions)
        except DecisionError as error:
            module = error.module_id or ""
            raise InputRefused(
                {
                    NON_FIELD: [
                        _(
                            "Your earlier decision about “%(module)s” does not fit the new "
                            "recommendation. Nothing was changed."
                        )
                        % {"module": module_name(module, _language())}
                    ]
                }
            ) from None
        if plan.goal_set is None:
            # The patient's GAS goals, when already set, are the plan's goals.
            plan.goal_set = access.patient.measure_sets.filter(kind="gas", is_active=True).first()
        plan.save()
        note.about(object_ref=str(plan.public_id))
        _write_rows(plan, recommendations, decisions, computed, knowledge)
        plan.parts.all().delete()
        PlanPart.objects.bulk_create(
            PlanPart(
                plan=plan,
                position=position,
                rule_id=part.rule_id,
                intervention_id=part.intervention_id,
                intervention_name=dict(part.intervention_name),
                discipline_id=part.discipline_id or "",
                reason=dict(part.reason),
                factors=list(part.factors),
                flags=list(part.flags),
                severity=part.severity or "",
                sources=list(part.sources),
                unverified=part.unverified,
                note=part.note or "",
            )
            for position, part in enumerate(parts, start=1)
        )
        note.detail = f"recommendation of {len(recommendations)} module(s), {len(parts)} part(s)"
    return plan
