"""The screening card on the patient's portal home. The portal view computes the card
(``presenters.screening_card``) with the rest of its page; the tag only renders it."""

from __future__ import annotations

from django import template

from maatwerk.web.screening.presenters import ScreeningCard

register = template.Library()


@register.inclusion_tag("screening/_portal_card.html")
def screening_portal_card(card: ScreeningCard | None) -> dict[str, object]:
    return {
        "screening": card.screening if card is not None else None,
        "summarized": card.summarized if card is not None else None,
    }
