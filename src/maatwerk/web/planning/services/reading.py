"""Reading the plan pages: one audited ``read`` event per page."""

from __future__ import annotations

from maatwerk.web.audit.audited import audited
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.planning import presenters
from maatwerk.web.planning.services._common import Language, plan_subject


def plan_read(*, actor: Actor, access: PatientAccess, language: Language) -> presenters.PageContext:
    """The clinician's plan page."""
    with audited(actor=actor, action="read", subject=plan_subject(access)) as note:
        note.detail = "plan"
        return presenters.plan_page(access, language)


def my_plan_read(
    *, actor: Actor, access: PatientAccess, language: Language
) -> presenters.PageContext:
    """ "My plan" (a clinician opening it sees what the patient will see)."""
    with audited(actor=actor, action="read", subject=plan_subject(access)) as note:
        note.detail = "my plan"
        return presenters.patient_plan(access, language)
