"""The plan card on the patient's portal home. The portal's view reads the plan
(``planning.selectors.patient_visible_plan``, inside its audited page read) and passes
it in; the tag only draws it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template

if TYPE_CHECKING:
    from maatwerk.web.patients.models import Patient
    from maatwerk.web.planning.models import Plan

register = template.Library()


@register.inclusion_tag("planning/_portal_card.html")
def planning_portal_card(patient: Patient, plan: Plan | None) -> dict[str, object]:
    """Shown only when the patient has an active or completed plan (never a draft)."""
    return {"patient": patient, "plan": plan}
