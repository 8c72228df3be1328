"""Treatment links on pages other apps render: the card on the patient's portal home.
The counts are computed by ``treatment.services.portal_card`` for the page; this tag only
renders them (tags never query)."""

from __future__ import annotations

from django import template

from maatwerk.web.treatment.services.overview import PortalCard

register = template.Library()


@register.inclusion_tag("treatment/_portal_card.html")
def treatment_portal_card(card: PortalCard) -> dict[str, object]:
    return {
        "patient": card.patient,
        "modules": card.modules,
        "feedback": card.feedback,
        "messages_unread": card.messages_unread,
    }
