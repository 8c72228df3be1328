"""Reading safety plans, always for a patient opened through the access rule."""

from __future__ import annotations

from maatwerk.core.safety_plan import SafetyPlan as CorePlan
from maatwerk.core.safety_plan import (
    SafetyPlanContentFile,
    bundled_safety_plan_content,
    plan_from_json,
)
from maatwerk.web.patients.selectors import PatientAccess
from maatwerk.web.safetyplan.models import SafetyPlan, SafetyPlanVersion

OBJECT_SAFETY_PLAN = "safety_plan"


def safety_plan_content() -> SafetyPlanContentFile:
    return bundled_safety_plan_content()


def safety_plan_of(access: PatientAccess) -> SafetyPlan | None:
    return SafetyPlan.objects.filter(patient=access.patient).first()


def current_version(plan: SafetyPlan | None) -> SafetyPlanVersion | None:
    if plan is None:
        return None
    return plan.versions.select_related("saved_by").order_by("-number").first()


def versions_of(plan: SafetyPlan) -> list[SafetyPlanVersion]:
    return list(plan.versions.select_related("saved_by").order_by("-number"))


def version_of(plan: SafetyPlan, number: int) -> SafetyPlanVersion | None:
    return plan.versions.select_related("saved_by").filter(number=number).first()


def document_of(version: SafetyPlanVersion) -> CorePlan:
    """The core value of a stored version (written by the core, so it reads back)."""
    return plan_from_json(version.document, safety_plan_content())
