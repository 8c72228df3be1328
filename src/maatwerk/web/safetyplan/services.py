"""Saving and printing a safety plan. Each service is one transaction with its audit event.

A save that changes something stores a new version; a save that changes nothing writes
nothing. The core checks the whole plan first: when it refuses, nothing is written, the
refusal is audited (outcome ``error``) and the ``SafetyPlanError`` goes back to the view,
which shows each problem next to its field. Emergency access may read the plan but not
change it (refused and audited).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from maatwerk.core.access import AccessBasis
from maatwerk.core.safety_plan import (
    EntryInput,
    SafetyPlanError,
    build_plan,
    changed_sections,
    empty_plan,
    patient_edit,
    plan_to_json,
)
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.safetyplan.models import SafetyPlan, SafetyPlanVersion
from maatwerk.web.safetyplan.selectors import (
    OBJECT_SAFETY_PLAN,
    current_version,
    document_of,
    safety_plan_content,
    safety_plan_of,
)

EMERGENCY_REFUSED = "refused: emergency access"


def _audit(
    *, actor: Actor, access: PatientAccess, action: str, detail: str, outcome: str = "success"
) -> None:
    plan = safety_plan_of(access)
    audit_record(
        actor=actor,
        action=action,
        outcome=outcome,
        subject=patient_subject(
            access.patient,
            object_type=OBJECT_SAFETY_PLAN,
            object_ref=str(plan.public_id) if plan is not None else "",
        ),
        emergency=access.emergency,
        detail=detail[:200],
    )


def audit_refused_change(*, actor: Actor, access: PatientAccess, detail: str) -> None:
    """A change refused before it reached the service (emergency access, a bad form)."""
    _audit(actor=actor, access=access, action="update", detail=detail, outcome="error")


def safety_plan_save(
    *,
    actor: Actor,
    access: PatientAccess,
    submitted: Mapping[str, Sequence[EntryInput]],
) -> SafetyPlanVersion | None:
    """Save the plan as submitted by the care team, or the patient's own sections as
    submitted by the patient. Returns the new version, or None when nothing changed."""
    if actor.user is None:
        raise PermissionDenied
    if access.emergency:
        audit_refused_change(actor=actor, access=access, detail=EMERGENCY_REFUSED)
        raise PermissionDenied(
            _("Only the patient's care team can change the safety plan, not emergency access.")
        )
    by_patient = access.basis is AccessBasis.OWN_RECORD
    content = safety_plan_content()
    existing = safety_plan_of(access)
    version = current_version(existing)
    before = document_of(version) if version is not None else None
    try:
        if by_patient:
            after = patient_edit(content, before or empty_plan(content), submitted)
        else:
            after = build_plan(content, submitted)
    except SafetyPlanError as error:
        sections = sorted({problem.section for problem in error.problems})
        audit_refused_change(actor=actor, access=access, detail="refused: " + ", ".join(sections))
        raise
    changed = changed_sections(before, after)
    if not changed:
        return None
    with transaction.atomic():
        plan = existing or SafetyPlan.objects.create(patient=access.patient, created_by=actor.user)
        plan = SafetyPlan.objects.select_for_update().get(pk=plan.pk)
        number = (plan.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        saved = SafetyPlanVersion.objects.create(
            plan=plan,
            number=number,
            document=plan_to_json(after),
            content_version=content.version,
            saved_by=actor.user,
            by_patient=by_patient,
            changed_sections=",".join(changed),
        )
        _audit(
            actor=actor,
            access=access,
            action="create" if number == 1 else "update",
            detail=f"version {number}: " + ", ".join(changed),
        )
    return saved


def safety_plan_pdf(*, actor: Actor, access: PatientAccess, context: dict[str, Any]) -> bytes:
    """The plan as a PDF (the context is the plan page's, built by the view)."""
    if context.get("version") is None:
        _audit(actor=actor, access=access, action="print", detail="no plan", outcome="error")
        raise ValidationError(_("There is no safety plan yet."))
    pdf = render_pdf("safetyplan/plan_pdf.html", context)
    _audit(
        actor=actor,
        access=access,
        action="print",
        detail=f"safety plan pdf, version {context['version'].number}",
    )
    return pdf
