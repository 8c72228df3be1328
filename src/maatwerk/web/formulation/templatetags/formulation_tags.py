"""The formulation card on the patient's portal home. The portal view computes the card
(``presenters.formulation_card``) with the rest of its page; the tag only renders it."""

from __future__ import annotations

from django import template

from maatwerk.web.formulation.presenters import FormulationCard

register = template.Library()


@register.inclusion_tag("formulation/_portal_card.html")
def formulation_portal_card(card: FormulationCard | None) -> dict[str, object]:
    if card is None:
        return {"formulation": None, "agreed": False}
    return {"formulation": card.formulation, "agreed": card.agreed}
