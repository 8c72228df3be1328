"""The plan card on the patient's portal home. The portal's view reads the plan
(``planning.selectors.patient_visible_plan``, inside its audited page read) and passes
it in; the tag only draws it (and imports no models: it cannot query)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("planning/_portal_card.html")
def planning_portal_card(patient: object, plan: object | None) -> dict[str, object]:
    """Shown only when the patient has an active or completed plan (never a draft)."""
    return {"patient": patient, "plan": plan}
