"""Saving and printing a safety plan. Each service is one transaction with its audit event.

A save that changes something stores a new version; a save that changes nothing writes
only its event. The core checks the whole plan first: when it refuses, nothing is
written, the refusal is audited (outcome ``refused``) and :class:`SafetyPlanRefused` goes
back to the view, which shows each problem next to its field. Emergency access may read
the plan but not change it (denied and audited).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import Http404
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
from maatwerk.web.audit.audited import AuditNote, InputRefused, audited
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.common.pdf import render_pdf
from maatwerk.web.patients.opening import PatientAccess, patient_subject
from maatwerk.web.safetyplan.forms import SafetyPlanForm
from maatwerk.web.safetyplan.models import SafetyPlan, SafetyPlanVersion
from maatwerk.web.safetyplan.presenters import PlanPageContext
from maatwerk.web.safetyplan.selectors import (
    OBJECT_SAFETY_PLAN,
    current_version,
    document_of,
    safety_plan_content,
    safety_plan_of,
    version_of,
    versions_of,
)

EMERGENCY_REFUSED = "refused: emergency access"


class SafetyPlanRefused(InputRefused):
    """The core refused the submitted plan: ``problems`` name each row and field, and
    ``submitted`` is what was posted (shown again with the problems)."""

    def __init__(
        self, error: SafetyPlanError, submitted: Mapping[str, Sequence[EntryInput]]
    ) -> None:
        self.problems = error.problems
        self.submitted = submitted
        errors: dict[str, list[str]] = {}
        for problem in error.problems:
            # Per section: the page shows each problem on its row from ``problems``.
            errors.setdefault(problem.section, []).append(problem.code)
        super().__init__(errors)


def _subject(access: PatientAccess) -> AuditSubject:
    plan = safety_plan_of(access)
    return patient_subject(
        access.patient,
        object_type=OBJECT_SAFETY_PLAN,
        object_ref=str(plan.public_id) if plan is not None else "",
    )


@dataclass(frozen=True)
class PlanPage:
    plan: SafetyPlan | None
    version: SafetyPlanVersion | None
    versions: list[SafetyPlanVersion]


def safety_plan_read(
    *, actor: Actor, access: PatientAccess, detail: str, number: int | None = None
) -> PlanPage:
    """One read of the plan (page, form, versions, one version)."""
    with audited(
        actor=actor,
        action="read",
        subject=_subject(access),
        emergency=access.emergency,
        detail=detail,
    ):
        plan = safety_plan_of(access)
        if number is None:
            version = current_version(plan)
        else:
            version = version_of(plan, number) if plan is not None else None
            if version is None:
                raise Http404
        return PlanPage(
            plan=plan,
            version=version,
            versions=versions_of(plan) if plan is not None else [],
        )


def plan_page(access: PatientAccess) -> PlanPage:
    """The plan as it stands, for a page shown again after a refusal (already audited)
    or for the PDF (audited by :func:`safety_plan_pdf`)."""
    plan = safety_plan_of(access)
    return PlanPage(
        plan=plan,
        version=current_version(plan),
        versions=versions_of(plan) if plan is not None else [],
    )


def safety_plan_save(
    *, actor: Actor, access: PatientAccess, form: SafetyPlanForm
) -> SafetyPlanVersion | None:
    """Save the plan as submitted by the care team, or the patient's own sections as
    submitted by the patient. Returns the new version, or None when nothing changed (then
    nothing is written, not even an event). Emergency access may read but not change
    (denied)."""
    by_patient = access.basis is AccessBasis.OWN_RECORD
    content = safety_plan_content()
    existing = safety_plan_of(access)

    def event(action: str = "update") -> AbstractContextManager[AuditNote]:
        return audited(
            actor=actor, action=action, subject=_subject(access), emergency=access.emergency
        )

    if actor.user is None or access.emergency:
        with event() as note:
            note.detail = EMERGENCY_REFUSED
            raise PermissionDenied(
                _("Only the patient's care team can change the safety plan, not emergency access.")
            )
    version = current_version(existing)
    before = document_of(version) if version is not None else None
    try:
        problems = form.errors()
        if problems:
            raise InputRefused(problems)
        submitted = form.entries()
        try:
            if by_patient:
                after = patient_edit(content, before or empty_plan(content), submitted)
            else:
                after = build_plan(content, submitted)
        except SafetyPlanError as error:
            raise SafetyPlanRefused(error, submitted) from error
    except InputRefused:
        with event():
            raise
    changed = changed_sections(before, after)
    if not changed:
        return None
    with event("create" if existing is None else "update") as note:
        plan = existing or SafetyPlan.objects.create(patient=access.patient, created_by=actor.user)
        # The lock on the plan is held until the new version commits: two saves at once
        # get consecutive numbers.
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
        note.about(object_ref=str(plan.public_id))
        note.detail = f"version {number}: " + ", ".join(changed)
        return saved


def safety_plan_pdf(*, actor: Actor, access: PatientAccess, context: PlanPageContext) -> bytes:
    """The plan as a PDF (the context is the plan page's, built by the view)."""
    with audited(
        actor=actor, action="print", subject=_subject(access), emergency=access.emergency
    ) as note:
        version = context["version"]
        if version is None:
            raise InputRefused(_("There is no safety plan yet."))
        note.detail = f"safety plan pdf, version {version.number}"
        return render_pdf("safetyplan/plan_pdf.html", context)
