"""The plan card on the patient's portal home (the portal view knows nothing of plans;
the page it renders was already audited as a read of the patient's file)."""

from __future__ import annotations

from typing import Any

from django import template

from maatwerk.web.patients.models import Patient
from maatwerk.web.planning.models import Plan

register = template.Library()


@register.inclusion_tag("planning/_portal_card.html")
def planning_portal_card(patient: Patient) -> dict[str, Any]:
    """Shown only when the patient has an active or completed plan (never a draft)."""
    plan = (
        Plan.objects.filter(patient=patient, status__in=(Plan.Status.ACTIVE, Plan.Status.COMPLETED))
        .order_by("-created_at")
        .first()
    )
    return {"patient": patient, "plan": plan}
