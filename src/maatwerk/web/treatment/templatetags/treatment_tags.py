"""Treatment links on pages other apps render: the card on the patient's portal home
and the clinician's Inbox badge (the page that shows them is audited by its own view;
these show counts only)."""

from __future__ import annotations

from typing import Any

from django import template

from maatwerk.web.patients.models import Patient
from maatwerk.web.treatment import selectors
from maatwerk.web.treatment.models import ModuleAssignment

register = template.Library()


@register.inclusion_tag("treatment/_portal_card.html")
def treatment_portal_card(patient: Patient) -> dict[str, Any]:
    return {
        "patient": patient,
        "modules": ModuleAssignment.objects.filter(
            patient=patient,
            status__in=[ModuleAssignment.Status.OPEN, ModuleAssignment.Status.IN_PROGRESS],
        ).count(),
        "feedback": selectors.unread_feedback_count(patient.pk),
        "messages_unread": selectors.unread_team_messages_count(patient.pk),
    }


@register.simple_tag(takes_context=True)
def treatment_inbox_count(context: Any) -> int:
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None:
        return 0
    return selectors.inbox_count(actor)


@register.simple_tag(takes_context=True)
def treatment_shares_with_me(context: Any) -> bool:
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None:
        return False
    return selectors.shared_with(actor).exists()
