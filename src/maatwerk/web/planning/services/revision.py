"""Revising the active plan, stepping up the level of care, discarding a revision and
completing a plan."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from maatwerk.core.planning.errors import DecisionError
from maatwerk.web.audit.audited import InputRefused, audited, valid_form
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.forms import CompleteForm, DiscardForm, RevisionForm, StepUpForm
from maatwerk.web.planning.models import (
    Plan,
    PlanCareLevelStep,
    PlanDecisionRecord,
    PlanModule,
    PlanPart,
)
from maatwerk.web.planning.services._common import (
    _open_plan,
    plan_subject,
    staff_user,
)
from maatwerk.web.planning.services.recomputing import _compute, _recommendations_of


def _text(form: RevisionForm | DiscardForm | StepUpForm | CompleteForm, field: str) -> str:
    return str(valid_form(form)[field]).strip()


def plan_revise(*, actor: Actor, access: PatientAccess, form: RevisionForm) -> Plan:
    """Start a revision of the active plan: a new draft with the active plan's modules,
    decisions, goals, level of care and parts. The active plan stays active until the
    revision is activated. The reason (an evaluation, stagnation, the patient's wishes)
    is required."""
    with audited(actor=actor, action="create", subject=plan_subject(access)) as note:
        current = _open_plan(access)
        if current is None or current.status == Plan.Status.DRAFT:
            raise InputRefused(
                _("Only an active plan can be revised.")
                if current is None
                else _("There is already a draft. Finish it first.")
            )
        reason = _text(form, "revision_reason")
        user = staff_user(actor)
        now = timezone.now()
        revision = Plan.objects.create(
            patient=current.patient,
            snapshot=current.snapshot,
            care_level=current.care_level,
            care_level_source=current.care_level_source,
            severity=current.severity,
            preferences=current.preferences,
            maintaining_factors=current.maintaining_factors,
            clinician_flags=current.clinician_flags,
            expected_weeks=current.expected_weeks,
            expected_weeks_unverified=current.expected_weeks_unverified,
            duration=current.duration,
            goal_set=current.goal_set,
            regiebehandelaar=current.regiebehandelaar,
            created_by=user,
            created_at=now,
            updated_at=now,
            revises=current,
            revision_reason=reason,
        )
        PlanModule.objects.bulk_create(
            PlanModule(
                plan=revision,
                module_id=row.module_id,
                module_version=row.module_version,
                status=row.status,
                order=row.order,
                rank=row.rank,
                reason=row.reason,
                recommendation=row.recommendation,
                reason_lines=row.reason_lines,
            )
            for row in current.modules.all()
        )
        # The decisions that shaped the active plan come along (who and when as they
        # were), so calculating the revision again applies them as before.
        PlanDecisionRecord.objects.bulk_create(
            PlanDecisionRecord(
                plan=revision,
                module_id=record.module_id,
                action=record.action,
                reason=record.reason,
                deviates=record.deviates,
                decided_by_id=record.decided_by_id,
                decided_at=record.decided_at,
            )
            for record in selectors.decisions_of(current)
        )
        PlanPart.objects.bulk_create(
            PlanPart(
                plan=revision,
                position=part.position,
                rule_id=part.rule_id,
                intervention_id=part.intervention_id,
                intervention_name=part.intervention_name,
                discipline_id=part.discipline_id,
                reason=part.reason,
                factors=part.factors,
                flags=part.flags,
                severity=part.severity,
                sources=part.sources,
                unverified=part.unverified,
                note=part.note,
            )
            for part in selectors.parts_of(current)
        )
        note.about(object_ref=str(revision.public_id))
        note.detail = f"revision of plan {current.public_id}"
    return revision


def plan_step_up(*, actor: Actor, access: PatientAccess, form: StepUpForm) -> PlanCareLevelStep:
    """Step the revision up to the next level of care (stepped care), with a reason;
    the step is recorded with the escalation advice as shown."""
    with audited(actor=actor, action="update", subject=plan_subject(access)) as note:
        plan = _open_plan(access)
        if plan is None or plan.status != Plan.Status.DRAFT or plan.revises_id is None:
            raise InputRefused(
                _("The level of care is stepped up on a revision of the active plan.")
            )
        note.about(object_ref=str(plan.public_id))
        data = valid_form(form)
        reason = str(data["step_reason"]).strip()
        advice = selectors.step_up_advice(access, plan, reason=reason)
        if advice is None or advice.to_level is None:
            raise InputRefused(
                {
                    "to_level": [
                        _("This is already the most intensive level: discuss the plan in the team.")
                    ]
                }
            )
        if data["to_level"] != advice.to_level:
            raise InputRefused({"to_level": [_("Choose the next level of care from the list.")]})
        user = staff_user(actor)
        step = PlanCareLevelStep.objects.create(
            plan=plan,
            from_level=plan.care_level,
            to_level=advice.to_level,
            reason=reason,
            advice=[
                {
                    "rule_id": r.rule_id,
                    "text": dict(r.text),
                    "sources": list(r.sources),
                    "unverified": r.unverified,
                }
                for r in advice.reasons
            ],
            unverified=advice.unverified,
            decided_by=user,
        )
        plan.care_level = advice.to_level
        plan.care_level_source = Plan.CareLevelSource.DECISION
        try:
            # The expected duration is capped per level of care: recalculate it.
            computed = _compute(
                plan,
                _recommendations_of(plan),
                selectors.effective_decisions(selectors.decisions_of(plan)),
            )
        except DecisionError:
            computed = None
        if computed is not None:
            plan.expected_weeks = computed.weeks
            plan.duration = computed.duration
            plan.expected_weeks_unverified = bool(computed.duration.get("unverified", True))
        plan.updated_at = timezone.now()
        plan.save()
        note.detail = f"care level stepped up {step.from_level} -> {step.to_level}"
    return step


def plan_discard_revision(*, actor: Actor, access: PatientAccess, form: DiscardForm) -> Plan:
    """Throw away the revision in preparation: the active plan stays exactly as it was
    (its modules are not touched) and the revision, with its decisions, stays in the
    history marked discarded, with who, when and why. The reason is required."""
    with audited(actor=actor, action="update", subject=plan_subject(access)) as note:
        plan = _open_plan(access)
        if plan is None or plan.status != Plan.Status.DRAFT or plan.revises_id is None:
            raise InputRefused(_("There is no revision in preparation to discard."))
        note.about(object_ref=str(plan.public_id))
        reason = _text(form, "discard_reason")
        user = staff_user(actor)
        now = timezone.now()
        plan.status = Plan.Status.DISCARDED
        plan.ended_at = now
        plan.ended_by = user
        plan.end_note = reason
        plan.updated_at = now
        plan.save(update_fields=["status", "ended_at", "ended_by", "end_note", "updated_at"])
        note.detail = (
            f"revision of plan {plan.revises.public_id if plan.revises else '-'} discarded"
        )
    return plan


def plan_complete(*, actor: Actor, access: PatientAccess, form: CompleteForm) -> Plan:
    """End of treatment: the active plan is completed with a note. The patient's module
    assignments are left as they are (they may finish what they started)."""
    with audited(actor=actor, action="update", subject=plan_subject(access)) as note:
        plans = Plan.objects.select_for_update().filter(patient=access.patient)
        plan = plans.filter(status=Plan.Status.ACTIVE).first()
        if plan is None:
            raise InputRefused(_("Only an active plan can be completed."))
        note.about(object_ref=str(plan.public_id))
        if plans.filter(status=Plan.Status.DRAFT).exists():
            raise InputRefused(
                _(
                    "A revision of this plan is in preparation. Activate or discard it before "
                    "completing."
                )
            )
        note_text = _text(form, "end_note")
        user = staff_user(actor)
        plan.status = Plan.Status.COMPLETED
        plan.ended_at = timezone.now()
        plan.ended_by = user
        plan.end_note = note_text
        plan.updated_at = plan.ended_at
        plan.save(update_fields=["status", "ended_at", "ended_by", "end_note", "updated_at"])
        note.detail = "plan completed"
    return plan
