"""The formulation card on the patient's portal home (the portal view knows nothing of
formulations; the page it renders was already audited as a read of the patient's file)."""

from __future__ import annotations

from typing import Any

from django import template

from maatwerk.web.formulation.selectors import formulation_for_patient_pk, latest_shared_version
from maatwerk.web.patients.models import Patient

register = template.Library()


@register.inclusion_tag("formulation/_portal_card.html")
def formulation_portal_card(patient: Patient) -> dict[str, Any]:
    formulation = formulation_for_patient_pk(patient.pk)
    shown = formulation is not None and latest_shared_version(formulation) is not None
    return {"formulation": formulation if shown else None}
