"""The screening card on the patient's portal home (the portal view knows nothing of
screenings; the page it renders was already audited as a read of the patient's file)."""

from __future__ import annotations

from typing import Any

from django import template

from maatwerk.web.patients.models import Patient
from maatwerk.web.screening.selectors import latest_profile_screening, open_screening_for_patient

register = template.Library()


@register.inclusion_tag("screening/_portal_card.html")
def screening_portal_card(patient: Patient) -> dict[str, Any]:
    return {
        "screening": open_screening_for_patient(patient.pk),
        "summarized": latest_profile_screening(patient.pk),
    }
