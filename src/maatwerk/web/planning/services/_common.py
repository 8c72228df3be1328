"""Helpers shared by the planning services: who may plan, the audit event (also of a
refusal), opening the current plan and the language."""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import get_language

from maatwerk.core.access import AccessBasis
from maatwerk.web.audit.services import audit_record
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.selectors import PatientAccess, patient_subject
from maatwerk.web.planning import selectors
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.selectors import OBJECT_PLAN

NON_FIELD = "__all__"


REASON_MAX_LENGTH = 2000


Language = Literal["nl", "en"]


def _clinician_only(access: PatientAccess) -> None:
    if access.basis is AccessBasis.OWN_RECORD:
        raise PermissionDenied


def _user(actor: Actor) -> Any:
    if actor.user is None:
        raise PermissionDenied
    return actor.user


def _audit(
    actor: Actor,
    access: PatientAccess,
    action: str,
    *,
    plan: Plan | None = None,
    detail: str = "",
    outcome: str = "success",
) -> None:
    audit_record(
        actor=actor,
        action=action,
        outcome=outcome,
        subject=patient_subject(
            access.patient,
            object_type=OBJECT_PLAN,
            object_ref=str(plan.public_id) if plan is not None else "",
        ),
        emergency=access.emergency,
        detail=detail,
    )


def _refuse(
    errors: dict[str, list[str]],
    *,
    actor: Actor,
    access: PatientAccess,
    action: str,
    plan: Plan | None,
    detail: str,
) -> None:
    if errors:
        _audit(actor, access, action, plan=plan, detail=detail, outcome="error")
        raise ValidationError(errors)


def _refuse_or_plan(
    errors: dict[str, list[str]],
    *,
    actor: Actor,
    access: PatientAccess,
    action: str,
    plan: Plan | None,
    detail: str,
) -> Plan:
    """Refuse with ``errors`` (audited), else the plan the change applies to."""
    _refuse(errors, actor=actor, access=access, action=action, plan=plan, detail=detail)
    if plan is None:  # pragma: no cover - callers report a missing plan as an error
        raise ValidationError(errors)
    return plan


def _open_plan(access: PatientAccess) -> Plan | None:
    """The draft (a first plan or a revision) when there is one, else the active plan."""
    plans = Plan.objects.select_for_update().filter(patient=access.patient)
    return (
        plans.filter(status=Plan.Status.DRAFT).first()
        or plans.filter(status=Plan.Status.ACTIVE).first()
    )


def module_name(module_id: str, language: str) -> str:
    module = selectors.module_of(module_id)
    if module is None:
        return module_id
    return module.name.get(language, fallback=True) or module_id


def _language() -> Language:
    return "en" if get_language() == "en" else "nl"
