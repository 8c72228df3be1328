"""Helpers shared by the planning services: the audit subject of a plan, opening the
current plan (locked until the service's transaction ends) and the language."""

from __future__ import annotations

from typing import Literal

from django.utils.translation import get_language

from maatwerk.web.accounts.models import User
from maatwerk.web.audit.services import AuditSubject
from maatwerk.web.common.actor import Actor
from maatwerk.web.patients.opening import PatientAccess
from maatwerk.web.planning import selectors
from maatwerk.web.planning.forms import REASON_MAX_LENGTH
from maatwerk.web.planning.models import Plan
from maatwerk.web.planning.selectors import OBJECT_PLAN

NON_FIELD = "__all__"

__all__ = ["NON_FIELD", "REASON_MAX_LENGTH", "Language", "module_name"]

Language = Literal["nl", "en"]


def plan_subject(access: PatientAccess, plan: Plan | None = None) -> AuditSubject:
    return access.subject(
        object_type=OBJECT_PLAN, object_ref=str(plan.public_id) if plan is not None else ""
    )


def staff_user(actor: Actor) -> User:
    """The signed-in clinician (the opener let only the care team in)."""
    if actor.user is None:  # pragma: no cover - the opener refused an anonymous actor
        raise PermissionError("no user")
    return actor.user


def _open_plan(access: PatientAccess) -> Plan | None:
    """The draft (a first plan or a revision) when there is one, else the active plan,
    locked for the rest of the calling service's transaction (call it inside one)."""
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
